"""The final grades as submitted, read-only, above the approval buttons: who is 优秀, 基本合格 and 不合格 and
why, in words that wrap on a phone, then every column in one table. Also the return's comment heading the
grade page, and the waiting items on 首页."""

import pandas as pd
import streamlit as st

from models.grading import GradingState
from models.voting import GRADE_LABELS, Grade
from pages.shared.plain_text import plain
from pages.shared.widgets import go_to
from services.grading import grade_review
from services.grading.grade_review import GradeReview, ReviewRow
from services.grading.results import BranchResults
from services.platform.clock import local
from services.platform.errors import NotPermitted
from services.staff.access import Actor

DIFFERS = "✔"  # the 与建议不同 column's mark


def render(actor: Actor, found: BranchResults) -> None:
    if found.state == GradingState.returned:
        _returned_here(actor, found)
        return
    if found.state not in grade_review.READABLE:
        return
    try:
        review = grade_review.final_grade_review(
            actor=actor, campaign_id=found.campaign_id, branch_path=found.branch_path
        )
    except NotPermitted:
        return
    approved = review.state == GradingState.approved
    st.subheader("评定格次（已审批）" if approved else "报送审批的评定格次")
    st.caption(_steps(review))
    _highlights(review)
    _table(review)


def _steps(review: GradeReview) -> str:
    said = []
    if review.submitted_at:
        said.append(f"{plain(review.submitted_by)} 于 {_when(review.submitted_at)} 报上级党组织审批")
    if review.approved:
        comment = f"，意见：{plain(review.approved.comment)}" if review.approved.comment else ""
        said.append(f"{plain(review.approved.by)} 于 {_when(review.approved.at)} 审批通过{comment}")
    elif review.may_decide:
        said.append("请核对下列评定格次，再在下方审批通过或退回修改")
    return "；".join(said) + "。" if said else ""


def _highlights(review: GradeReview) -> None:
    """优秀, 基本合格 and 不合格 by name with the votes and the why; then every grade that differs from the
    suggestion, and who did not take part."""
    colours = {Grade.excellent: "green", Grade.basically_qualified: "orange", Grade.unqualified: "red"}
    for grade in Grade:  # 优秀, 合格, 基本合格, 不合格
        rows, label = review.graded(grade), GRADE_LABELS[grade]
        if grade == Grade.qualified:
            st.markdown(f"**{label}**（{len(rows)} 人）：" + ("、".join(plain(r.name) for r in rows) or "无"))
        elif rows:
            heading = f":{colours[grade]}[**{label}（{len(rows)} 人）**]"
            st.markdown("\n".join([heading] + [f"- {_why(r)}" for r in rows]))
        else:
            st.markdown(f"**{label}**：无")
    if differing := review.differing:
        lines = [f"**与建议格次不同（{len(differing)} 人）**"]
        lines += [
            f"- {plain(r.name)}：建议“{GRADE_LABELS[r.suggested]}”，评定“{GRADE_LABELS[r.final]}”，"
            f"理由：{plain(r.reason or '—')}"
            for r in differing
        ]
        st.markdown("\n".join(lines))
    else:
        st.markdown("**与建议格次不同**：无，全部按建议格次评定。")
    if absent := [r for r in review.rows if r.not_taking_part]:
        st.markdown("**未参加评议**：" + "；".join(f"{plain(r.name)}（{plain(r.not_taking_part)}）" for r in absent))


def _why(row: ReviewRow) -> str:
    said = [plain(row.name), f"得票 {_votes(row)}"]
    if row.differs:
        said.append(f"建议“{GRADE_LABELS[row.suggested]}”，理由：{plain(row.reason or '—')}")
    else:
        said.append("与建议格次一致")
    if row.disposition:
        said.append(f"组织处置：{plain(row.disposition)}")
    if row.disposition_note:
        said.append(f"处置说明：{plain(row.disposition_note)}")
    return "；".join(said)


def _votes(row: ReviewRow) -> str:
    total = sum(row.counts.values())
    shown = [f"{GRADE_LABELS[g]} {row.counts.get(g, 0)}" for g in Grade if row.counts.get(g, 0)]
    return f"{'，'.join(shown) or '无'}（有效 {total} 票）"


def _table(review: GradeReview) -> None:
    frame = pd.DataFrame(
        [
            {
                "姓名": r.name,
                "评定格次": GRADE_LABELS.get(r.final, ""),
                "与建议不同": DIFFERS if r.differs else "",
                "建议格次": GRADE_LABELS.get(r.suggested, "—"),
                **{f"{label}票": r.counts.get(g, 0) for g, label in GRADE_LABELS.items()},
                "理由": r.reason or "",
                "组织处置": r.disposition or "",
                "处置说明": r.disposition_note or "",
                "给本人的话": r.feedback_note or "",
                "未参加评议": r.not_taking_part or "",
            }
            for r in review.rows
        ]
    )
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        column_config={"姓名": st.column_config.TextColumn(pinned=True)},  # stays in view when a phone scrolls
        key=f"grade_review:{review.campaign_id}:{review.branch_path}",
    )
    st.caption("“与建议不同”打 ✔ 的，评定格次与建议格次不同，理由见“理由”列。“给本人的话”只发给党员本人。")


def _returned_here(actor: Actor, found: BranchResults) -> None:
    """Below the grading table, for those the return is not addressed to (the approver): what was said."""
    returned = grade_review.returned_comment(found)
    if returned is None or grade_review.returned_to(actor, found.branch_path, found.submitted_by):
        return  # the branch's graders read it at the top of the page
    by, at, comment = returned
    st.info(f"已退回本支部修改，等待重新报送。{plain(by)} 于 {_when(at)} 退回，意见：{plain(comment or '—')}")


def returned_notices(actor: Actor) -> None:
    """At the top of the grade page: each return addressed to this account, with the approver's comment,
    until the branch submits again."""
    for item in grade_review.waiting_items(actor=actor):
        if item.kind == "returned":
            st.warning(_returned_text(item) + "请按意见修改后重新报上级党组织审批。")


def home_items(actor: Actor) -> None:
    """首页's waiting items: branches waiting for this approver, and branches returned to this secretary,
    each with a way to the grade page opened on that branch."""
    items = grade_review.waiting_items(actor=actor)
    if not items:
        return
    st.subheader(f"待办（{len(items)} 项）")
    for item in items:
        with st.container(border=True):
            if item.kind == "returned":
                st.warning(_returned_text(item))
                label = "前往评议结果，修改后重新报送"
            else:
                when = f"，{plain(item.by)} 于 {_when(item.at)} 报送" if item.at else ""
                st.info(f"待您审批：{_place(item)}的评定格次{when}。")
                label = "前往评议结果，查看并审批"
            go_to("results", label, query_params={"c": item.campaign_id, "b": item.branch_path})


def _returned_text(item: grade_review.WaitingItem) -> str:
    when = f"{plain(item.by)} 于 {_when(item.at)} " if item.at else ""
    return f"评定格次已被退回：{_place(item)}。{when}退回，意见：{plain(item.comment or '—')}。"


def _place(item: grade_review.WaitingItem) -> str:
    return f"{plain(item.branch_path.replace('/', ' / '))}（{plain(item.campaign_title)}）"


def _when(at) -> str:
    return local(at).strftime("%Y-%m-%d %H:%M")
