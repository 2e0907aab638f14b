"""Name normalization as rosters need it."""

import pytest

from services.platform.names import normalize_header, normalize_name


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("王　芳", "王芳"),  # full-width padding inside a two-character name
        (" 李 明 ", "李明"),
        ("\u3000赵刚\u3000", "赵刚"),
        ("张\u00a0伟", "张伟"),  # non-breaking space from a web copy
        ("迪丽热巴·迪力木拉提", "迪丽热巴·迪力木拉提"),
        ("迪丽热巴•迪力木拉提", "迪丽热巴·迪力木拉提"),
        ("迪丽热巴・迪力木拉提", "迪丽热巴·迪力木拉提"),
        ("王𠀾", "王𠀾"),  # outside the BMP
        ("陈\u200b静", "陈静"),  # zero-width space
        ("John  Smith", "John Smith"),
    ],
)
def test_normalize_name(typed, stored):
    assert normalize_name(typed) == stored


@pytest.mark.parametrize(
    ("header", "words"),
    [("姓　名", "姓名"), ("*党员类别", "党员类别"), ("党员类别（正式/预备）", "党员类别"), ("备注：", "备注")],
)
def test_normalize_header(header, words):
    assert normalize_header(header) == words
