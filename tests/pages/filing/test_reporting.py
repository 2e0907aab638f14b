"""报送与备案 through AppTest: the download for one's scope, each unit's state, reporting refused while incomplete."""

import pytest

from tests.factories import ORG, make_account, make_voted_branch
from tests.pages.helpers import page

pytestmark = pytest.mark.usefixtures("database")


def test_the_organizer_sees_every_unit_and_downloads_the_package():
    make_voted_branch()
    at = page("filing.reporting", ORG).run()
    assert not at.exception
    status = at.dataframe[0].value
    assert list(status["单位"]) == ["机关党总支"] and list(status["状态"]) == ["未报送"]
    assert at.download_button[0].label == "下载备案材料（.zip）"


def test_a_general_branch_secretary_is_told_what_is_missing_and_cannot_report_yet():
    make_voted_branch()
    general = make_account("general_branch_secretary", "机关党总支", username="zzb")
    at = page("filing.reporting", general).run()
    assert not at.exception
    assert at.warning[0].value.startswith("材料尚未完成，还差")
    assert any("一、集中学习：尚未记录集中学习" in c.value for c in at.caption)
    assert at.button(key="report_机关党总支").disabled
