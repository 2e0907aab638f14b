"""The branch workbook's 党性分析 sheet: who handed theirs in (date, 本人 / 代录, text or photo) and who has not,
with the counts — never a text (the branch prints those from the 党性分析 page)."""

import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from PIL import Image

from services.filing import branch_workbook
from services.meeting import self_reviews
from services.platform.clock import local, now
from tests.factories import ORG, PROBATIONARY, make_voting_branch

pytestmark = pytest.mark.usefixtures("database")
TODAY = local(now()).date()
WORDS = "对照合格党员标准，我在联系群众上有差距"


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 30), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def _rows(ws) -> list[tuple]:
    return [row for row in ws.iter_rows(values_only=True) if any(v not in (None, "") for v in row)]


def test_the_workbook_lists_who_submitted_and_never_the_texts():
    cid, path, links = make_voting_branch(full=3, deadline=TODAY + timedelta(days=20))
    self_reviews.write_own(links[0].token, WORDS)
    self_reviews.write_own(links[3].token, None, image=_png(), image_name="手写稿.png")
    self_reviews.enter_for(actor=ORG, campaign_id=cid, branch_path=path, member_id=links[1].member_id,
                           text=WORDS + "（代录）")  # fmt: skip
    made = branch_workbook.branch_workbook(actor=ORG, campaign_id=cid, campaign_title="t", year=TODAY.year,
                                           branch_path=path, today=TODAY)  # fmt: skip
    book = load_workbook(io.BytesIO(made.data))
    assert book.sheetnames.index("党性分析") == book.sheetnames.index("谈心谈话") + 1
    rows = _rows(book["党性分析"])
    assert rows[2][0] == "未完成：1 名党员尚未提交党性分析"
    shown = f"{TODAY.year}年{TODAY.month}月{TODAY.day}日"
    table = {row[1]: row[2:5] for row in rows[4:8]}
    assert table == {
        "王芳": (shown, "本人", "文字"),
        "李明": (shown, "代录", "文字"),
        "张伟": (shown, "本人", "手写稿照片"),
        PROBATIONARY: ("未提交", None, None),
    }
    assert rows[8][:1] == ("应交 4 人，已交 3 人（其中代录 1 人），未交 1 人",)
    everything = [v for ws in book for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str)]
    assert not any(WORDS in v for v in everything)
