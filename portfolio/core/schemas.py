"""Request and response pieces every area shares: the error answer, text limits, partial updates,
and the checks every request body passes before a handler sees it (`input_problems`)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

import idna
import msgspec
from msgspec import UNSET, Meta

from portfolio.core.domain import FieldProblem

# The years a stored date or a budget year may have: those the code already counts with (a case's
# year, the budget room's first year). A date outside is a typo (0001, 9999), and such a date
# would only break the schedule and documents computed from it.
YEAR_MIN = 2000
YEAR_MAX = 2100
Year = Annotated[int, Meta(ge=YEAR_MIN, le=YEAR_MAX)]

# Characters no document can hold (XML 1.0 refuses C0 controls but tab, newline and carriage
# return) and those with no place in typed text (DEL, C1 controls, lone surrogates, non-characters).
# Carriage return stays: a browser sends a textarea's line breaks as CR LF.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# A name must hold something visible: a value of spaces only is refused like an empty one.
NOT_BLANK = r"\S"
# Every text of a request body is bounded, also those nested in drafts without a bound of their
# own: 20 000 characters is some ten pages, more than any field of the forms asks for.
TEXT_LIMIT = 20_000

Name = Annotated[str, Meta(min_length=1, max_length=200, pattern=NOT_BLANK)]
# A case's or an insats's title: it is the Word documents' title, which holds 255 characters.
Title = Annotated[str, Meta(min_length=1, max_length=255, pattern=NOT_BLANK)]
ShortText = Annotated[str, Meta(max_length=200)]
Clause = Annotated[str, Meta(min_length=1, max_length=5000, pattern=NOT_BLANK)]
MediumText = Annotated[str, Meta(max_length=5000)]
LongText = Annotated[str, Meta(max_length=TEXT_LIMIT)]
Email = Annotated[str, Meta(min_length=3, max_length=200, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
Version = Annotated[int, Meta(ge=1)]
# Kronor that cannot be negative: contributions, budgets, claims, grants.
Kronor = Annotated[int, Meta(ge=0, le=1_000_000_000)]


class ErrorOut(msgspec.Struct):
    """Every API error: a message for a person and the field concerned, if any."""

    status_code: int
    message: str
    field: str | None = None
    errors: list[dict[str, str]] = []


def spaced(number: int) -> str:
    """1 000 000 000: digits grouped as Swedish text writes them."""
    return f"{number:,}".replace(",", " ")


def strip_control(text: str) -> str:
    """The text without the characters no document can hold (for what was stored before)."""
    return CONTROL_CHARACTERS.sub("", text)


def scrub(value: Any) -> Any:
    """The same value with every text in it stripped of control characters: for renderers, so
    that text stored before the input checks can never break a Word document or a workbook."""
    if isinstance(value, str):
        return strip_control(value) if CONTROL_CHARACTERS.search(value) else value
    if isinstance(value, msgspec.Struct):
        changed = {
            name: cleaned
            for name in value.__struct_fields__
            if (cleaned := scrub(original := getattr(value, name))) is not original
        }
        return msgspec.structs.replace(value, **changed) if changed else value
    if isinstance(value, list | tuple):
        items = [scrub(item) for item in value]
        if all(a is b for a, b in zip(items, value, strict=True)):
            return value
        return type(value)(items) if isinstance(value, tuple) else items
    if isinstance(value, dict):
        return {scrub(key): scrub(item) for key, item in value.items()}
    return value


def input_problems(value: Any, path: str = "") -> list[FieldProblem]:
    """What msgspec's declared bounds cannot say, for a decoded request body or form: control
    characters in any text, texts beyond `TEXT_LIMIT`, dates outside YEAR_MIN..YEAR_MAX. Walks
    nested Structs, lists and dicts, naming each problem by its path (`content.goals[0].text`)."""
    problems: list[FieldProblem] = []
    _walk(value, path, problems)
    return problems


def _walk(value: Any, path: str, problems: list[FieldProblem]) -> None:
    if isinstance(value, str):
        if found := CONTROL_CHARACTERS.search(value):
            problems.append(
                FieldProblem(
                    path,
                    f"{field_label(path)} innehåller ett otillåtet tecken "
                    f"(U+{ord(found.group()):04X}); bara vanlig text, radbrytning och tabb går bra.",
                )
            )
        if len(value) > TEXT_LIMIT:
            problems.append(
                FieldProblem(
                    path, f"{field_label(path)} får vara högst {spaced(TEXT_LIMIT)} tecken."
                )
            )
    elif isinstance(value, dt.date):
        if not YEAR_MIN <= value.year <= YEAR_MAX:
            problems.append(
                FieldProblem(
                    path,
                    f"{field_label(path)} måste ligga mellan år {YEAR_MIN} och {YEAR_MAX}.",
                )
            )
    elif isinstance(value, msgspec.Struct):
        # Declared on a Struct whose stored copies are decoded too (a draft's content), where a
        # msgspec bound would make an old row unreadable: checked on input only.
        emails = getattr(type(value), "__email_fields__", ())
        limits = getattr(type(value), "__text_limits__", {})
        for name in value.__struct_fields__:
            where = f"{path}.{name}" if path else name
            item = getattr(value, name)
            _walk(item, where, problems)
            if name in emails and isinstance(item, str) and item and (why := email_problem(item)):
                problems.append(FieldProblem(where, why))
            if name in limits and isinstance(item, str) and len(item) > limits[name]:
                problems.append(
                    FieldProblem(
                        where, f"{field_label(where)} får vara högst {spaced(limits[name])} tecken."
                    )
                )
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _walk(item, f"{path}[{index}]", problems)
    elif isinstance(value, dict):
        for key, item in value.items():
            _walk(key, path, problems)
            _walk(item, f"{path}.{key}" if path else str(key), problems)


_LOCAL_PART = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")


def email_problem(address: str) -> str | None:
    """Why an address cannot be mailed to, or None. The domain may be internationalised (it is
    sent as IDNA, xn--…); the part before @ must be plain ASCII, since a server that lacks
    SMTPUTF8 cannot take anything else and we do not send with it."""
    local, at, domain = address.rpartition("@")
    if not at or not local or not domain or address != address.strip():
        return "Ange en giltig e-postadress, till exempel namn@kommun.se."
    if not local.isascii():
        return (
            "Delen före @ i e-postadressen får bara innehålla a–z, 0–9 och . _ - + "
            "(inte å, ä, ö eller andra tecken): en sådan adress kräver SMTPUTF8, "
            "som vår e-post inte skickas med."
        )
    if len(local) > 64 or not _LOCAL_PART.match(local):
        return "Delen före @ i e-postadressen har tecken som inte är tillåtna där."
    try:
        ascii_domain = idna.encode(domain, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError, ValueError):
        return "Domänen efter @ i e-postadressen är inte giltig."
    if "." not in ascii_domain or len(ascii_domain) > 253:
        return "Domänen efter @ i e-postadressen är inte giltig (till exempel kommun.se)."
    return None


# Swedish names of the fields most often refused; any other is named as the API spells it.
FIELD_LABELS = {
    "name": "Namn",
    "title": "Rubrik",
    "email": "E-post",
    "phone": "Telefon",
    "address": "Adress",
    "postal_address": "Postadress",
    "org_number": "Organisationsnummer",
    "director_name": "Förbundschef",
    "place": "Plats",
    "chair": "Ordförande",
    "secretary": "Sekreterare",
    "checker": "Justerare",
    "text": "Text",
    "note": "Anteckning",
    "amount": "Belopp",
    "year": "År",
    "meeting_date": "Mötesdatum",
    "period_start": "Periodens start",
    "period_end": "Periodens slut",
    "paid_on": "Utbetalningsdag",
    "document_date": "Dokumentets datum",
    "clauses": "Beslutssats",
    "member_contributions": "Medlemsbidrag",
    "elected_members": "Förtroendevalda",
    "administration": "Kansli",
    "carried_in": "Ingående eget kapital",
    "extra_contribution": "Extra medlemsbidrag",
    "insats_name": "Insatsens namn",
    "description": "Beskrivning",
    "target_group": "Målgrupp",
    "password": "Lösenord",
    "version": "Version",
    "subject": "Ämne",
    "body": "Text",
    "message": "Meddelande",
    "comment": "Kommentar",
    "reason": "Motivering",
    "approve": "Beslut",
}
# Fields in kronor: their bounds are said with "kr".
MONEY_FIELDS = frozenset(
    {
        "amount",
        "member_contributions",
        "elected_members",
        "administration",
        "carried_in",
        "extra_contribution",
    }
)


def field_label(path: str) -> str:
    """«Namn» for `name`, «Belopp» for `lines[2].amount`; the path itself for anything else."""
    last = re.sub(r"\[\d+\]$", "", path.rpartition(".")[2])
    label = FIELD_LABELS.get(last)
    if label is None:
        return f"Fältet {path}" if path else "Värdet"
    return label if last == path else f"{label} ({path})"


def set_fields(update: msgspec.Struct) -> dict[str, object]:
    """The fields a PATCH actually carries (UNSET ones left out), without the version."""
    return {
        name: value
        for name in update.__struct_fields__
        if name != "version" and (value := getattr(update, name)) is not UNSET
    }


def _json_list(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    decoded = msgspec.json.decode(value or "[]")
    return decoded if isinstance(decoded, list) else []


def _json_field(value: Any) -> dict[str, Any] | None:
    if value is None or value == "":
        return None
    if isinstance(value, dict):
        return value
    decoded = msgspec.json.decode(value)
    return decoded if isinstance(decoded, dict) else {"value": decoded}
