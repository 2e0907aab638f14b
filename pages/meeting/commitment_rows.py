"""整改承诺 on 整改落实: every member a row with what they wrote; the secretary writes one down (代录) or corrects
it in a plain form in the row's place, and deletes only what the branch entered."""

import streamlit as st

from pages.shared import item_form
from pages.shared.copy_text import copy_text
from pages.shared.item_form import Row
from pages.shared.plain_text import plain
from services.meeting import commitments
from services.meeting.commitments import CommitmentRow
from services.staff.access import Actor

KEY = "commitments"


def commitments_section(actor: Actor, campaign_id: int, path: str, writer: bool) -> None:
    st.subheader("整改承诺")
    rows = commitments.branch_commitments(actor=actor, campaign_id=campaign_id, branch_path=path)
    missing = [r for r in rows if not r.text]
    st.caption(f"已填写 {len(rows) - len(missing)} / {len(rows)} 人。党员用本人的链接（测评链接或个人链接）填写。")
    if missing:
        st.warning("尚未填写：" + "、".join(plain(r.name) for r in missing))
        copy_text(commitments.reminder_text(branch_name=path.rsplit("/", 1)[-1], missing=len(missing)))
    if writer:
        st.caption("党员不便自己填写的，可点其名下的“代录或修改”替他写下。")
        item_form.notice(KEY)
    where = {"actor": actor, "campaign_id": campaign_id, "branch_path": path}

    def entered(member_id: int, text: str) -> str:
        commitments.enter_for(**where, member_id=member_id, text=text)
        return "已保存代录的承诺。"

    def deleted(member_id: int, row: CommitmentRow) -> str:
        commitments.delete_entered(**where, member_id=member_id)
        return f"已删除为{row.name}代录的承诺。"

    item_form.rows(
        KEY, [_row(r) for r in rows], writer=writer, empty="本支部还没有党员。",
        edit_form=lambda member_id, row: _form(member_id, row, entered),
        delete=deleted, edit_label="代录或修改",
    )  # fmt: skip


def _row(r: CommitmentRow) -> Row:
    title = f"{r.name}（支部代录）" if r.by_secretary else r.name
    return Row(r.member_id, title, r.text, [] if r.text else ["尚未填写"], deletable=r.by_secretary, value=r)


def _form(member_id: int, row: CommitmentRow | None, entered) -> None:
    with st.form(item_form.form_key(KEY, member_id)):
        text = st.text_area("承诺内容", value=(row.text or "") if row else "", max_chars=500)
        pressed = st.form_submit_button("保存代录的承诺", type="primary")
    if pressed:
        item_form.attempt(KEY, lambda: entered(member_id, text))
