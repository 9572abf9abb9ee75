"""Report and requisition use cases: load, apply the domain's rules, save and audit in one transaction.

Split by subject: `reports` (draft, hand in, return, accept), `requisitions` (claims, decisions,
payments), `grants` (what was granted, the budget room's forecast), `slots` (the schedule as it
stands) and `common` (the JSON coding and a report's name). Callers use `reports.services`
itself, where every public name is re-exported.
"""

from __future__ import annotations

from reports.services.common import (
    decode_flags,
    decode_lines,
    decode_report,
    report_label,
    report_period,
)
from reports.services.grants import (
    grant_facts,
    granted_content,
    insats_forecasts,
)
from reports.services.reports import (
    accept_report,
    create_report,
    earlier_quarters,
    get_report,
    previous_quarter,
    report_check,
    report_notices,
    reports_in_quarters,
    return_report,
    save_report_draft,
    submit_report,
)
from reports.services.requisitions import (
    check_claim,
    create_requisition,
    decide_requisition,
    get_requisition,
    record_payment,
    requisition_flags,
)
from reports.services.slots import (
    late_reports,
    report_counts,
    schedule_slots,
)

__all__ = [
    "accept_report",
    "check_claim",
    "create_report",
    "create_requisition",
    "decide_requisition",
    "decode_flags",
    "decode_lines",
    "decode_report",
    "earlier_quarters",
    "get_report",
    "get_requisition",
    "grant_facts",
    "granted_content",
    "insats_forecasts",
    "late_reports",
    "previous_quarter",
    "record_payment",
    "report_check",
    "report_counts",
    "report_label",
    "report_notices",
    "report_period",
    "reports_in_quarters",
    "requisition_flags",
    "return_report",
    "save_report_draft",
    "schedule_slots",
    "submit_report",
]
