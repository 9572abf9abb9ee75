"""The budget room through the API: the invented autumn-2030 example of shared/domain.md, cell by cell."""

from __future__ import annotations

from typing import Any

from tests.factories import World
from tests.http.conftest import Browser

M = 1_000  # tkr in kronor

EXPECTED_TKR: dict[str, list[int | None]] = {
    "Medlemsavgifter": [12000, 12000, 12000, 12400],
    "Överfört från tidigare år": [2500, 2500, 5350, 6400],
    "Totalt inkommande utrymme": [14500, 14500, 17350, 18800],
    "Förtroendevalda": [500, 450, 500, 520],
    "Förvaltning": [2600, 2600, 2650, 2700],
    "Insats A": [3000, 2700, 3100, 0],
    "Insats B": [2200, 2200, 1100, 0],
    "Insats C": [800, 800, 800, 800],
    "S:a insatser": [6000, 5700, 5000, 800],
    "Övriga samverkanskostnader": [400, 400, 400, 400],
    "Årets resultat": [2500, 2850, 3450, 7980],
    "Utrymme före nya ansökningar": [5000, 5350, 8800, 14380],
    "Ansökan D": [None, None, 1500, 1500],
    "Ansökan E": [None, None, 900, None],
    "Utrymme efter nya ansökningar": [5000, 5350, 6400, 12880],
}


def _enter_example(browser: Browser) -> dict[str, Any]:
    """Everything the example needs, entered as the office would, through the API."""
    browser.api_login("kansli@test.example")
    orgs = {
        n: browser.post("/api/organisations", json={"name": n, "kind": k}).json()["id"]
        for n, k in (("Kommun X", "kommun"), ("Region Z", "region"), ("Kommun Y", "kommun"))
    }
    leads = {
        "Insats A": "Kommun X",
        "Insats B": "Region Z",
        "Insats C": "Kommun Y",
        "D": "Kommun X",
        "E": "Kommun Y",
    }
    initiatives = {
        n: browser.post(
            "/api/initiatives", json={"name": n, "kind": "individual", "lead_owner_id": orgs[o]}
        ).json()["id"]
        for n, o in leads.items()
    }
    spring = browser.post("/api/meetings", json={"body": "fs", "meeting_date": "2030-03-12"}).json()
    autumn = browser.post("/api/meetings", json={"body": "fs", "meeting_date": "2030-10-15"}).json()
    grants = {
        "Insats A": (6_100 * M, "2030-01-01", "2031-12-31", {"2030": 3_000 * M, "2031": 3_100 * M}),
        "Insats B": (3_300 * M, "2030-01-01", "2031-06-30", {"2030": 2_200 * M, "2031": 1_100 * M}),
        "Insats C": (
            2_400 * M,
            "2030-01-01",
            "2032-12-31",
            {"2030": 800 * M, "2031": 800 * M, "2032": 800 * M},
        ),
    }
    for name, (amount, start, end, split) in grants.items():
        case = browser.post(
            "/api/cases",
            json={
                "title": f"Ansökan {name}",
                "kind": "application",
                "initiative_id": initiatives[name],
                "year": 2030,
            },
        ).json()
        browser.post(f"/api/meetings/{spring['id']}/agenda", json={"case_id": case["id"]})
        decided = browser.post(
            f"/api/meetings/{spring['id']}/decisions",
            json={
                "case_id": case["id"],
                "outcome": "granted",
                "clauses": [f"att bevilja {name}"],
                "amount": amount,
                "period_start": start,
                "period_end": end,
                "commitments": split,
            },
        )
        assert decided.status_code == 201, decided.text
    for name, amount, start, end in (
        ("D", 3_000 * M, "2031-01-01", "2032-12-31"),
        ("E", 900 * M, "2031-01-01", "2031-12-31"),
    ):
        case = browser.post(
            "/api/cases",
            json={
                "title": f"Ansökan {name}",
                "kind": "application",
                "initiative_id": initiatives[name],
                "year": 2030,
            },
        ).json()
        browser.post(f"/api/meetings/{autumn['id']}/agenda", json={"case_id": case["id"]})
        proposal = browser.post(f"/api/cases/{case['id']}/proposal").json()
        browser.patch(
            f"/api/cases/{case['id']}/proposal",
            json={
                "version": proposal["version"],
                "amount": amount,
                "period_start": start,
                "period_end": end,
            },
        )
    other = [{"name": "Övriga samverkanskostnader", "amount": 400 * M}]
    years = {
        2030: {
            "member_contributions": 12_000 * M,
            "elected_members": 500 * M,
            "administration": 2_600 * M,
            "other_costs": other,
            "carried_in": 2_500 * M,
            "forecast": {
                "elected_members": 450 * M,
                "initiatives": [{"initiative_id": initiatives["Insats A"], "amount": 2_700 * M}],
            },
        },
        2031: {
            "member_contributions": 12_000 * M,
            "elected_members": 500 * M,
            "administration": 2_650 * M,
            "other_costs": other,
        },
        2032: {
            "member_contributions": 12_400 * M,
            "elected_members": 520 * M,
            "administration": 2_700 * M,
            "other_costs": other,
        },
    }
    # The page and the report show the current year and the three following: 2033 too.
    years[2033] = years[2032]
    for year, body in years.items():
        saved = browser.put(f"/api/economy/years/{year}", json=body)
        assert saved.status_code == 200, saved.text
    return {"autumn": autumn, "initiatives": initiatives}


def test_the_autumn_2030_example_through_the_api_every_cell(browser: Browser, world: World) -> None:
    """Entered through the API, the example gives every cell of the table in domain.md."""
    facts = _enter_example(browser)
    response = browser.get(
        "/api/economy/budget-room",
        params={"from": 2030, "years": 3, "meeting": facts["autumn"]["id"]},
    )
    assert response.status_code == 200, response.text
    table = response.json()
    assert table["columns"] == ["Budget 2030", "Prognos 2030", "Budget 2031", "Budget 2032"]
    by_label = {row["label"]: row["tkr"] for row in table["rows"]}
    for label, cells in EXPECTED_TKR.items():
        assert by_label[label] == cells, label
    assert table["over_committed"] == []


def test_what_if_counts_only_the_ticked_applications_and_saves_nothing(
    browser: Browser, world: World
) -> None:
    """Counting only D, at 2 000 tkr in 2031, changes the room after and leaves the stored figures alone."""
    facts = _enter_example(browser)
    cases = browser.get(f"/api/meetings/{facts['autumn']['id']}/agenda").json()
    d_case = next(c for c in cases if c["title"] == "Ansökan D")
    response = browser.post(
        "/api/economy/budget-room/what-if",
        json={
            "from_year": 2030,
            "years": 3,
            "meeting_id": facts["autumn"]["id"],
            "applications": [{"case_id": d_case["case_id"], "amounts": {"2031": 2_000 * M}}],
        },
    )
    assert response.status_code == 200, response.text
    by_label = {row["label"]: row["tkr"] for row in response.json()["rows"]}
    assert "Ansökan E" not in by_label
    # 2031: 8 800 - 2 000 = 6 800, carried into 2032: 6 800 + 7 980 = 14 780 (D not counted there).
    assert by_label["Utrymme efter nya ansökningar"] == [5000, 5350, 6800, 14780]
    again = browser.get(
        "/api/economy/budget-room",
        params={"from": 2030, "years": 3, "meeting": facts["autumn"]["id"]},
    ).json()
    assert {row["label"]: row["tkr"] for row in again["rows"]}["Ansökan E"] == [
        None,
        None,
        900,
        None,
    ]


def test_a_missing_year_budget_is_a_clear_error(browser: Browser, world: World) -> None:
    browser.api_login("kansli@test.example")
    response = browser.get("/api/economy/budget-room", params={"from": 2040, "years": 2})
    assert response.status_code == 422 and "2040" in response.json()["message"]


def test_year_budget_edits_are_versioned_and_only_the_office_makes_them(
    browser: Browser, other_browser: Browser, world: World
) -> None:
    browser.api_login("kansli@test.example")
    body = {"member_contributions": 1, "elected_members": 0, "administration": 0}
    first = browser.put("/api/economy/years/2031", json=body).json()
    assert (
        browser.put(
            "/api/economy/years/2031", json=body | {"version": first["version"]}
        ).status_code
        == 200
    )
    assert (
        browser.put(
            "/api/economy/years/2031", json=body | {"version": first["version"]}
        ).status_code
        == 409
    )
    other_browser.api_login("ledamot@test.example")
    assert other_browser.get("/api/economy/years").status_code == 200
    assert other_browser.put("/api/economy/years/2031", json=body).status_code == 403


def test_economy_page_shows_the_room_and_the_what_if_recomputes_without_saving(
    browser: Browser, world: World
) -> None:
    """The page shows the table in tkr; unticking E in the what-if drops its row from the fragment."""
    facts = _enter_example(browser)
    browser.page_login("kansli@test.example")
    url = f"/ekonomi?from=2030&meeting={facts['autumn']['id']}"
    page = browser.get(url).text.replace("\u00a0", " ")
    assert "Utrymme efter nya ansökningar" in page and "12 880" in page and "Ansökan E" in page
    import re

    subtotal = re.search(r"font-weight:700\">S:a insatser</th>(.*?)</tr>", page, re.S)
    assert subtotal is not None
    assert re.findall(r">([\d ]+)</td>", subtotal.group(1)) == [
        "6 000",
        "5 700",
        "5 000",
        "800",
        "0",
    ]
    assert page.index("S:a insatser") < page.index("Övriga samverkanskostnader</th>")
    agenda = browser.get(f"/api/meetings/{facts['autumn']['id']}/agenda").json()
    d_case = next(c["case_id"] for c in agenda if c["title"] == "Ansökan D")
    fragment = browser.form_post(
        url,
        "/ekonomi/berakna",
        {
            "from": "2030",
            "meeting": str(facts["autumn"]["id"]),
            f"include-{d_case}": "on",
            f"amount-{d_case}-2031": "1 500 000",
            f"amount-{d_case}-2032": "1 500 000",
        },
    )
    assert fragment.status_code == 200
    text = fragment.text.replace("\u00a0", " ")
    assert "Ansökan D" in text and "Ansökan E" not in text and "13 780" in text


def test_member_contributions_split_by_law_and_key_sum_exactly(
    browser: Browser, world: World
) -> None:
    """1 000 001 kr: FK half, the kommuner's quarter 60/40 by the key; the parts add up to the krona."""
    browser.api_login("kansli@test.example")
    region = browser.post(
        "/api/organisations", json={"name": "Region Test", "kind": "region"}
    ).json()
    browser.put(
        "/api/contribution-keys/region", json=[{"organisation_id": region["id"], "share": 10_000}]
    )
    split = browser.get("/api/economy/contributions", params={"total": 1_000_001}).json()
    amounts = {m["member"]: m["amount"] for m in split["members"]}
    assert sum(amounts.values()) == 1_000_001
    assert amounts["Försäkringskassan"] in (500_000, 500_001)
    assert amounts["Alfa kommun"] + amounts["Beta kommun"] in (250_000, 250_001)
    assert abs(amounts["Alfa kommun"] - 150_000) <= 1 and abs(amounts["Beta kommun"] - 100_000) <= 1


def _shown(cells: list[int | None]) -> list[str]:
    return ["" if c is None else f"{c:,}".replace(",", "\u00a0") for c in cells]


def test_economy_report_as_word_and_pdf_carries_every_cell_and_the_chart(
    browser: Browser, world: World
) -> None:
    """ "Ekonomisk information" for the autumn meeting: the same cells in tkr, and the chart."""
    import io

    from docx import Document
    from pypdf import PdfReader

    facts = _enter_example(browser)
    meeting = facts["autumn"]["id"]
    docx = browser.get(f"/api/meetings/{meeting}/ekonomi.docx")
    assert docx.status_code == 200, docx.text
    document = Document(io.BytesIO(docx.content))
    table = document.tables[0]
    # The current year and the three following (2033 beyond the domain.md example).
    assert [c.text for c in table.rows[0].cells] == [
        "tkr",
        "Budget 2030",
        "Prognos 2030",
        "Budget 2031",
        "Budget 2032",
        "Budget 2033",
    ]
    rows = {row.cells[0].text.split(" (")[0]: [c.text for c in row.cells[1:]] for row in table.rows}
    for label, cells in EXPECTED_TKR.items():
        assert rows[label][:4] == _shown(cells), label
    # 2033 as 2032 without Insats C and D: 12 880 + 12 400 - 520 - 2 700 - 400.
    assert rows["Utrymme efter nya ansökningar"][4] == _shown([21660])[0]
    assert len(document.inline_shapes) == 1  # the chart
    pdf = browser.get(f"/api/meetings/{meeting}/ekonomi.pdf")
    assert pdf.status_code == 200
    pages = PdfReader(io.BytesIO(pdf.content)).pages
    text = " ".join(" ".join(p.extract_text() for p in pages).split())  # NBSP too is a space
    assert "Ekonomisk information inför Förbundsstyrelsen 2030-10-15" in text
    after = " ".join(
        " ".join(_shown([*EXPECTED_TKR["Utrymme efter nya ansökningar"], 21660])).split()
    )
    assert f"Utrymme efter nya ansökningar {after}" in text
    # The insatser's own subtotal, before the other collaborative costs, in the page and the PDF.
    insatser = " ".join(" ".join(_shown([*EXPECTED_TKR["S:a insatser"], 0])).split())
    assert f"Insats C (Kommun Y) 800 800 800 800 0 S:a insatser {insatser} Övriga" in text
    assert "Beslutsutrymme per år" in text and "Överintecknat" not in text


def test_a_one_off_extra_contribution_is_budgeted_split_per_member_and_counted(
    browser: Browser, world: World
) -> None:
    """333 333 kr extra in 2031 from the page form: its own row in the room, split per member."""
    facts = _enter_example(browser)
    regions = [o for o in browser.get("/api/organisations").json() if o["kind"] == "region"]
    keyed = browser.put(
        "/api/contribution-keys/region",
        json=[{"organisation_id": regions[0]["id"], "share": 10_000}],
    )
    assert keyed.status_code == 200, keyed.text
    browser.page_login("kansli@test.example")
    saved = browser.form_post(
        "/ekonomi?from=2030",
        "/ekonomi/ar/2031",
        {
            "member_contributions": "12 000 000",
            "elected_members": "500 000",
            "administration": "2 650 000",
            "other_names": "Övriga samverkanskostnader",
            "other_amounts": "400 000",
            "extra_contribution": "333 333",
            "extra_contribution_note": "Förstärkning av arbetsmarknadsinsatser",
        },
    )
    assert saved.status_code in (302, 303)
    year = next(y for y in browser.get("/api/economy/years").json() if y["year"] == 2031)
    assert year["extra_contribution"] == 333_333
    table = browser.get(
        "/api/economy/budget-room",
        params={"from": 2030, "years": 3, "meeting": facts["autumn"]["id"]},
    ).json()
    rows = {row["label"]: row for row in table["rows"]}
    assert rows["Extra medlemsbidrag (engångs)"]["kronor"] == [0, 0, 333_333, 0]
    assert rows["Utrymme efter nya ansökningar"]["tkr"] == [5000, 5350, 6733, 13213]
    page = browser.get("/ekonomi?from=2030").text.replace("\u00a0", " ")
    assert "Extra medlemsbidrag per medlem" in page
    assert 'Försäkringskassan</td><td class="num">166 667 kronor' in page
    assert "Förstärkning av arbetsmarknadsinsatser" in page


def test_exports_commitments_360giving_and_the_national_follow_up(
    browser: Browser, world: World
) -> None:
    """The autumn example's decisions, exported: commitments per insats and year (CSV, Excel),
    the grants in 360Giving (JSON, CSV) and the year's figures for Uppföljning Finsam."""
    import csv
    import io

    from openpyxl import load_workbook

    _enter_example(browser)
    text = browser.get("/api/economy/commitments.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == ["Id", "Insats", "Huvudinsatsägare", "2030", "2031", "2032", "Totalt"]
    by_name = {r[1]: r[3:] for r in rows[1:]}
    assert by_name["Insats A"] == ["3000000", "3100000", "0", "6100000"]
    assert by_name["Insats C"] == ["800000", "800000", "800000", "2400000"]
    assert by_name["Summa"] == ["6000000", "5000000", "800000", "11800000"]
    workbook = load_workbook(io.BytesIO(browser.get("/api/economy/commitments.xlsx").content))
    sheet = workbook["Beslutade medel"]
    assert [c.value for c in sheet[2]][1:4] == ["Insats A", "Kommun X", 3_000_000]

    package = browser.get("/api/economy/360giving.json").json()
    grants = {g["title"]: g for g in package["grants"]}
    assert set(grants) == {"Insats A", "Insats B", "Insats C"}
    a = grants["Insats A"]
    assert a["currency"] == "SEK" and a["amountAwarded"] == 6_100_000
    assert a["id"].startswith("360G-") and a["awardDate"] == "2030-03-12"
    assert a["plannedDates"] == [{"startDate": "2030-01-01", "endDate": "2031-12-31"}]
    assert a["recipientOrganization"][0]["name"] == "Kommun X"
    assert a["fundingOrganization"][0]["name"] == "Samordningsförbundet Test"
    flat = list(csv.reader(io.StringIO(browser.get("/api/economy/360giving.csv").text)))
    assert flat[0][:5] == ["Identifier", "Title", "Description", "Currency", "Amount Awarded"]
    assert len(flat) == 4

    figures = browser.get("/api/followup/national", params={"year": 2030}).json()
    association = dict((label, value) for label, value in figures["association"])
    assert association["Tilldelade medel från medlemmarna"] == 12_000_000
    assert association["Eget kapital vid årets början"] == 2_500_000
    assert association["Förvaltning, budget"] == 2_600_000
    insatser = {row[0]: row for row in figures["initiatives"]}
    # budget, nothing paid yet (after inriktning, its details, follow-up method, ESF and the
    # co-financing's three columns)
    assert insatser["Insats B"][9:11] == [2_200_000, 0]
    national = load_workbook(
        io.BytesIO(browser.get("/api/followup/national.xlsx", params={"year": 2030}).content)
    )
    assert national.sheetnames == ["Förbundet 2030", "Insatser 2030"]
    browser.api_login("agare@alfa.example")
    assert browser.get("/api/economy/360giving.json").status_code == 403
    assert browser.get("/api/followup/national", params={"year": 2030}).status_code == 403


def test_a_year_budget_refuses_negative_amounts_and_years_outside_the_window(
    browser: Browser, world: World
) -> None:
    """Negative contributions or costs, and years such as 0, -1 or 99999, are refused with a
    Swedish message naming the field, through the API and the page; nothing is saved."""
    browser.api_login("kansli@test.example")
    body = {"member_contributions": 1_000, "elected_members": 0, "administration": 0}
    negative = browser.put(
        "/api/economy/years/2031",
        json=body | {"member_contributions": -5, "other_costs": [{"name": "Stöd", "amount": -1}]},
    )
    # Refused as the body is read (the shared non-negative amount type, issue #21), naming the
    # field in Swedish; the service's own check stands behind it for the page form.
    assert negative.status_code == 400, negative.text
    assert negative.json()["field"] == "member_contributions"
    assert "negativ" in negative.json()["message"]
    for year in (0, -1, 99999):
        refused = browser.put(f"/api/economy/years/{year}", json=body)
        assert refused.status_code in (404, 422), (year, refused.text)
        if refused.status_code == 422:
            assert (
                refused.json()["field"] == "year"
                and "mellan 2000 och 2100" in (refused.json()["message"])
            )
    assert browser.put("/api/economy/years/99999", json=body).status_code == 422
    assert browser.put("/api/economy/years/0", json=body).status_code == 422
    assert browser.get("/api/economy/years").json() == []
    # A deficit carried in is a real thing: the carry may be negative.
    assert (
        browser.put("/api/economy/years/2031", json=body | {"carried_in": -200}).status_code == 200
    )

    browser.page_login("kansli@test.example")
    saved = browser.form_post(
        "/ekonomi?from=2032",
        "/ekonomi/ar/2032",
        {"member_contributions": "-1 000", "elected_members": "0", "administration": "0"},
    )
    assert saved.status_code in (302, 303)
    page = browser.get("/ekonomi?from=2032").text
    assert "Medlemsavgifter kan inte vara negativt." in page
    saved = browser.form_post(
        "/ekonomi?from=2032",
        "/ekonomi/ar/99999",
        {"member_contributions": "1 000", "elected_members": "0", "administration": "0"},
    )
    assert "mellan 2000 och 2100" in browser.get(saved.headers["location"]).text
    assert [y["year"] for y in browser.get("/api/economy/years").json()] == [2031]


def test_a_four_year_horizon_grows_to_the_fifth_year_a_pending_application_reaches(
    browser: Browser, world: World
) -> None:
    """The page shows 2030 and the three following years; application F for 2031–2034 on the
    autumn agenda adds 2034: missing, the page names it; budgeted, its column is there."""
    facts = _enter_example(browser)
    case = browser.post(
        "/api/cases",
        json={
            "title": "Ansökan F",
            "kind": "application",
            "initiative_id": facts["initiatives"]["D"],
            "year": 2030,
        },
    ).json()
    browser.post(f"/api/meetings/{facts['autumn']['id']}/agenda", json={"case_id": case["id"]})
    proposal = browser.post(f"/api/cases/{case['id']}/proposal").json()
    browser.patch(
        f"/api/cases/{case['id']}/proposal",
        json={
            "version": proposal["version"],
            "amount": 4_000 * M,
            "period_start": "2031-01-01",
            "period_end": "2034-12-31",
        },
    )
    browser.page_login("kansli@test.example")
    url = f"/ekonomi?from=2030&meeting={facts['autumn']['id']}"
    page = browser.get(url).text
    assert "Förbundets budget saknas för 2034." in page
    assert 'action="/ekonomi/ar/2034"' in page
    browser.api_login("kansli@test.example")
    body = {"member_contributions": 12_400 * M, "elected_members": 0, "administration": 0}
    assert browser.put("/api/economy/years/2034", json=body).status_code == 200
    table = browser.get(
        "/api/economy/budget-room",
        params={"from": 2030, "years": 3, "meeting": facts["autumn"]["id"]},
    ).json()
    assert table["columns"][-2:] == ["Budget 2033", "Budget 2034"]
    rows = {row["label"]: row["tkr"] for row in table["rows"]}
    assert rows["Ansökan F"][-1] == 1000
    for label, cells in EXPECTED_TKR.items():
        if label not in (
            "Utrymme efter nya ansökningar",
            "Överfört från tidigare år",
            "Totalt inkommande utrymme",
            "Utrymme före nya ansökningar",
        ):
            assert rows[label][:4] == cells, label  # the example's own cells stay as they were
    browser.page_login("kansli@test.example")
    page = browser.get(url).text
    assert "Budget 2034" in page and f'name="amount-{case["id"]}-2034"' in page


def test_an_untyped_carry_follows_the_chain_from_the_year_before(
    browser: Browser, world: World
) -> None:
    """2031 and 2032 have no carry typed: into 2031 comes 2030's Prognos room (5 350 tkr), into
    2032 the chain on through 2031's Budget (8 800 tkr), and the national export's eget kapital
    is filled the same way; a carry typed on the page wins and is shown as typed."""
    _enter_example(browser)

    def carried(from_year: int) -> tuple[int, str]:
        table = browser.get(
            "/api/economy/budget-room", params={"from": from_year, "years": 2}
        ).json()
        row = next(r for r in table["rows"] if r["label"] == "Överfört från tidigare år")
        assert row["kronor"][0] == row["kronor"][1]
        return row["kronor"][0], table["carry_note"]

    assert carried(2031) == (
        5_350 * M,
        "Överfört till 2031 är räknat från 2030 års prognos.",
    )
    assert carried(2032) == (
        8_800 * M,
        "Överfört till 2032 är räknat från 2030 års prognos och budgeten för 2031.",
    )
    assert carried(2030) == (2_500 * M, "Överfört till 2030 är inskrivet.")
    figures = browser.get("/api/followup/national", params={"year": 2032}).json()
    assert dict(figures["association"])["Eget kapital vid årets början"] == 8_800 * M
    csv_text = browser.get("/api/followup/national", params={"year": 2029}).json()
    assert dict(csv_text["association"])["Eget kapital vid årets början"] is None  # nothing known

    browser.page_login("kansli@test.example")
    saved = browser.form_post(
        "/ekonomi?from=2031",
        "/ekonomi/ar/2031",
        {
            "member_contributions": "12 000 000",
            "elected_members": "500 000",
            "administration": "2 650 000",
            "other_names": "Övriga samverkanskostnader",
            "other_amounts": "400 000",
            "carried_in": "1 000 000",
        },
    )
    assert saved.status_code in (302, 303)
    browser.api_login("kansli@test.example")
    assert carried(2031) == (1_000 * M, "Överfört till 2031 är inskrivet.")
    # 1 000 + 12 000 - 500 - 2 650 - 5 000 (A, B, C) - 400 = 4 450 into 2032.
    assert carried(2032)[0] == 4_450 * M
    browser.page_login("kansli@test.example")
    page = browser.get("/ekonomi?from=2031").text.replace("\u00a0", " ")
    assert '1 000 000 kronor <span class="muted">(inskrivet)</span>' in page


def test_a_reservation_lowers_the_room_and_an_extension_drawing_on_it_counts_once(
    browser: Browser, world: World
) -> None:
    """1 000 tkr reserved in 2031 for extensions lowers 2031's room from 8 800 to 7 800 tkr; an
    extension of Insats A granting 600 tkr in 2031 from the reservation leaves 400 reserved and
    the room at 7 800, not 7 200. Shown in the API, the page, the what-if and the report; audited."""
    import asyncio
    import io

    from docx import Document

    from portfolio.core.tables import AuditEntry

    facts = _enter_example(browser)
    refused = browser.post(
        "/api/economy/reservations", json={"purpose": "Förlängningar", "year": 2031, "amount": -1}
    )
    assert refused.status_code == 422 and refused.json()["field"] == "amount"
    created = browser.post(
        "/api/economy/reservations",
        json={"purpose": "Förlängningar 2031", "year": 2031, "amount": 1_000 * M},
    )
    assert created.status_code == 201, created.text
    reservation = created.json()

    def room(path: str = "/api/economy/budget-room") -> dict[str, list[int | None]]:
        table = browser.get(path, params={"from": 2030, "years": 3}).json()
        return {row["label"]: row["tkr"] for row in table["rows"]}

    rows = room()
    assert rows["Reserverat: Förlängningar 2031"] == [0, 0, 1000, 0]
    assert rows["Utrymme före nya ansökningar"][2] == 7800

    spring = browser.get("/api/meetings").json()
    spring_id = next(m["id"] for m in spring if m["meeting_date"] == "2030-03-12")
    case = browser.post(
        "/api/cases",
        json={
            "title": "Förlängning Insats A",
            "kind": "application",
            "initiative_id": facts["initiatives"]["Insats A"],
            "year": 2030,
        },
    ).json()
    browser.post(f"/api/meetings/{spring_id}/agenda", json={"case_id": case["id"]})
    granted = browser.post(
        f"/api/meetings/{spring_id}/decisions",
        json={
            "case_id": case["id"],
            "outcome": "granted",
            "clauses": ["att bevilja förlängningen ur reserverade medel"],
            "amount": 600 * M,
            "period_start": "2031-01-01",
            "period_end": "2031-12-31",
            "commitments": {"2031": 600 * M},
            "draws_on_id": reservation["id"],
        },
    )
    assert granted.status_code == 201, granted.text
    rows = room()
    assert rows["Reserverat: Förlängningar 2031"] == [0, 0, 400, 0]
    assert rows["Insats A"][2] == 3700  # 3 100 + the extension's 600
    assert rows["Utrymme före nya ansökningar"][2] == 7800  # not 7 200: counted once
    [listed] = browser.get("/api/economy/reservations").json()
    assert (listed["drawn"], listed["remaining"]) == (600 * M, 400 * M)
    what_if = browser.post(
        "/api/economy/budget-room/what-if",
        json={
            "from_year": 2030,
            "years": 3,
            "meeting_id": facts["autumn"]["id"],
            "applications": [],
        },
    ).json()
    assert {r["label"]: r["tkr"] for r in what_if["rows"]}["Reserverat: Förlängningar 2031"][
        2
    ] == 400
    document = Document(
        io.BytesIO(browser.get(f"/api/meetings/{facts['autumn']['id']}/ekonomi.docx").content)
    )
    cells = {r.cells[0].text: [c.text for c in r.cells[1:]] for r in document.tables[0].rows}
    assert cells["Reserverat: Förlängningar 2031"][:4] == ["0", "0", "400", "0"]
    assert browser.delete(f"/api/economy/reservations/{reservation['id']}").status_code == 409

    browser.page_login("kansli@test.example")
    saved = browser.form_post(
        "/ekonomi?from=2030",
        "/ekonomi/reservationer",
        {"purpose": "Nya insatser 2032", "year": "2032", "amount": "500 000", "from": "2030"},
    )
    assert saved.status_code in (302, 303)
    page = browser.get("/ekonomi?from=2030").text.replace("\u00a0", " ")
    assert "Nya insatser 2032" in page and "Reserverat: Nya insatser 2032" in page
    assert 'Förlängningar 2031</td><td class="num">2031</td>' in page

    entries = asyncio.run(
        AuditEntry.select(AuditEntry.action).where(AuditEntry.entity == "fund_reservation").run()
    )
    assert [e["action"] for e in entries] == ["create", "create"]


def test_a_co_financed_insats_records_its_total_cost_and_the_other_financiers(
    browser: Browser, world: World
) -> None:
    """Insats B (2030-01-01 to 2031-06-30, not calendar years) is a 20 000 tkr project the
    association pays 3 300 tkr of; ESF and the region pay the rest. Shown on the insats page and
    in the national export; shares above the total are refused in Swedish."""
    facts = _enter_example(browser)
    insats_id = facts["initiatives"]["Insats B"]
    insats = browser.get(f"/api/initiatives/{insats_id}").json()
    too_much = browser.patch(
        f"/api/initiatives/{insats_id}",
        json={
            "version": insats["version"],
            "total_cost": 1_000 * M,
            "co_financiers": [{"name": "ESF-rådet", "amount": 2_000 * M}],
        },
    )
    assert too_much.status_code == 422 and too_much.json()["field"] == "co_financiers"
    assert "större än den totala projektkostnaden" in too_much.json()["message"]
    financiers = [
        {"name": "ESF-rådet", "amount": 12_000 * M},
        {"name": "Region Z", "amount": 4_700 * M},
    ]
    saved = browser.patch(
        f"/api/initiatives/{insats_id}",
        json={
            "version": insats["version"],
            "total_cost": 20_000 * M,
            "co_financiers": financiers,
            "esf_cofunded": True,
        },
    )
    assert saved.status_code == 200, saved.text
    assert saved.json()["total_cost"] == 20_000 * M
    assert saved.json()["co_financiers"] == financiers
    figures = browser.get("/api/followup/national", params={"year": 2030}).json()
    row = next(r for r in figures["initiatives"] if r[0] == "Insats B")
    assert row[5:9] == ["Ja", 20_000 * M, 16_700 * M, "ESF-rådet 12000000 kr; Region Z 4700000 kr"]
    grants = {g["title"]: g for g in browser.get("/api/economy/360giving.json").json()["grants"]}
    assert grants["Insats B"]["amountAwarded"] == 3_300 * M
    assert grants["Insats B"]["plannedTotalCost"] == 20_000 * M
    assert "plannedTotalCost" not in grants["Insats A"]
    browser.page_login("kansli@test.example")
    page = browser.get(f"/insatser/{insats_id}").text.replace("\u00a0", " ")
    assert "Total projektkostnad</dt><dd>20 000 000 kronor" in page
    assert "ESF-rådet: 12 000 000 kronor" in page
    assert "Förbundets del</dt><dd>3 300 000 kronor" in page
    # The budget room counts the association's own part only: Insats B stays at 2 200 tkr.
    browser.api_login("kansli@test.example")
    table = browser.get("/api/economy/budget-room", params={"from": 2030, "years": 3}).json()
    assert {r["label"]: r["tkr"] for r in table["rows"]}["Insats B"] == [2200, 2200, 1100, 0]
