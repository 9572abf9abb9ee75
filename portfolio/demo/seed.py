"""The real applications of shared/seeds/002 (kept in seed002.json) as application content."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SEED = Path(__file__).with_name("seed002.json")

ALIASES = {
    "Knivsta kommun Vård- och omsorgskontoret": "Knivsta kommun",
    "Enköpings Kommun, (Arbetsmarknadsenheten)": "Enköpings kommun",
    "Arbetsförmedlingen Uppsala": "Arbetsförmedlingen",
    "Regionen": "Region Uppsala",
}


def seed_applications() -> list[dict[str, Any]]:
    return list(json.loads(SEED.read_text(encoding="utf-8"))["applications"])


def org_name(name: str) -> str:
    return ALIASES.get(name, name)


def org_kind(name: str) -> str:
    if name.startswith("Försäkringskassan"):
        return "fk"
    if name.startswith("Arbetsförmedlingen"):
        return "af"
    if name.startswith("Region"):
        return "region"
    return "kommun"


def all_organisations() -> set[str]:
    names: set[str] = set()
    for app in seed_applications():
        names.add(org_name(app["lead_owner"]["organisation"]))
        names.update(org_name(p["organisation"]) for p in app["co_owners"] + app["partners"])
    return names


def content(
    app: dict[str, Any], org_ids: dict[str, int], anonymise: bool = False
) -> dict[str, Any]:
    """The seed application as an ApplicationContent payload, with the budget as the pack states it.

    `anonymise` replaces the real contact people of the pack with invented ones (for the demo).
    """

    def party(p: dict[str, Any]) -> dict[str, Any]:
        name = org_name(p["organisation"])
        if anonymise:
            slug = name.split()[0].lower().translate(str.maketrans("åäöé", "aaoe"))
            return {
                "organisation_id": org_ids[name],
                "contact_name": f"Kontaktperson {name}",
                "contact_email": f"kontakt@{slug}.example",
            }
        return {
            "organisation_id": org_ids[name],
            "contact_name": p.get("contact_name") or "",
            "contact_email": p.get("email") or "",
        }

    budget = app.get("budget") or {"owners": [], "lines": [], "years": []}
    stated = budget.get("stated_totals") or {}
    per_owner = stated.get("per_owner")
    stated_totals = []
    if per_owner and any(v is not None for v in per_owner):
        # The detailed budget's "Totalt från Samordningsförbundet" row: per owner and for all owners.
        all_owners = _all_owners_total(app)
        stated_totals.append(
            {
                "source": "detailed",
                "association": {"total": {"amounts": per_owner, "total": all_owners}},
            }
        )
    return {
        "insats_name": app["insats_name"],
        "initiative_kind": app["initiative_kind"],
        "lead_owner": party(app["lead_owner"]),
        "co_owners": [party(p) for p in app["co_owners"]],
        "partners": [party(p) for p in app["partners"]],
        "purpose": app.get("purpose") or "",
        "goals": [
            {
                "kind": g["kind"],
                "text": g["text"],
                "target": g.get("target"),
                "unit": g.get("unit") or "",
            }
            for g in app.get("goals", [])
        ],
        "background": app.get("background") or "",
        "changes_summary": app.get("changes_summary") or "",
        "period_start": app["period_start"],
        "period_end": app["period_end"],
        "last_intake": app.get("last_intake"),
        "target_group": app.get("target_group") or "",
        "expected_participants": app.get("expected_participants"),
        "method": app.get("method") or "",
        "follow_up": app.get("follow_up") or "",
        "implementation": app.get("implementation") or "",
        "anchoring": app.get("anchoring") or "",
        "budget": {
            "owners": budget.get("owners", []),
            "lines": budget.get("lines", []),
            "years": budget.get("years", []),
            "stated": stated_totals,
        },
        "agreement_accepted": True,
    }


def _all_owners_total(app: dict[str, Any]) -> int | None:
    """The all-owners figure the detailed budget states (Framsteget's 9 007 500), if the seed notes it."""
    notes = (app.get("budget") or {}).get("stated_totals", {}).get("notes", "")
    if "Totalt från Samordningsförbundet / Total kostnad för insatsen 9 007 500" in notes:
        return 9_007_500
    per_owner = app["budget"]["stated_totals"]["per_owner"]
    return sum(v or 0 for v in per_owner)
