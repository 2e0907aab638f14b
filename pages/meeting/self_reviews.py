"""党性分析 (个人自评): who of the branch has handed theirs in and who has not — counts and names, never the texts
— a reminder to paste in the WeChat group, the texts printed for the meeting, and a form to enter one for a
member who cannot (代录)."""

import pandas as pd
import streamlit as st

from models.self_review import SELF_REVIEW_MAX
from pages.shared import personal_links
from pages.shared.copy_text import copy_text
from pages.shared.plain_text import plain
from pages.shared.widgets import campaign_and_branch, metric_row, records_writer, show_error
from services.campaign.campaigns import CampaignSummary
from services.meeting import self_review_list, self_reviews
from services.meeting.self_review_list import SelfReviewList
from services.platform.errors import ServiceError
from services.staff.access import Actor, may_run_voting

LINKS_INTRO = (
    "党员用本人的链接填写党性分析：组织生活会前，请生成个人链接，下载个人链接表，按姓名发给每位党员本人"
    "（测评前、测评中、测评后都可以生成）。实名测评的支部，党员投票后再打开本人的测评链接，也可以填写。"
)
_ROUND = "self_review_round"  # part of the form's keys: after a save the form starts empty
_DONE = "self_review_done"


def render(actor: Actor) -> None:
    st.title("党性分析")
    st.caption(
        "每位党员对照合格党员标准撰写党性分析（个人自评）：党员打开本人的个人链接（或投票后的实名测评链接），"
        "点“填写党性分析”，组织生活会召开前可以修改。本页只显示谁已提交、谁未提交，不显示内容。"
    )
    campaign, path = campaign_and_branch(actor, "self_reviews")
    if path is None:
        return
    try:
        listed = self_review_list.self_review_list(actor=actor, campaign_id=campaign.id, branch_path=path)
        _figures(listed)
        if listed.closed:
            st.info(self_reviews.LOCKED.rstrip("。") + "：党员和支部都不能再提交或修改党性分析。")
        if not listed.closed:
            _links(actor, campaign, path, listed)
        writer = records_writer(actor, campaign.id, path)
        if writer:
            _print(actor, campaign.id, path, listed)
            if not listed.closed:
                _enter_form(actor, campaign.id, path, listed)
    except ServiceError as exc:
        show_error(exc)


def _figures(listed: SelfReviewList) -> None:
    entered = sum(s.by_secretary for s in listed.submitted)
    with metric_row():
        st.metric("应交", listed.total)
        st.metric("已交", len(listed.submitted))
        st.metric("其中代录", entered)
        st.metric("未交", len(listed.missing))
    if listed.missing:
        names = [m.name for m in listed.missing]
        st.warning("尚未提交：" + "、".join(plain(name) for name in names))
        if not listed.closed:
            st.caption("提醒未提交的同志（复制后发到支部微信群）：")
            copy_text(self_review_list.reminder_text(branch_name=listed.branch_name, missing=names))
    if listed.submitted:
        kinds = {(True, False): "文字", (False, True): "照片", (True, True): "文字和照片"}
        table = pd.DataFrame(
            [
                {
                    "姓名": s.name,
                    "提交日期": f"{s.on:%Y-%m-%d}",
                    "方式": s.how,
                    "内容": kinds.get((s.has_text, s.has_image)),
                }
                for s in listed.submitted
            ]
        )
        st.dataframe(table, hide_index=True, width="stretch")


def _links(actor: Actor, campaign: CampaignSummary, path: str, listed: SelfReviewList) -> None:
    if not may_run_voting(actor, path):
        return
    st.subheader("党性分析链接")
    ids = [s.member_id for s in listed.submitted] + [m.member_id for m in listed.missing]
    personal_links.issue_block(actor, campaign, path, listed.branch_name, ids, intro=LINKS_INTRO)


def _print(actor: Actor, campaign_id: int, path: str, listed: SelfReviewList) -> None:
    if not listed.submitted:
        return
    st.caption("打印党性分析材料供组织生活会使用：每人一页 A4，最后一页是提交情况。下载会记入操作日志。")
    st.download_button(
        f"打印党性分析材料（{len(listed.submitted)} 份，.html）",
        lambda: self_review_list.printable_html(actor=actor, campaign_id=campaign_id, branch_path=path),
        file_name=f"{listed.branch_name}-党性分析材料.html",
        key="self_reviews_print",
        on_click="ignore",  # made, and audited, when clicked (services/meeting/self_review_list.py)
    )


def _enter_form(actor: Actor, campaign_id: int, path: str, listed: SelfReviewList) -> None:
    st.subheader("代录党性分析")
    if done := st.session_state.pop(_DONE, None):
        st.success(done)
    st.caption("党员不便自己填写的（年老体弱、没有手机），可由支部代为录入文字或上传手写稿照片，标为“代录”。")
    people = {m.member_id: m.name for m in listed.missing} | {s.member_id: s.name for s in listed.submitted}
    handed_in = {s.member_id for s in listed.submitted}
    round_no = st.session_state.get(_ROUND, 0)
    with st.form(f"self_review_enter_{round_no}"):
        member_id = st.selectbox(
            "党员", list(people), index=None, placeholder="请选择党员",
            format_func=lambda m: people[m] + ("（已提交，保存将替换）" if m in handed_in else ""),
        )  # fmt: skip
        text = st.text_area("党性分析内容", max_chars=SELF_REVIEW_MAX, height=240)
        photo = st.file_uploader("手写稿照片（可不传）", type=["jpg", "jpeg", "png", "webp"])
        pressed = st.form_submit_button("保存代录的党性分析", type="primary")
    if not pressed:
        return
    if member_id is None:
        st.error("请先选择党员")
        return
    try:
        self_reviews.enter_for(
            actor=actor, campaign_id=campaign_id, branch_path=path, member_id=member_id, text=text,
            image=photo.getvalue() if photo else None, image_name=photo.name if photo else None,
        )  # fmt: skip
    except ServiceError as exc:
        show_error(exc)
        return
    st.session_state[_ROUND] = round_no + 1
    st.session_state[_DONE] = f"已保存为{plain(people[member_id])}代录的党性分析。"
    st.rerun()
