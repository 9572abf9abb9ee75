"""Every route of the reports package: the API under /api/reports, /api/requisitions and
/api/followup, and the pages under /rapporter, /rekvisitioner and /uppfoljning.

One module per subject and kind: `reports_api`, `requisitions_api`, `followup_api`,
`report_pages`, `requisition_pages` and `followup_pages`; `common` holds the access
declarations and shared types, `outputs` the API's views of rows. The app mounts
`ROUTE_HANDLERS`.
"""

from __future__ import annotations

from reports.controllers.followup_api import FollowUpApi
from reports.controllers.followup_pages import FollowUpPages
from reports.controllers.report_pages import ReportPages
from reports.controllers.reports_api import ReportApi
from reports.controllers.requisition_pages import RequisitionPages
from reports.controllers.requisitions_api import RequisitionApi

ROUTE_HANDLERS = [
    ReportApi,
    RequisitionApi,
    FollowUpApi,
    ReportPages,
    RequisitionPages,
    FollowUpPages,
]

__all__ = [
    "ROUTE_HANDLERS",
    "FollowUpApi",
    "FollowUpPages",
    "ReportApi",
    "ReportPages",
    "RequisitionApi",
    "RequisitionPages",
]
