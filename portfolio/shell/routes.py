"""Every route handler of the portfolio package's areas, area by area (the other packages and the
mail bring their own lists; `app.py` joins them)."""

from __future__ import annotations

from portfolio.accounts.controllers import AuthApi, AuthPages, UserApi, UserPages
from portfolio.board_pack.controllers import BoardPackApi
from portfolio.economy.api import EconomyApi, MeetingEconomyApi, NationalApi
from portfolio.economy.pages import EconomyPages
from portfolio.meetings.api import CaseApi, DecisionApi, DossierApi, MeetingApi
from portfolio.meetings.pages import CasePages, MeetingPages
from portfolio.overview.controllers import DashboardApi, HomePages, InitiativeOverviewPages
from portfolio.register.api import (
    AssociationApi,
    AuditApi,
    BoardPeopleApi,
    ConditionApi,
    ContactApi,
    ContributionKeyApi,
    InitiativeApi,
    OrganisationApi,
)
from portfolio.register.pages import (
    AssociationPages,
    AuditPages,
    BoardPeoplePages,
    InitiativePages,
    OrganisationPages,
)

ROUTE_HANDLERS = [
    # accounts
    AuthApi,
    UserApi,
    AuthPages,
    UserPages,
    # the register
    AssociationApi,
    BoardPeopleApi,
    OrganisationApi,
    ContactApi,
    ContributionKeyApi,
    InitiativeApi,
    ConditionApi,
    AuditApi,
    AssociationPages,
    BoardPeoplePages,
    OrganisationPages,
    InitiativePages,
    AuditPages,
    # meetings
    MeetingApi,
    CaseApi,
    DecisionApi,
    DossierApi,
    MeetingPages,
    CasePages,
    # the economy
    EconomyApi,
    MeetingEconomyApi,
    NationalApi,
    EconomyPages,
    # the board pack
    BoardPackApi,
    # overviews
    DashboardApi,
    HomePages,
    InitiativeOverviewPages,
]
