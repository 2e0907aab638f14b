"""The grading table: final grades set in one table, saved as a draft as often as needed, then submitted."""

import pandas as pd
import streamlit as st

from models.grading import DISPOSITION_KINDS, FEEDBACK_NOTE_MAX, REASON_MAX
from models.voting import GRADE_BY_LABEL, GRADE_LABELS
from pages.shared.plain_text import plain
from services.grading import final_grades
from services.grading.final_grades import EDITABLE, GradeEntry, GradesRejected
from services.grading.results import BranchResults
from services.staff.access import Actor, may_grade

_COLUMNS = ["评定格次", "理由", "组织处置", "处置说明", "给本人的话"]


def render(actor: Actor, found: BranchResults) -> None:
    if not may_grade(actor, found.branch_path) or found.state not in EDITABLE:
        return
    st.subheader("评定格次")
    if notice := st.session_state.pop("grades_notice", None):
        st.success(notice)
    st.caption(
        "建议格次已预先填入，可逐人修改；与建议不同的须写理由，“不合格”须选组织处置并写说明；"
        "“给本人的话”只有本人在反馈页面看到。可随时保存草稿（填到哪里存到哪里），"
        "报上级党组织审批时才检查以上各项，并列出每一处需要修改的地方。"
    )
    frame = pd.DataFrame(
        [
            {
                "姓名": r.name,
                "建议格次": GRADE_LABELS.get(r.suggestion.grade, "—"),
                "往年格次": r.earlier_text,  # the two latest earlier years
                "评定格次": GRADE_LABELS.get(
                    r.final.grade or (r.suggestion.grade if found.state == "not_started" else None)
                ),
                "理由": r.final.reason,
                "组织处置": r.final.disposition,
                "处置说明": r.final.disposition_note,
                "给本人的话": r.final.feedback_note,
            }
            for r in found.rows
        ]
    )
    edited = st.data_editor(
        frame,
        hide_index=True,
        width="stretch",
        disabled=["姓名", "建议格次", "往年格次"],
        num_rows="fixed",
        key=f"grades:{found.campaign_id}:{found.branch_path}:{len(found.history)}",
        column_config={
            "评定格次": st.column_config.SelectboxColumn(options=list(GRADE_BY_LABEL)),
            "理由": st.column_config.TextColumn(max_chars=REASON_MAX),
            "组织处置": st.column_config.SelectboxColumn(options=list(DISPOSITION_KINDS)),
            "处置说明": st.column_config.TextColumn(max_chars=REASON_MAX),
            "给本人的话": st.column_config.TextColumn(max_chars=FEEDBACK_NOTE_MAX),
        },
    )
    entries = [_entry(r.member_id, row) for r, row in zip(found.rows, edited.to_dict("records"), strict=True)]
    left, right = st.columns(2)
    if left.button("保存草稿", key="grades_save") and _save(actor, found, entries):
        graded = sum(1 for e in entries if e.grade)
        st.session_state["grades_notice"] = f"草稿已保存：已评定 {graded} / {len(entries)} 人。"
        st.rerun()
    if waiting := st.session_state.pop("grades_waiting", None):  # after a save: what submitting still needs
        st.info(_listed(f"报送审批前还需修改 {len(waiting)} 处：", waiting))
    sure = right.checkbox("全部评定完毕，报上级党组织审批（报送后不能再修改，除非被退回）", key="grades_sure")
    submit = right.button("报上级党组织审批", type="primary", key="grades_submit", disabled=not sure)
    if submit and _save(actor, found, entries):
        st.session_state.pop("grades_waiting", None)  # the refusal below says it all
        try:
            final_grades.submit_grades(actor=actor, campaign_id=found.campaign_id, branch_path=found.branch_path)
        except GradesRejected as refused:
            st.error(_listed(f"草稿已保存，但未报送审批：共 {len(refused.problems)} 处需要修改：", refused.problems))
            return
        st.rerun()


def _entry(member_id: int, row: dict) -> GradeEntry:
    def text(name: str) -> str | None:
        value = row.get(name)
        return value if isinstance(value, str) and value.strip() else None

    return GradeEntry(
        member_id,
        GRADE_BY_LABEL.get(text("评定格次") or ""),
        text("理由"),
        text("组织处置"),
        text("处置说明"),
        text("给本人的话"),
    )


def _save(actor: Actor, found: BranchResults, entries: list[GradeEntry]) -> bool:
    """保存草稿 saves whatever is entered (refused only for what cannot be stored); the rules wait for 报送."""
    try:
        saved = final_grades.save_grades(
            actor=actor, campaign_id=found.campaign_id, branch_path=found.branch_path, entries=entries
        )
    except GradesRejected as refused:
        st.error(_listed(f"未保存，共 {len(refused.problems)} 处需要修改：", refused.problems))
        return False
    st.session_state["grades_waiting"] = final_grades.submission_problems(saved)
    return True


def _listed(head: str, problems: list[str]) -> str:
    """One message with every problem, each naming the member."""
    return "\n".join([head, *(f"- {plain(p)}" for p in problems)])
