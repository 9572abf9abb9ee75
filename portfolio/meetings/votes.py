"""Votes on a decision: the tally with the chair's casting vote and jäv, and the page's vote lines
(pure)."""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

from portfolio.meetings.decisions import _VOTE_WORDS, VoteChoice


class Vote(msgspec.Struct, frozen=True, kw_only=True):
    """One member's part in a vote; `choice` is None when no vote was cast (absent, or jäv)."""

    member: str
    choice: VoteChoice | None = None
    conflict: bool = False  # jäv: the member takes no part, whatever `choice` says
    chair: bool = False  # the chair votes like the others and, at a tie, may decide


class VoteResult(msgspec.Struct, frozen=True, kw_only=True):
    """The count of a vote on a proposal (yes is for the proposal) and a sentence for the minutes."""

    yes: int
    no: int
    abstain: int
    recused: int  # members left out for jäv
    carried: bool
    casting_vote_used: bool
    summary: str


def _count(number: int, singular: str, plural: str) -> str:
    return f"{number} {singular if number == 1 else plural}"


def tally(votes: Sequence[Vote], chair_has_casting_vote: bool = True) -> VoteResult:
    """Count a vote: simple majority of yes against no, abstentions not counted.

    Members with jäv are left out first. At a tie the chair's own vote decides when the chair has a
    casting vote and voted yes or no; otherwise a tie does not carry the proposal.
    """
    chairs = [vote for vote in votes if vote.chair]
    if len(chairs) > 1:
        raise ValueError("Endast en ledamot kan vara ordförande vid omröstningen.")
    counted = [vote for vote in votes if not vote.conflict and vote.choice is not None]
    recused = sum(1 for vote in votes if vote.conflict)
    yes = sum(1 for vote in counted if vote.choice is VoteChoice.YES)
    no = sum(1 for vote in counted if vote.choice is VoteChoice.NO)
    abstain = sum(1 for vote in counted if vote.choice is VoteChoice.ABSTAIN)

    yes_text, no_text = _count(yes, "ja-röst", "ja-röster"), _count(no, "nej-röst", "nej-röster")
    casting_vote_used = False
    if yes != no:
        carried = yes > no
        if carried:
            summary = f"Beslutet fattades med {yes_text} mot {no_text}."
        else:
            summary = f"Förslaget avslogs med {no_text} mot {yes_text}."
    else:
        chair = chairs[0] if chairs else None
        casting = (
            chair.choice
            if chair_has_casting_vote and chair is not None and not chair.conflict
            else None
        )
        if casting is VoteChoice.YES:
            carried, casting_vote_used = True, True
            summary = f"Beslutet fattades med {yes_text} mot {no_text}; ordförandens utslagsröst avgjorde."
        elif casting is VoteChoice.NO:
            carried, casting_vote_used = False, True
            summary = f"Förslaget avslogs med {no_text} mot {yes_text}; ordförandens utslagsröst avgjorde."
        else:
            carried = False
            summary = (
                f"Förslaget avslogs vid lika röstetal, {yes_text} mot {no_text}, utan utslagsröst."
            )
    if abstain:
        summary += f" {_count(abstain, 'ledamot', 'ledamöter')} avstod från att rösta."
    if recused:
        summary += f" {_count(recused, 'ledamot', 'ledamöter')} deltog inte på grund av jäv."
    return VoteResult(
        yes=yes,
        no=no,
        abstain=abstain,
        recused=recused,
        carried=carried,
        casting_vote_used=casting_vote_used,
        summary=summary,
    )


def parse_vote_lines(text: str) -> tuple[list[Vote], list[str]]:
    """The page's vote box: one member per line, "Anna Ek: ja" (or nej, avstår, jäv); a star
    before the name marks the chair ("*Bo Berg: nej"). Returns the votes and a problem per
    line that cannot be read, naming the line, so nothing is guessed."""
    votes: list[Vote] = []
    problems: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        name, _, word = line.rpartition(":")
        chair = name.strip().startswith("*")
        name = name.strip().lstrip("*").strip()
        word = word.strip().lower()
        if not name or word not in _VOTE_WORDS:
            problems.append(
                f"Rad {number}: skriv namn, kolon och ja, nej, avstår eller jäv ({raw.strip()!r})."
            )
            continue
        choice = _VOTE_WORDS[word]
        votes.append(Vote(member=name, choice=choice, conflict=choice is None, chair=chair))
    return votes, problems
