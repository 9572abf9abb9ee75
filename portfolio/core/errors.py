"""Errors the services raise; the web layer turns each into one clear 4xx answer."""

from __future__ import annotations

from portfolio.core.domain import FieldProblem


class DomainError(Exception):
    """Base: a message for a person, and optionally the field concerned."""

    status_code = 400

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    status_code = 404


class Forbidden(DomainError):
    status_code = 403


class StaleVersion(DomainError):
    """Someone else saved this record after it was read: the edit would overwrite their change."""

    status_code = 409

    def __init__(self, what: str = "Posten") -> None:
        super().__init__(
            f"{what} har ändrats av någon annan sedan du öppnade den. "
            "Ladda om sidan och gör din ändring igen.",
            field="version",
        )


class Conflict(DomainError):
    status_code = 409


class ValidationFailed(DomainError):
    """Input that breaks a rule; carries every problem found, not only the first."""

    status_code = 422

    def __init__(self, problems: list[FieldProblem]) -> None:
        first = problems[0]
        super().__init__(first.message, field=first.field)
        self.problems = problems


class InvalidInput(ValidationFailed):
    """A request body that cannot be read as the route's JSON: 400, as a parser refusal is."""

    status_code = 400
