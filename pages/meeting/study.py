"""集中学习 (step 1): the branch's study sessions, who was absent, and the materials taken to them."""

import streamlit as st

from pages.shared.plain_text import plain
from pages.shared.widgets import campaign_and_branch, records_writer, show_error
from services.campaign import members
from services.meeting import study
from services.platform.clock import local, now
from services.platform.errors import ServiceError
from services.staff.access import Actor


def render(actor: Actor) -> None:
    st.title("集中学习")
    campaign, path = campaign_and_branch(actor, "study")
    if path is None:
        return
    try:
        if actor.is_organizer:
            _suggested(actor, campaign.id)
        writer = records_writer(actor, campaign.id, path)
        if writer:
            _new_session(actor, campaign.id, path)
        for held in study.list_study(actor=actor, campaign_id=campaign.id, branch_path=path):
            with st.container(border=True):
                st.markdown(
                    f"**{held.held_on}　{plain(held.topic)}**　参加 {held.attended} 人，缺席 {len(held.absent)} 人"
                )
                if held.materials:
                    st.text(held.materials)
                for absent in held.absent:
                    why = "、".join(w for w, f in (("年老体弱", absent.elderly_ill), ("外出", absent.away)) if f)
                    sent = st.checkbox(
                        f"{plain(absent.name)}{f'（{why}）' if why else ''}：已送学习资料", value=absent.materials_sent,
                        key=f"sent_{held.id}_{absent.member_id}", disabled=not writer,
                    )  # fmt: skip
                    if sent != absent.materials_sent:
                        study.mark_materials_sent(
                            actor=actor, campaign_id=campaign.id, branch_path=path, session_id=held.id,
                            member_id=absent.member_id, sent=sent,
                        )  # fmt: skip
    except ServiceError as exc:
        show_error(exc)


def _suggested(actor: Actor, campaign_id: int) -> None:
    with st.expander("学习内容（组织部为各支部统一设置）"):
        text = st.text_area("每行一项", value="\n".join(study.suggested_materials(campaign_id=campaign_id)))
        if st.button("保存学习内容", key="save_study_materials"):
            study.set_suggested_materials(actor=actor, campaign_id=campaign_id, text=text)
            st.success("已保存")


def _new_session(actor: Actor, campaign_id: int, path: str) -> None:
    people = {m.id: m.name for m in members.list_members(actor=actor, campaign_id=campaign_id, branch_path=path)}
    suggested = study.suggested_materials(campaign_id=campaign_id)
    with st.form("new_study", clear_on_submit=True):
        st.subheader("记录一次集中学习")
        held_on = st.date_input("学习日期", value=local(now()).date())  # the unit's day, not the server's
        topic = st.text_input("学习主题", value=suggested[0] if suggested else "", max_chars=200)
        materials = st.text_area("学习材料", value="\n".join(suggested), max_chars=1000)
        absent = st.multiselect(
            "缺席的党员（其余视为参加）", list(people), format_func=people.get, placeholder="请选择"
        )
        if not st.form_submit_button("保存", type="primary"):
            return
    study.record_study(
        actor=actor, campaign_id=campaign_id, branch_path=path, held_on=held_on, topic=topic,
        materials=materials, absent=absent,
    )  # fmt: skip
    st.rerun()
