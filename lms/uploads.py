"""What every check of an uploaded file shares (workshop presentations, community attachments,
hosted media): a refusal that carries the message for the person uploading, and the type that
the content's magic bytes say, whatever the file's name or the browser claim."""

import filetype


class UploadRejected(Exception):
    """A refused file; `message` is for the person uploading it (a translatable text)."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def sniffed(fileobj) -> tuple[bytes, str]:
    """The file's first 8 KB and the MIME type its magic bytes say ("" when unknown); the file is
    rewound."""
    fileobj.seek(0)
    head = fileobj.read(8192)
    fileobj.seek(0)
    kind = filetype.guess(head)
    return head, kind.mime if kind else ""
