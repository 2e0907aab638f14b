"""The organizer's roster import through AppTest: a template to download, an upload that only previews, and
确认导入 that then writes, once, and empties the uploader."""

import pytest

from services.campaign import members, roster
from tests.factories import ORG, csv_bytes, make_campaign
from tests.pages.helpers import page

pytestmark = pytest.mark.usefixtures("database")
HEADER = ["姓名", "党总支", "党支部", "党员类别"]
BEFORE = [HEADER, ["王芳", "机关党总支", "第一党支部", "正式党员"], ["张伟", "机关党总支", "第一党支部", "正式党员"]]
AFTER = [HEADER, ["王芳", "机关党总支", "第一党支部", "预备党员"], ["刘洋", "", "图书馆直属党支部", "正式党员"]]


def _uploaded(cid: int, rows: list[list[str]]):
    at = page("campaign.campaign_setup", ORG).run()
    at.file_uploader(key=f"roster_{cid}").upload("花名册.csv", csv_bytes(rows))
    return at.run()


def _table(at, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def _names(cid: int) -> list[str]:
    return [m.name for m in members.list_members(actor=ORG, campaign_id=cid)]


def test_the_template_is_offered_before_any_upload():
    make_campaign()
    at = page("campaign.campaign_setup", ORG).run()
    assert "下载花名册模板（.xlsx）" in [d.label for d in at.download_button]
    assert "import_roster" not in [b.key for b in at.button]  # nothing to confirm before a file


def test_an_upload_shows_the_preview_and_only_confirming_imports():
    cid = make_campaign()
    roster.import_roster_file(actor=ORG, campaign_id=cid, filename="r.csv", data=csv_bytes(BEFORE))
    at = _uploaded(cid, AFTER)
    assert not at.exception
    assert _names(cid) == ["王芳", "张伟"]  # nothing written yet
    assert at.info[0].value == (
        "表中有 2 个党支部、2 名党员（正式 1，预备 1）。导入后：新增 1 人，更新 1 人，移除 1 人，未变 0 人。"
    )
    counts = _table(at, "人数")
    assert list(counts["党支部"]) == ["机关党总支 / 第一党支部", "图书馆直属党支部"]
    assert list(counts["新增"]) == [0, 1] and list(counts["更新"]) == [1, 0] and list(counts["移除"]) == [1, 0]
    assert "导入后将从花名册中移除（表中没有）：张伟" in at.warning[0].value
    assert [e.label for e in at.expander if e.label.startswith(("新增", "更新", "移除"))] == [
        "新增 1 人",
        "更新 1 人",
        "移除 1 人",
    ]

    at.button(key="import_roster").click().run()
    assert not at.exception
    assert at.success[0].value.startswith("导入成功：新增 1 人，更新 1 人，移除 1 人")
    assert _names(cid) == ["王芳", "刘洋"]
    assert not at.file_uploader[0].value  # emptied: the file is not imported twice by a second click
    assert not [b for b in at.button if b.key == "import_roster"]


def test_a_file_with_problems_lists_them_and_cannot_be_imported():
    cid = make_campaign()
    bad = [*BEFORE, ["孙丽", "机关党总支", "第一党支部", "党员"]]
    at = _uploaded(cid, bad)
    assert at.error[0].value == "有 1 处问题，请在表格中改正后重新上传；有问题时不能导入。"
    problems = _table(at, "问题")
    assert (list(problems["行"]), list(problems["列"])) == ([4], ["党员类别"])
    assert at.button(key="import_roster").disabled  # AppTest, like a browser, cannot click it
    assert _names(cid) == []
