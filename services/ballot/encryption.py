"""Ballots at rest while voting is open: encrypted under a per-branch data key (AES-256-GCM), which
is itself stored only wrapped by the server's ballot key, kept outside the database.

Every ciphertext of a branch has one length (its content padded to the longest ballot the branch
could produce), so neither the length nor anything else of a stored ballot says what it holds.
Sealing decrypts them once and destroys the data key (services/ballot/sealing.py).
"""

import functools
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from models.voting import OPINION_MAX, Grade, Satisfaction
from services.platform.config import ballot_key

_NONCE = 12
_LENGTH_PREFIX = 4
_LONGEST_GRADE = max((g.value for g in Grade), key=len)
_LONGEST_RATING = max((s.value for s in Satisfaction), key=len)
_MAX_BYTES_PER_CHAR = 4  # UTF-8; control characters, which JSON would spell as \\uXXXX, are refused earlier


class WrongBallotKey(Exception):
    """The data key was wrapped by another ballot key than this server's."""


@dataclass(frozen=True)
class BallotContent:
    """What one ballot says: everything that sealing writes out in plaintext."""

    channel: str  # online | paper
    choices: tuple[tuple[int, str], ...]  # (member id, grade), the branch's full members
    branch_committee_rating: str | None = None
    report_rating: str | None = None
    opinion: str | None = None


@functools.lru_cache(maxsize=8)
def _wrapping_key(secret: str) -> bytes:
    """A 256-bit key derived from the configured secret (which may be any string of 32+ characters)."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"pingyi ballot key v1").derive(secret.encode())


def new_wrapped_key(voting_id: int) -> bytes:
    """A fresh data key for the branch's voting, as stored: encrypted by the ballot key."""
    nonce = os.urandom(_NONCE)
    data_key = AESGCM.generate_key(bit_length=256)
    return nonce + AESGCM(_wrapping_key(ballot_key())).encrypt(nonce, data_key, _aad("key", voting_id))


def unwrap(wrapped: bytes, voting_id: int) -> bytes:
    return _unwrap(wrapped, voting_id, ballot_key())


def key_fits(wrapped: bytes, voting_id: int) -> bool:
    """Whether this server's ballot key opens the branch's data key (for warnings on the progress page)."""
    return _fits(wrapped, voting_id, ballot_key())


@functools.lru_cache(maxsize=4096)
def _fits(wrapped: bytes, voting_id: int, secret: str) -> bool:
    try:
        _unwrap(wrapped, voting_id, secret)
    except WrongBallotKey:
        return False
    return True


# A branch's data key is unwrapped, and its cipher set up, once per process while it votes: every ballot
# of the branch needs them, and each costs more than the ballot's own encryption. They are no more exposed
# in memory than the ballot key, which opens them all. Sealing forgets them (forget_data_keys), and once a
# branch is sealed no ciphertext remains that they open.
@functools.lru_cache(maxsize=1024)
def _unwrap(wrapped: bytes, voting_id: int, secret: str) -> bytes:
    try:
        return AESGCM(_wrapping_key(secret)).decrypt(wrapped[:_NONCE], wrapped[_NONCE:], _aad("key", voting_id))
    except InvalidTag:
        raise WrongBallotKey from None


@functools.lru_cache(maxsize=1024)
def _cipher(data_key: bytes) -> AESGCM:
    return AESGCM(data_key)


def forget_data_keys() -> None:
    _unwrap.cache_clear()
    _cipher.cache_clear()


def content_size(member_ids: Iterable[int]) -> int:
    """The padded size of every ballot of a branch with these full members: the longest it could be."""
    return _content_size(tuple(member_ids))


@functools.lru_cache(maxsize=1024)  # one per branch voting at once: the same for each of its ballots
def _content_size(member_ids: tuple[int, ...]) -> int:
    longest = BallotContent(
        channel="online",
        choices=tuple((m, _LONGEST_GRADE) for m in member_ids),
        branch_committee_rating=_LONGEST_RATING,
        report_rating=_LONGEST_RATING,
        opinion="",
    )
    return _LENGTH_PREFIX + len(_encode(longest)) + _MAX_BYTES_PER_CHAR * OPINION_MAX


def encrypt(data_key: bytes, voting_id: int, content: BallotContent, size: int) -> bytes:
    body = _encode(content)
    if _LENGTH_PREFIX + len(body) > size:
        raise ValueError("ballot content longer than its branch's padded size")
    padded = len(body).to_bytes(_LENGTH_PREFIX, "big") + body + bytes(size - _LENGTH_PREFIX - len(body))
    nonce = os.urandom(_NONCE)
    return nonce + _cipher(data_key).encrypt(nonce, padded, _aad("ballot", voting_id))


def decrypt(data_key: bytes, voting_id: int, stored: bytes) -> BallotContent:
    padded = AESGCM(data_key).decrypt(stored[:_NONCE], stored[_NONCE:], _aad("ballot", voting_id))
    length = int.from_bytes(padded[:_LENGTH_PREFIX], "big")
    channel, branch_committee, report, opinion, choices = json.loads(padded[_LENGTH_PREFIX : _LENGTH_PREFIX + length])
    return BallotContent(channel, tuple((m, g) for m, g in choices), branch_committee, report, opinion)


def _encode(content: BallotContent) -> bytes:
    fields = [
        content.channel,
        content.branch_committee_rating,
        content.report_rating,
        content.opinion,
        content.choices,  # pairs, written as JSON arrays
    ]
    return json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode()


def _aad(purpose: str, voting_id: int) -> bytes:
    # Binds each ciphertext to its branch: a row copied to another branch does not decrypt.
    return f"pingyi:{purpose}:{voting_id}".encode()
