"""What a secretary sends or puts up for a branch's public pages — the /o/ opinion link and the /g/ publicity
page: a short text to paste in a WeChat group, and an A4 poster with a large QR code, the branch's name,
what the page is for and until when. Made from the address the page shows; reads only."""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from models import Campaign
from services.ballot.distribution import qr_data_uri
from services.meeting import publicity
from services.meeting.branch_records import branch_to_read
from services.platform.db import session_scope
from services.platform.errors import InvalidInput
from services.staff.access import Actor

_templates = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"), autoescape=select_autoescape(["html"])
)
HEADINGS = {"opinions": "征求意见", "publicity": "公示"}


@dataclass(frozen=True)
class PublicNotice:
    purpose: str  # opinions | publicity
    url: str
    branch_name: str
    campaign_title: str
    starts_on: date | None  # the publicity period; None for opinions
    ends_on: date | None  # opinions: the campaign's deadline; publicity: the period's last day, if published

    @property
    def heading(self) -> str:
        return HEADINGS[self.purpose]

    @property
    def what_for(self) -> str:
        if self.purpose == "opinions":
            return f"诚恳听取您对{self.branch_name}和党员的意见建议。手机扫码填写，无需登录，不记录姓名。"
        return f"{self.branch_name}整改清单和党员整改承诺公示。手机扫码查看，如有意见请向党支部反映。"

    @property
    def until(self) -> str:
        if self.purpose == "opinions":
            return f"请于 {day(self.ends_on)} 前提出"
        if self.ends_on is None:
            return "公示期：发布后在本页显示"
        return f"公示期：{day(self.starts_on)} 至 {day(self.ends_on)}"


def day(value: date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def public_notice(*, actor: Actor, campaign_id: int, branch_path: str, purpose: str, url: str) -> PublicNotice:
    """The facts a text or poster for the branch's public page needs; `url` is the address the page shows."""
    if purpose not in HEADINGS:
        raise InvalidInput(f"未知的公开页面“{purpose}”")
    with session_scope() as session:
        branch = branch_to_read(session, actor, campaign_id, branch_path)
        campaign = session.get(Campaign, campaign_id)
        if purpose == "opinions":
            starts_on, ends_on = None, campaign.deadline
        else:
            shown = publicity.period(session, campaign_id, branch.id)
            starts_on, ends_on = (shown.starts_on, shown.ends_on) if shown else (None, None)
        return PublicNotice(purpose, url, branch.name, campaign.title, starts_on, ends_on)


def wechat_text(notice: PublicNotice) -> str:
    """A message to paste in the branch's WeChat group, the link last so a phone makes it tappable."""
    if notice.purpose == "opinions":
        return (
            f"【征求意见】{notice.branch_name}正在开展{notice.campaign_title}，{notice.what_for.split('。')[0]}。"
            f"请点开链接填写，无需登录，不记录姓名，{notice.until}：\n{notice.url}"
        )
    return f"【公示】{notice.branch_name}整改清单和党员整改承诺公示，{notice.until}。请点开链接查看：\n{notice.url}"


def poster_html(notice: PublicNotice) -> bytes:
    """One A4 page to print and put up: the heading, the branch, what for, until when, a QR code 110 mm wide."""
    return _templates.get_template("public_poster.html").render(n=notice, qr=qr_data_uri(notice.url, scale=8)).encode()
