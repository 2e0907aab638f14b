"""A unit's filing details (services/filing/unit_details.py): who may enter them, what is refused, and that
they freeze with the unit's report."""

import pytest
from sqlmodel import select

from models import OrgUnit, UnitReport
from services.filing import reporting, unit_details
from services.platform.db import session_scope
from services.platform.errors import InvalidInput, InvalidTransition, NotPermitted
from tests.factories import ORG, make_account
from tests.services.filing import test_filing
from tests.services.filing.test_filing import DIRECT, FIRST

pytestmark = pytest.mark.usefixtures("database")
committee = test_filing.committee  # the fixture: three branches, the first complete
GENERAL = "机关党总支"


def test_who_may_enter_the_details_and_what_is_refused(committee):
    cid, _ = committee
    where = {"campaign_id": cid, "leader": "张", "preparer": "李", "office_phone": "010-1", "sections": {}}
    branch = make_account("branch_secretary", FIRST, username="zb1")
    with pytest.raises(NotPermitted):  # a branch under the general branch does not report the unit
        unit_details.save_details(actor=branch, unit_path=GENERAL, **where)
    with pytest.raises(InvalidInput, match="随党总支报送"):
        unit_details.save_details(actor=ORG, unit_path=FIRST, **where)
    with pytest.raises(NotPermitted, match="只有组织部"):  # the committee's own: the organizer alone
        unit_details.save_details(actor=make_account("general_branch_secretary", GENERAL, username="zzb"),
                                  unit_path="", **where)  # fmt: skip
    with pytest.raises(InvalidInput, match="联系电话"):
        unit_details.save_details(actor=ORG, unit_path=GENERAL, **{**where, "office_phone": "=HYPERLINK(1)"})
    with pytest.raises(InvalidInput, match="过长"):
        unit_details.save_details(actor=ORG, unit_path=GENERAL, **{**where, "sections": {"overview": "字" * 2001}})
    with pytest.raises(InvalidInput, match="没有这些部分"):
        unit_details.save_details(actor=ORG, unit_path=GENERAL, **{**where, "sections": {"x": "y"}})
    direct = make_account("branch_secretary", DIRECT, username="zs")
    saved = unit_details.save_details(actor=direct, unit_path=DIRECT, **where)
    assert (saved.leader, saved.office_phone) == ("张", "010-1")
    assert unit_details.details(actor=ORG, campaign_id=cid, unit_path=GENERAL).leader is None  # nothing yet: blank


def test_the_details_freeze_with_the_report(committee):
    cid, _ = committee
    with session_scope() as session:  # the unit reported (its package is not what this test reads)
        unit = session.exec(select(OrgUnit).where(OrgUnit.campaign_id == cid, OrgUnit.path == DIRECT)).one()
        session.add(UnitReport(campaign_id=cid, unit_id=unit.id, state="reported", package=b"zip"))
    with pytest.raises(InvalidTransition, match="不能再修改"):
        unit_details.save_details(actor=ORG, campaign_id=cid, unit_path=DIRECT, leader="张", preparer=None,
                                  office_phone=None, sections={})  # fmt: skip
    assert reporting.units(actor=ORG, campaign_id=cid)[1].state == "reported"
