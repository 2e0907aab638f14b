"""组织生活会记录 (step 4): the meeting record, absences with reasons, and its photos and sign-in sheets."""

import streamlit as st

from models.meeting import NOTE_MAX, REPORT_MAX
from pages.meeting import attachment_upload
from pages.shared import vote_and_meeting
from pages.shared.plain_text import plain
from pages.shared.widgets import campaign_and_branch, records_writer, show_error
from services.meeting import attachments, meeting_record
from services.meeting.meeting_record import MeetingFields
from services.platform.clock import local, now
from services.platform.errors import ServiceError
from services.staff.access import Actor


def render(actor: Actor) -> None:
    st.title("组织生活会记录")
    campaign, path = campaign_and_branch(actor, "meeting")
    if path is None:
        return
    try:
        view = meeting_record.meeting(actor=actor, campaign_id=campaign.id, branch_path=path)
        writer = records_writer(actor, campaign.id, path)
        _summary(view)
        vote_and_meeting.render(actor, campaign.id, path)  # ballots by day against the meeting
        if writer:
            _form(actor, campaign.id, path, view)
        _attachments(actor, campaign.id, path, writer)
    except ServiceError as exc:
        show_error(exc)


def _summary(view: meeting_record.MeetingView) -> None:
    if view.record is None:
        st.info("尚未记录本支部的组织生活会。")
        return
    if view.in_future:
        st.warning(f"会议日期 {view.record.held_on} 还未到：会后请核对并补全记录。")
    absent = "；".join(f"{plain(n)}（{plain(view.absences[m])}）" for m, n, _ in view.members if m in view.absences)
    st.markdown(
        f"应到 {len(view.members)} 人，实到 {len(view.present)} 人"
        + (f"；缺席：{absent}" if absent else "")
        + (f"\n\n以普通党员身份参加的党员领导干部：{'、'.join(plain(n) for n in view.leading_cadres_present)}"
           if view.leading_cadres_present else "")
    )  # fmt: skip
    if not view.voting_closed:
        st.caption("本支部的民主测评尚未结束。")


def _form(actor: Actor, campaign_id: int, path: str, view: meeting_record.MeetingView) -> None:
    r = view.record
    names = {m: n for m, n, _ in view.members}
    absent = st.multiselect(
        "缺席的党员（其余视为出席）", list(names), default=list(view.absences), format_func=names.get,
        placeholder="无人缺席", key="meeting_absent",
    )  # fmt: skip
    with st.form("meeting"):
        st.subheader("会议情况")
        left, right = st.columns(2)
        held_on = left.date_input("召开日期", value=r.held_on if r else local(now()).date())  # the unit's day
        place = right.text_input("地点", value=r.place if r else "", max_chars=100)
        presided_by = left.text_input("主持人", value=r.presided_by if r else "", max_chars=60)
        upper = right.text_input("上级党组织参会人员", value=(r.upper_attendees or "") if r else "", max_chars=200)
        report = st.checkbox("支部书记述职", value=bool(r and r.report_given))
        criticism = st.checkbox("开展批评和自我批评", value=bool(r and r.criticism_held))
        evaluation = st.checkbox("开展民主评议党员", value=bool(r.evaluation_held) if r else view.voting_closed)
        report_text = st.text_area("书记述职", value=(r.secretary_report or "") if r else "", max_chars=REPORT_MAX,
                                   height=200, placeholder="支部书记述职的内容（写入备案材料）",
                                   key="meeting_report")  # fmt: skip
        last_year = st.text_area("上年整改落实情况", value=(r.last_year_rectification or "") if r else "",
                                 max_chars=NOTE_MAX, placeholder="上一年度查摆问题的整改落实情况",
                                 key="meeting_last_year")  # fmt: skip
        counted = left.text_input("计票人", value=(r.counted_by or "") if r else "", max_chars=60,
                                  key="meeting_counted_by")  # fmt: skip
        scrutinized = right.text_input("监票人", value=(r.scrutinized_by or "") if r else "", max_chars=60,
                                       key="meeting_scrutinized_by")  # fmt: skip
        notes = st.text_area("备注", value=(r.notes or "") if r else "", max_chars=2000)
        reasons = {m: st.text_input(f"{plain(names[m])}的缺席原因", value=view.absences.get(m, ""), max_chars=100,
                                    key=f"absence_{m}") for m in absent}  # fmt: skip
        if not st.form_submit_button("保存会议记录", type="primary"):
            return
    fields = MeetingFields(
        held_on,
        place,
        presided_by,
        upper,
        report,
        criticism,
        evaluation,
        notes,
        secretary_report=report_text,
        last_year_rectification=last_year,
        counted_by=counted,
        scrutinized_by=scrutinized,
    )
    meeting_record.save_meeting(actor=actor, campaign_id=campaign_id, branch_path=path, fields=fields, absences=reasons)
    st.rerun()


def _attachments(actor: Actor, campaign_id: int, path: str, writer: bool) -> None:
    st.subheader("会议照片和签到表")
    where = {"actor": actor, "campaign_id": campaign_id, "branch_path": path}
    if writer:
        attachment_upload.uploader(actor, campaign_id, path)  # cleared after 上传; a file attached twice refused
    listed = attachments.list_attachments(**where)
    columns = st.columns(4)
    for index, item in enumerate(listed):
        with columns[index % 4]:
            st.image(item.thumbnail, caption=f"{item.kind_label}：{plain(item.filename)}")
            if writer and st.button("删除", key=f"attachment_delete_{item.id}"):
                attachments.delete_attachment(**where, attachment_id=item.id)
                st.rerun()
