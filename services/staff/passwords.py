"""Password hashing (bcrypt), the password rule, and one-time passwords."""

import os
import secrets

import bcrypt

from services.platform.errors import InvalidInput
from services.platform.text_input import require_plain

MIN_LENGTH = 10
MAX_BYTES = 72  # bcrypt reads no further than this, in UTF-8 bytes (a Chinese character takes 3)
# Passwords that pass the length and letters-and-digits rules but are among the first any guesser
# tries (leaked-password lists, keyboard walks, pinyin with numbers); compared in lower case.
_COMMON = frozenset(
    """
    a123456789 a1234567890 aa123456789 abc123456789 abcd123456 abcd1234567 asdf123456 asd123456789
    qwer123456 qwerty1234 qwerty12345 qwe123456789 zxcv123456 zxc123456789 1qaz2wsx3edc 1q2w3e4r5t
    1q2w3e4r5t6y q1w2e3r4t5 password12 password123 password1234 passw0rd123 pass123456 admin12345
    admin123456 admin888888 root123456 test123456 user123456 iloveyou12 woaini1314 woaini1314520
    woaini520520 z123456789 qq123456789 123456789a 1234567890a 12345678abc 123456abcd 147258369a
    5201314abc wang123456 zhang123456 li123456789 liu123456789 chen123456 huang123456 dangyuan123
    dangyuan2021 gongchandang1 zuzhibu123 zuzhibu2021 pingyi2021 pingyi12345
    """.split()  # noqa: SIM905
)
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
    require_plain(password, "密码")
    if len(password) < MIN_LENGTH:
        raise InvalidInput(f"密码至少 {MIN_LENGTH} 位，您输入了 {len(password)} 位")
    if password.isdigit() or password.isalpha():
        raise InvalidInput("密码需同时包含字母和数字")
    if len(password.encode()) > MAX_BYTES:
        raise InvalidInput(f"密码太长：最多 {MAX_BYTES} 个字节（一个汉字占 3 个字节，约 24 个汉字）")
    if password.lower() in _COMMON:
        raise InvalidInput("这个密码太常见，很容易被猜到，请换一个")


def one_time_password() -> str:
    while True:
        candidate = "".join(secrets.choice(_ALPHABET) for _ in range(10))
        if any(c.isdigit() for c in candidate) and any(c.isalpha() for c in candidate):
            return candidate
