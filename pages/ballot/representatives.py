"""群众评议: where the campaign asks for it, a branch hands unnamed codes to non-member representatives who rate
its full members; their results are shown apart, for reference only (rules: services/ballot/representatives.py)."""

import streamlit as st

from pages.shared.plain_text import plain
from pages.shared.widgets import campaign_and_branch, link_address_notice, metric_row, offer_download, show_error
from services.ballot import distribution, representatives
from services.ballot import representatives_count as masses_count
from services.ballot.voting_window import PHASE_LABELS
from services.platform import link_address
from services.platform.errors import ServiceError
from services.staff.access import Actor, may_run_voting

_GRADES = {"excellent": "优秀", "qualified": "合格", "basically_qualified": "基本合格", "unqualified": "不合格"}


def render(actor: Actor) -> None:
    st.title("群众评议")
    st.caption(
        "群众代表（非党员）用无记名投票码对本支部正式党员评议，与党员的测评同样保密；"
        "结果单独统计，仅供参考，不计入格次建议、“优秀”名额、参评率和党内统计。"
    )
    campaign, path = campaign_and_branch(actor, "masses")
    if path is None:
        return
    try:
        state = representatives.state(actor=actor, campaign_id=campaign.id, branch_path=path)
        if actor.is_organizer:
            _setting(actor, campaign.id, state.enabled)
        if not state.enabled:
            st.info("本次评议活动没有设置群众评议。如单位规定需要，由组织部在本页开启。")
            return
        row = metric_row()
        row.metric("状态", PHASE_LABELS[state.status])
        row.metric("已收群众评议票", state.voted)
        row.metric("未用投票码", state.codes_unused)
        runs = may_run_voting(actor, path)
        if state.status == "not_open" and runs:
            _open(actor, campaign, path)
        elif state.status == "open" and runs:
            _running(actor, campaign, path)
        elif state.status == "closed":
            results_section(actor, campaign.id, path)
    except ServiceError as exc:
        show_error(exc)


def _setting(actor: Actor, campaign_id: int, enabled: bool) -> None:
    wanted = st.toggle("本次评议活动开展群众评议", value=enabled, key="masses_enabled")
    if wanted != enabled:
        representatives.set_enabled(actor=actor, campaign_id=campaign_id, enabled=wanted)
        st.rerun()


def _open(actor: Actor, campaign, path: str) -> None:
    count = st.number_input(
        "发给群众代表的投票码数量", min_value=1, max_value=representatives.MAX_CODES, value=10, step=1, key="masses_n"
    )
    if st.button("开启群众评议并生成投票码", type="primary", key="masses_open"):
        address = link_address.choose(st.context.url)
        if address is None:
            st.error("请管理员设置本系统的访问地址后再开启")
            return
        made = representatives.open_masses(
            actor=actor, campaign_id=campaign.id, branch_path=path, codes=int(count), base_url=address.url
        )
        st.session_state["masses_made"] = f"已生成 {len(made)} 个群众代表投票码，请下载打印后随机发放。"
        st.rerun()


def _running(actor: Actor, campaign, path: str) -> None:
    if made := st.session_state.pop("masses_made", None):
        st.success(made)
    address = link_address_notice()
    if address is not None:
        codes = representatives.unused_codes(
            actor=actor, campaign_id=campaign.id, branch_path=path, base_url=address.url
        )
        st.caption(f"未使用的 {len(codes)} 个投票码随时可以再次下载，与此前发出的相同。")
        header = distribution.SlipHeader(
            campaign.title, path.rsplit("/", 1)[-1], campaign.deadline.isoformat(), address.code_entry_url, "群众评议"
        )
        offer_download(
            actor,
            "打印群众代表投票码（含二维码，.html）",
            lambda: distribution.slips_html(codes, header),
            f"{path.rsplit('/', 1)[-1]}-群众评议投票码.html",
            campaign.id,
        )
        more = st.number_input(
            "追加投票码", min_value=1, max_value=representatives.MAX_CODES, value=5, key="masses_more"
        )
        if st.button("追加", key="masses_add"):
            representatives.add_codes(
                actor=actor, campaign_id=campaign.id, branch_path=path, codes=int(more), base_url=address.url
            )
            st.rerun()
    sure = st.checkbox("我确认结束群众评议（结束后不能再投票）", key="masses_confirm_close")
    if st.button("结束群众评议", type="primary", key="masses_close", disabled=not sure):
        representatives.close_masses(actor=actor, campaign_id=campaign.id, branch_path=path)
        st.rerun()


def results_section(actor: Actor, campaign_id: int, path: str) -> None:
    """On 评议结果, below the members' results: the branch's 群众评议 table, when it has one that ended."""
    found = masses_count.tally(actor=actor, campaign_id=campaign_id, branch_path=path)
    if found is not None:
        show_tally(found)


def show_tally(found: masses_count.MassesTally) -> None:
    """The table 群众评议（仅供参考，不计入格次建议）: one row per full member, the votes per grade."""
    st.subheader(masses_count.TITLE)
    st.caption(f"{plain(found.branch_name)}：收回群众代表评议票 {found.ballots} 张")
    st.dataframe(
        [{"姓名": name, **{label: votes[g] for g, label in _GRADES.items()}} for _, name, votes in found.rows],
        hide_index=True,
    )
