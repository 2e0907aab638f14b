"""集中学习 (step 1): the branch's study sessions, one at a time in a plain form and listed below with 修改 and
删除; who was absent, and the materials taken to them."""

import streamlit as st

from pages.shared import item_form
from pages.shared.item_form import Row
from pages.shared.plain_text import plain
from pages.shared.widgets import campaign_and_branch, records_writer, show_error
from services.campaign import members
from services.meeting import study
from services.meeting.study import Study
from services.platform.clock import local, now
from services.platform.errors import ServiceError
from services.staff.access import Actor

KEY = "study"


def render(actor: Actor) -> None:
    st.title("集中学习")
    campaign, path = campaign_and_branch(actor, "study")
    if path is None:
        return
    try:
        if actor.is_organizer:
            _suggested(actor, campaign.id)
        writer = records_writer(actor, campaign.id, path)
        people = {m.id: m.name for m in members.list_members(actor=actor, campaign_id=campaign.id, branch_path=path)}
        if writer:
            item_form.notice(KEY)
            if item_form.editing(KEY) is None:
                _form(actor, campaign.id, path, people, None)
        item_form.rows(
            KEY, [_row(actor, campaign.id, path, held, writer) for held in
                  study.list_study(actor=actor, campaign_id=campaign.id, branch_path=path)],
            writer=writer, empty="还没有记录集中学习。",
            edit_form=lambda _, before: _form(actor, campaign.id, path, people, before),
            delete=lambda session_id, before: _delete(actor, campaign.id, path, session_id, before),
        )  # fmt: skip
    except ServiceError as exc:
        show_error(exc)


def _row(actor: Actor, campaign_id: int, path: str, held: Study, writer: bool) -> Row:
    return Row(
        held.id, f"{held.held_on}　{held.topic}", held.materials,
        [f"参加 {held.attended} 人，缺席 {len(held.absent)} 人"],
        extra=lambda: _absentees(actor, campaign_id, path, held, writer), value=held,
    )  # fmt: skip


def _absentees(actor: Actor, campaign_id: int, path: str, held: Study, writer: bool) -> None:
    """Who was absent, each with a tick for the materials taken to them (送学)."""
    for absent in held.absent:
        why = "、".join(w for w, f in (("年老体弱", absent.elderly_ill), ("外出", absent.away)) if f)
        sent = st.checkbox(
            f"{plain(absent.name)}{f'（{why}）' if why else ''}：已送学习资料", value=absent.materials_sent,
            key=f"sent_{held.id}_{absent.member_id}", disabled=not writer,
        )  # fmt: skip
        if sent != absent.materials_sent:
            study.mark_materials_sent(
                actor=actor, campaign_id=campaign_id, branch_path=path, session_id=held.id,
                member_id=absent.member_id, sent=sent,
            )  # fmt: skip


def _delete(actor: Actor, campaign_id: int, path: str, session_id: int, before: Study) -> str:
    study.delete_study(actor=actor, campaign_id=campaign_id, branch_path=path, session_id=session_id)
    return f"已删除 {before.held_on} 的集中学习记录。"


def _suggested(actor: Actor, campaign_id: int) -> None:
    with st.expander("学习内容（组织部为各支部统一设置）"):
        text = st.text_area("每行一项", value="\n".join(study.suggested_materials(campaign_id=campaign_id)))
        if st.button("保存学习内容", key="save_study_materials"):
            study.set_suggested_materials(actor=actor, campaign_id=campaign_id, text=text)
            st.success("已保存")


def _form(actor: Actor, campaign_id: int, path: str, people: dict[int, str], before: Study | None) -> None:
    """Record a study session, or correct one (`before`, as it was listed), with who was absent."""
    suggested = study.suggested_materials(campaign_id=campaign_id)
    with st.form(item_form.form_key(KEY, before.id if before else None)):
        if before is None:
            st.markdown("**记录一次集中学习**")
        held_on = st.date_input(
            "学习日期", value=before.held_on if before else local(now()).date(), format="YYYY-MM-DD"
        )  # the unit's day, not the server's
        topic = st.text_input(
            "学习主题", value=before.topic if before else suggested[0] if suggested else "", max_chars=200
        )
        materials = st.text_area(
            "学习材料", value=(before.materials or "") if before else "\n".join(suggested), max_chars=1000
        )
        absent = st.multiselect(
            "缺席的党员（其余视为参加）", list(people), format_func=people.get, placeholder="请选择",
            default=[a.member_id for a in before.absent if a.member_id in people] if before else [],
        )  # fmt: skip
        pressed = item_form.submit(before is not None, "保存")
    if not pressed:
        return

    def save() -> str:
        study.record_study(
            actor=actor, campaign_id=campaign_id, branch_path=path, held_on=held_on, topic=topic,
            materials=materials, absent=absent, session_id=before.id if before else None,
        )  # fmt: skip
        return f"已保存 {held_on} 的集中学习。"

    item_form.attempt(KEY, save)
