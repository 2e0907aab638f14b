"""One item at a time, for people rather than spreadsheets: a plain form (fields stacked, fine in a phone-width
window) adds an item; the items are listed below as read-only rows, each with 修改 (the form, filled, in the
row's place) and 删除 (asked once). A page's table (st.data_editor) stays for power users, folded away in
`grid_box`.

`key` names one list on a page ("problems"); everything this module keeps in the session is under it."""

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

import streamlit as st

from pages.shared.plain_text import plain
from pages.shared.widgets import show_error
from services.platform.errors import ServiceError

GRID_LABEL = "表格编辑（一次改很多项时用，可不打开）"


@dataclass(frozen=True)
class Row:
    ident: Hashable  # what names the item to the page: its number in the list, or its id
    title: str  # a short heading (第 1 项, a name, a date and topic), shown bold and escaped
    body: str | None = None  # what people typed, shown as typed, line breaks kept, never as markup
    details: list[str] = field(default_factory=list)  # further lines (类别、来源…), shown small
    extra: Callable[[], None] | None = None  # more of the row, drawn below (e.g. checkboxes of its own)
    deletable: bool = True
    value: object = None  # the item as listed: what 修改 fills the form with and what a save expects to replace


def editing(key: str) -> Hashable | None:
    """The item whose form is open, or None while the add form is shown."""
    return st.session_state.get(f"{key}:editing")


def before(key: str) -> object:
    """The item as it was listed when 修改 was pressed (not as it may read now, after someone else's change)."""
    return st.session_state.get(f"{key}:before")


def form_key(key: str, ident: Hashable | None = None) -> str:
    """The form's name: new after each save or cancel, so the next form starts empty (or filled afresh), while a
    refused one keeps what was typed."""
    return f"{key}:form:{st.session_state.get(f'{key}:round', 0)}:{ident}"


def notice(key: str) -> None:
    """What the last save or deletion did, said once after the page is redrawn."""
    if said := st.session_state.pop(f"{key}:notice", None):
        st.success(said)


def submit(editing_now: bool, add_label: str) -> bool:
    """The form's button: `add_label` for a new item, 保存修改 for a changed one; True when pressed."""
    return st.form_submit_button("保存修改" if editing_now else add_label, type="primary")


def attempt(key: str, action: Callable[[], str], grid_key: str | None = None) -> None:
    """Run a save or deletion; on success note what it did, close the form, reset the table and redraw; a refusal
    is shown where the person is looking and leaves the form as typed."""
    try:
        said = action()
    except ServiceError as exc:
        show_error(exc)
        return
    finished(key, said, grid_key)


def finished(key: str, said: str, grid_key: str | None = None) -> None:
    st.session_state[f"{key}:notice"] = said
    st.session_state.pop(f"{key}:editing", None)
    st.session_state.pop(f"{key}:confirm", None)
    st.session_state[f"{key}:round"] = st.session_state.get(f"{key}:round", 0) + 1
    if grid_key is not None:
        st.session_state.pop(grid_key, None)  # the table's unsaved edits would apply to the wrong rows now
    st.rerun()


def _close(key: str) -> None:
    st.session_state.pop(f"{key}:editing", None)
    st.session_state[f"{key}:round"] = st.session_state.get(f"{key}:round", 0) + 1


def cancel_button(key: str) -> None:
    """Below an open form: back to the list without saving."""
    st.button("取消修改", key=f"{key}:cancel", on_click=_close, args=(key,))


def rows(
    key: str,
    items: list[Row],
    *,
    writer: bool,
    edit_form: Callable[[Hashable, object], None],
    delete: Callable[[Hashable, object], str],
    empty: str,
    grid_key: str | None = None,
    edit_label: str = "修改",
) -> None:
    """The list, one bordered row per item. For a writer each row has 修改 (its form opens in the row's place,
    drawn by `edit_form(ident, value)`) and 删除, which asks once before `delete(ident, value)` (returning what it
    did); `value` is the item as listed when the button was pressed."""
    if not items:
        st.caption(empty)
    for row in items:
        with st.container(border=True):
            if writer and editing(key) == row.ident:
                st.markdown(f"**{plain(row.title)}**")  # whose or which item the form changes
                edit_form(row.ident, before(key))
                cancel_button(key)
                continue
            st.markdown(f"**{plain(row.title)}**")
            if row.body:
                st.text(row.body)
            for line in row.details:
                st.caption(plain(line))
            if row.extra is not None:
                row.extra()
            if writer:
                _row_buttons(key, row, delete, grid_key, edit_label)
    if writer and editing(key) is not None and editing(key) not in {row.ident for row in items}:
        with st.container(border=True):  # the item left the list meanwhile: the form stays, and its save says so
            edit_form(editing(key), before(key))
            cancel_button(key)


def _row_buttons(
    key: str, row: Row, delete: Callable[[Hashable, object], str], grid_key: str | None, edit_label: str
) -> None:
    if st.session_state.get(f"{key}:confirm") == row.ident:
        st.warning("确定删除这一项吗？删除后不能恢复。")
        with st.container(horizontal=True):
            really = st.button("确定删除", type="primary", key=f"{key}:really:{row.ident}")
            st.button("不删除", key=f"{key}:keep:{row.ident}", on_click=st.session_state.pop, args=(f"{key}:confirm",))
        if really:
            st.session_state.pop(f"{key}:confirm", None)
            doomed = st.session_state.get(f"{key}:doomed")
            attempt(key, lambda: delete(row.ident, doomed), grid_key)
        return
    with st.container(horizontal=True):
        if st.button(edit_label, key=f"{key}:edit:{row.ident}"):
            st.session_state.pop(f"{key}:confirm", None)
            st.session_state[f"{key}:editing"] = row.ident
            st.session_state[f"{key}:before"] = row.value
            st.rerun()
        if row.deletable and st.button("删除", key=f"{key}:delete:{row.ident}"):
            st.session_state[f"{key}:confirm"] = row.ident
            st.session_state[f"{key}:doomed"] = row.value
            st.rerun()


def grid_box():
    """The table for power users, closed until opened."""
    return st.expander(GRID_LABEL, expanded=False)
