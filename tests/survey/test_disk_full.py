"""The disk full under SQLite: a ballot is refused with a plain message and every choice kept, nothing
of it is written, and it goes in once there is room again; a dashboard action says so plainly too.

The database lives on a small tmpfs of its own, filled to the last byte by another file: a real full
disk (ENOSPC), which SQLite reports as "database or disk is full". Mounting needs root (as in CI);
elsewhere the test is skipped."""

import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient
from streamlit.testing.v1 import AppTest

from services.ballot import casting
from services.campaign import campaigns
from services.platform import db
from survey import routes
from tests.factories import BRANCH_MEMBERS, ORG, make_voting_branch
from tests.pages.helpers import TIMEOUT


class SmallDisk:
    def __init__(self, mount: Path) -> None:
        self.filler = mount / "filler"

    def fill(self) -> None:
        """Everything left taken by another file, as when logs or uploads eat the disk."""
        block = b"\0" * 65536
        with open(self.filler, "ab", buffering=0) as out:
            for size in (65536, 4096, 1):
                try:
                    while True:
                        out.write(block[:size])
                except OSError:
                    continue
        db.dispose_all()  # no connection keeps pages it had cached

    def free(self) -> None:
        self.filler.unlink()


@pytest.fixture
def small_disk(database, tmp_path, monkeypatch):
    """The test's database moved onto a 16 MB disk of its own (SQLite only)."""
    if not database.startswith("sqlite"):
        pytest.skip("SQLite: the database is a file on the server's own disk")
    if os.geteuid() != 0:
        pytest.skip("mounting a small disk needs root")
    mount = tmp_path / "disk"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(mount)], check=True)
    try:
        db.dispose_all()
        shutil.copy(database.removeprefix("sqlite:///"), mount / "test.db")
        url = f"sqlite:///{mount}/test.db"
        monkeypatch.setenv("DATABASE_URL", url)
        yield url, SmallDisk(mount)
    finally:
        db.dispose_all()
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _counts(url: str) -> tuple:
    with sqlite3.connect(url.removeprefix("sqlite:///")) as raw:
        tables = ("encrypted_ballot", "ballot_receipt", "ballot_tick")
        counts = [raw.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in tables]
        return (*counts, raw.execute("SELECT count(*) FROM voter_token WHERE status = 'used'").fetchone()[0])


def test_a_ballot_on_a_full_disk_is_refused_plainly_kept_on_the_page_and_written_not_at_all(small_disk, caplog):
    database, disk = small_disk
    client = TestClient(Starlette(routes=routes), base_url="http://testserver")
    _, _, links = make_voting_branch()
    token = links[0].token
    csrf = re.search(r'name="csrf" value="([^"]+)"', client.get(f"/v/{token}").text).group(1)
    ids = {name: m for m, name in casting.open_ballot(token).rated}
    data = {"csrf": csrf, "action": "submit"} | {f"m{ids[n]}": "qualified" for n in BRANCH_MEMBERS}
    data[f"m{ids[BRANCH_MEMBERS[1]]}"] = "excellent"
    before = _counts(database)

    disk.fill()
    refused = client.post(f"/v/{token}", data=data)
    assert refused.status_code == 503
    assert "您的票还没有提交。您的选择都还在" in refused.text
    assert f'name="m{ids[BRANCH_MEMBERS[1]]}" value="excellent"' in refused.text
    assert casting.open_ballot(token).state == "open"
    # The member is asked to try again; the server log tells the administrator the disk is full.
    assert any(r.levelname == "ERROR" and "disk is full" in r.getMessage() for r in caplog.records)
    disk.free()
    assert _counts(database) == before  # no ballot, receipt, tick, nor a used link

    sent = client.post(f"/v/{token}", data=data)  # room again: the same page, sent once more
    assert sent.status_code == 200 and 'id="receipt"' in sent.text
    assert _counts(database) == (before[0] + 1, before[1] + 1, 1, before[3] + 1)


def test_a_dashboard_action_on_a_full_disk_says_so_plainly_and_saves_nothing(small_disk):
    _, disk = small_disk
    script = (
        "from pages.campaign import campaign_setup\nfrom pages.shared.storage_guard import storage_guard\n"
        "from tests.factories import ORG\nwith storage_guard():\n    campaign_setup.render(ORG)\n"
    )
    at = AppTest.from_string(script, default_timeout=TIMEOUT).run()
    at.text_input(key="create_title").set_value("2026年度民主评议党员")
    at.number_input(key="create_y").set_value(2026)
    disk.fill()
    at.button(key="FormSubmitter:create_campaign-创建").click().run()
    disk.free()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "服务器的存储空间已满，刚才的操作没有保存；此前保存的数据都完好无损。请告知系统管理员清理磁盘空间后再试。"
    ]
    assert campaigns.list_campaigns(actor=ORG) == []
    at.button(key="FormSubmitter:create_campaign-创建").click().run()  # room again
    assert at.success and len(campaigns.list_campaigns(actor=ORG)) == 1
