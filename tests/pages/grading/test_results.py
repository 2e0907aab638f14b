"""The results page: counts, warnings, the grading table, approval and feedback, through AppTest."""

import pytest

from services.grading import final_grades, results
from tests.factories import BRANCH_MEMBERS, ORG, PROBATIONARY, make_account, make_voted_branch
from tests.pages.helpers import page

pytestmark = pytest.mark.usefixtures("database")


@pytest.fixture
def voted():
    cid, path, _ = make_voted_branch()
    return cid, path, make_account("branch_secretary", path, username="zb")


def _final(cid, path) -> list:
    return [r.final.grade for r in results.branch_results(actor=ORG, campaign_id=cid, branch_path=path).rows]


def test_the_results_show_counts_suggestions_a_chart_and_the_sheet(voted):
    _cid, _path, secretary = voted
    at = page("grading.results", secretary).run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["收回测评票"] == "8 张" and metrics["有效票（网上 / 纸质）"] == "6 / 1"
    assert metrics["废票"] == "1" and metrics["参评率"] == "100%"
    table = at.dataframe[0].value
    assert list(table["姓名"]) == BRANCH_MEMBERS
    assert list(table["优秀"])[:3] == [5, 5, 4]
    assert list(table["建议格次"])[:3] == ["优秀", "优秀", "合格"]
    assert "提示" not in table.columns  # written out whole below the table (issue 25)
    assert any(f"预备党员（参加民主评议，不评定等次）：{PROBATIONARY}" in c.value for c in at.caption)
    assert "下载民主测评统计表" in at.download_button[0].label


def test_the_grades_chart_stacks_each_members_votes_in_roster_order(voted):
    from pages.shared import charts

    cid, path, _ = voted
    found = results.branch_results(actor=ORG, campaign_id=cid, branch_path=path)
    spec = charts.grades_chart(found.rows).to_dict()
    assert spec["encoding"]["y"]["sort"] == BRANCH_MEMBERS
    assert spec["encoding"]["color"]["scale"]["domain"] == ["优秀", "合格", "基本合格", "不合格"]
    data = next(iter(spec["datasets"].values()))
    wang = {d["等次"]: d["票数"] for d in data if d["姓名"] == "王芳"}
    assert wang == {"优秀": 5, "合格": 2, "基本合格": 0, "不合格": 0}


def test_the_secretary_grades_in_one_table_and_a_refusal_names_the_member(voted):
    cid, path, secretary = voted
    at = page("grading.results", secretary).run()
    editor = at.dataframe[1].value  # the grading table, suggestions filled in
    columns = ["姓名", "建议格次", "往年格次", "评定格次", "理由", "组织处置", "处置说明", "给本人的话"]
    assert list(editor.columns) == columns
    assert list(editor["评定格次"]) == ["优秀", "优秀", "合格", "基本合格", "合格", "不合格", "合格"]
    at.button(key="grades_save").click().run()  # the suggestions as they are: 杨帆 不合格 lacks a disposition
    assert not at.error and at.success[0].value == "草稿已保存：已评定 7 / 7 人。"  # a draft holds whatever is entered
    assert any("杨帆：评定为“不合格”，须选择组织处置" in i.value for i in at.info)  # what submitting still needs
    assert _final(cid, path) == ["excellent", "excellent", "qualified", "basically_qualified", "qualified",
                                 "unqualified", "qualified"]  # fmt: skip


def _submit_suggestions(cid, path, secretary) -> None:
    """The suggested grades saved and submitted as they are, 不合格 with a disposition."""
    found = results.branch_results(actor=ORG, campaign_id=cid, branch_path=path)
    entries = [
        final_grades.GradeEntry(
            r.member_id, r.suggestion.grade,
            **({"disposition": "限期改正", "disposition_note": "限期"} if r.suggestion.grade == "unqualified" else {}),
        )
        for r in found.rows
    ]  # fmt: skip
    final_grades.save_grades(actor=secretary, campaign_id=cid, branch_path=path, entries=entries)
    final_grades.submit_grades(actor=secretary, campaign_id=cid, branch_path=path)


def test_submitted_grades_wait_for_the_general_branch_which_approves_then_feedback_opens(voted):
    cid, path, secretary = voted
    _submit_suggestions(cid, path, secretary)
    mine = page("grading.results", secretary).run()
    assert "已报上级党组织审批，等待审批" in mine.info[0].value
    assert len(mine.dataframe) == 3  # the results, the grades as submitted and the history: no grading table
    general = make_account("general_branch_secretary", "机关党总支", username="zzb")
    at = page("grading.results", general).run()
    assert "待您审批的党支部：机关党总支 / 第一党支部" in at.info[0].value
    at.button(key="return_grades").click().run()
    assert "退回时请写明" in at.error[0].value
    at.text_area(key="approval_comment").input("同意").run()
    at.button(key="approve_grades").click().run()
    assert not at.exception and results.branch_results(actor=ORG, campaign_id=cid, branch_path=path).state == "approved"
    history = at.dataframe[-1].value
    assert list(history["操作"]) == ["报上级党组织审批", "审批通过"]
    assert list(history["意见"]) == ["", "同意"]
    after = page("grading.results", secretary).run()
    labels = [d.label for d in after.download_button]
    assert "打印反馈通知（.html，每人一页）" in labels


def test_personal_links_for_an_approved_branch_are_made_and_offered_on_every_click(monkeypatch):
    monkeypatch.setenv("BASE_URL", "http://192.168.1.10:8501")
    cid, path, _ = make_voted_branch()
    secretary = make_account("branch_secretary", path, username="zb")
    _submit_suggestions(cid, path, secretary)
    final_grades.approve_grades(actor=ORG, campaign_id=cid, branch_path=path)
    at = page("grading.results", secretary).run()
    for _ in range(2):  # the second click replaces the first set, and is shown too
        at.button(key="issue_personal_links").click().run()
        assert not at.exception
        assert "已生成个人链接" in at.success[0].value
        assert "个人链接表（8 人，.xlsx）" in [d.label for d in at.download_button]


def test_saving_a_draft_says_how_many_are_graded():
    from services.ballot import casting, voting
    from tests.factories import all_qualified, make_voting_branch

    cid, path, links = make_voting_branch()
    for link in links:
        casting.cast_ballot(link.token, all_qualified(link.token))
    voting.close_voting(actor=ORG, campaign_id=cid, branch_path=path)
    at = page("grading.results", make_account("branch_secretary", path, username="zb")).run()
    at.button(key="grades_save").click().run()
    assert not at.exception and at.success[0].value == "草稿已保存：已评定 7 / 7 人。"


def test_hints_are_written_out_whole_and_the_sheet_is_offered_for_printing_not_the_command_line(voted):
    import json

    _cid, _path, secretary = voted
    at = page("grading.results", secretary).run()
    assert not at.exception
    hints = next(m.value for m in at.markdown if m.value.startswith("**提示**"))
    zhang = next(line for line in hints.splitlines() if line.startswith("- 张伟："))
    assert zhang.endswith("；“优秀”得票最多，但超出本支部优秀名额（2 人），按其余得票最多的等次建议")
    assert "- 杨帆：“不合格”只比“基本合格”多一票（4 比 3），请支部研究决定" in hints
    widths = {name: c.get("width") for name, c in json.loads(at.dataframe[0].proto.columns).items()}
    assert widths["优秀"] == widths["优秀率%"] == "small"
    label = at.download_button[0].label
    assert label == "下载民主测评统计表（.xlsx，A4 横向，供打印、存档）" and "命令行" not in label
