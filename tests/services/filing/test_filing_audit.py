"""Who may read a reported unit's frozen copy, and the audit log's entries for every package made, every
frozen copy read, every export from the command line and every 送学 recorded — in Chinese on the log's page."""

import io
import zipfile
from datetime import date, timedelta

import pytest
from sqlmodel import select

from models import AuditEntry, OrgUnit, UnitReport
from models.reporting import ReportState
from services.ballot import campaign_status
from services.campaign import roster
from services.filing import bundle, reporting
from services.meeting import study
from services.platform.clock import now
from services.platform.db import session_scope
from services.platform.errors import NotPermitted
from services.staff import audit
from tests.factories import ORG, csv_bytes, make_account, make_campaign, make_voting_branch
from tests.test_cli import manage

pytestmark = pytest.mark.usefixtures("database")
TODAY = date.today()
GENERAL = "机关党总支"
FIRST, SECOND, DIRECT = f"{GENERAL}/第一党支部", f"{GENERAL}/第二党支部", "图书馆直属党支部"


@pytest.fixture
def cid() -> int:
    """An open campaign: two branches under a general branch and one direct branch."""
    cid = make_campaign(year=TODAY.year, deadline=TODAY + timedelta(days=30))
    rows = [["姓名", "党总支", "党支部", "党员类别"], ["甲一", GENERAL, "第一党支部", "正式党员"],
            ["乙一", GENERAL, "第二党支部", "正式党员"], ["丙一", "", DIRECT, "正式党员"]]  # fmt: skip
    roster.import_roster_file(actor=ORG, campaign_id=cid, filename="r.csv", data=csv_bytes(rows))
    campaign_status.set_status(actor=ORG, campaign_id=cid, status="open")
    return cid


@pytest.fixture
def reported(cid) -> int:
    """The general branch and the direct branch have reported (their frozen copies stored as reporting
    stores them, without completing every step first)."""
    for unit_path in (GENERAL, DIRECT):
        made = bundle.package(actor=ORG, campaign_id=cid, today=TODAY, within=unit_path).data
        with session_scope() as session:
            unit = session.exec(select(OrgUnit).where(OrgUnit.campaign_id == cid, OrgUnit.path == unit_path)).one()
            session.add(UnitReport(campaign_id=cid, unit_id=unit.id, state=ReportState.reported, reported_at=now(),
                                   reported_by=ORG.username, package=made))  # fmt: skip
    return cid


def _entries(action: str) -> list[AuditEntry]:
    with session_scope() as session:
        return list(session.exec(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def _members(package: bytes) -> list[str]:
    return zipfile.ZipFile(io.BytesIO(package)).namelist()


def test_only_those_whose_scope_holds_the_whole_unit_read_its_frozen_copy_and_each_read_is_logged(reported):
    cid = reported
    general = make_account("general_branch_secretary", GENERAL)
    direct = make_account("branch_secretary", DIRECT)
    for actor, unit_path in ((ORG, GENERAL), (general, GENERAL), (direct, DIRECT), (ORG, DIRECT)):
        package = reporting.frozen_package(actor=actor, campaign_id=cid, unit_path=unit_path)
        assert "00_封面与目录.xlsx" in _members(package)
    # the secretaries of 第一党支部 and 第二党支部 see their general branch's state, not its package
    for path in (FIRST, SECOND):
        branch = make_account("branch_secretary", path)
        assert [u.path for u in reporting.units(actor=branch, campaign_id=cid)] == [GENERAL]
        with pytest.raises(NotPermitted, match="不在您的管理范围"):
            reporting.frozen_package(actor=branch, campaign_id=cid, unit_path=GENERAL)
        with pytest.raises(NotPermitted):
            reporting.frozen_package(actor=branch, campaign_id=cid, unit_path=DIRECT)
    with pytest.raises(NotPermitted):
        reporting.frozen_package(actor=general, campaign_id=cid, unit_path=DIRECT)
    logged = [(e.actor, e.target, e.campaign_id) for e in _entries("report.read")]
    assert logged == [(ORG.username, GENERAL, cid), (general.username, GENERAL, cid), (direct.username, DIRECT, cid),
                      (ORG.username, DIRECT, cid)]  # fmt: skip


def test_each_package_made_is_logged_with_its_scope(cid):
    secretary = make_account("branch_secretary", FIRST)
    bundle.bundle(actor=ORG, campaign_id=cid, today=TODAY)
    bundle.bundle(actor=secretary, campaign_id=cid, today=TODAY, include_notices=True)
    bundle.bundle(actor=ORG, campaign_id=cid, today=TODAY, within=GENERAL)
    made = [(e.actor, e.target, e.campaign_id) for e in _entries("filing.bundle")]
    assert made == [(ORG.username, "全部组织", cid), (secretary.username, FIRST, cid), (ORG.username, GENERAL, cid)]
    rows = [r for r in audit.list_entries(actor=ORG, action="filing.bundle")]
    assert [(r.action_label, r.detail) for r in rows] == [
        ("生成备案材料", "2 个党支部"), ("生成备案材料", "1 个党支部，附反馈通知"), ("生成备案材料", "3 个党支部")
    ]  # fmt: skip


def test_recording_that_study_materials_were_taken_to_a_member_is_logged(cid):
    where = {"actor": ORG, "campaign_id": cid, "branch_path": FIRST}
    member = roster_member(cid, "甲一")
    held = study.record_study(**where, held_on=TODAY, topic="党章", materials=None, absent=[member])
    study.mark_materials_sent(**where, session_id=held.id, member_id=member)
    study.mark_materials_sent(**where, session_id=held.id, member_id=member, sent=False)
    rows = audit.list_entries(actor=ORG, action="study.materials")
    assert [(r.action_label, r.target, r.detail) for r in rows] == [
        ("登记送学", f"{FIRST}：甲一", f"{TODAY.isoformat()} 的集中学习：改为未送学"),
        ("登记送学", f"{FIRST}：甲一", f"{TODAY.isoformat()} 的集中学习：已送学"),
    ]  # newest first


def roster_member(cid: int, name: str) -> int:
    from services.campaign import members

    return next(m.id for m in members.list_members(actor=ORG, campaign_id=cid) if m.name == name)


def test_the_command_line_export_is_logged_with_the_file_it_wrote(cid, tmp_path):
    out = tmp_path / "备案.zip"
    done = manage("export", "--campaign", str(cid), "--branch", GENERAL, "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "00_封面与目录.xlsx" in _members(out.read_bytes())
    assert [(e.actor.startswith("命令行:"), e.target) for e in _entries("filing.bundle")] == [(True, GENERAL)]
    assert [(e.target, e.campaign_id) for e in _entries("export.download")] == [(str(out.resolve()), cid)]


def test_the_command_line_export_of_voter_links_is_logged_with_the_file_it_wrote(tmp_path):
    cid, path, _ = make_voting_branch()
    out = tmp_path / "links.csv"
    done = manage("export-links", "--campaign", str(cid), "--branch", path, "--base-url", "http://t", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert [(e.actor.startswith("命令行:"), e.target, e.campaign_id) for e in _entries("export.download")] == [
        (True, str(out.resolve()), cid)
    ]
