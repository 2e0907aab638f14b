"""Small display helpers shared by the dashboard screens."""

from collections.abc import Callable

import pandas as pd
import streamlit as st

from pages.shared.plain_text import plain
from pages.shared.public_sendables import public_sendables
from services.ballot import distribution
from services.campaign import campaigns, org
from services.campaign.campaigns import CampaignSummary
from services.campaign.org import BranchRow
from services.meeting import branch_links, branch_records
from services.platform import link_address
from services.platform.errors import ImportRejected, ServiceError
from services.platform.link_address import LinkAddress
from services.staff import audit
from services.staff.access import Actor


def campaigns_table(rows: list[CampaignSummary]) -> None:
    frame = pd.DataFrame(
        [
            {
                "编号": c.id,
                "名称": c.title,
                "年度": c.year,
                "状态": c.status_label,
                "截止日期": c.deadline.isoformat(),
                "党支部": c.branches,
                "党员": c.members,
                "正式党员": c.full,
                "预备党员": c.probationary,
            }
            for c in rows
        ]
    )
    st.dataframe(frame, hide_index=True, width="stretch")


def show_error(exc: ServiceError) -> None:
    """A refusal in plain words; an import's problems as a table of row, column, problem."""
    if isinstance(exc, ImportRejected):
        st.error(f"导入失败：共 {len(exc.errors)} 处问题，没有写入任何数据。请改正后重新上传。")
        frame = pd.DataFrame([{"行": e.row or "", "列": e.column or "", "问题": e.message} for e in exc.errors])
        st.dataframe(frame, hide_index=True, width="stretch")
    else:
        st.error(plain(str(exc)))  # service messages quote names people typed


def tree_table(rows: list[BranchRow]) -> None:
    """Branches with their member counts, and the totals above them."""
    if not rows:
        st.info("该活动还没有导入花名册。")
        return
    frame = pd.DataFrame(
        [
            {"上级组织": r.parent, "党支部": r.name, "正式党员": r.full, "预备党员": r.probationary, "合计": r.members}
            for r in rows
        ]
    )
    cols = st.columns(4)
    cols[0].metric("党支部", len(rows))
    cols[1].metric("党员", int(frame["合计"].sum()))
    cols[2].metric("正式党员", int(frame["正式党员"].sum()))
    cols[3].metric("预备党员", int(frame["预备党员"].sum()))
    st.dataframe(frame, hide_index=True, width="stretch")


def campaign_picker(
    rows: list[CampaignSummary], key: str = "campaign_id", prefer: int | None = None
) -> CampaignSummary | None:
    """A select box of campaigns (newest first); None when there are none. Opens on the campaign
    chosen last in this browser session, or named in the address (?c=), else on `prefer`, and
    remembers the choice."""
    if not rows:
        st.info("还没有评议活动。")
        return None
    labels = {c.id: f"{c.title}（{c.status_label}）" for c in rows}
    _recall(key, "c", list(labels), int)
    if key not in st.session_state and prefer in labels:
        st.session_state[key] = prefer
    chosen = st.selectbox("选择评议活动", list(labels), format_func=labels.get, key=key)
    _remember("c", chosen)
    return next(c for c in rows if c.id == chosen)


def branch_picker(
    actor: Actor, campaign: CampaignSummary, key: str, rows: list[BranchRow] | None = None, elsewhere: list[str] = ()
) -> str | None:
    """A select box of the campaign's branches within the actor's scope; returns the branch path,
    remembered across pages and in the address (?b=) like the campaign. `rows`: those branches, when the
    caller has read them already; `elsewhere`: the campaigns that do hold one of the actor's branches,
    named when this one holds none."""
    rows = org.branch_rows(actor=actor, campaign_id=campaign.id) if rows is None else rows
    if not rows:
        titles = "、".join(map(plain, elsewhere))
        hint = f"您可以管理的党支部在：{titles}。请在上方“选择评议活动”中切换。" if elsewhere else ""
        st.info(f"该活动中没有您可以管理的党支部。{hint}")
        return None
    labels = {r.path: r.path.replace("/", " / ") for r in rows}
    _recall(key, "b", list(labels), str)
    chosen = st.selectbox("党支部", list(labels), format_func=labels.get, key=key)
    _remember("b", chosen)
    return chosen


def _recall(key: str, param: str, options: list, kind: type) -> None:
    """Preselect what the address names, else what this session chose last on any page."""
    if key in st.session_state and st.session_state[key] in options:
        return
    for source in (st.query_params.get(param), st.session_state.get(f"chosen_{param}")):
        try:
            value = kind(source) if source is not None else None
        except ValueError:
            continue
        if value in options:
            st.session_state[key] = value
            return


def _remember(param: str, value) -> None:
    st.session_state[f"chosen_{param}"] = value
    if st.query_params.get(param) != str(value):
        st.query_params[param] = str(value)


def link_address_notice(link: str = "测评链接") -> LinkAddress | None:
    """Where voter links (or `link`, a public page's) will point, with the ballot's code entry to try on a
    phone for voter links; loud when phones cannot reach it."""
    address = link_address.choose(st.context.url)
    if address is None:
        st.error(
            "无法确定党员手机能打开的地址：请管理员设置本系统的访问地址（如 http://192.168.1.10:8501）后重启本系统。"
        )
        return None
    source = "按管理员的设置" if address.configured else "即您打开本系统所用的地址"
    entry = address.code_entry_url
    # The address in a code span: as bold text, Markdown's autolink ran on through "**（…" into the link.
    trial = f"请先用手机打开 [{entry}]({entry}) 试一试。" if link == "测评链接" else ""
    st.markdown(f"{link}地址：`{address.url}`（{source}）。{trial}")
    if address.loopback:
        st.error(
            f"链接地址 {address.url} 是本机地址，党员的手机打不开这样的链接和二维码。请在电脑上改用局域网地址"
            "（如 http://192.168.x.x:8501）打开本系统，或由管理员设置本系统的访问地址，再下载链接。"
        )
    return address


def offer_download(
    actor: Actor, label: str, data: bytes | Callable[[], bytes], file_name: str, campaign_id: int | None
) -> None:
    """A download button whose use is written to the audit log; `data` may be made only when clicked.

    A file made on click is logged as it is made, and the click does not rerun the page: a rerun
    started by the same click could leave the browser waiting for the file for good (the button
    spinning, nothing downloaded), as Streamlit answers the file's request late or not at all."""
    where = {"actor": actor, "what": file_name, "campaign_id": campaign_id}
    if not callable(data):
        st.download_button(
            label, data, file_name=file_name, key=f"download:{file_name}", on_click=audit.record_download, kwargs=where
        )
        return

    def made() -> bytes:
        content = data()
        audit.record_download(**where)
        return content

    st.download_button(label, made, file_name=file_name, key=f"download:{file_name}", on_click="ignore")


def campaign_and_branch(actor: Actor, key: str) -> tuple[CampaignSummary | None, str | None]:
    """The two pickers most screens start with; (None, None) until both have a choice."""
    rows = campaigns.list_campaigns(actor=actor)
    # The newest campaign that holds one of the actor's branches opens first, not merely the newest; each
    # campaign's branches are read once, for that and for the branch picker.
    branches = {c.id: org.branch_rows(actor=actor, campaign_id=c.id) for c in rows}
    mine = [c for c in rows if branches[c.id]]
    campaign = campaign_picker(rows, key=f"{key}_campaign", prefer=mine[0].id if mine else None)
    if campaign is None:
        return None, None
    elsewhere = [c.title for c in mine if c.id != campaign.id]
    path = branch_picker(actor, campaign, key=f"{key}_branch", rows=branches[campaign.id], elsewhere=elsewhere)
    return (campaign, path) if path else (None, None)


def metric_row():
    """Figures side by side that wrap two or three to a line on a phone, rather than columns that a narrow
    screen stacks into one tall column of single figures."""
    return st.container(horizontal=True, wrap=True, gap="medium")


def records_writer(actor: Actor, campaign_id: int, branch_path: str) -> bool:
    """Whether this screen offers its edit forms; when the unit's records are frozen (reported), it says so
    first instead of letting a secretary type into forms that will refuse."""
    allowed, why = branch_records.may_write(actor=actor, campaign_id=campaign_id, branch_path=branch_path)
    if why:
        st.info(why)
    return allowed


def go_to(address: str, label: str, query_params: dict | None = None) -> None:
    """A link to another dashboard page of this session (registered by dashboard.py); `query_params` (c, b)
    opens it on a campaign and branch."""
    target = st.session_state.get("_pages", {}).get(address)
    if target is not None:
        st.page_link(target, label=label, icon=":material/arrow_forward:", query_params=query_params)
    else:
        st.caption(label)


_PUBLIC_LINKS = {"opinions": "征求意见链接", "publicity": "公示链接"}  # each page's own words, not the ballot's


def public_address(actor: Actor, campaign_id: int, branch_path: str, purpose: str, explain: str) -> None:
    """A branch's public page (opinions, publicity): its address and a QR code to print or project,
    with `explain` ({url} is the address) — or why there is none yet."""
    address = link_address_notice(_PUBLIC_LINKS.get(purpose, "链接"))
    if address is None:
        return
    url = branch_links.public_link(
        actor=actor, campaign_id=campaign_id, branch_path=branch_path, purpose=purpose, base_url=address.url
    )
    left, right = st.columns([1, 3])
    left.image(distribution.qr_data_uri(url, scale=4), width=160)
    right.markdown(explain.format(url=url))
    public_sendables(actor, campaign_id, branch_path, purpose, url)  # the WeChat text and the A4 poster
    if branch_records.may_write(actor=actor, campaign_id=campaign_id, branch_path=branch_path)[0]:
        _renew_public_address(actor, campaign_id, branch_path, purpose, address.url)


def _renew_public_address(actor: Actor, campaign_id: int, branch_path: str, purpose: str, base_url: str) -> None:
    """A link sent to the wrong group, or flooded: the secretary replaces it, and the old one opens nothing."""
    with st.expander("链接发错了或被滥用？更换链接"):
        st.write("更换后，原来的链接和二维码立即作废，请把新的链接重新发给群众。已收到的内容都保留。")
        if st.button("更换链接（原链接作废）", key=f"renew_{purpose}"):
            branch_links.renew(
                actor=actor, campaign_id=campaign_id, branch_path=branch_path, purpose=purpose, base_url=base_url
            )
            st.session_state[f"renewed_{purpose}"] = True
            st.rerun()
    if st.session_state.pop(f"renewed_{purpose}", False):
        st.success("已更换链接：上面是新的链接和二维码，原来的链接已作废。")
