"""Mail's pure rules: back-off, the message as sent, templates, reminders and who reads what."""

from __future__ import annotations

import datetime as dt
import email
import email.policy

from portfolio.core.domain import Principal, Role
from portfolio.mail.compose import (
    SAMPLE_CONTEXTS,
    MailTemplate,
    default_template,
    parse_template,
    render,
    template_problems,
)
from portfolio.mail.domain import (
    MAX_ATTEMPTS,
    Attachment,
    MailKind,
    MailStatus,
    Message,
    after_failure,
    build_email,
    is_plausible_address,
    retry_delay,
)
from portfolio.mail.permissions import can_read_mail, can_retry_mail
from portfolio.mail.reminders import DueReport, ReminderCadence, reminders_due

NOW = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)
OFFICE = Principal(1, "kansli@test.example", "Kim", Role.OFFICE)
OWNER = Principal(2, "agare@alfa.example", "Ada", Role.OWNER, organisation_id=10)


def test_retries_back_off_doubling_from_thirty_seconds_up_to_an_hour() -> None:
    delays = [retry_delay(n).total_seconds() for n in range(1, 10)]
    assert delays == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]
    assert retry_delay(1000) == dt.timedelta(hours=1)


def test_a_failure_is_retried_until_the_last_attempt_and_a_permanent_one_never() -> None:
    assert after_failure(1, False, NOW).status is MailStatus.QUEUED
    assert after_failure(1, False, NOW).next_attempt_at == NOW + dt.timedelta(seconds=30)
    assert after_failure(MAX_ATTEMPTS, False, NOW).status is MailStatus.FAILED
    assert after_failure(1, True, NOW).status is MailStatus.FAILED


def test_the_message_carries_swedish_names_text_and_the_pdf_intact() -> None:
    message = Message(
        "agare@alfa.example",
        "Åsa Öberg",
        "Beslut i Förbundsstyrelsen: Ansökan Ung framtid",
        "Hej Åsa!\n\nBeslut: Bifall\n",
        (Attachment("Protokollsutdrag 2026-12-10 § 6.pdf", "application/pdf", b"%PDF-1.4 x"),),
    )
    built = build_email(
        message, "kansliet@finsam.example", "Samordningsförbundet Test", message_id="<m-1@x>"
    )
    parsed = email.message_from_bytes(built.as_bytes(), policy=email.policy.default)
    assert str(parsed["subject"]) == "Beslut i Förbundsstyrelsen: Ansökan Ung framtid"
    assert str(parsed["to"]) == "Åsa Öberg <agare@alfa.example>"
    assert str(parsed["from"]) == "Samordningsförbundet Test <kansliet@finsam.example>"
    assert parsed["message-id"] == "<m-1@x>"
    body = parsed.get_body(preferencelist=("plain",))
    assert body is not None and "Hej Åsa!" in body.get_content()
    [attachment] = list(parsed.iter_attachments())
    assert attachment.get_filename() == "Protokollsutdrag 2026-12-10 § 6.pdf"
    assert attachment.get_content() == b"%PDF-1.4 x"


def test_every_shipped_template_renders_with_its_example_values() -> None:
    for kind in MailKind:
        composed = render(default_template(kind), SAMPLE_CONTEXTS[kind])
        assert composed.subject and "\n" not in composed.subject, kind
        assert composed.body.startswith("Hej Anna Andersson!"), kind
        assert "{{" not in composed.body and "\n\n\n" not in composed.body, kind


def test_the_notice_lists_the_agenda_and_leaves_no_gap_for_a_missing_place() -> None:
    context = SAMPLE_CONTEXTS[MailKind.NOTICE] | {"place": "", "time": ""}
    body = render(default_template(MailKind.NOTICE), context).body
    assert "Du kallas till Förbundsstyrelsen 10 december 2026." in body
    assert "1. Mötets öppnande\n2. Ansökan Ung framtid (Dnr 2026:14)\n" in body


def test_the_report_mail_names_the_kind_of_report_and_its_period_only_when_there_is_one() -> None:
    template = default_template(MailKind.REPORT_ARRIVED)
    quarterly = render(template, SAMPLE_CONTEXTS[MailKind.REPORT_ARRIVED])
    assert quarterly.subject == "Kvartalsrapport inkommen: Ung framtid, kvartal 3 2026"
    assert (
        "Knivsta kommun har lämnat kvartalsrapporten för Ung framtid avseende kvartal 3 2026."
        in quarterly.body
    )
    context = SAMPLE_CONTEXTS[MailKind.REPORT_ARRIVED] | {"report": "Slutrapport", "period": ""}
    final = render(template, context)
    assert final.subject == "Slutrapport inkommen: Ung framtid"
    assert "Knivsta kommun har lämnat slutrapporten för Ung framtid.\n" in final.body


def test_a_template_file_starts_with_its_subject_line() -> None:
    parsed = parse_template("Ämne: Hej {{ namn }}\n\nText\n")
    assert parsed == MailTemplate("Hej {{ namn }}", "Text\n")


def test_an_edited_template_naming_an_unknown_value_is_refused() -> None:
    problems = template_problems(MailTemplate("Kallelse", "Hej {{ mottagare }}!"), MailKind.NOTICE)
    assert [p.field for p in problems] == ["body"]
    assert "mottagare" in problems[0].message


def test_edited_templates_run_in_a_sandbox() -> None:
    """The office edits templates in the browser; they cannot reach Python's internals."""
    unsafe = MailTemplate("x", "{{ recipient_name.__class__.__mro__ }}")
    assert template_problems(unsafe, MailKind.NOTICE)


def test_an_empty_subject_is_refused() -> None:
    assert [p.field for p in template_problems(MailTemplate(" ", "Hej"), MailKind.NOTICE)] == [
        "subject"
    ]


def test_addresses_without_an_at_or_a_domain_are_skipped() -> None:
    assert is_plausible_address("ada@alfa.example")
    assert not is_plausible_address("")
    assert not is_plausible_address("ada.alfa.example")
    assert not is_plausible_address("ada@localhost")


# -- reminders ------------------------------------------------------------------------------

DUE = dt.date(2026, 10, 31)
REPORT = DueReport(10, 5, "Ung framtid", "kvartal 3 2026", DUE)
CADENCE = ReminderCadence(days_before=14, late_interval_days=7)


def _kinds(today: dt.date, sent: set[str] | None = None) -> list[tuple[MailKind, str]]:
    return [(r.kind, r.key) for r in reminders_due(CADENCE, today, [REPORT], sent or set())]


def test_no_reminder_before_the_window_opens() -> None:
    assert _kinds(DUE - dt.timedelta(days=15)) == []


def test_one_reminder_from_the_window_to_the_due_date() -> None:
    assert _kinds(DUE - dt.timedelta(days=14)) == [
        (MailKind.REPORT_DUE, "report_due:5:kvartal 3 2026")
    ]
    assert _kinds(DUE, {"report_due:5:kvartal 3 2026"}) == []


def test_late_reminders_come_the_day_after_and_then_every_interval() -> None:
    day = dt.timedelta(days=1)
    assert _kinds(DUE + day) == [(MailKind.REPORT_LATE, "report_late:5:kvartal 3 2026:0")]
    assert _kinds(DUE + 7 * day) == [(MailKind.REPORT_LATE, "report_late:5:kvartal 3 2026:0")]
    assert _kinds(DUE + 8 * day) == [(MailKind.REPORT_LATE, "report_late:5:kvartal 3 2026:1")]
    sent = {"report_late:5:kvartal 3 2026:0"}
    assert _kinds(DUE + 3 * day, sent) == []


def test_a_missed_run_catches_up_with_the_current_round_only() -> None:
    reminders = reminders_due(CADENCE, DUE + dt.timedelta(days=30), [REPORT])
    assert len(reminders) == 1 and reminders[0].days_late == 30


def test_a_submitted_report_gets_no_reminder() -> None:
    submitted = DueReport(10, 5, "Ung framtid", "kvartal 3 2026", DUE, submitted=True)
    assert reminders_due(CADENCE, DUE + dt.timedelta(days=3), [submitted]) == []


def test_zero_turns_the_early_reminder_off_and_sends_one_late_reminder() -> None:
    off = ReminderCadence(days_before=0, late_interval_days=0)
    assert reminders_due(off, DUE - dt.timedelta(days=1), [REPORT]) == []
    first = reminders_due(off, DUE + dt.timedelta(days=1), [REPORT])
    assert [r.key for r in first] == ["report_late:5:kvartal 3 2026:0"]
    assert reminders_due(off, DUE + dt.timedelta(days=40), [REPORT], {first[0].key}) == []


# -- permissions ----------------------------------------------------------------------------


def test_people_read_their_own_mail_and_the_office_reads_all() -> None:
    assert can_read_mail(OWNER, 2, "agare@alfa.example")
    assert not can_read_mail(OWNER, 3, "annan@beta.example")
    assert can_read_mail(OWNER, None, "Agare@Alfa.example")  # to a contact address, no account
    assert can_read_mail(OFFICE, 3, "annan@beta.example")


def test_only_the_office_retries_and_only_mail_that_waits_or_failed() -> None:
    assert can_retry_mail(OFFICE, MailStatus.FAILED)
    assert can_retry_mail(OFFICE, MailStatus.QUEUED)
    assert not can_retry_mail(OFFICE, MailStatus.SENT)
    assert not can_retry_mail(OWNER, MailStatus.FAILED)
