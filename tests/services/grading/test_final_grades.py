"""Results, final grades and their approval: the notice's step 5 after the vote."""

from dataclasses import replace

import pytest

from services.ballot import casting, voting
from services.grading import final_grades, results
from services.grading.final_grades import GradeEntry, GradesRejected
from services.platform.errors import InvalidInput, InvalidTransition, NotPermitted
from tests.factories import (
    BRANCH_MEMBERS,
    ORG,
    PROBATIONARY,
    all_qualified,
    make_account,
    make_voted_branch,
    make_voting_branch,
)

pytestmark = pytest.mark.usefixtures("database")

UNQUALIFIED = {"grade": "unqualified", "disposition": "限期改正", "disposition_note": "三个月内改正"}


@pytest.fixture
def voted():
    return make_voted_branch()[:2]


def _other_units() -> None:
    """Units beside the voting branch, in last year's campaign, so accounts can be scoped to them."""
    from services.campaign import roster
    from tests.factories import csv_bytes, make_campaign

    rows = [["姓名", "党总支", "党支部", "党员类别"], ["甲", "教学党总支", "第一党支部", "正式党员"]]
    rows += [["乙", "机关党总支", "第二党支部", "正式党员"]]
    cid = make_campaign(year=2019)
    roster.import_roster_file(actor=ORG, campaign_id=cid, filename="r.csv", data=csv_bytes(rows))


def _ids(cid, path) -> dict[str, int]:
    return {r.name: r.member_id for r in results.branch_results(actor=ORG, campaign_id=cid, branch_path=path).rows}


def _as_suggested(cid, path, **changes) -> list[GradeEntry]:
    """Every full member at the suggested grade, with `changes` by name: a grade or a GradeEntry's fields."""
    found = results.branch_results(actor=ORG, campaign_id=cid, branch_path=path)
    entries = []
    for row in found.rows:
        change = changes.get(row.name, {})
        change = {"grade": change} if isinstance(change, str) else change
        entries.append(GradeEntry(row.member_id, **{"grade": row.suggestion.grade, **change}))
    return entries


def test_results_count_every_valid_ballot_exactly_and_suggest_within_the_cap(voted):
    cid, path = voted
    found = results.branch_results(actor=ORG, campaign_id=cid, branch_path=path)
    assert (found.online, found.paper, found.invalid, found.voters) == (6, 1, 1, 8)
    assert found.turnout == 1.0 and not found.low_turnout and not found.few_ballots
    assert found.cap == 2
    assert found.probationary == [(found.probationary[0][0], PROBATIONARY)]
    rows = {r.name: r for r in found.rows}
    assert list(rows) == BRANCH_MEMBERS
    assert rows["王芳"].counts == {"excellent": 5, "qualified": 2, "basically_qualified": 0, "unqualified": 0}
    assert rows["张伟"].counts == {"excellent": 4, "qualified": 3, "basically_qualified": 0, "unqualified": 0}
    assert rows["杨帆"].counts == {"excellent": 0, "qualified": 0, "basically_qualified": 3, "unqualified": 4}
    assert round(rows["王芳"].share("excellent"), 3) == round(5 / 7, 3)
    suggested = {name: r.suggestion.grade for name, r in rows.items()}
    assert suggested == {
        "王芳": "excellent",
        "李明": "excellent",
        "张伟": "qualified",  # 优秀 had most votes, but beyond the cap of 2 by share
        "刘洋": "basically_qualified",
        "陈静": "qualified",
        "杨帆": "unqualified",
        "赵刚": "qualified",
    }
    assert any("超出本支部优秀名额" in f for f in rows["张伟"].suggestion.flags)
    assert any("只比" in f for f in rows["刘洋"].suggestion.flags)  # 4 against 3


def test_few_ballots_and_low_turnout_are_flagged(database):
    cid, path, links = make_voting_branch(full=7)
    for link in links[:3]:
        casting.cast_ballot(link.token, all_qualified(link.token))
    voting.close_voting(actor=ORG, campaign_id=cid, branch_path=path)
    found = results.branch_results(actor=ORG, campaign_id=cid, branch_path=path)
    assert found.few_ballots and found.low_turnout and found.turnout == 3 / 8


def test_no_results_while_voting_is_open(database):
    cid, path, _ = make_voting_branch(full=7)
    with pytest.raises(InvalidTransition, match="测评进行中"):
        results.branch_results(actor=ORG, campaign_id=cid, branch_path=path)


def test_a_draft_saves_as_often_as_needed_and_submits_only_when_complete(voted):
    cid, path = voted
    ids = _ids(cid, path)
    first = final_grades.save_grades(
        actor=ORG, campaign_id=cid, branch_path=path, entries=[GradeEntry(ids["王芳"], "excellent")]
    )
    assert first.state == "draft" and first.row(ids["王芳"]).final.grade == "excellent"
    with pytest.raises(GradesRejected, match="还有 6 名正式党员未评定格次：李明、张伟"):
        final_grades.submit_grades(actor=ORG, campaign_id=cid, branch_path=path)
    entries = _as_suggested(cid, path, 杨帆=UNQUALIFIED)
    final_grades.save_grades(actor=ORG, campaign_id=cid, branch_path=path, entries=entries)
    secretary = make_account("branch_secretary", path)
    submitted = final_grades.submit_grades(actor=secretary, campaign_id=cid, branch_path=path)
    assert submitted.state == "submitted" and submitted.submitted_by == secretary.username


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"张伟": "excellent", "王芳": "excellent", "李明": "excellent"},
            "评为“优秀”的有 3 人（王芳、李明、张伟），超过上限 2 人",
        ),
        ({"陈静": "basically_qualified"}, "陈静：评定为“基本合格”，与建议格次“合格”不同，请填写理由"),
        ({"杨帆": "unqualified"}, "杨帆：评定为“不合格”，须选择组织处置（限期改正、劝其退党、除名）"),
        ({"杨帆": {"grade": "unqualified", "disposition": "限期改正"}}, "杨帆：评定为“不合格”，须填写处置说明"),
        ({"赵刚": "great"}, "赵刚：“great”不是评定格次"),
        ({"赵刚": {"grade": "qualified", "disposition": "除名"}}, "赵刚：只有评定为“不合格”的党员才有组织处置"),
        ({"赵刚": {"grade": "qualified", "reason": "很" * 201}}, "赵刚：理由过长（201 字，最多 200 字）"),
    ],
)
def test_each_rule_stops_the_submission_naming_the_member_while_the_draft_keeps_what_was_entered(
    voted, changes, message
):
    cid, path = voted
    ids = _ids(cid, path)
    final_grades.save_grades(
        actor=ORG, campaign_id=cid, branch_path=path, entries=[GradeEntry(ids["王芳"], "excellent")]
    )
    entries = _as_suggested(cid, path, **changes)
    entries = [
        e
        if e.grade != "unqualified" or "杨帆" in changes
        else GradeEntry(e.member_id, e.grade, disposition="限期改正", disposition_note="限期")
        for e in entries
    ]
    if "不是评定格次" in message or "过长" in message:  # cannot be stored at all: the draft refuses it, whole
        with pytest.raises(GradesRejected) as refused:
            final_grades.save_grades(actor=ORG, campaign_id=cid, branch_path=path, entries=entries)
        assert any(message in p for p in refused.value.problems), refused.value.problems
        after = results.branch_results(actor=ORG, campaign_id=cid, branch_path=path)
        assert [r.final.grade for r in after.rows] == ["excellent"] + [None] * 6  # nothing half-saved
        return
    saved = final_grades.save_grades(actor=ORG, campaign_id=cid, branch_path=path, entries=entries)  # 保存草稿
    assert [r.final.grade for r in saved.rows] == [e.grade for e in entries]
    assert any(message in p for p in final_grades.submission_problems(saved))
    with pytest.raises(GradesRejected, match="评定格次未报送审批") as refused:
        final_grades.submit_grades(actor=ORG, campaign_id=cid, branch_path=path)
    assert any(message in p for p in refused.value.problems), refused.value.problems
    assert results.branch_results(actor=ORG, campaign_id=cid, branch_path=path).state == "draft"


def test_submission_lists_every_problem_at_once_each_with_the_members_name(voted):
    cid, path = voted
    changes = {"王芳": "excellent", "李明": "excellent", "张伟": "excellent", "陈静": "basically_qualified"}
    final_grades.save_grades(actor=ORG, campaign_id=cid, branch_path=path, entries=_as_suggested(cid, path, **changes))
    with pytest.raises(GradesRejected) as refused:
        final_grades.submit_grades(actor=ORG, campaign_id=cid, branch_path=path)
    problems = refused.value.problems
    assert len(problems) == 5, problems
    assert any(p.startswith("张伟：评定为“优秀”，与建议格次“合格”不同") for p in problems)
    assert any(p.startswith("陈静：评定为“基本合格”") for p in problems)
    assert sum(p.startswith("杨帆：评定为“不合格”，须") for p in problems) == 2  # no 组织处置, no note
    assert any(
        "评为“优秀”的有 3 人（王芳、李明、张伟），超过上限 2 人（参评正式党员 7 人的三分之一" in p for p in problems
    )
    assert str(refused.value).startswith("评定格次未报送审批，共 ")


def test_probationary_and_other_branches_members_cannot_be_graded(voted):
    cid, path = voted
    found = results.branch_results(actor=ORG, campaign_id=cid, branch_path=path)
    probationary_id = found.probationary[0][0]
    with pytest.raises(GradesRejected) as refused:
        final_grades.save_grades(
            actor=ORG, campaign_id=cid, branch_path=path,
            entries=[GradeEntry(probationary_id, "qualified"), GradeEntry(999_999, "qualified")],
        )  # fmt: skip
    assert refused.value.problems == [
        f"{PROBATIONARY}是预备党员：预备党员参加民主评议，但不评定等次",
        "编号 999999 的党员不是本支部的正式党员，不能评定格次",
    ]


def _complete(cid, path, actor):
    entries = _as_suggested(cid, path, 杨帆=UNQUALIFIED)
    final_grades.save_grades(actor=actor, campaign_id=cid, branch_path=path, entries=entries)
    return final_grades.submit_grades(actor=actor, campaign_id=cid, branch_path=path)


def test_the_general_branch_approves_its_branches_and_nobody_their_own_submission(voted):
    cid, path = voted
    secretary = make_account("branch_secretary", path)
    member = make_account("committee_member", path, username="zw")
    own_general = make_account("general_branch_secretary", "机关党总支")
    _other_units()
    other_general = make_account("general_branch_secretary", "教学党总支")
    _complete(cid, path, member)  # a committee member the secretary named grades and submits
    for refused in (secretary, member):
        with pytest.raises(NotPermitted, match="只有本支部所在党总支的书记或组织部才能审批"):
            final_grades.approve_grades(actor=refused, campaign_id=cid, branch_path=path)
    with pytest.raises(NotPermitted):
        final_grades.approve_grades(actor=other_general, campaign_id=cid, branch_path=path)
    with pytest.raises(InvalidInput, match="退回时请写明"):
        final_grades.return_grades(actor=own_general, campaign_id=cid, branch_path=path, comment=" ")
    returned = final_grades.return_grades(
        actor=own_general, campaign_id=cid, branch_path=path, comment="请核实刘洋的格次"
    )
    assert returned.state == "returned"
    with pytest.raises(InvalidTransition, match="现在是“已退回”，不能审批"):
        final_grades.approve_grades(actor=own_general, campaign_id=cid, branch_path=path)
    # returned grades can be edited and resubmitted, here by the secretary
    entries = _as_suggested(
        cid, path, 刘洋={"grade": "qualified", "reason": "支部研究认为整体表现合格"},
        杨帆=UNQUALIFIED,
    )  # fmt: skip
    final_grades.save_grades(actor=secretary, campaign_id=cid, branch_path=path, entries=entries)
    final_grades.submit_grades(actor=secretary, campaign_id=cid, branch_path=path)
    approved = final_grades.approve_grades(actor=own_general, campaign_id=cid, branch_path=path, comment="同意")
    assert approved.state == "approved"
    assert [(s.actor_name, s.action, s.comment) for s in approved.history if s.action != "save"] == [
        ("zw", "submit", None),
        (own_general.display_name, "return", "请核实刘洋的格次"),
        (secretary.display_name, "submit", None),
        (own_general.display_name, "approve", "同意"),
    ]


def test_approved_grades_are_locked_until_the_organizer_reopens_them_with_a_reason(voted):
    cid, path = voted
    secretary = make_account("branch_secretary", path)
    _complete(cid, path, secretary)
    with pytest.raises(NotPermitted, match="不能审批自己报送的评定格次"):
        final_grades.approve_grades(actor=replace(secretary, role="organizer"), campaign_id=cid, branch_path=path)
    final_grades.approve_grades(actor=ORG, campaign_id=cid, branch_path=path)
    with pytest.raises(InvalidTransition, match="现在是“已审批”，不能保存评定格次"):
        final_grades.save_grades(actor=secretary, campaign_id=cid, branch_path=path, entries=_as_suggested(cid, path))
    with pytest.raises(NotPermitted, match="只有组织部可以重新打开"):
        final_grades.reopen_grades(actor=secretary, campaign_id=cid, branch_path=path, reason="写错了")
    with pytest.raises(InvalidInput, match="须写明原因"):
        final_grades.reopen_grades(actor=ORG, campaign_id=cid, branch_path=path, reason="")
    reopened = final_grades.reopen_grades(actor=ORG, campaign_id=cid, branch_path=path, reason="杨帆申诉，重新研究")
    assert reopened.state == "draft" and reopened.history[-1].comment == "杨帆申诉，重新研究"


def test_a_directly_affiliated_branch_is_approved_by_the_organizer_only(database):
    from services.ballot import campaign_status
    from services.campaign import roster
    from tests.factories import csv_bytes, make_campaign

    cid = make_campaign(year=2026, deadline=__import__("datetime").date(2027, 3, 20))
    rows = [["姓名", "党支部", "党员类别"]] + [[n, "图书馆直属党支部", "正式党员"] for n in BRANCH_MEMBERS]
    roster.import_roster_file(actor=ORG, campaign_id=cid, filename="r.csv", data=csv_bytes(rows))
    campaign_status.set_status(actor=ORG, campaign_id=cid, status="open")
    path = "图书馆直属党支部"
    voting.open_voting(actor=ORG, campaign_id=cid, branch_path=path, mode="named")
    voting.close_voting(actor=ORG, campaign_id=cid, branch_path=path)
    secretary = make_account("branch_secretary", path)
    found = results.branch_results(actor=secretary, campaign_id=cid, branch_path=path)
    assert not found.under_general_branch and found.valid == 0
    entries = [GradeEntry(r.member_id, "qualified") for r in found.rows]
    final_grades.save_grades(actor=secretary, campaign_id=cid, branch_path=path, entries=entries)
    final_grades.submit_grades(actor=secretary, campaign_id=cid, branch_path=path)
    with pytest.raises(NotPermitted, match="只有组织部才能审批"):
        final_grades.approve_grades(actor=secretary, campaign_id=cid, branch_path=path)
    assert final_grades.approve_grades(actor=ORG, campaign_id=cid, branch_path=path).state == "approved"


def test_grading_is_for_the_branch_and_the_organizer_and_is_audited(voted):
    from services.staff import audit

    cid, path = voted
    general = make_account("general_branch_secretary", "机关党总支")
    with pytest.raises(NotPermitted, match="只有本支部书记、支部委员或组织部可以评定格次"):
        final_grades.save_grades(actor=general, campaign_id=cid, branch_path=path, entries=[])
    _other_units()
    other = make_account("branch_secretary", "机关党总支/第二党支部")
    with pytest.raises(NotPermitted):
        results.branch_results(actor=other, campaign_id=cid, branch_path=path)
    _complete(cid, path, ORG)
    actions = [e.action for e in audit.list_entries(actor=ORG, campaign_id=cid)]
    assert {"grades.save", "grades.submit"} <= set(actions)


def test_progress_shows_each_branchs_grading_step(voted):
    from services.progress import overview

    cid, path = voted

    def step() -> str:
        [branch] = overview.campaign_progress(actor=ORG, campaign_id=cid).branches
        return branch.grading

    assert step() == "not_started"
    secretary = make_account("branch_secretary", path)
    final_grades.save_grades(actor=secretary, campaign_id=cid, branch_path=path, entries=[])
    assert step() == "draft"
    _complete(cid, path, secretary)
    assert step() == "submitted"
    final_grades.return_grades(actor=ORG, campaign_id=cid, branch_path=path, comment="请核实")
    assert step() == "returned"
    final_grades.submit_grades(actor=secretary, campaign_id=cid, branch_path=path)
    final_grades.approve_grades(actor=ORG, campaign_id=cid, branch_path=path)
    assert step() == "approved"


def _approve_as_suggested(cid, path, secretary):
    entries = _as_suggested(cid, path, 杨帆=UNQUALIFIED)
    final_grades.save_grades(actor=secretary, campaign_id=cid, branch_path=path, entries=entries)
    final_grades.submit_grades(actor=secretary, campaign_id=cid, branch_path=path)
    final_grades.approve_grades(actor=ORG, campaign_id=cid, branch_path=path)


def test_last_years_grade_is_shown_and_two_low_years_are_flagged(database):
    last, path, _ = make_voted_branch(year=2025)
    secretary = make_account("branch_secretary", path)
    _approve_as_suggested(last, path, secretary)
    this, _, _ = make_voted_branch(year=2026)
    rows = {r.name: r for r in results.branch_results(actor=ORG, campaign_id=this, branch_path=path).rows}
    assert rows["杨帆"].previous == (2025, "unqualified") and rows["杨帆"].low_two_years
    assert rows["刘洋"].previous == (2025, "basically_qualified") and rows["刘洋"].low_two_years
    assert rows["王芳"].previous == (2025, "excellent") and not rows["王芳"].low_two_years
    # graded 合格 this year after all: no longer flagged
    final_grades.save_grades(
        actor=secretary, campaign_id=this, branch_path=path,
        entries=[GradeEntry(rows["刘洋"].member_id, "qualified", reason="整改到位")],
    )  # fmt: skip
    again = {r.name: r for r in results.branch_results(actor=ORG, campaign_id=this, branch_path=path).rows}
    assert not again["刘洋"].low_two_years


def test_the_two_latest_earlier_years_stand_beside_this_years_suggestion(database):
    secretary = None
    for year in (2023, 2024, 2025):
        cid, path, _ = make_voted_branch(year=year)
        secretary = secretary or make_account("branch_secretary", path)
        _approve_as_suggested(cid, path, secretary)
    this, _, _ = make_voted_branch(year=2026)
    rows = {r.name: r for r in results.branch_results(actor=ORG, campaign_id=this, branch_path=path).rows}
    assert rows["杨帆"].earlier == ((2025, "unqualified"), (2024, "unqualified"))  # 2023 is a year too far
    assert rows["王芳"].earlier_text == "2025年优秀、2024年优秀"
    shown = results.as_dict(results.branch_results(actor=ORG, campaign_id=this, branch_path=path))
    member = next(m for m in shown["members"] if m["name"] == "杨帆")
    assert member["earlier"] == [{"year": 2025, "grade": "unqualified"}, {"year": 2024, "grade": "unqualified"}]


def test_an_id_number_finds_the_person_across_names_and_tells_namesakes_apart(database):
    last, path, _ = make_voted_branch(year=2025, person_ids={"杨帆": "110101199001011234"})
    _approve_as_suggested(last, path, make_account("branch_secretary", path))
    # This year the same person is listed as 赵刚 (the id says so); a different 杨帆 has another id.
    ids = {"赵刚": "110101199001011234", "杨帆": "110101199202022345"}
    this, _, _ = make_voted_branch(year=2026, person_ids=ids)
    rows = {r.name: r for r in results.branch_results(actor=ORG, campaign_id=this, branch_path=path).rows}
    assert rows["赵刚"].previous == (2025, "unqualified")
    assert rows["杨帆"].previous is None
    assert rows["王芳"].previous == (2025, "excellent")  # no id either year: the same name in the branch


def test_every_transition_outside_the_state_machine_is_refused(voted):
    """draft/returned --submit--> submitted --approve--> approved --reopen--> draft; submitted --return--> returned."""
    cid, path = voted
    where = {"campaign_id": cid, "branch_path": path}
    secretary = make_account("branch_secretary", path)
    general = make_account("general_branch_secretary", "机关党总支")
    # not started: nothing to submit, approve, return or reopen
    with pytest.raises(GradesRejected, match="未评定格次"):
        final_grades.submit_grades(actor=secretary, **where)
    for act in (final_grades.approve_grades, lambda **kw: final_grades.return_grades(**kw, comment="x")):
        with pytest.raises(InvalidTransition, match="还没有评定格次"):
            act(actor=general, **where)
    entries = _as_suggested(cid, path, 杨帆=UNQUALIFIED)
    final_grades.save_grades(actor=secretary, entries=entries, **where)  # draft
    for act in (final_grades.approve_grades, lambda **kw: final_grades.return_grades(**kw, comment="x")):
        with pytest.raises(InvalidTransition, match="现在是“评定中”"):
            act(actor=general, **where)
    with pytest.raises(InvalidTransition, match="现在是“评定中”，不能重新打开"):
        final_grades.reopen_grades(actor=ORG, reason="x", **where)
    final_grades.submit_grades(actor=secretary, **where)  # submitted
    with pytest.raises(InvalidTransition, match="现在是“待审批”，不能保存评定格次"):
        final_grades.save_grades(actor=secretary, entries=entries, **where)
    with pytest.raises(InvalidTransition, match="现在是“待审批”，不能报送审批"):
        final_grades.submit_grades(actor=secretary, **where)
    final_grades.approve_grades(actor=general, **where)  # approved
    for act in (final_grades.approve_grades, lambda **kw: final_grades.return_grades(**kw, comment="x")):
        with pytest.raises(InvalidTransition, match="现在是“已审批”"):
            act(actor=ORG, **where)
    with pytest.raises(InvalidTransition, match="现在是“已审批”，不能报送审批"):
        final_grades.submit_grades(actor=secretary, **where)


def test_the_cap_holds_for_the_whole_draft_saved_in_parts(voted):
    cid, path = voted
    ids = _ids(cid, path)
    for name in ("王芳", "李明"):
        final_grades.save_grades(
            actor=ORG, campaign_id=cid, branch_path=path, entries=[GradeEntry(ids[name], "excellent")]
        )
    final_grades.save_grades(
        actor=ORG, campaign_id=cid, branch_path=path, entries=[GradeEntry(ids["张伟"], "excellent", reason="表现突出")]
    )  # a draft holds it; the submission does not
    with pytest.raises(GradesRejected, match="评为“优秀”的有 3 人（王芳、李明、张伟），超过上限 2 人"):
        final_grades.submit_grades(actor=ORG, campaign_id=cid, branch_path=path)
