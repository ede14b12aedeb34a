class CommunityError(Exception):
    """A refusal with a message for the person (already translated)."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class CodeNotAccepted(CommunityError):
    pass
