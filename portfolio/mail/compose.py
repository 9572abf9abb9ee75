"""Composing a mail's subject and text from its template: the file's default or the office's edit.

A template is Jinja text whose first line is "Ämne: …" and the rest, after a blank line, the
body. The office edits templates in the pages, so they run in Jinja's sandbox, and a name
that does not exist is an error shown at once rather than a blank in a sent mail.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import msgspec
from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from portfolio.core.domain import FieldProblem
from portfolio.core.settings import ROOT
from portfolio.mail.domain import MailKind

TEMPLATE_DIR = ROOT / "templates" / "mail"
SUBJECT_PREFIX = "Ämne:"

_ENV = SandboxedEnvironment(
    undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False
)


class MailTemplate(msgspec.Struct, frozen=True):
    subject: str
    body: str


class Composed(msgspec.Struct, frozen=True):
    subject: str
    body: str


def parse_template(text: str) -> MailTemplate:
    """Split a template file into its subject line and its body."""
    first, _, rest = text.partition("\n")
    if not first.startswith(SUBJECT_PREFIX):
        raise ValueError(f"a mail template starts with '{SUBJECT_PREFIX}'")
    return MailTemplate(first.removeprefix(SUBJECT_PREFIX).strip(), rest.lstrip("\n"))


@cache
def default_template(kind: MailKind) -> MailTemplate:
    """The template shipped in templates/mail/<kind>.txt."""
    return parse_template((TEMPLATE_DIR / f"{kind.value}.txt").read_text(encoding="utf-8"))


def _tidy(text: str) -> str:
    """At most one blank line in a row, no trailing spaces: an empty optional part leaves no gap."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    tidy: list[str] = []
    for line in lines:
        if line or (tidy and tidy[-1]):
            tidy.append(line)
    return "\n".join(tidy) + "\n"


def render(template: MailTemplate, context: dict[str, Any]) -> Composed:
    """The subject on one line (a template's line breaks would break the header) and the body."""
    subject = _ENV.from_string(template.subject).render(context)
    body = _ENV.from_string(template.body).render(context)
    return Composed(" ".join(subject.split()), _tidy(body))


def template_problems(template: MailTemplate, kind: MailKind) -> list[FieldProblem]:
    """What is wrong with an edited template, tried against the kind's example values."""
    problems: list[FieldProblem] = []
    if not template.subject.strip():
        problems.append(FieldProblem("subject", "Ämnesraden får inte vara tom."))
    for field, text in (("subject", template.subject), ("body", template.body)):
        try:
            _ENV.from_string(text).render(SAMPLE_CONTEXTS[kind])
        except TemplateError as exc:
            problems.append(FieldProblem(field, f"Mallen kan inte användas: {exc.message or exc}"))
    return problems


_COMMON = {
    "recipient_name": "Anna Andersson",
    "association": "Samordningsförbundet Upplandsbygd",
    "director": "Eva Chef",
}

# Example values for each kind: what the preview shows and what an edit is checked against.
# They name every variable a kind's mails are given, so they double as the editor's help text.
SAMPLE_CONTEXTS: dict[MailKind, dict[str, Any]] = {
    MailKind.NOTICE: {
        **_COMMON,
        "body": "Förbundsstyrelsen",
        "meeting_date": "10 december 2026",
        "time": "13.00–16.00",
        "place": "Kommunhuset, Knivsta",
        "agenda": ["1. Mötets öppnande", "2. Ansökan Ung framtid (Dnr 2026:14)"],
        "link": "https://finsam.example/moten/7",
        "note": "Förhinder anmäls till förbundschefen.",
    },
    MailKind.COMPLETION_REQUEST: {
        **_COMMON,
        "title": "Ung framtid",
        "organisation": "Knivsta kommun",
        "message": "Budgeten för år 2 saknar lönekostnaderna.",
        "link": "https://finsam.example/ansokningar/3",
    },
    MailKind.DECISION: {
        **_COMMON,
        "body": "Förbundsstyrelsen",
        "title": "Ansökan Ung framtid",
        "case_number": "2026:14",
        "meeting_date": "10 december 2026",
        "paragraph": 6,
        "outcome": "Beviljad",
        "clauses": ["att bevilja finansiellt stöd för insatsen Ung framtid …"],
        "link": "https://finsam.example/insatser/5",
    },
    MailKind.APPLICATION_SUBMITTED: {
        **_COMMON,
        "title": "Ung framtid",
        "organisation": "Knivsta kommun",
        "version_number": 1,
        "applied_amount": "1 965 000 kronor",
        "link": "https://finsam.example/ansokningar/3",
    },
    MailKind.REPORT_DUE: {
        **_COMMON,
        "insats": "Ung framtid",
        "period": "kvartal 3 2026",
        "due_date": "31 oktober 2026",
        "days_late": 0,
        "link": "https://finsam.example/insatser/5",
    },
    MailKind.REPORT_LATE: {
        **_COMMON,
        "insats": "Ung framtid",
        "period": "kvartal 3 2026",
        "due_date": "31 oktober 2026",
        "days_late": 8,
        "link": "https://finsam.example/insatser/5",
    },
    MailKind.REPORT_ARRIVED: {
        **_COMMON,
        "report": "Kvartalsrapport",
        "insats": "Ung framtid",
        "period": "kvartal 3 2026",
        "organisation": "Knivsta kommun",
        "link": "https://finsam.example/insatser/5",
    },
    MailKind.INVITATION: {
        **_COMMON,
        "invited_by": "Kim Kansli",
        "role": "insatsägare",
        "valid_until": "10 december 2026",
        "link": "https://finsam.example/losenord/exempel",
    },
    MailKind.PASSWORD_RESET: {
        **_COMMON,
        "valid_until": "kl. 14.30 den 3 december 2026",
        "link": "https://finsam.example/losenord/exempel",
    },
}
