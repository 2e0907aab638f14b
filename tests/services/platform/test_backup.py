"""Backups taken while ballots keep arriving, restored into another database: every ballot whose
receipt was shown before the backup began is there, none twice, and the tokens agree."""

import threading
import uuid

import pytest
from sqlalchemy import create_engine, text

from services.ballot import casting
from services.platform import backup
from services.platform.errors import InvalidInput
from tests import conftest
from tests.factories import all_qualified, make_voting_branch

pytestmark = pytest.mark.usefixtures("database")


@pytest.fixture
def other_database(tmp_path):
    """An empty database of the same engine to restore into."""
    if conftest.PG_ADMIN_URL:
        name = f"pingyi_restore_{uuid.uuid4().hex[:8]}"
        yield conftest._pg_create(name)
        conftest._pg_drop(name)
    else:
        yield f"sqlite:///{tmp_path / 'restored.db'}"


def _counts(url: str) -> tuple[set[str], int, int]:
    engine = create_engine(url)
    with engine.connect() as c:
        receipts = [r for (r,) in c.execute(text("SELECT receipt FROM ballot_receipt"))]
        stored = c.execute(text("SELECT count(*) FROM encrypted_ballot")).scalar()
        used = c.execute(text("SELECT count(*) FROM voter_token WHERE status = 'used'")).scalar()
    engine.dispose()
    assert len(receipts) == len(set(receipts))
    return set(receipts), stored, used


def test_a_backup_taken_mid_burst_restores_every_receipted_ballot_once(database, other_database, tmp_path):
    _, _, links = make_voting_branch(full=40)
    shown_before: list[str] = []
    shown: list[str] = []
    started = threading.Event()

    def vote(token: str) -> None:
        receipt = casting.cast_ballot(token, all_qualified(token))
        shown.append(receipt)
        if not started.is_set():
            shown_before.append(receipt)

    for link in links[:10]:
        vote(link.token)
    workers = [threading.Thread(target=vote, args=(link.token,)) for link in links[10:]]
    for worker in workers:
        worker.start()
    started.set()
    before = list(shown_before)  # every receipt a phone had been shown when the backup began
    made = backup.backup(tmp_path / "mid-burst.backup")
    for worker in workers:
        worker.join()
    assert len(shown) == len(links) and made.size > 0
    backup.restore(made.path, url=other_database)
    receipts, stored, used = _counts(other_database)
    assert set(before) <= receipts
    assert stored == used == len(receipts)  # no half-written ballot: each with its token and receipt
    assert receipts <= set(shown)


def test_a_restore_never_overwrites_data_unless_asked(database, tmp_path):
    make_voting_branch(full=3)
    made = backup.backup(tmp_path / "b.backup")
    with pytest.raises(InvalidInput, match="确需恢复，请加 --replace"):
        backup.restore(made.path, url=database)
    backup.restore(made.path, url=database, replace=True)
    with pytest.raises(InvalidInput, match="找不到备份文件"):
        backup.restore(tmp_path / "nothing", url=database, replace=True)
