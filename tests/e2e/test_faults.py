"""Faults in the middle of a burst: the app process killed with SIGKILL while phones are voting.
After a restart every ballot whose receipt a phone was shown is stored, none twice, none half-written,
and every token agrees with the ballots."""

import asyncio

import pytest

from bench.app_server import app_process, fetch
from bench.ballot_burst import phone, stored
from services.platform import db
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


def test_postgresql_restarting_mid_burst_costs_no_ballot_and_the_app_recovers(monkeypatch):
    from tests.e2e.private_postgres import private_postgres

    with private_postgres() as pg:
        monkeypatch.setenv("DATABASE_URL", pg.url)
        db.dispose_all()
        db.upgrade(url=pg.url)
        cid, _, links = make_voting_branch(full=80)
        db.dispose_all()
        with app_process(pg.url) as (_, base):
            down = _Outage(pg)
            tokens = [link.token for link in links]
            results = asyncio.run(_burst_and_act(base, tokens, down.begin, after_receipts=10, held=10))
            down.finished.wait(30)
            problems = [problem for _, receipt, problem in results if not receipt]
            assert problems, "the restart came too late to meet the burst"
            assert all(p in ("GET 503", "POST 503") or p.endswith("Error") for p in problems), problems
            # the same app, without a restart, serves again: a link whose phone was turned away opens
            shown = [receipt for _, receipt, _ in results if receipt]
            unused = [link for link, (_, receipt, _) in zip(links, results, strict=True) if receipt is None]
            assert fetch(f"{base}/v/{unused[0].token}")[0] == 200
        with app_process(pg.url) as _:
            ballots_stored, receipts, statuses = stored(cid)
        assert set(shown) <= set(receipts) and len(receipts) == len(set(receipts))
        assert ballots_stored == len(receipts) == statuses.get("used", 0)


class _Outage:
    """PostgreSQL stopped at once, started again 5 s later, on another thread."""

    def __init__(self, pg) -> None:
        import threading

        self.pg, self.finished = pg, threading.Event()

    def begin(self) -> None:
        import threading

        self.pg.stop()
        threading.Timer(5, self._end).start()

    def _end(self) -> None:
        self.pg.start()
        self.finished.set()


async def _burst_and_act(base: str, tokens: list[str], act, after_receipts: int, held: int) -> list:
    """Every phone but the last `held` at once; `act` once `after_receipts` receipts were shown, while the
    others are still on their way; then the held phones, so that some always meet what `act` did, however
    fast the first ones were. Results in the order of `tokens`."""
    start = asyncio.Event()
    tasks = [asyncio.create_task(phone(base, token, start)) for token in tokens[:-held]]
    await asyncio.sleep(0.2)
    start.set()
    results, receipts = [None] * len(tokens), 0
    positions = {task: i for i, task in enumerate(tasks)}
    pending = set(tasks)
    while pending:
        done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            results[positions[task]] = task.result()
            receipts += task.result()[1] is not None
            if receipts >= after_receipts and act is not None:
                await asyncio.get_running_loop().run_in_executor(None, act)
                act = None
                late = [asyncio.create_task(phone(base, token, start)) for token in tokens[-held:]]
                positions |= {task: len(tokens) - held + i for i, task in enumerate(late)}
                pending |= set(late)
    return results
