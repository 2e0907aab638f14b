"""Voter tokens and receipt codes: random, typeable, and stored only as hashes."""

import hashlib
import re
import secrets

# Letters and digits without 0/o, 1/l/i: read off a slip and typed on a phone without mistakes.
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
TOKEN_LENGTH = 26  # 26 × log2(31) ≈ 128.8 random bits
RECEIPT_LENGTH = 8
_NOT_TOKEN = re.compile(r"[^a-z0-9]")


def new_token() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(TOKEN_LENGTH))


def normalize(typed: str) -> str:
    """A token as typed or scanned: case, spaces and dashes do not matter."""
    return _NOT_TOKEN.sub("", typed.lower())


def token_hash(token: str) -> str:
    # 130 random bits need no slow hash: nobody can guess a token, so none can be found from its hash.
    return hashlib.sha256(normalize(token).encode()).hexdigest()


def new_receipt() -> str:
    code = "".join(secrets.choice(_ALPHABET) for _ in range(RECEIPT_LENGTH)).upper()
    return f"{code[:4]}-{code[4:]}"


def new_ballot_id() -> str:
    return secrets.token_hex(16)
