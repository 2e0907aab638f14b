"""党内统计 as a page: the 年报's table per unit and in all, the reasons of 未参加评议, the 组织处置 by kind, last
year's 限期改正 by name with their outcome, and the same sheet to download — for the organizer and, for his
own unit, a general branch's secretary."""

import pytest

from tests.factories import ORG, make_account
from tests.pages.helpers import page
from tests.services.filing.test_statistics_sheet import _two_years

pytestmark = pytest.mark.usefixtures("database")


def _frames(at) -> dict[str, object]:
    """The page's tables by their first column's name and the subheader above them."""
    heads = [h.value for h in at.subheader]
    return dict(zip(heads, [d.value for d in at.dataframe], strict=False))


def test_the_organizer_sees_the_years_figures_and_last_years_corrections():
    _two_years()
    at = page("records.statistics", ORG).run()
    assert not at.exception
    table, reasons, kinds, corrections = (d.value for d in at.dataframe)
    assert list(table["单位"]) == ["机关党总支", "合计"]
    assert list(table["参加评议的党员"]) == [7, 7] and list(table["其中预备党员"]) == [1, 1]
    assert list(table["评为不合格"]) == [1, 1] and list(table["组织处置：限期改正"]) == [1, 1]
    assert list(reasons["出国（境）"]) == [1, 1]
    assert list(kinds.columns) == ["单位", "限期改正", "劝其退党", "除名"] and list(kinds["限期改正"]) == [1, 1]
    assert list(corrections["姓名"]) == ["杨帆"] and list(corrections["是否结案"]) == ["否"]
    assert list(corrections["本年度情况"]) == ["机关党总支 / 第一党支部，本年度评为不合格"]
    [button] = at.get("download_button")
    assert button.proto.label == "下载党内统计表（.xlsx，A4）"


def test_a_general_branch_secretary_sees_his_unit():
    _two_years()
    general = make_account("general_branch_secretary", "机关党总支", username="zz")
    at = page("records.statistics", general).run()
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table["单位"]) == ["机关党总支", "合计"] and list(table["党员总数"]) == [8, 8]
    assert list(at.dataframe[3].value["姓名"]) == ["杨帆"]
