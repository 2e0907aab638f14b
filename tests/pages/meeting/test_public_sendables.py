"""The talks page (/o/ opinion link) and the rectification page (/g/ publicity page) offer, under the address,
a WeChat text with a 复制 button and the A4 poster to download."""

import pytest

from services.meeting import branch_links
from tests.factories import BRANCH, make_account, make_voting_branch
from tests.pages.helpers import page

pytestmark = pytest.mark.usefixtures("database")
POSTER = "下载 A4 海报（含二维码，打开后打印张贴）"


@pytest.fixture
def secretary(monkeypatch):
    monkeypatch.setenv("BASE_URL", "http://192.168.1.10:8501")
    cid, _, _ = make_voting_branch(full=3)
    return cid, make_account("branch_secretary", BRANCH)


@pytest.mark.parametrize(
    ("module", "purpose", "opening"),
    [
        ("meeting.talks", "opinions", "【征求意见】第一党支部正在开展"),
        ("meeting.rectification", "publicity", "【公示】第一党支部"),
    ],
)
def test_the_page_offers_the_text_to_send_and_the_poster(secretary, module, purpose, opening):
    cid, actor = secretary
    at = page(module, actor).run()
    assert not at.exception
    url = branch_links.public_link(
        actor=actor, campaign_id=cid, branch_path=BRANCH, purpose=purpose, base_url="http://192.168.1.10:8501"
    )
    boxes = [h.proto.body for h in at.get("html") if "copy-text" in h.proto.body]
    assert any(opening in box and url in box for box in boxes)
    assert POSTER in [d.label for d in at.download_button]
