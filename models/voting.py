"""Voting in a branch, the voter tokens that let members in, and the secret ballots.

Ballot tables hold no token, member, session, address or time, and have random keys and no
rowid, so nothing in them follows the order in which ballots arrived. While a branch votes, its
ballots exist only encrypted (`encrypted_ballot`), under a data key kept wrapped by the server's
ballot key; sealing writes them out in plaintext in random order and destroys the data key.
"""

import secrets
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

OPINION_MAX = 500  # characters of a ballot's opinions (意见建议)


class VotingMode(StrEnum):
    named = "named"  # one link per member: who has voted is known, not what
    unnamed = "unnamed"  # codes handed out at random on slips: only counts are known


class Audience(StrEnum):
    members = "members"  # the branch's own members (党员民主测评): the results that count
    masses = "masses"  # non-member representatives (群众评议): tallied apart, for reference only


class TokenStatus(StrEnum):
    unused = "unused"
    used = "used"
    revoked = "revoked"  # reissued or replaced
    paper = "paper"  # the member votes on paper instead


class Grade(StrEnum):
    excellent = "excellent"
    qualified = "qualified"
    basically_qualified = "basically_qualified"
    unqualified = "unqualified"


GRADE_LABELS = {
    Grade.excellent: "优秀",
    Grade.qualified: "合格",
    Grade.basically_qualified: "基本合格",
    Grade.unqualified: "不合格",
}  # Grade is a StrEnum: the stored value ("excellent") finds its label as well
GRADE_BY_LABEL = {label: grade.value for grade, label in GRADE_LABELS.items()}  # what people type or pick


class Satisfaction(StrEnum):
    satisfied = "satisfied"
    basically_satisfied = "basically_satisfied"
    unsatisfied = "unsatisfied"


SATISFACTION_LABELS = {
    Satisfaction.satisfied: "满意",
    Satisfaction.basically_satisfied: "基本满意",
    Satisfaction.unsatisfied: "不满意",
}


class BranchVoting(SQLModel, table=True):
    __tablename__ = "branch_voting"
    __table_args__ = (UniqueConstraint("campaign_id", "branch_id", "audience", name="uq_branch_voting_audience"),)

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True, ondelete="CASCADE")
    branch_id: int = Field(foreign_key="org_unit.id", index=True)
    # Who votes: the members (one voting per branch, what every count and grade reads) or, where the campaign
    # asks for 群众评议, the masses' representatives (a second voting, services/ballot/representatives.py).
    audience: str = Field(default=Audience.members, max_length=8)
    mode: str = Field(max_length=16)
    opened_at: datetime
    closed_at: datetime | None = None
    # When the branch's ballots were rewritten in random order (see services/ballot/sealing.py); cleared
    # when voting resumes (a reopened campaign), so that the next end seals every ballot again.
    sealed_at: datetime | None = None
    paper_entered: int = 0  # paper ballots typed in, 废票 included
    paper_invalid: int = 0  # of which 废票: counted, never stored or tallied
    # The branch's data key while it votes, encrypted by the ballot key; destroyed at sealing.
    wrapped_key: bytes | None = Field(default=None, sa_type=LargeBinary)
    # SQLite only: sealing could not yet empty the write-ahead log (a reader held on); retried.
    checkpoint_owed: bool = False
    # Mixed into every link of this voting (services/ballot/tokens.py): random, so that no other voting,
    # even one given the same id after a deletion or in another database with the same key, has its links.
    # Empty for votings made before salts: their links are derived as they always were.
    link_salt: str = Field(default_factory=lambda: secrets.token_hex(16), max_length=32)


class VoterToken(SQLModel, table=True):
    __tablename__ = "voter_token"
    # Progress counts used links per branch: one index serves it without touching the rows.
    __table_args__ = (Index("ix_voter_token_voting_status", "voting_id", "status"),)

    id: int | None = Field(default=None, primary_key=True)
    voting_id: int = Field(foreign_key="branch_voting.id", index=True, ondelete="CASCADE")
    member_id: int | None = Field(default=None, foreign_key="member.id", index=True)
    slip_no: int | None = None
    token_hash: str = Field(max_length=64, unique=True)
    status: str = Field(default=TokenStatus.unused, max_length=16)
    # Which issue of links this token belongs to: with the voting and the member or slip, it is what
    # the token is derived from (services/ballot/tokens.py), so the unused ones can be downloaded again.
    generation: int = 0


class Ballot(SQLModel, table=True):
    __tablename__ = "ballot"
    __table_args__ = {"sqlite_with_rowid": False}

    id: str = Field(primary_key=True, max_length=32)  # random, never a sequence
    voting_id: int = Field(foreign_key="branch_voting.id", index=True, ondelete="CASCADE")
    channel: str = Field(max_length=8)  # online | paper
    branch_committee_rating: str | None = Field(default=None, max_length=24)
    report_rating: str | None = Field(default=None, max_length=24)
    opinion: str | None = Field(default=None, max_length=1000)


class EncryptedBallot(SQLModel, table=True):
    """A ballot cast while its branch votes: the whole content, padded to one size per branch and
    encrypted with the branch's data key. Nothing here can be read without the ballot key."""

    __tablename__ = "encrypted_ballot"
    __table_args__ = {"sqlite_with_rowid": False}

    id: str = Field(primary_key=True, max_length=32)  # random, never a sequence
    voting_id: int = Field(foreign_key="branch_voting.id", index=True, ondelete="CASCADE")
    content: bytes = Field(sa_type=LargeBinary)


class BallotReceipt(SQLModel, table=True):
    """The receipt codes of a branch's online ballots, deliberately apart from the ballots: a code
    shows that a ballot was counted, never which ballot, so no one can demand it as proof of a vote."""

    __tablename__ = "ballot_receipt"
    __table_args__ = {"sqlite_with_rowid": False}

    voting_id: int = Field(foreign_key="branch_voting.id", primary_key=True, ondelete="CASCADE")
    receipt: str = Field(primary_key=True, max_length=16)


class BallotChoice(SQLModel, table=True):
    __tablename__ = "ballot_choice"
    __table_args__ = {"sqlite_with_rowid": False}

    ballot_id: str = Field(foreign_key="ballot.id", primary_key=True, max_length=32, ondelete="CASCADE")
    member_id: int = Field(foreign_key="member.id", primary_key=True, index=True)
    grade: str = Field(max_length=24)


class BallotTick(SQLModel, table=True):
    """How many ballots a branch received in each minute: the progress over time, and no more.

    Counts per minute say when ballots came, never which ballot came when (ballots have no time).
    """

    __tablename__ = "ballot_tick"

    voting_id: int = Field(foreign_key="branch_voting.id", primary_key=True, ondelete="CASCADE")
    minute: datetime = Field(primary_key=True)
    ballots: int = 0
