class ApplicationError(Exception):
    """A domain rule was broken. `message` is written for the person using the platform."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def is_database_busy(exc: BaseException) -> bool:
    """SQLite's "database is locked" after its busy timeout: nothing was written, a retry is safe."""
    from django.db import OperationalError

    return isinstance(exc, OperationalError) and "database is locked" in str(exc)
