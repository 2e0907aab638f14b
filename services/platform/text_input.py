"""Text typed or imported by people: control characters (NUL and the like) are refused everywhere.

PostgreSQL cannot store NUL at all, and the other control characters are never meant: they come
from pasted binary or broken files. Refusing them in one place keeps both engines alike.
"""

import unicodedata

from services.platform.errors import InvalidInput

_LINE_BREAKS = frozenset("\n\r\t")


def has_control_characters(text: str, *, multiline: bool = False) -> bool:
    """Whether the text holds a control character (or a lone surrogate), line breaks and tabs
    allowed where the text may have several lines."""
    return any(unicodedata.category(c) in ("Cc", "Cs") and not (multiline and c in _LINE_BREAKS) for c in text)


def require_plain(text: str | None, label: str, *, multiline: bool = False) -> str | None:
    """The text as given, or InvalidInput naming the field."""
    if text and has_control_characters(text, multiline=multiline):
        raise InvalidInput(f"“{label}”中有无法显示的控制字符（如 NUL），请删去后重新输入")
    return text


def checked(
    value: str | None, label: str, *, limit: int, required: bool = False, multiline: bool = False
) -> str | None:
    """Typed text trimmed, or InvalidInput naming the field: missing, too long, control characters.
    Markup is accepted as the words someone typed: every page shows it as plain text."""
    text = (value or "").replace("\r\n", "\n").strip()
    if required and not text:
        raise InvalidInput(f"请填写“{label}”")
    if len(text) > limit:
        raise InvalidInput(f"“{label}”过长（{len(text)} 字，最多 {limit} 字）")
    require_plain(text, label, multiline=multiline)
    return text or None
