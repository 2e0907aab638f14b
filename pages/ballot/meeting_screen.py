"""A screen to project in the meeting room: one branch, a big live count, a progress bar; no names."""

from html import escape

import streamlit as st

from pages.shared.plain_text import plain_html
from pages.shared.storage_guard import storage_guard
from pages.shared.widgets import campaign_and_branch
from pages.staff import auth
from services.ballot import distribution, voting
from services.ballot.voting_window import PHASE_LABELS
from services.platform import link_address
from services.staff.access import Actor

REFRESH_SECONDS = 3


def render(actor: Actor) -> None:
    with st.sidebar:  # out of the way once the sidebar is folded for projecting
        campaign, path = campaign_and_branch(actor, "screen")
    if path is not None:
        board(actor, campaign.id, path)


@st.fragment(run_every=REFRESH_SECONDS)
@storage_guard()  # a fragment's reruns run without the frame's guard
def board(actor: Actor, campaign_id: int, path: str) -> None:
    auth.keep_live(actor)
    state = voting.state(actor=actor, campaign_id=campaign_id, branch_path=path)
    share = state.ballots / state.voters if state.voters else 0.0
    status = f"测评{PHASE_LABELS[state.status]}"
    name = plain_html(state.branch_name)  # HTML that Streamlit reads as markdown too
    st.markdown(
        f"<div style='text-align:center'><div style='font-size:42px;font-weight:700'>{name}</div>"
        f"<div style='font-size:26px;color:#666'>党员民主测评 · {status}</div>"
        f"<div style='font-size:120px;font-weight:800;color:#b71c1c;line-height:1.2'>"
        f"已提交 {state.ballots} / {state.voters}</div></div>",
        unsafe_allow_html=True,
    )
    st.progress(min(share, 1.0), text=f"{share:.0%}")
    if state.mode == "unnamed" and state.status == "open":
        _code_entry_qr()


def _code_entry_qr() -> None:
    """For codes on slips: members scan the screen, then type the code printed on their slip."""
    address = link_address.choose(st.context.url)
    if address is None:
        return
    st.markdown(
        f"<div style='text-align:center'><img src='{distribution.qr_data_uri(address.code_entry_url, scale=8)}' "
        f"alt='投票码输入页二维码' style='width:320px;max-width:80vw'>"
        f"<div style='font-size:30px'>手机扫码，输入测评票上的投票码</div>"
        f"<div style='font-size:22px;color:#666'>{escape(address.code_entry_url)}</div></div>",
        unsafe_allow_html=True,
    )
