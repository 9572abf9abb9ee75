"""Fixtures of the unit tests: the seed's board documents, for the DOCX and PDF renderers alike."""

from __future__ import annotations

import pytest

from portfolio.documents.models import MinutesSection, NoticeDocument, ProposalDocument
from tests.unit import board_documents


@pytest.fixture
def proposal() -> ProposalDocument:
    """The Ung framtid tjänsteskrivelse, its first att-sats written from the decided figures."""
    return board_documents.proposal_document()


@pytest.fixture
def notice() -> NoticeDocument:
    """The kallelse to the board meeting of 16 September 2021 with the seed's cases."""
    return board_documents.notice_document()


@pytest.fixture
def ung_framtid_section(proposal: ProposalDocument) -> MinutesSection:
    """§ 6: Ung framtid granted after a tied vote, with a reservation and a declared jäv."""
    return board_documents.ung_framtid_section(proposal)
