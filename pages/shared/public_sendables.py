"""Under a branch's public address (/o/ opinions, /g/ publicity): a text to paste in the WeChat group, with a
复制 button, and an A4 poster with the QR code to print and put up (made only when clicked)."""

import streamlit as st

from pages.shared import widgets  # widgets.public_address calls this module: attributes looked up on use
from pages.shared.copy_text import copy_text
from services.meeting.public_notice import poster_html, public_notice, wechat_text
from services.staff.access import Actor

_FILES = {"opinions": "征求意见海报", "publicity": "公示海报"}


def public_sendables(actor: Actor, campaign_id: int, branch_path: str, purpose: str, url: str) -> None:
    notice = public_notice(actor=actor, campaign_id=campaign_id, branch_path=branch_path, purpose=purpose, url=url)
    st.markdown("**发到微信群的文字**（点“复制”，再到微信群里长按粘贴）")
    copy_text(wechat_text(notice))
    widgets.offer_download(
        actor,
        "下载 A4 海报（含二维码，打开后打印张贴）",
        lambda: poster_html(notice),
        f"{notice.branch_name}-{_FILES[purpose]}.html",
        campaign_id,
    )
