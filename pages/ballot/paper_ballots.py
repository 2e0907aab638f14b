"""Paper ballots: mark who votes on paper (their links stop working), then type the ballots in."""

import streamlit as st

from models.voting import GRADE_LABELS, OPINION_MAX, SATISFACTION_LABELS
from pages.shared.plain_text import plain
from pages.shared.widgets import campaign_and_branch, show_error
from services.ballot import ballot_form, paper_ballots, paper_list, voting
from services.ballot.ballot_form import FilledBallot
from services.campaign import members
from services.platform.errors import ServiceError
from services.staff.access import Actor


def render(actor: Actor) -> None:
    st.title("纸质票")
    st.caption("为不便使用手机的党员准备纸质测评表：先登记谁用纸质票（其链接随即失效），会后逐张录入。")
    campaign, path = campaign_and_branch(actor, "paper")
    if path is None:
        return
    if done := st.session_state.pop("paper_done", None):
        st.success(done)
    try:
        state = voting.state(actor=actor, campaign_id=campaign.id, branch_path=path)
        if state.status != "open":
            st.info("本支部的测评未在进行中：开启测评后才能登记和录入纸质票。")
            return
        st.metric("纸质票（已录入 / 已登记）", f"{state.paper_entered} / {state.paper_marked}")
        if state.paper_invalid:
            st.caption(f"其中废票 {state.paper_invalid} 张（单独计数，不计入测评结果）")
        _mark(actor, campaign.id, path, state)
        _listed(actor, campaign.id, path)
        if state.paper_entered < state.paper_marked:
            _enter(actor, campaign.id, path)
    except ServiceError as exc:
        show_error(exc)


def _mark(actor: Actor, campaign_id: int, path: str, state: voting.VotingState) -> None:
    st.subheader("登记纸质投票")
    if state.mode == "named":
        people = {m.id: m.name for m in members.list_members(actor=actor, campaign_id=campaign_id, branch_path=path)}
        chosen = st.multiselect(
            "使用纸质票的党员", list(people), format_func=people.get, key="paper_members", placeholder="请选择"
        )
        if st.button("登记", key="mark_paper", disabled=not chosen):
            paper_ballots.mark_paper(actor=actor, campaign_id=campaign_id, branch_path=path, member_ids=chosen)
            names = "、".join(plain(people[m]) for m in chosen)
            st.session_state["paper_done"] = f"已登记 {len(chosen)} 人使用纸质票：{names}。他们的测评链接已失效。"
            st.session_state.pop("paper_members", None)  # the choice is done: not left selected
            st.rerun()
    else:
        count = st.number_input("改用纸质票的人数", min_value=1, max_value=max(1, state.links_valid), key="paper_count")
        if st.button("登记并作废相应投票码", key="mark_paper"):
            voided = paper_ballots.mark_paper(actor=actor, campaign_id=campaign_id, branch_path=path, count=int(count))
            st.session_state["paper_done"] = (
                f"已登记 {len(voided)} 人使用纸质票：第 {'、'.join(map(str, voided))} 号投票码已作废，请收回这些票。"
            )
            st.rerun()


def _listed(actor: Actor, campaign_id: int, path: str) -> None:
    """Who votes on paper so far: after each registration the secretary sees the whole list, not only the last."""
    listed = paper_list.paper_voters(actor=actor, campaign_id=campaign_id, branch_path=path)
    if not listed.count:
        st.caption("还没有登记使用纸质票的党员。")
    elif listed.named:
        st.markdown(f"**已登记使用纸质票（{listed.count} 人）**：{'、'.join(plain(n) for n in listed.names)}")
    else:
        numbers = "、".join(map(str, listed.slips))
        st.markdown(f"**已登记使用纸质票（{listed.count} 人）**：已作废第 {numbers} 号投票码")


def _enter(actor: Actor, campaign_id: int, path: str) -> None:
    st.subheader("录入一张纸质票")
    st.caption("按纸质测评表的顺序逐行录入。空白、优秀超过限额或无法辨认的票，请点“记为废票”：单独计数，不计入结果。")
    form = ballot_form.branch_form(actor=actor, campaign_id=campaign_id, branch_path=path)
    grades = list(GRADE_LABELS)
    keys = [f"paper_m{member_id}" for member_id, _ in form.rated]
    with st.form("paper_ballot"):  # not cleared on submit: a refused ballot keeps every choice
        choices = {
            member_id: st.radio(
                f"{number}\\. {plain(name)}", grades, format_func=GRADE_LABELS.get, index=None, horizontal=True, key=key
            )
            for number, ((member_id, name), key) in enumerate(zip(form.rated, keys, strict=True), start=1)
        }
        ratings = {}
        if form.rate_branch_committee:
            for name, label in (("branch_committee", "对支部委员会的评价"), ("report", "对支部书记述职的评价")):
                keys.append(f"paper_{name}")
                ratings[name] = st.radio(
                    label,
                    list(SATISFACTION_LABELS),
                    format_func=SATISFACTION_LABELS.get,
                    index=None,
                    horizontal=True,
                    key=keys[-1],
                )
        if form.collect_opinions:
            keys.append("paper_opinion")
        opinion = st.text_area("意见建议", max_chars=OPINION_MAX, key=keys[-1]) if form.collect_opinions else None
        enter, invalid = st.columns(2)
        entered = enter.form_submit_button("录入", type="primary")
        really = invalid.checkbox("这张票无效（空白、优秀超限或无法辨认）", key="paper_spoilt_sure")
        spoiled = invalid.form_submit_button("记为废票")
    if spoiled and not really:  # a 废票 cannot be taken back: one click must not make one
        st.error("记为废票前，请先勾选“这张票无效”。废票记下后不能撤销，这张票没有记录。")
    elif spoiled:
        paper_ballots.record_invalid_paper_ballot(actor=actor, campaign_id=campaign_id, branch_path=path)
        _next_ballot([*keys, "paper_spoilt_sure"], "已记为废票一张（不计入测评结果）")
    elif entered:
        filled = FilledBallot(
            choices={m: g for m, g in choices.items() if g},
            branch_committee_rating=ratings.get("branch_committee"),
            report_rating=ratings.get("report"),
            opinion=opinion or None,
        )
        paper_ballots.enter_paper_ballot(actor=actor, campaign_id=campaign_id, branch_path=path, filled=filled)
        _next_ballot(keys, "已录入一张纸质票")


def _next_ballot(keys: list[str], message: str) -> None:
    """An empty form for the next ballot, and the counters above brought up to date at once."""
    for key in keys:
        st.session_state.pop(key, None)
    st.session_state["paper_done"] = message
    st.rerun()
