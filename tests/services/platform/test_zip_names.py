"""Entry names of the ZIPs the product writes: each part safe on Windows, macOS and Linux, none two alike."""

import pytest

from services.platform.zip_names import MAX_PART_BYTES, EntryNames, safe_part

LONG = "计算机科学与技术学院" * 10  # 100 characters, 300 bytes of UTF-8


@pytest.mark.parametrize(
    ("typed", "made"),
    [
        ("..", "未命名"),
        (".", "未命名"),
        ("", "未命名"),
        (" . . ", "未命名"),
        ("CON", "_CON"),
        ("con.xlsx", "_con.xlsx"),
        ("Nul.tar.gz", "_Nul.tar.gz"),
        ("COM1", "_COM1"),
        ("lpt9 .txt", "_lpt9.txt"),
        ("COM10", "COM10"),  # not a device
        ("CONTROL", "CONTROL"),
        ('a\\b/c:d*e?f"g<h>i|j', "a_b_c_d_e_f_g_h_i_j"),
        ("..\\..\\windows", "_.._windows"),
        ("gpj.\u202eexe", "gpj.exe"),  # the right-to-left override that disguises an extension
        ("第一\u200b党支部\u2066", "第一党支部"),
        ("a\tb\nc\x00d", "abcd"),
        ("  .hidden. ", "hidden"),
        ("第一党支部.xlsx", "第一党支部.xlsx"),
    ],
)
def test_a_part_keeps_nothing_a_file_system_or_reader_could_misread(typed, made):
    assert safe_part(typed) == made


def test_a_long_name_is_cut_within_the_limit_with_its_extension_and_a_stable_hash():
    made = safe_part(f"2024年度民主评议党员_{LONG}.xlsx")
    assert len(made.encode()) <= MAX_PART_BYTES and made.endswith(".xlsx")
    assert made == safe_part(f"2024年度民主评议党员_{LONG}.xlsx")  # the same name, the same cut
    other = safe_part(f"2024年度民主评议党员_{LONG}甲.xlsx")  # the same start, cut alike
    assert other != made and other[:-14] == made[:-14]
    made.encode().decode()  # whole characters only
    assert len(safe_part("a" * 400).encode()) <= MAX_PART_BYTES


def test_names_that_come_out_alike_are_told_apart_and_a_folder_stays_the_same():
    names = EntryNames()
    one, two = names.folder("机关?党总支", "机关?党总支"), names.folder("机关*党总支", "机关*党总支")
    assert (one, two) == ("机关_党总支", "机关_党总支~2")
    assert names.folder("机关?党总支", "机关?党总支") == one
    files = [names.file("ABC.xlsx", one), names.file("abc.xlsx", one), names.file("ABC.xlsx", two)]
    assert files == ["机关_党总支/ABC.xlsx", "机关_党总支/abc~2.xlsx", "机关_党总支~2/ABC.xlsx"]
    assert names.file("机关_党总支") == "机关_党总支~3"  # a file beside the folder of that name
    cut = [names.file(f"{LONG}.xlsx", one), names.file(f"{LONG}.xlsx", one)]
    assert cut[0] != cut[1] and all(len(c.split("/")[1].encode()) <= MAX_PART_BYTES for c in cut)
