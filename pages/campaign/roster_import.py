"""Importing a roster in two steps: the template to fill, then an upload shows what the import would do
(per branch, new / changed / removed members, rows with problems) and only 确认导入 writes it."""

import pandas as pd
import streamlit as st

from pages.shared.plain_text import plain
from pages.shared.widgets import offer_download, show_error
from services.campaign import roster, roster_preview, roster_template
from services.campaign.roster_preview import MemberChange, RosterPreview
from services.platform.errors import ServiceError
from services.staff.access import Actor

_SHOWN_NAMES = 30  # removed members named in the warning itself; all are in the table below it


def roster_import(actor: Actor, campaign_id: int) -> None:
    st.subheader("导入党员花名册")
    if done := st.session_state.pop(f"roster_done_{campaign_id}", None):
        st.success(done)
    st.caption(
        "第一步：下载模板，按模板填写（需要“姓名”“党支部”“党员类别”三列，其他列可不填）；也可以用本单位已有的表格。"
        "第二步：上传 .xlsx 或 .csv 文件，先看预览；核对无误后点“确认导入”。"
    )
    offer_download(
        actor, "下载花名册模板（.xlsx）", roster_template.template_workbook, "党员花名册模板.xlsx", campaign_id
    )
    # A new key after each import empties the uploader: the same file is not imported twice by mistake.
    round_ = st.session_state.get(f"roster_round_{campaign_id}", 0)
    upload = st.file_uploader(
        "选择花名册文件（不超过 10 MB）",
        type=["xlsx", "csv"],
        key=f"roster_{campaign_id}" + (f"_{round_}" if round_ else ""),
        max_upload_size=10,
    )
    if upload is None:
        return
    data = upload.getvalue()
    # Made once per uploaded file (20,000 members take seconds), not again on every rerun of the page.
    cache = f"roster_preview_{campaign_id}"
    if st.session_state.get(cache, (None,))[0] != upload.file_id:
        try:
            shown = roster_preview.preview_roster_file(
                actor=actor, campaign_id=campaign_id, filename=upload.name, data=data
            )
        except ServiceError as exc:
            show_error(exc)
            return
        st.session_state[cache] = (upload.file_id, shown)
    shown = st.session_state[cache][1]
    show_preview(shown)
    if not st.button("确认导入", type="primary", key="import_roster", disabled=not shown.can_import):
        return
    try:
        report = roster.import_roster_file(actor=actor, campaign_id=campaign_id, filename=upload.name, data=data)
    except ServiceError as exc:
        show_error(exc)
        return
    st.session_state[f"roster_done_{campaign_id}"] = f"导入成功：{report.summary()}"
    st.session_state[f"roster_round_{campaign_id}"] = round_ + 1
    st.session_state.pop(cache, None)
    st.rerun()


def show_preview(shown: RosterPreview) -> None:
    st.markdown("**预览：以下内容还没有导入**")
    if shown.blocked:
        st.error(shown.blocked)
    if shown.problems:
        st.error(f"有 {len(shown.problems)} 处问题，请在表格中改正后重新上传；有问题时不能导入。")
        problems = [{"行": p.row or "", "列": p.column or "", "问题": p.message} for p in shown.problems]
        st.dataframe(pd.DataFrame(problems), hide_index=True, width="stretch")
    if not shown.branches:
        return
    st.info(shown.summary())
    counts = [
        {
            "党支部": b.label,
            "人数": b.members,
            "正式党员": b.full,
            "预备党员": b.probationary,
            "新增": b.added,
            "更新": b.changed,
            "移除": b.removed,
        }
        for b in shown.branches
    ]
    st.dataframe(pd.DataFrame(counts), hide_index=True, width="stretch")
    if shown.removed:
        names = "、".join(plain(c.name) for c in shown.removed[:_SHOWN_NAMES])
        more = f"等 {len(shown.removed)} 人" if len(shown.removed) > _SHOWN_NAMES else ""
        st.warning(f"导入后将从花名册中移除（表中没有）：{names}{more}")
    _names("新增", shown.added, expanded=False)
    _names("更新", shown.changed, expanded=bool(shown.changed))
    _names("移除", shown.removed, expanded=False)
    notes = []
    if shown.examples_skipped:
        notes.append(f"已跳过 {shown.examples_skipped} 行示例")
    if shown.ignored_columns:
        notes.append(f"未使用的列：{'、'.join(plain(c) for c in shown.ignored_columns)}")
    if notes:
        st.caption("；".join(notes))


def _names(what: str, rows: list[MemberChange], *, expanded: bool) -> None:
    if not rows:
        return
    with st.expander(f"{what} {len(rows)} 人", expanded=expanded):
        table = [{"党支部": c.branch, "姓名": c.name, **({"变化": c.what} if c.what else {})} for c in rows]
        st.dataframe(pd.DataFrame(table), hide_index=True, width="stretch")
