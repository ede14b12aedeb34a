from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "revoked": _("This certificate is revoked: it cannot be re-issued."),
    "empty_name": _("The name on the certificate cannot be empty."),
    "reason_required": _("Give a reason for the revocation."),
}


class CertificateActionRefused(Exception):
    """A manager action that does not apply; `.message` says why in the user's language."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code

    @property
    def message(self) -> str:
        return str(MESSAGES.get(self.code, self.code))
