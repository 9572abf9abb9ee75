"""Journeys in a real browser: each demo role logs in and sees what it may, and no more."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from portfolio.demo.register import DEMO_USERS

USERS = {
    user.role.value + (f"-{user.organisation}" if user.organisation else ""): user
    for user in DEMO_USERS
}


def log_in(page: Any, email: str, password: str) -> None:
    page.goto("/")
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_load_state()


@pytest.mark.parametrize(
    ("key", "heading"),
    [
        ("office", "Att hantera"),
        ("owner-Knivsta kommun", "Välkommen, Johan Ek"),
        ("board", "Välkommen, Anders Berg"),
    ],
)
def test_each_demo_user_logs_in_to_their_start_page(page: Any, key: str, heading: str) -> None:
    """The README's demo log-ins work and land on the role's start page."""
    user = USERS[key]
    log_in(page, user.email, user.password)
    assert page.get_by_role("heading", level=1).inner_text() == heading
    assert user.name in page.locator("header").inner_text()


def test_owner_sees_only_their_organisations_insatser(page: Any) -> None:
    """Knivsta's owner sees Knivsta's insats and not Tierp's, and has no office menu."""
    user = USERS["owner-Knivsta kommun"]
    log_in(page, user.email, user.password)
    page.get_by_role("link", name="Insatser", exact=True).click()
    table = page.locator("main table").inner_text()
    assert "En väg in - steget vidare" in table
    assert "Ung framtid" not in table
    assert page.get_by_role("link", name="Användare").count() == 0


def test_office_filters_the_portfolio_with_htmx_and_edits_the_association(page: Any) -> None:
    """The status filter narrows the list without a full reload; a settings edit is confirmed."""
    user = USERS["office"]
    log_in(page, user.email, user.password)
    page.goto("/insatser")
    page.get_by_label("Status").select_option("applied")
    page.wait_for_url("**/insatser?status=applied**")
    rows = page.locator("main table tbody tr")
    assert rows.count() == 2
    page.goto("/installningar")
    page.get_by_label("Telefon").fill("018-12 34 56")
    page.get_by_role("button", name="Spara", exact=True).click()
    assert "Förbundets uppgifter är sparade." in page.locator("[role=status]").inner_text()


def test_board_member_cannot_reach_office_pages(page: Any) -> None:
    """A board member opening the users page is told they have no access."""
    user = USERS["board"]
    log_in(page, user.email, user.password)
    response = page.goto("/anvandare")
    assert response.status == 403
    assert "Ingen behörighet" in page.locator("h1").inner_text()


def test_logging_out_ends_access(page: Any) -> None:
    user = USERS["office"]
    log_in(page, user.email, user.password)
    page.get_by_role("button", name="Logga ut").click()
    page.goto("/insatser")
    assert page.url.endswith("/login?next=/insatser")


def _fill_budget_template(path: str) -> None:
    """What the owner does in Excel: one salary line for the coach, to be asked of the association."""
    workbook = load_workbook(path)
    sheet = workbook["Budget - detaljerad"]
    assert sheet["A7"].value == "Lönekostnader" and sheet["E5"].value == "Tierps kommun"
    sheet["A8"], sheet["B8"], sheet["E8"] = "Coach", 100, 650000
    workbook.save(path)


def test_owner_writes_saves_and_submits_an_application_in_the_browser(
    page: Any, tmp_path: Path
) -> None:
    """Tierp's owner starts a new application, saves an incomplete draft, fills the budget in the
    Excel template and reads it back in, completes the form and sends it in."""
    user = USERS["owner-Tierps kommun"]
    log_in(page, user.email, user.password)
    page.goto("/ansokningar")
    page.get_by_label("Den nya insatsens namn", exact=True).fill("Vägen vidare i Tierp")
    page.get_by_role("button", name="Börja skriva").click()
    page.wait_for_url("**/redigera")
    page.locator("#f-purpose").fill("Fler unga i arbete eller studier.")
    page.get_by_role("button", name="Spara och skicka in").click()
    assert "kan inte skickas in än" in page.locator("[role=alert]").inner_text()
    assert page.locator("#f-purpose").input_value() == "Fler unga i arbete eller studier."

    page.get_by_label("Samverkanspart 1: organisation", exact=True).select_option(
        label="Arbetsförmedlingen"
    )
    page.get_by_label("Mål 1: text", exact=True).fill("Minst 15 personer till arbete eller studier")
    page.get_by_label("Mål 1: målvärde", exact=True).fill("15")
    page.locator("#f-background").fill("Många unga står långt från arbetsmarknaden.")
    page.get_by_label("Planerad start", exact=True).fill("2027-01-01")
    page.get_by_label("Planerat slut", exact=True).fill("2027-12-31")
    page.locator("#f-target_group").fill("Unga 16–29 år.")
    page.locator("#f-method").fill("Individuellt stöd av coach.")
    page.locator("#f-follow_up").fill("Kvartalsvis uppföljning.")
    page.locator("#f-implementation").fill("Arbetssättet tas in i ordinarie verksamhet.")
    page.locator("#f-anchoring").fill("LOKUS Tierp i maj.")
    page.get_by_role("button", name="Spara utkast").click()
    page.wait_for_load_state()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Ladda ner budgeten som Excel").click()
    template = str(tmp_path / download_info.value.suggested_filename)
    assert template.endswith(".xlsx")
    download_info.value.save_as(template)
    _fill_budget_template(template)
    page.get_by_label("Ifylld budgetmall (.xlsx)").set_input_files(template)
    page.get_by_role("button", name="Läs in").click()
    page.wait_for_load_state()
    assert "Budgeten är inläst men inte sparad" in page.locator("main").inner_text()
    assert page.get_by_label("Rad 1: text", exact=True).input_value() == "Coach"
    amount = page.get_by_label("Rad 1: belopp Tierps kommun", exact=True).input_value()
    assert amount.replace("\u00a0", " ") in ("650 000", "650000")
    # the saved draft's text stays beside the budget read in
    assert page.locator("#f-purpose").input_value() == "Fler unga i arbete eller studier."
    page.get_by_label("Vi godkänner överenskommelsen", exact=True).check()
    page.get_by_role("button", name="Spara och skicka in").click()
    page.wait_for_url("**/ansokningar/*")
    assert "Ansökan är inskickad" in page.locator("[role=status]").first.inner_text()
    assert "650 000 kronor" in page.locator("main").inner_text().replace("\u00a0", " ")
