"""历年对比 as a page: charts of each unit's turnout, 优秀 share, 基本合格 / 不合格 and rectification on time over
the campaigns, the figures below — the organizer's every unit, a general branch's secretary his own."""

import json

import pytest

from tests.factories import ORG, make_account
from tests.pages.helpers import page
from tests.services.records.test_unit_trends import UNIT, _two_branches, _year

pytestmark = pytest.mark.usefixtures("database")


def _charts(at) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]


def test_the_organizer_sees_each_unit_over_the_years():
    _year(2024, voters=4, grades={"王芳": "excellent"}, fixes=[(-3, True)])
    _year(2025, voters=8, grades={"刘洋": "basically_qualified"}, fixes=[(-3, False)])
    _two_branches(2026)  # voting not opened: no turnout yet
    at = page("records.trends", ORG).run()
    assert not at.exception
    titles = [c["title"]["text"] if isinstance(c["title"], dict) else c["title"] for c in _charts(at)]
    assert titles == ["参评率（%）", "优秀占比（%）", "基本合格、不合格人数", "整改按期完成率（%）"]
    table = at.dataframe[0].value
    assert list(zip(table["单位"], table["评议活动"], table["参评率"], strict=True)) == [
        (UNIT, "2024年", "50.0%"), (UNIT, "2025年", "100.0%"), (UNIT, "2026年", "—"),
        ("图书馆直属党支部", "2026年", "—")
    ]  # fmt: skip
    assert list(table["按期完成率"])[:2] == ["100.0%", "0.0%"] and list(table["基本合格"])[:2] == [0, 1]


def test_a_general_branch_secretary_sees_his_unit_alone():
    _year(2024, voters=4, grades={}, fixes=[])
    _two_branches(2025)
    general = make_account("general_branch_secretary", UNIT, username="zz")
    at = page("records.trends", general).run()
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table["单位"]) == [UNIT, UNIT] and list(table["党员"]) == [8, 3]
    assert "图书馆" not in str(table.to_dict()) and at.multiselect[0].value == [UNIT]
