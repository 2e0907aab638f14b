"""The organizer's sheets of one-time passwords on 账号管理: made by bulk creation, or again by resetting chosen
accounts (asked to confirm). A sheet stays on offer — downloadable as often as needed — until the organizer
closes it; the account list above is drawn again after each."""

import streamlit as st

from pages.shared.plain_text import plain
from pages.shared.widgets import campaign_picker, show_error
from services.campaign import campaigns
from services.platform import link_address
from services.platform.errors import ServiceError
from services.staff import accounts, audit, password_reissue
from services.staff.access import Actor

_SHEET = "bulk_sheet"  # (message, sheet bytes, campaign id or None), kept in the session until closed


def bulk(actor: Actor) -> None:
    st.caption("为所选活动中还没有书记账号的每个党总支、党支部各建一个账号，并生成一次性密码表。")
    campaign = campaign_picker(campaigns.list_campaigns(actor=actor), key="bulk_campaign")
    if campaign is not None and st.button("批量创建", key="bulk_create"):
        try:
            count, sheet = accounts.bulk_create_secretaries(
                actor=actor, campaign_id=campaign.id, login_url=_login_url()
            )
        except ServiceError as exc:
            show_error(exc)
        else:
            st.session_state[_SHEET] = (f"已创建 {count} 个账号。", sheet, campaign.id)
            st.rerun()  # the account list above shows them at once


def reissue(actor: Actor) -> None:
    st.subheader("重新发放一次性密码")
    st.caption("密码表遗失或没有发到本人时使用：重置所选账号的密码，生成新的密码表（含姓名和用户名）。")
    waiting = {a.id for a in password_reissue.awaiting_first_login(actor=actor)}
    others = {
        a.id: f"{a.username}（{a.display_name}）"
        for a in accounts.list_accounts(actor=actor)
        if a.role != "organizer" and a.id != actor.account_id
    }
    if not others:
        st.caption("还没有书记或支部委员账号。")
        return
    chosen = st.multiselect(
        "要重新发放密码的账号（默认：还没有首次登录的账号）", list(others), default=[i for i in others if i in waiting],
        format_func=others.get, placeholder="请选择账号", key="reissue_accounts",
    )  # fmt: skip
    sure = st.checkbox(
        f"确认：这会重置所选 {len(chosen)} 个账号的密码，原来的密码（包括此前发出的一次性密码）立即作废",
        key="reissue_sure",
    )
    if st.button("重置并生成密码表", key="reissue_passwords", disabled=not (chosen and sure)):
        try:
            count, sheet = password_reissue.reset_to_sheet(actor=actor, account_ids=chosen, login_url=_login_url())
        except ServiceError as exc:
            show_error(exc)
            return
        for key in ("reissue_accounts", "reissue_sure"):
            st.session_state.pop(key, None)
        st.session_state[_SHEET] = (f"已重置 {count} 个账号的密码。", sheet, None)
        st.rerun()


def offered(actor: Actor) -> None:
    """The latest sheet, until the organizer says it has been handed out."""
    if _SHEET not in st.session_state:
        return
    message, sheet, campaign_id = st.session_state[_SHEET]
    with st.container(border=True):
        st.success(
            f"{plain(message)}请下载密码表，分发后妥善销毁。密码表会一直保留在这里，直到您点“已分发，关闭密码表”。"
        )
        st.download_button(
            "下载账号与一次性密码表（.xlsx）",
            sheet,
            file_name="书记账号.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key="bulk_download",
            on_click=audit.record_download,  # the sheet holds passwords in clear: who took it, each time
            kwargs={"actor": actor, "what": "书记账号与一次性密码表", "campaign_id": campaign_id},
        )
        if st.button("已分发，关闭密码表", key="bulk_dismiss"):
            st.session_state.pop(_SHEET, None)
            st.rerun()


def _login_url() -> str | None:
    address = link_address.choose(st.context.url)
    return address.url if address else None
