"""The roster from the command line: the template written out, and import-roster --dry-run printing the preview
without writing anything."""

import pytest

from tests.factories import csv_bytes
from tests.test_cli import manage

pytestmark = pytest.mark.usefixtures("database")
HEADER = ["姓名", "党总支", "党支部", "党员类别", "联系电话"]
BEFORE = [
    HEADER,
    ["王芳", "机关党总支", "第一党支部", "正式党员", ""],
    ["张伟", "机关党总支", "第一党支部", "正式党员", ""],
]
AFTER = [
    HEADER,
    ["王芳", "机关党总支", "第一党支部", "正式党员", "13800000000"],
    ["刘洋", "", "图书馆直属党支部", "预备党员", ""],
]


def _campaign() -> str:
    return manage("create-campaign", "--title", "T", "--year", "2020", "--deadline", "2021-03-20").stdout.strip()


def test_dry_run_prints_the_preview_and_writes_nothing_then_the_import_does_what_it_said(tmp_path):
    cid = _campaign()
    before, after = tmp_path / "before.csv", tmp_path / "after.csv"
    before.write_bytes(csv_bytes(BEFORE))
    after.write_bytes(csv_bytes(AFTER))
    assert manage("import-roster", str(before), "--campaign", cid).returncode == 0

    shown = manage("import-roster", str(after), "--campaign", cid, "--dry-run")
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[:5] == [
        "预览（未写入任何数据）",
        "表中有 2 个党支部、2 名党员（正式 1，预备 1）。导入后：新增 1 人，更新 1 人，移除 1 人，未变 0 人。",
        "党支部\t人数\t正式\t预备\t新增\t更新\t移除",
        "机关党总支 / 第一党支部\t1\t1\t0\t0\t1\t1",
        "图书馆直属党支部\t1\t0\t1\t1\t0\t0",
    ]
    assert "新增：刘洋（图书馆直属党支部）" in lines
    assert "更新：王芳（机关党总支 / 第一党支部）：联系电话" in lines
    assert "移除：张伟（机关党总支 / 第一党支部）" in lines
    assert f"{cid}\t2020\tdraft\t1\t2\t2\t0\tT" in manage("list-campaigns").stdout  # still the first roster

    done = manage("import-roster", str(after), "--campaign", cid)
    assert "added=1 changed=1 removed=1" in done.stdout


def test_the_written_template_previews_as_examples_only_and_a_bad_row_exits_2(tmp_path):
    cid = _campaign()
    template = tmp_path / "花名册模板.xlsx"
    written = manage("roster-template", str(template))
    assert written.returncode == 0 and template.stat().st_size > 0
    shown = manage("import-roster", str(template), "--campaign", cid, "--dry-run")
    assert shown.returncode == 2
    assert "已跳过 2 行示例" in shown.stdout
    assert "表中只有示例行" in shown.stderr

    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([*BEFORE, ["孙丽", "机关党总支", "第一党支部", "党员", ""]]))
    refused = manage("import-roster", str(bad), "--campaign", cid, "--dry-run")
    assert refused.returncode == 2
    assert "新增：王芳（机关党总支 / 第一党支部）" in refused.stdout
    assert "第 4 行，“党员类别”列：无法识别的党员类别“党员”" in refused.stderr
    assert f"{cid}\t2020\tdraft\t0\t0" in manage("list-campaigns").stdout
