"""Password hashing (bcrypt), the password rule, and one-time passwords."""

import os
import secrets

import bcrypt

from services.errors import InvalidInput
from services.text_input import require_plain

MIN_LENGTH = 8
# 12 rounds (bcrypt's default, ~0.25 s) in production; tests lower it to stay quick.
_ROUNDS = int(os.environ.get("BCRYPT_ROUNDS", "12"))
# No 0/O, 1/l/I: one-time passwords are read off paper and typed on phones.
_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def hash_password(password: str) -> str:
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=_ROUNDS)).decode()


def verify(password: str, hashed: str) -> bool:
    try:
        return bcrypt.checkpw(password.encode(), hashed.encode())
    except ValueError:
        return False


# Checked against when the account does not exist, so both answers take as long.
_DUMMY_HASH = hash_password(secrets.token_urlsafe(16))


def verify_unknown(password: str) -> bool:
    verify(password, _DUMMY_HASH)
    return False


def check_rule(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise InvalidInput(f"密码至少 {MIN_LENGTH} 位")
    if password.isdigit() or password.isalpha():
        raise InvalidInput("密码需同时包含字母和数字")
    if len(password) > 72:
        raise InvalidInput("密码不能超过 72 位")
    require_plain(password, "密码")


def one_time_password() -> str:
    while True:
        candidate = "".join(secrets.choice(_ALPHABET) for _ in range(10))
        if any(c.isdigit() for c in candidate) and any(c.isalpha() for c in candidate):
            return candidate
