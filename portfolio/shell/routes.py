"""Every route handler of the service, area by area."""

from __future__ import annotations

from portfolio.accounts.controllers import AuthApi, AuthPages, UserApi, UserPages
from portfolio.economy.api import EconomyApi
from portfolio.economy.pages import EconomyPages
from portfolio.meetings.api import CaseApi, DecisionApi, MeetingApi
from portfolio.meetings.pages import CasePages, MeetingPages
from portfolio.overview.controllers import DashboardApi, HomePages
from portfolio.register.api import (
    AssociationApi,
    AuditApi,
    ConditionApi,
    ContactApi,
    ContributionKeyApi,
    InitiativeApi,
    OrganisationApi,
)
from portfolio.register.pages import (
    AssociationPages,
    AuditPages,
    InitiativePages,
    OrganisationPages,
)

ROUTE_HANDLERS = [
    AuthApi,
    AssociationApi,
    OrganisationApi,
    ContactApi,
    ContributionKeyApi,
    UserApi,
    InitiativeApi,
    ConditionApi,
    MeetingApi,
    CaseApi,
    DecisionApi,
    EconomyApi,
    AuditApi,
    DashboardApi,
    AuthPages,
    HomePages,
    AssociationPages,
    OrganisationPages,
    UserPages,
    InitiativePages,
    AuditPages,
    MeetingPages,
    CasePages,
    EconomyPages,
]
