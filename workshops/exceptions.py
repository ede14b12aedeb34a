class WorkshopError(Exception):
    """A refused workshop action; `.message` is for the person who asked (translated)."""

    default_message = ""

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(str(self.message))


class RegistrationRefused(WorkshopError):
    pass


class CheckInRefused(WorkshopError):
    pass


class AttendanceRefused(WorkshopError):
    pass


class SessionCancelRefused(WorkshopError):
    pass
