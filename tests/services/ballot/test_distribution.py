"""What a secretary hands out: the links sheet, the printable slips, the blank paper form."""

import io
import re

import pytest
from openpyxl import load_workbook

from services.ballot import distribution
from services.ballot.voter_links import IssuedLink
from tests.factories import BRANCH_MEMBERS

LINKS = [
    IssuedLink(
        label="王芳",
        member_id=1,
        slip_no=None,
        token="abcdefghjkmnpqrstuvwxyz23",
        url="https://x.cn/v/abcdefghjkmnpqrstuvwxyz23",
    ),
    IssuedLink(
        label="李明",
        member_id=2,
        slip_no=None,
        token="23456789abcdefghjkmnpqrstu",
        url="https://x.cn/v/23456789abcdefghjkmnpqrstu",
    ),
]


def test_links_sheet_has_one_row_per_member():
    rows = list(
        load_workbook(io.BytesIO(distribution.links_sheet(LINKS, branch_name="第一党支部"))).active.iter_rows(
            values_only=True
        )
    )
    assert rows[1] == ("序号", "姓名 / 票号", "链接")
    assert rows[2:] == [(1, "王芳", LINKS[0].url), (2, "李明", LINKS[1].url)]


def test_slips_carry_name_qr_code_short_link_and_typeable_code():
    header = distribution.SlipHeader("2020年度民主评议党员", "第一党支部", "2021-03-20", "https://x.cn/v")
    page = distribution.slips_html(LINKS, header).decode()
    assert page.count('class="slip"') == 2
    assert page.count('src="data:image/svg+xml') == 2
    assert "王芳" in page and LINKS[0].url in page
    assert "abcd-efgh-jkmn-pqrs-tuvw-xyz2-3" in page
    assert "@page { size: A4" in page
    assert not re.search(r'(src|href)="https?://', page)  # prints with no network
    assert "第一党支部 · 党员民主测评" in page


def test_representatives_slips_say_群众评议_and_their_branch_not_the_members_vote():
    header = distribution.SlipHeader("2020年度民主评议党员", "第一党支部", "2021-03-20", "https://x.cn/v", "群众评议")
    page = distribution.slips_html(LINKS, header).decode()
    assert "第一党支部 · 群众评议" in page and "党员民主测评" not in page


@pytest.mark.parametrize("cap", [2])
def test_the_blank_paper_form_lists_the_rated_members_in_order(cap):
    data = distribution.paper_form(
        campaign_title="2020年度民主评议党员",
        branch_name="第一党支部",
        rated=BRANCH_MEMBERS,
        cap=cap,
        instructions="说明",
    )
    sheet = load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "党员民主测评表"
    assert rows[2][0] == "党支部：第一党支部　　测评正式党员 7 人；评为“优秀”的不超过 2 人"
    assert rows[3] == ("序号", "姓名", "优秀", "合格", "基本合格", "不合格")
    assert [r[1] for r in rows[4 : 4 + len(BRANCH_MEMBERS)]] == BRANCH_MEMBERS
    assert any("请在相应栏中打“√”" in str(r[0]) for r in rows)
    assert rows[-2][0].startswith("填表日期：") and "请勿署名" in rows[-2][0]
    assert rows[-1][0].startswith("计票人（签字）")
    assert int(sheet.page_setup.paperSize) == 9  # A4


def test_the_paper_form_carries_every_part_the_online_ballot_has():
    from services.ballot.ballot_form import DEFAULT_INSTRUCTIONS

    data = distribution.paper_form(
        campaign_title="2020年度民主评议党员",
        branch_name="第一党支部",
        rated=BRANCH_MEMBERS,
        cap=2,
        instructions=DEFAULT_INSTRUCTIONS,
        rate_branch_committee=True,
        collect_opinions=True,
    )
    cells = [c for row in load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True) for c in row if c]
    assert tuple(cells[cells.index("评价对象") : cells.index("评价对象") + 4]) == (
        "评价对象",
        "满意",
        "基本满意",
        "不满意",
    )
    assert "支部委员会" in cells and "支部书记述职" in cells
    assert "意见建议（可不填）：" in cells
    text = "".join(str(c) for c in cells)
    assert "本测评无记名" in text
    assert "提交后不能修改" not in text  # online only


@pytest.mark.usefixtures("database")
def test_the_roster_export_is_scoped_and_formula_safe():
    from services.campaign import roster, roster_export
    from tests.factories import ORG, csv_bytes, make_account, make_campaign

    cid = make_campaign()
    rows = [["姓名", "党总支", "党支部", "党员类别", "联系电话", "备注"]]
    rows += [["王芳", "机关党总支", "第一党支部", "正式党员", "13800000000", "=HYPERLINK(x)"]]
    rows += [["李明", "机关党总支", "第二党支部", "正式党员", "", ""]]
    roster.import_roster_file(actor=ORG, campaign_id=cid, filename="r.csv", data=csv_bytes(rows))
    secretary = make_account("branch_secretary", "机关党总支/第一党支部")
    sheet = load_workbook(io.BytesIO(roster_export.roster_sheet(actor=secretary, campaign_id=cid))).active
    found = list(sheet.iter_rows(values_only=True))
    assert [r[1] for r in found[1:]] == ["王芳"]  # the other branch is outside the secretary's scope
    assert found[1][4] == "13800000000" and found[1][9] == "'=HYPERLINK(x)"


def test_no_table_offers_its_own_unaudited_download():
    import tomllib

    from tests.conftest import ROOT

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["disableDataExport"] is True
