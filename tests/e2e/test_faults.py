"""Faults in the middle of a burst: the app process killed with SIGKILL while phones are voting.
After a restart every ballot whose receipt a phone was shown is stored, none twice, none half-written,
and every token agrees with the ballots."""

import asyncio

import pytest

from bench.app_server import app_process, fetch
from bench.ballot_burst import phone, stored
from services import db
from tests.factories import make_voting_branch

pytestmark = pytest.mark.e2e


async def _burst_and_kill(base: str, tokens: list[str], process, after_receipts: int) -> list:
    """Every phone at once; the server killed with SIGKILL as soon as `after_receipts` receipts were shown."""
    start = asyncio.Event()
    tasks = [asyncio.create_task(phone(base, token, start)) for token in tokens]
    await asyncio.sleep(0.2)
    start.set()
    results, receipts = [], 0
    for finished in asyncio.as_completed(tasks):
        result = await finished
        results.append(result)
        receipts += result[1] is not None
        if receipts == after_receipts:
            process.kill()
    return results


def test_the_app_killed_mid_burst_loses_no_receipted_ballot_and_half_writes_none(database):
    cid, _, links = make_voting_branch(full=120)
    db.dispose_all()
    with app_process(database) as (process, base):
        results = asyncio.run(_burst_and_kill(base, [link.token for link in links], process, after_receipts=30))
        process.wait(timeout=10)
    shown = [receipt for _, receipt, _ in results if receipt]
    failed = [problem for _, receipt, problem in results if not receipt]
    assert len(shown) >= 30 and failed, (len(shown), len(failed))  # killed mid-burst, not before or after
    with app_process(database) as (_, base):  # restarted on the same database
        assert fetch(f"{base}/healthz")[0] == 200
        ballots, receipts, statuses = stored(cid)
    assert len(receipts) == len(set(receipts))
    assert set(shown) <= set(receipts)  # every receipt a phone was shown is there
    assert ballots == len(receipts) == statuses.get("used", 0)  # no half-written ballot
