"""The unit's filing details on 报送与备案: the cover lines (负责人, 填表人, the office's 联系电话) and its own
paragraphs of the written report, one text area per section — entered once, before 报送."""

import streamlit as st

from pages.shared.widgets import show_error
from services.filing import unit_details
from services.platform.errors import ServiceError
from services.staff.access import Actor


def form(actor: Actor, campaign_id: int, unit_path: str) -> None:
    where = {"actor": actor, "campaign_id": campaign_id, "unit_path": unit_path}
    d = unit_details.details(**where)
    key = unit_path or "党委"
    with st.form(f"unit_details_{key}"):
        st.markdown("**报送单位信息**（写在汇总表和封面的落款处；联系电话填办公电话，不填个人手机）")
        left, middle, right = st.columns(3)
        leader = left.text_input("负责人", value=d.leader or "", max_chars=unit_details.NAME_MAX,
                                 key=f"unit_leader_{key}")  # fmt: skip
        preparer = middle.text_input("填表人", value=d.preparer or "", max_chars=unit_details.NAME_MAX,
                                     key=f"unit_preparer_{key}")  # fmt: skip
        phone = right.text_input("联系电话（办公电话）", value=d.office_phone or "", max_chars=unit_details.PHONE_MAX,
                                 key=f"unit_phone_{key}")  # fmt: skip
        st.markdown("**情况报告**：各部分的统计数字自动生成，下面填写本单位补充的文字（每部分可留空）")
        sections = {
            name: st.text_area(
                heading,
                value=d.sections.get(name, ""),
                max_chars=unit_details.SECTION_MAX,
                key=f"unit_section_{name}_{key}",
            )
            for name, heading in unit_details.SECTIONS.items()
        }
        if not st.form_submit_button("保存报送单位信息和情况报告"):
            return
    try:
        unit_details.save_details(**where, leader=leader, preparer=preparer, office_phone=phone, sections=sections)
    except ServiceError as exc:
        show_error(exc)
        return
    st.session_state["filing_notice"] = "已保存报送单位信息和情况报告。"
    st.rerun()
