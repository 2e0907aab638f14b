"""Running the vote in a branch: open it, hand out links or codes, close it (results: pages/grading/results.py)."""

import streamlit as st

from pages.ballot import taking_part
from pages.shared.plain_text import plain, plain_address
from pages.shared.widgets import campaign_and_branch, go_to, link_address_notice, metric_row, offer_download, show_error
from services.ballot import ballot_form, closing_notice, distribution, voter_links, voting, wording
from services.ballot.voting_window import PHASE_LABELS
from services.campaign import campaigns, members
from services.platform import link_address
from services.platform.errors import ServiceError
from services.platform.link_address import LinkAddress
from services.staff.access import Actor

_MODES = {"named": "实名链接（可提醒未投票的党员）", "unnamed": "无记名投票码（随机发放，只统计人数）"}


def render(actor: Actor) -> None:
    st.title("组织测评")
    campaign, path = campaign_and_branch(actor, "vote")
    if path is None:
        return
    try:
        state = voting.state(actor=actor, campaign_id=campaign.id, branch_path=path)
        row = metric_row()
        row.metric("状态", PHASE_LABELS[state.status])
        row.metric("应投票人数", state.voters)
        row.metric("已收在线票", state.voted_online)
        row.metric("纸质票（已录/登记）", f"{state.paper_entered}/{state.paper_marked}")
        if state.status == "not_open":
            _open(actor, campaign.id, path)
        elif state.status == "open":
            _running(actor, campaign.id, path, state)
        else:
            _results()
        taking_part.render(actor, campaign.id, path)  # 未参加评议: before the vote and after it
        _handouts(actor, campaign, path, state)
    except ServiceError as exc:
        show_error(exc)


def _open(actor: Actor, campaign_id: int, path: str) -> None:
    mode = st.radio("发放方式", list(_MODES), format_func=_MODES.get, key="vote_mode")
    if st.button(wording.OPEN_BUTTON[mode], type="primary", key="open_voting"):
        address = link_address.choose(st.context.url)
        voting.open_voting(
            actor=actor, campaign_id=campaign_id, branch_path=path, mode=mode, base_url=address and address.url
        )
        st.rerun()


def _running(actor: Actor, campaign_id: int, path: str, state: voting.VotingState) -> None:
    what = wording.noun(state.mode)
    st.caption(f"发放方式：{_MODES[state.mode]}；未用{what} {state.links_valid} 条")
    # One above the other, short labels: side by side, a phone cut the labels off.
    left, right = st.container(border=True), st.container(border=True)
    with left:
        st.caption(f"仅在{what}泄露时使用：此前发出、尚未使用的{what}全部作废。")
        sure = st.checkbox(f"作废全部未用{what}，重新生成", key="confirm_reissue")
        if st.button(f"重新生成全部未用{what}", key="reissue_all", disabled=not sure):
            address = link_address.choose(st.context.url)
            if address is not None:
                made = voter_links.issue_links(
                    actor=actor, campaign_id=campaign_id, branch_path=path, base_url=address.url
                )
                st.session_state["reissued"] = (
                    f"已重新生成 {len(made)} 条{what}，此前发出的未用{what}已全部作废。请下载新的{what}表重新发放。"
                )
                st.rerun()
    with right:
        notice = closing_notice.closing_notice(actor=actor, campaign_id=campaign_id, branch_path=path)
        waiting = notice.waiting
        if waiting:  # closing cannot be undone: say who would be shut out before it is confirmed
            st.warning(_who_waits(notice))
        label = "我已知晓，仍要结束测评" if waiting else f"全部 {state.voters} 人已投票，我确认结束测评"
        sure = st.checkbox(label, key="confirm_close")
        if st.button("结束测评", type="primary", key="close_voting", disabled=not sure):
            voting.close_voting(actor=actor, campaign_id=campaign_id, branch_path=path)
            st.rerun()
    if state.mode == "named":
        _reissue(actor, campaign_id, path)


def _who_waits(notice: closing_notice.ClosingNotice) -> str:
    text = f"还有 {notice.waiting} 人尚未投票（已收回 {notice.ballots} / 应投 {notice.voters}）"
    if notice.names:
        text += f"。尚未投票的党员：{'、'.join(plain(n) for n in notice.names)}"
    if notice.paper_waiting:
        text += f"；另有 {notice.paper_waiting} 张已登记的纸质票尚未录入"
    if notice.names is None:
        text += "（无记名投票码，只统计人数，不显示姓名）"
    return text + "。结束后他们不能再投票，此操作不能撤销。"


def _reissue(actor: Actor, campaign_id: int, path: str) -> None:
    st.subheader("补发链接")
    listed = members.list_members(actor=actor, campaign_id=campaign_id, branch_path=path)
    people = {m.id: m.name for m in listed if not m.not_taking_part}  # 未参加评议: no link
    member_id = st.selectbox(
        "链接遗失的党员", list(people), format_func=people.get, index=None, key="reissue_member", placeholder="请选择"
    )
    address = link_address.choose(st.context.url)
    if st.button("补发", key="reissue_one", disabled=member_id is None or address is None):
        link = voter_links.reissue_link(
            actor=actor, campaign_id=campaign_id, branch_path=path, member_id=member_id, base_url=address.url
        )
        st.success(f"{plain(link.label)}的新链接（原链接已作废）：{plain_address(link.url)}")


def _results() -> None:
    st.success("本支部的测评已结束。")
    go_to("results", "测评结果、建议格次，以及评定格次和审批：前往“评议结果”")  # a link: no "on the left" on a phone


def _handouts(actor: Actor, campaign: campaigns.CampaignSummary, path: str, state: voting.VotingState) -> None:
    st.subheader("发放材料")
    form = ballot_form.branch_form(actor=actor, campaign_id=campaign.id, branch_path=path)
    if state.status == "open":
        address = link_address_notice()
        if address is not None and state.links_valid:
            what = wording.noun(state.mode)
            if reissued := st.session_state.pop("reissued", None):  # just made anew: say so, not "the same"
                st.success(reissued)
            else:
                st.caption(
                    f"未使用的 {state.links_valid} 条{what}随时可以再次下载，与此前发出的相同，不会作废任何{what}。"
                )
            _link_downloads(actor, campaign, path, form.branch_name, address)
    paper = distribution.paper_form(
        campaign_title=campaign.title,
        branch_name=form.branch_name,
        rated=[n for _, n in form.rated],
        cap=form.cap,
        cap_rule=form.cap_rule,
        instructions=form.instructions,
        rate_branch_committee=form.rate_branch_committee,
        collect_opinions=form.collect_opinions,
    )
    offer_download(actor, "空白纸质测评表（.xlsx，A4）", paper, f"{form.branch_name}-党员民主测评表.xlsx", campaign.id)


def _link_downloads(
    actor: Actor, campaign: campaigns.CampaignSummary, path: str, branch_name: str, address: LinkAddress
) -> None:
    # The same links as before, made again from the server secret: nothing voided.
    found = voter_links.current_links(actor=actor, campaign_id=campaign.id, branch_path=path, base_url=address.url)
    if found.lost:
        st.warning(
            f"有 {found.lost} 条未用链接无法再次下载（升级前生成，或系统密钥已更换）；如需，请重新生成全部未用链接。"
        )
    header = distribution.SlipHeader(campaign.title, branch_name, campaign.deadline.isoformat(), address.code_entry_url)
    # The files (QR codes and all) are made only when clicked.
    offer_download(
        actor,
        "链接表（.xlsx）",
        lambda: distribution.links_sheet(found.links, branch_name=branch_name),
        f"{branch_name}-测评链接.xlsx",
        campaign.id,
    )
    offer_download(
        actor,
        "打印测评票（含二维码，.html）",
        lambda: distribution.slips_html(found.links, header),
        f"{branch_name}-测评票.html",
        campaign.id,
    )
