"""Voter tokens and receipt codes: typeable, derived from a server secret, stored only as keyed hashes.

A token is derived from the voting, the member (or slip number), a generation number and the voting's
random salt with an HMAC keyed by the server's secret (kept outside the database), so the secretary can
download the links again at any time while the database holds only a keyed hash of each: a copy of the
database alone can neither vote nor find a token, even a short one, by trying them all. The salt makes
every voting's links its own: ids recur (SQLite reuses them after a deletion; another database with the
same key starts from 1 again), salts do not.
"""

import functools
import hashlib
import hmac
import re
import secrets
import unicodedata

from services.platform.config import signing_key

# Crockford's 32 symbols: no i, l, o or u, and those typed by mistake are read as the digits they look like.
_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
_CONFUSABLE = str.maketrans({"o": "0", "i": "1", "l": "1"})
_NOT_TOKEN = re.compile(r"[^0-9a-z]")
LINK_LENGTH = 26  # 130 bits: a link is clicked or scanned, never typed
CODE_LENGTH = 10  # 50 bits: read aloud and typed by elderly members; guessing is limited at /v
_RECEIPT_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"
RECEIPT_LENGTH = 8


def normalize(typed: str) -> str:
    """A token as typed or scanned: full-width letters, case, spaces and dashes do not matter."""
    return _NOT_TOKEN.sub("", unicodedata.normalize("NFKC", typed).lower().translate(_CONFUSABLE))


def derive(
    voting_id: int, subject: str, generation: int, length: int, *, salt: str, purpose: str = "voter-link"
) -> str:
    """The token of `subject` ("m<member id>" or "s<slip number>") in this generation of links.
    Personal links (purpose "personal-link", the campaign for the voting) come from another key.
    An empty salt (rows made before salts) derives the token as it was derived then."""
    message = f"{purpose}|{voting_id}|{subject}|{generation}{'|' + salt if salt else ''}".encode()
    number = int.from_bytes(hmac.digest(_key(purpose), message, "sha256"), "big")
    chars = []
    for _ in range(length):
        number, digit = divmod(number, len(_ALPHABET))
        chars.append(_ALPHABET[digit])
    return "".join(chars)


def token_hash(token: str) -> str:
    """What the database keeps of a token: keyed, so that nobody can test guesses against it."""
    return hmac.new(_key("voter-token-hash"), normalize(token).encode(), hashlib.sha256).hexdigest()


def stored_hashes(token: str) -> tuple[str, str]:
    """The hashes a stored token may have: keyed, or plain SHA-256 for tokens made before keying."""
    return token_hash(token), hashlib.sha256(normalize(token).encode()).hexdigest()


def grouped(token: str) -> str:
    """For printing and reading aloud: groups of five (codes) or four (links)."""
    size = 5 if len(token) == CODE_LENGTH else 4
    return "-".join(token[i : i + size] for i in range(0, len(token), size))


def random_token() -> str:
    """A token nobody will ever be given (a paper voter's placeholder)."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(LINK_LENGTH))


def new_receipt() -> str:
    code = "".join(secrets.choice(_RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))
    return f"{code[:4]}-{code[4:]}"


def new_ballot_id() -> str:
    return secrets.token_hex(16)


def _key(purpose: str) -> bytes:
    return _key_from(signing_key(purpose))


@functools.lru_cache(maxsize=16)
def _key_from(hex_key: str) -> bytes:
    return bytes.fromhex(hex_key)
