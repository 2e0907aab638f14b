"""Names inside the ZIP files the product writes: every folder and file name is made from what units typed,
so each part is made safe before it becomes an entry name — one that unzips to a file inside the folder it is
extracted to, on Windows, macOS and Linux, by `unzip`, Python and Explorer alike.

A part keeps no `..`, no path separator or character Windows refuses (\\ / : * ? " < > |), no control, bidi or
other invisible format character, no leading or trailing dot or space, no reserved device name (CON, PRN, AUX,
NUL, COM1–9, LPT1–9, with or without an extension), and at most MAX_PART_BYTES of UTF-8: a longer one is cut
and ends with a short hash of the whole name, so the same name is always cut the same way. Two names that come
out alike (or alike but for case, as Windows and macOS compare) are told apart by EntryNames with ~2, ~3, …"""

import hashlib
import re
import unicodedata

MAX_PART_BYTES = 150
EMPTY = "未命名"
_FORBIDDEN = re.compile(r'[\\/:*?"<>|]')
_DROPPED = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}  # control, format (bidi, zero width), unassigned …
_RESERVED = re.compile(r"(CON|PRN|AUX|NUL|CONIN\$|CONOUT\$|(COM|LPT)[0-9¹²³])", re.IGNORECASE)
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,5}$")
_ENDS = re.compile(r"^[\s.]+|[\s.]+$")  # dots and spaces (any kind) at either end


def safe_part(name: str, *, tail: str = "") -> str:
    """One folder or file name made safe (see the module's doc); `tail` (such as "~2") goes before the
    extension, within the byte limit."""
    text = _clean(name)
    match = _EXTENSION.search(text)
    stem, ext = (text[: match.start()], match.group()) if match and match.start() > 0 else (text, "")
    stem = _trim(stem) or EMPTY
    if _RESERVED.fullmatch(_trim(stem.split(".", 1)[0])):
        stem = "_" + stem
    room = MAX_PART_BYTES - len((tail + ext).encode())
    if len(stem.encode()) > room:
        mark = "~" + hashlib.sha256(unicodedata.normalize("NFC", str(name)).encode()).hexdigest()[:8]
        stem = _cut(stem, room - len(mark)) + mark
    return stem + tail + ext


def _clean(name: str) -> str:
    text = unicodedata.normalize("NFC", str(name))
    text = "".join(c for c in text if unicodedata.category(c) not in _DROPPED)
    return _trim(_FORBIDDEN.sub("_", text))


def _trim(text: str) -> str:
    return _ENDS.sub("", text)


def _cut(text: str, size: int) -> str:
    """The longest start of `text` within `size` bytes of UTF-8, never ending in a dot or space."""
    out = text.encode()[: max(size, 0)].decode(errors="ignore")
    return _trim(out) or "_"


def _key(entry: str) -> str:
    """Two names a case-insensitive file system (Windows, macOS) takes for the same file."""
    return unicodedata.normalize("NFKC", entry).casefold()


class EntryNames:
    """The entry names of one archive: each part made safe, no two entries (or folders) the same file."""

    def __init__(self) -> None:
        self._taken: set[str] = set()
        self._folders: dict[str, str] = {}

    def folder(self, key: str, name: str) -> str:
        """The folder for `key` (such as a unit's path), named after `name`: the same each time it is asked
        for, and another than any other key's."""
        if key not in self._folders:
            self._folders[key] = self._claim(name, "")
        return self._folders[key]

    def file(self, name: str, folder: str | None = None) -> str:
        """A new entry `folder/name` (or `name` at the top), unlike every entry before it."""
        return self._claim(name, f"{folder}/" if folder else "")

    def _claim(self, name: str, prefix: str) -> str:
        n = 1
        while True:
            entry = prefix + safe_part(name, tail=f"~{n}" if n > 1 else "")
            if _key(entry) not in self._taken:
                self._taken.add(_key(entry))
                return entry
            n += 1
