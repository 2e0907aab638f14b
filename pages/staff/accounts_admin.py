"""Account management: organizers manage every account; branch secretaries their committee members."""

import pandas as pd
import streamlit as st

from models.account import ROLE_LABELS, Role
from models.org_unit import OrgKind
from pages.shared.plain_text import plain
from pages.shared.widgets import campaign_picker, show_error
from pages.staff import password_sheets
from services.campaign import campaigns, org
from services.platform.clock import local
from services.platform.errors import ServiceError
from services.staff import accounts
from services.staff.access import Actor, manages_accounts

_SCOPE_KIND = {Role.general_branch_secretary: OrgKind.general_branch}
_FLASH = "_accounts_flash"


def _done(message: str) -> None:
    """Show `message` above the refreshed account list."""
    st.session_state[_FLASH] = message
    st.rerun()


def render(actor: Actor) -> None:
    st.title("账号管理")
    if not manages_accounts(actor):
        st.error("只有组织部和支部书记可以管理账号")
        return
    if flash := st.session_state.pop(_FLASH, None):
        st.success(flash)  # made with plain() around every typed name
    rows = accounts.list_accounts(actor=actor)
    _table(rows)
    others = [a for a in rows if a.id != actor.account_id]
    if others:
        _actions(actor, others)
    with st.expander("新建账号", expanded=not others):
        _create_form(actor)
    if actor.is_organizer:
        st.subheader("按花名册批量创建书记账号")
        password_sheets.bulk(actor)
        password_sheets.offered(actor)  # kept until the organizer closes it
        password_sheets.reissue(actor)


def _table(rows) -> None:
    frame = pd.DataFrame(
        [
            {
                "用户名": a.username,
                "姓名": a.display_name,
                "角色": a.role_label,
                "管理范围": (a.scope_path or "全部组织").replace("/", " / "),
                "状态": "正常" if a.is_active else "已停用",
                "待改密码": "是" if a.must_change_password else "",
                "锁定至": local(a.locked_until).strftime("%m-%d %H:%M") if a.locked_until else "",
            }
            for a in rows
        ]
    )
    st.dataframe(frame, hide_index=True, width="stretch")


def _actions(actor: Actor, rows) -> None:
    st.subheader("操作账号")
    by_id = {a.id: a for a in rows}
    chosen = st.selectbox(
        "选择账号", list(by_id), format_func=lambda i: f"{by_id[i].username}（{by_id[i].display_name}）", key="acct"
    )
    account = by_id[chosen]
    left, right = st.columns(2)
    if left.button("重置密码", key="reset_password"):
        try:
            secret = accounts.reset_password(actor=actor, account_id=account.id)
        except ServiceError as exc:
            show_error(exc)
        else:
            _done(f"{plain(account.username)} 的一次性密码：{secret}（只显示这一次，请当面或电话告知本人）")
    label = "停用账号" if account.is_active else "启用账号"
    if right.button(label, key="toggle_active"):
        try:
            accounts.set_active(actor=actor, account_id=account.id, active=not account.is_active)
        except ServiceError as exc:
            show_error(exc)
        else:
            _done(f"{plain(account.username)} 已{'停用' if account.is_active else '启用'}")
    if actor.is_organizer:
        _assign(actor, account)


def _assign(actor: Actor, account) -> None:
    """Change an account's role and the unit it manages (secretaries change every year)."""
    with st.expander(f"调整 {plain(account.username)} 的角色和管理范围"):
        roles = list(Role)
        role = st.selectbox(
            "角色",
            roles,
            index=roles.index(Role(account.role)),
            format_func=lambda r: ROLE_LABELS[r],
            key="assign_role",
        )
        scope = None if role == Role.organizer else _scope_picker(actor, role, key="assign")
        if st.button("保存", key="assign_save"):
            try:
                accounts.assign_scope(actor=actor, account_id=account.id, role=role, scope_path=scope)
            except ServiceError as exc:
                show_error(exc)
            else:
                where = plain((scope or "全部组织").replace("/", " / "))
                _done(f"{plain(account.username)} 现为{ROLE_LABELS[role]}，管理范围：{where}")


def _create_form(actor: Actor) -> None:
    roles = list(Role) if actor.is_organizer else [Role.committee_member]
    role = st.selectbox("角色", roles, format_func=lambda r: ROLE_LABELS[r], key="new_role")
    scope = actor.scope_path
    if actor.is_organizer and role != Role.organizer:
        scope = _scope_picker(actor, role)
    with st.form("create_account", clear_on_submit=True):
        username = st.text_input("用户名（登录用）", key="new_username")
        name = st.text_input("姓名", key="new_display_name")
        submitted = st.form_submit_button("创建", type="primary")
    if not submitted:
        return
    try:
        new = accounts.create_account(actor=actor, username=username, display_name=name, role=role, scope_path=scope)
    except ServiceError as exc:
        show_error(exc)
        return
    _done(f"已创建 {plain(new.account.username)}，一次性密码：{new.password}（只显示这一次，首次登录后须修改）")


def _scope_picker(actor: Actor, role: Role, key: str = "new") -> str | None:
    campaign = campaign_picker(campaigns.list_campaigns(actor=actor), key=f"{key}_scope_campaign")
    if campaign is None:
        return None
    kind = _SCOPE_KIND.get(role, OrgKind.branch)
    paths = org.unit_paths(actor=actor, campaign_id=campaign.id, kind=kind)
    return st.selectbox("管理范围", paths, format_func=lambda p: p.replace("/", " / "), key=f"{key}_scope")
