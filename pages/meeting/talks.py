"""谈心谈话、征求意见 (step 2): talk counts, who needs a visit, the public opinion link and the opinions."""

import streamlit as st

from models.meeting import OPINION_LABELS, PROBLEM_CATEGORIES, TALK_LABELS
from pages.shared.plain_text import plain
from pages.shared.widgets import campaign_and_branch, public_address, records_writer, show_error
from services.meeting import opinions, talks
from services.platform.errors import ServiceError
from services.staff.access import Actor


def render(actor: Actor) -> None:
    st.title("谈心谈话、征求意见")
    campaign, path = campaign_and_branch(actor, "talks")
    if path is None:
        return
    try:
        writer = records_writer(actor, campaign.id, path)
        _talks(actor, campaign.id, path, writer)
        _opinions(actor, campaign.id, path, writer)
    except ServiceError as exc:
        show_error(exc)


def _talks(actor: Actor, campaign_id: int, path: str, writer: bool) -> None:
    now = talks.talks(actor=actor, campaign_id=campaign_id, branch_path=path)
    st.subheader(f"谈心谈话（共 {now.total} 次）")
    if now.to_visit:
        st.info("需要上门或电话谈心：" + "；".join(f"{plain(n)}（{w}）" for n, w in now.to_visit))
    with st.form("talks"):
        counts = {}
        for kind, label in TALK_LABELS.items():
            left, right = st.columns([1, 3])
            count, note = now.counts[kind]
            number = left.number_input(label, min_value=0, max_value=10_000, value=count, step=1, key=f"talk_{kind}")
            text = right.text_input("说明（可不填）", value=note or "", max_chars=500, key=f"talk_note_{kind}")
            counts[kind.value] = (int(number), text)
        if st.form_submit_button("保存谈心谈话", disabled=not writer):
            talks.save_talks(actor=actor, campaign_id=campaign_id, branch_path=path, counts=counts)
            st.rerun()


def _opinions(actor: Actor, campaign_id: int, path: str, writer: bool) -> None:
    st.subheader("征求意见")
    if notice := st.session_state.pop("talks_notice", None):
        st.success(notice)
    public_address(
        actor, campaign_id, path, "opinions",
        "群众扫码或打开：`{url}`\n\n无需登录，不记录身份；"
        f"每个浏览器最多 {opinions.PER_BROWSER} 条，每小时每支部最多 {opinions.PER_BRANCH_HOUR} 条。",
    )  # fmt: skip
    listed = opinions.list_opinions(actor=actor, campaign_id=campaign_id, branch_path=path)
    if not listed:
        st.caption("还没有收到意见。")
    for row in listed:
        with st.container(border=True):
            st.text(row.text)  # as typed: never rendered as markdown or links
            st.caption(f"{row.received_at:%m-%d %H:%M}　{row.state_label}")
            if not writer:
                continue
            left, middle, right = st.columns(3)
            # Keyed by the stored state too: a change made elsewhere (列入问题清单) starts a fresh widget rather
            # than one still holding the old choice, which would write it back.
            state = left.selectbox(
                "处理", list(OPINION_LABELS), index=list(OPINION_LABELS).index(row.state),
                format_func=OPINION_LABELS.get, key=f"opinion_state_{row.id}_{row.state}",
            )  # fmt: skip
            if state != row.state:
                opinions.mark_opinion(
                    actor=actor, campaign_id=campaign_id, branch_path=path, opinion_id=row.id, state=state
                )
                st.rerun()
            category = middle.selectbox("类别", PROBLEM_CATEGORIES, key=f"opinion_category_{row.id}")
            if right.button("列入问题清单", key=f"opinion_copy_{row.id}"):
                number = opinions.copy_to_problems(
                    actor=actor, campaign_id=campaign_id, branch_path=path, opinion_id=row.id, category=category
                )
                st.session_state["talks_notice"] = f"已列入问题清单第 {number} 项，这条意见标为“已采纳”。"
                st.rerun()
