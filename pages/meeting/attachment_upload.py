"""Adding a photo or sign-in scan to the meeting record: after 上传 the uploader starts empty (a second click
cannot add the same file again), and a file already attached is refused by the service with a clear message."""

import streamlit as st

from models.meeting import ATTACHMENT_LABELS
from pages.shared.plain_text import plain
from pages.shared.widgets import show_error
from services.meeting import attachments
from services.platform.errors import ServiceError
from services.staff.access import Actor

_ROUND = "attachment_round"  # part of the uploader's key: a new key is a new, empty uploader
_DONE = "attachment_done"


def uploader(actor: Actor, campaign_id: int, path: str) -> None:
    if done := st.session_state.pop(_DONE, None):
        st.success(done)
    kind = st.radio("附件类型", list(ATTACHMENT_LABELS), format_func=ATTACHMENT_LABELS.get, horizontal=True)
    round_no = st.session_state.get(_ROUND, 0)
    upload = st.file_uploader(
        f"图片（JPG、PNG 等），每个不超过 {attachments.MAX_BYTES // 1048576} MB，"
        f"每支部最多 {attachments.MAX_PER_BRANCH} 个",
        type=["jpg", "jpeg", "png", "webp", "gif", "bmp"], key=f"attachment_upload_{round_no}",
    )  # fmt: skip
    if upload is None or not st.button("上传", key="attachment_add"):
        return
    try:
        added = attachments.add_attachment(
            actor=actor, campaign_id=campaign_id, branch_path=path, kind=kind, filename=upload.name,
            data=upload.getvalue(),
        )  # fmt: skip
    except ServiceError as exc:
        show_error(exc)
        return
    st.session_state[_ROUND] = round_no + 1
    st.session_state[_DONE] = f"已上传{added.kind_label}“{plain(added.filename)}”"
    st.rerun()
