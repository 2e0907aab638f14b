"""谈心谈话、征求意见 (step 2): talk counts, who needs a visit, the public opinion link and the opinions."""

import streamlit as st

from models.meeting import OPINION_LABELS, PROBLEM_CATEGORIES, TALK_LABELS, TalkKind
from pages.shared import item_form
from pages.shared.item_form import Row
from pages.shared.plain_text import plain
from pages.shared.widgets import campaign_and_branch, public_address, records_writer, show_error
from services.meeting import opinions, talks
from services.platform.errors import ServiceError
from services.staff.access import Actor

TALKS = "talks"


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
    where = {"actor": actor, "campaign_id": campaign_id, "branch_path": path}
    if writer:
        st.caption("每种谈话点“填写或修改”，填次数和说明。")
        item_form.notice(TALKS)

    def cleared(kind: str, _) -> str:
        talks.save_talks(**where, counts={kind: (0, None)})
        return f"“{TALK_LABELS[TalkKind(kind)]}”已清零。"

    rows = []
    for kind, label in TALK_LABELS.items():
        count, note = now.counts[kind]
        rows.append(Row(kind.value, label, None, [f"{count} 次" + (f"　说明：{note}" if note else "")],
                        deletable=bool(count or note), value=(count, note)))  # fmt: skip
    item_form.rows(
        TALKS, rows, writer=writer, empty="", edit_label="填写或修改", delete=cleared,
        edit_form=lambda kind, before: _talk_form(where, kind, before),
    )  # fmt: skip
    if writer:
        with item_form.grid_box():
            _all_kinds(where, now)


def _talk_form(where: dict, kind: str, before: tuple[int, str | None] | None) -> None:
    """One kind of talk: how many, and a note — stacked."""
    count, note = before or (0, None)
    label = TALK_LABELS[TalkKind(kind)]
    with st.form(item_form.form_key(TALKS, kind)):
        number = st.number_input(f"{label}：次数", min_value=0, max_value=10_000, value=count, step=1)
        text = st.text_input("说明（可不填）", value=note or "", max_chars=500)
        pressed = st.form_submit_button("保存", type="primary")
    if pressed:

        def save() -> str:
            talks.save_talks(**where, counts={kind: (int(number), text)})
            return f"“{label}”已保存：{int(number)} 次。"

        item_form.attempt(TALKS, save)


def _all_kinds(where: dict, now: talks.Talks) -> None:
    """Every kind at once, as before: for whoever fills them in one go."""
    with st.form("talks"):
        counts = {}
        for kind, label in TALK_LABELS.items():
            count, note = now.counts[kind]
            number = st.number_input(label, min_value=0, max_value=10_000, value=count, step=1, key=f"talk_{kind}")
            text = st.text_input(f"{label}：说明（可不填）", value=note or "", max_chars=500, key=f"talk_note_{kind}")
            counts[kind.value] = (int(number), text)
        pressed = st.form_submit_button("保存谈心谈话")
    if pressed:

        def save() -> str:
            talks.save_talks(**where, counts=counts)
            return "谈心谈话已保存。"

        item_form.attempt(TALKS, save)


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
            # No default: the secretary chooses (services/meeting/opinions.py refuses none chosen, and says so).
            category = middle.selectbox(
                "类别", PROBLEM_CATEGORIES, index=None, placeholder="请选择类别", key=f"opinion_category_{row.id}"
            )
            if right.button("列入问题清单", key=f"opinion_copy_{row.id}"):
                try:
                    number = opinions.copy_to_problems(
                        actor=actor, campaign_id=campaign_id, branch_path=path, opinion_id=row.id, category=category
                    )
                except ServiceError as exc:
                    show_error(exc)
                    continue
                st.session_state["talks_notice"] = f"已列入问题清单第 {number} 项，这条意见标为“已采纳”。"
                st.rerun()
