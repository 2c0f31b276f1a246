"""Domain errors raised by services; the API and views turn them into 4xx answers.

Services never import DRF: they raise these (or Django's ValidationError for field errors)
and the API's exception handler maps them to a uniform JSON body.
"""


class DomainError(Exception):
    """A refused request: the caller asked for something the rules do not allow."""

    status_code = 400
    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class NotFound(DomainError):
    """The object named does not exist, or the caller may not see it."""

    status_code = 404
    code = "not_found"


class Conflict(DomainError):
    """The object's state forbids the change (wrong status, stale version, duplicate)."""

    status_code = 409
    code = "conflict"


class Unprocessable(DomainError):
    """Well-formed but unusable, e.g. an Idempotency-Key reused with a different body."""

    status_code = 422
    code = "unprocessable"
