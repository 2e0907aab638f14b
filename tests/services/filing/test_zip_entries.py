"""The filing ZIP with units named to break it (.., CON, backslashes, a right-to-left override, 100 characters,
names that differ only where they are made safe): extracted by Python and by `unzip`, every file lands inside
the folder it is extracted to, none overwrites another, and the cover is there."""

import io
import shutil
import subprocess
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest

from services.campaign import roster
from services.filing import bundle
from services.platform.zip_names import MAX_PART_BYTES
from tests.factories import ORG, csv_bytes, make_campaign

pytestmark = pytest.mark.usefixtures("database")
TODAY = date.today()
LONG = "计算机科学与技术学院" * 10  # 100 characters, the longest unit name a roster may hold
HOSTILE = [  # (general branch, branch)
    ("..", ".."),
    ("..", "CON"),
    ("..\\..\\Windows", "nul.txt"),
    ("COM1", "第一\u202eslx.exe"),
    ("机关?党总支", "A:B"),
    ("机关*党总支", "a_b"),  # its folder and this branch's file come out as the ones above
    ("机关*党总支", "a|b"),
    (LONG, LONG),
    (LONG, LONG[:-1] + "甲"),  # cut to the same start
    ("", "直属\\党支部"),
]


@pytest.fixture
def archive(tmp_path) -> Path:
    cid = make_campaign(year=TODAY.year, deadline=TODAY + timedelta(days=30))
    rows = [["姓名", "党总支", "党支部", "党员类别"]]
    rows += [[f"党员{i}", general, branch, "正式党员"] for i, (general, branch) in enumerate(HOSTILE)]
    roster.import_roster_file(actor=ORG, campaign_id=cid, filename="r.csv", data=csv_bytes(rows))
    made = bundle.bundle(actor=ORG, campaign_id=cid, today=TODAY)
    assert len(made.unfinished) == len(HOSTILE)  # every branch imported and filed
    path = tmp_path / made.file_name
    path.write_bytes(made.data)
    return path


def test_entry_names_are_safe_parts_and_none_two_alike(archive):
    names = zipfile.ZipFile(archive).namelist()
    # the summary, the 党内统计 sheet, the cover, the report and a workbook per branch
    assert len(names) == len(HOSTILE) + 4
    assert len({n.casefold() for n in names}) == len(names)
    for name in names:
        for part in name.split("/"):
            assert part not in ("", ".", "..") and len(part.encode()) <= MAX_PART_BYTES, name
            assert not any(c in part for c in '\\:*?"<>|\u202e'), name
            assert part == part.strip(" .") and part.split(".")[0].upper() not in ("CON", "NUL", "COM1"), name


def _extracted(folder: Path, count: int) -> None:
    files = [p for p in folder.rglob("*") if p.is_file()]
    assert len(files) == count  # nothing overwritten, nothing lost
    assert all(p.resolve().is_relative_to(folder.resolve()) for p in files)
    assert (folder / "00_封面与目录.xlsx").is_file()


def test_python_extracts_every_file_inside_the_folder(archive, tmp_path):
    target = tmp_path / "python"
    with zipfile.ZipFile(archive) as z:
        z.extractall(target)
        _extracted(target, len(z.namelist()))


@pytest.mark.skipif(shutil.which("unzip") is None, reason="needs the unzip command")
def test_unzip_extracts_every_file_inside_the_folder(archive, tmp_path):
    target = tmp_path / "unzip"
    done = subprocess.run(["unzip", "-q", str(archive), "-d", str(target)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    _extracted(target, len(zipfile.ZipFile(archive).namelist()))


def test_the_cover_lists_each_entry_by_the_name_it_has_in_the_zip(archive):
    from openpyxl import load_workbook

    z = zipfile.ZipFile(archive)
    cover = load_workbook(io.BytesIO(z.read("00_封面与目录.xlsx"))).active
    listed = {row[1] for row in cover.iter_rows(values_only=True) if row[1]}
    assert set(z.namelist()) <= listed
