"""The WeChat text and the A4 poster for a branch's /o/ opinion link and /g/ publicity page, checked as their
readers meet them: the text as pasted, the poster printed by a browser (or LibreOffice) to PDF — one A4 page
whose words are there and whose QR code, read back module by module from the printed page, is the link."""

import itertools
import shutil
import subprocess
from datetime import timedelta

import pytest
import segno
from PIL import Image

from services.campaign.campaigns import get_campaign
from services.meeting import branch_links, publicity, rectification
from services.meeting.public_notice import day, poster_html, public_notice, wechat_text
from services.meeting.rectification import Rectification
from services.platform.clock import local, now
from tests.factories import ORG, make_voting_branch

pytestmark = pytest.mark.usefixtures("database")
TODAY = local(now()).date()


@pytest.fixture
def branch():
    cid, path, _ = make_voting_branch(full=3)
    return cid, path


def _notice(cid, path, purpose):
    url = branch_links.public_link(actor=ORG, campaign_id=cid, branch_path=path, purpose=purpose, base_url="http://x")
    return public_notice(actor=ORG, campaign_id=cid, branch_path=path, purpose=purpose, url=url)


def test_the_opinion_text_names_the_branch_what_for_until_when_and_ends_with_the_link(branch):
    cid, path = branch
    notice = _notice(cid, path, "opinions")
    deadline = get_campaign(actor=ORG, campaign_id=cid).deadline
    text = wechat_text(notice)
    assert text.startswith("【征求意见】第一党支部正在开展")
    assert f"请于 {day(deadline)} 前提出" in text and "无需登录，不记录姓名" in text
    assert text.endswith(f"\n{notice.url}") and "/o/" in notice.url


def test_the_publicity_text_and_poster_say_the_period_once_it_is_published(branch):
    cid, path = branch
    before = _notice(cid, path, "publicity")
    assert before.until == "公示期：发布后在本页显示"
    assert "公示期：发布后在本页显示" in poster_html(before).decode()
    item = Rectification("学习不系统", "每月集中学习", "王芳", TODAY + timedelta(days=30))
    rectification.save_rectifications(actor=ORG, campaign_id=cid, branch_path=path, items=[item])
    start, end = TODAY + timedelta(days=1), TODAY + timedelta(days=7)
    publicity.publish(actor=ORG, campaign_id=cid, branch_path=path, starts_on=start, ends_on=end)
    after = _notice(cid, path, "publicity")
    text = wechat_text(after)
    assert text.startswith("【公示】第一党支部整改清单和党员整改承诺公示")
    assert f"公示期：{day(start)} 至 {day(end)}" in text and text.endswith(after.url) and "/g/" in after.url


def test_a_name_typed_with_markup_is_printed_as_typed():
    from services.meeting.public_notice import PublicNotice

    notice = PublicNotice("opinions", "http://x/o/abc", "<b>第一</b>党支部", "T", None, TODAY)
    page = poster_html(notice).decode()
    assert "&lt;b&gt;第一&lt;/b&gt;党支部" in page and "<b>第一" not in page


def _printed(html: bytes, tmp_path):
    """The poster as printed to PDF by Chromium (how it is opened and printed) or else LibreOffice."""
    if not (shutil.which("pdftotext") and shutil.which("pdftoppm") and shutil.which("pdfinfo")):
        pytest.skip("poppler (pdftotext, pdftoppm) is not installed")
    source, pdf = tmp_path / "poster.html", tmp_path / "poster.pdf"
    source.write_bytes(html)
    if browser := shutil.which("chromium"):
        command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                   f"--user-data-dir={tmp_path}/profile", f"--print-to-pdf={pdf}", source.as_uri()]  # fmt: skip
    elif office := shutil.which("soffice"):
        command = [office, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to",
                   "pdf:writer_web_pdf_Export", "--outdir", str(tmp_path), str(source)]  # fmt: skip
    else:
        pytest.skip("neither Chromium nor LibreOffice is installed")
    subprocess.run(command, check=True, capture_output=True, timeout=180)
    return pdf


def _dark_bands(image: Image.Image, gap: int) -> list[tuple[int, int]]:
    """Runs of rows holding dark pixels, split where `gap` or more rows in a row are blank."""
    width, height = image.size
    pixels = image.load()
    rows = [y for y in range(height) if any(pixels[x, y] < 128 for x in range(0, width, 2))]
    bands, start = [], rows[0]
    for previous, row in itertools.pairwise(rows):
        if row - previous > gap:
            bands.append((start, previous))
            start = row
    return [*bands, (start, rows[-1])]


def _qr_on_page(png, url: str) -> tuple[float, float]:
    """The share of the QR code's modules that read back as the link's own code, and its printed width in mm."""
    image = Image.open(png).convert("L")
    dpi = 100
    top, bottom = max(_dark_bands(image, gap=12), key=lambda band: band[1] - band[0])
    pixels = image.load()
    columns = [x for x in range(image.size[0]) if any(pixels[x, y] < 128 for y in range(top, bottom + 1, 2))]
    left, right = columns[0], columns[-1]
    matrix = segno.make(url, error="m").matrix
    size = (right - left + 1) / len(matrix)
    hits = sum(
        (pixels[int(left + (c + 0.5) * size), int(top + (r + 0.5) * size)] < 128) == bool(bit)
        for r, line in enumerate(matrix)
        for c, bit in enumerate(line)
    )
    return hits / len(matrix) ** 2, (right - left + 1) / dpi * 25.4


def test_the_poster_prints_on_one_a4_page_with_its_words_and_a_large_qr_code_of_the_link(branch, tmp_path):
    cid, path = branch
    notice = _notice(cid, path, "opinions")
    pdf = _printed(poster_html(notice), tmp_path)
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert "Pages:           1" in info and "(A4)" in info
    words = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    flat = "".join(words.split())
    deadline = get_campaign(actor=ORG, campaign_id=cid).deadline
    for expected in ("征求意见", "第一党支部", "无需登录，不记录姓名", f"请于{day(deadline)}前提出", notice.url):
        assert expected in flat
    subprocess.run(["pdftoppm", "-r", "100", "-png", "-singlefile", str(pdf), str(tmp_path / "page")], check=True)
    share, width_mm = _qr_on_page(tmp_path / "page.png", notice.url)
    assert share > 0.98  # the printed code is the link's (a misread module or two at an edge at most)
    assert width_mm > 90  # large: read from a metre away on a notice board
