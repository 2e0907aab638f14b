"""Sealing during a burst: do ballots and dashboards wait behind branches being sealed and a backup?

python bench/seal_during_burst.py [--seal 5] [--members 50] [--phones 8] [--ballots 400] [--interval 1]
Uses DATABASE_URL (default: a temporary SQLite file).

Two bursts of the same size run against the same database, each with a backup taken in its middle (an
online backup holds a read transaction for its whole length, as a dashboard's long read would):
- the baseline: `--ballots` ballots cast by `--phones` threads at once (services.ballot.casting), while a
  dashboard thread reads 测评进度 (services.progress.overview.campaign_progress) every `--interval` s;
- the same burst while `--seal` other branches, every member of which has voted, are closed at once (each
  close seals its branch: decrypts, shuffles, rewrites its ballots, forgets its key and empties the log).
Figures: the ballots' p95 and worst wait with seals beside the same burst without; the dashboard's worst gap
between two completed refreshes beside its interval (the aim: at most 2×); the longest single close.
"""

import argparse
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.figures import Figure, report
from bench.voting_setup import ORG, open_branches, percentile, use_database


class Burst:
    """One burst: phones casting, a dashboard refreshing, a backup, and optionally branches closing."""

    def __init__(self, campaign_id: int, tokens: list[str], phones: int, interval: float) -> None:
        self.campaign_id, self.tokens, self.phones, self.interval = campaign_id, tokens, phones, interval
        self.with_backup = True
        self.waits: list[float] = []
        self.refreshes: list[float] = []
        self.closes: list[float] = []
        self._done = threading.Event()

    def run(self, closing: list[str]) -> None:
        queue, lock = list(self.tokens), threading.Lock()
        phones = [threading.Thread(target=self._phone, args=(queue, lock)) for _ in range(self.phones)]
        dashboard = threading.Thread(target=self._dashboard)
        dashboard.start()
        time.sleep(self.interval)  # a refresh or two before the burst
        for t in phones:
            t.start()
        time.sleep(0.2)
        others = [threading.Thread(target=self._close, args=(path,)) for path in closing]
        if self.with_backup:
            others.append(threading.Thread(target=self._backup))
        for t in others:
            t.start()
        for t in [*phones, *others]:
            t.join()
        time.sleep(self.interval)
        self._done.set()
        dashboard.join()

    def _phone(self, queue: list[str], lock: threading.Lock) -> None:
        from services.ballot import casting
        from services.ballot.ballot_form import FilledBallot

        while True:
            with lock:
                if not queue:
                    return
                token = queue.pop()
            filled = FilledBallot(choices={m: "qualified" for m, _ in casting.open_ballot(token).rated})
            t0 = time.perf_counter()
            casting.cast_ballot(token, filled)
            self.waits.append(time.perf_counter() - t0)
            self.slowest = max(getattr(self, "slowest", (0, 0)), (self.waits[-1], t0))

    def _dashboard(self) -> None:
        from services.progress import overview

        while not self._done.is_set():
            overview.campaign_progress(actor=ORG, campaign_id=self.campaign_id)
            self.refreshes.append(time.perf_counter())
            self._done.wait(self.interval)

    def _backup(self) -> None:
        from services.platform import backup

        with tempfile.TemporaryDirectory() as folder:
            backup.backup(Path(folder) / "during-burst.backup")

    def _close(self, path: str) -> None:
        from services.ballot import voting

        t0 = time.perf_counter()
        voting.close_voting(actor=ORG, campaign_id=self.campaign_id, branch_path=path)
        self.closes.append(time.perf_counter() - t0)

    def worst_gap(self) -> float:
        return max(b - a for a, b in zip(self.refreshes, self.refreshes[1:], strict=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seal", type=int, default=5, help="branches closed (and sealed) at once during the burst")
    parser.add_argument("--members", type=int, default=50, help="full members per branch")
    parser.add_argument("--phones", type=int, default=8, help="ballots cast at once")
    parser.add_argument("--ballots", type=int, default=400, help="ballots in each burst")
    parser.add_argument("--interval", type=float, default=1.0, help="the dashboard's refresh interval, s")
    args = parser.parse_args()
    use_database()

    from services.ballot import casting
    from services.ballot.ballot_form import FilledBallot
    from services.platform import db

    db.ensure_schema()
    per_burst = -(-args.ballots // args.members)  # branches whose members cast one burst
    campaign_id, links = open_branches([args.members] * (2 * per_burst + args.seal))
    paths = list(links)
    burst_tokens = [[link.token for p in group for link in links[p]][: args.ballots]
                    for group in (paths[:per_burst], paths[per_burst : 2 * per_burst])]  # fmt: skip
    sealed = paths[2 * per_burst :]
    for path in sealed:  # everyone in the branches to be sealed has voted
        for link in links[path]:
            filled = FilledBallot(choices={m: "qualified" for m, _ in casting.open_ballot(link.token).rated})
            casting.cast_ballot(link.token, filled)

    baseline = Burst(campaign_id, burst_tokens[0], args.phones, args.interval)
    baseline.run(closing=[])
    with_seals = Burst(campaign_id, burst_tokens[1], args.phones, args.interval)
    with_seals.run(closing=sealed)

    engine = db.get_engine().dialect.name
    p95 = (percentile(with_seals.waits, 95), percentile(baseline.waits, 95))
    worst = (max(with_seals.waits), max(baseline.waits))
    print(f"database: {engine}; {len(burst_tokens[1])} ballots by {args.phones} phones at once, a backup in the "
          f"middle; {args.seal} branches of {args.members} closed at once during the second burst")  # fmt: skip
    print(f"ballot p95: {p95[0] * 1000:.0f} ms with seals, {p95[1] * 1000:.0f} ms without")
    print(f"ballot worst: {worst[0] * 1000:.0f} ms with seals, {worst[1] * 1000:.0f} ms without")
    print(f"dashboard worst gap: {with_seals.worst_gap():.2f} s with seals (interval {args.interval:.1f} s), "
          f"{baseline.worst_gap():.2f} s without")  # fmt: skip
    print(f"longest close: {max(with_seals.closes) * 1000:.0f} ms")
    label = f"{args.seal} branches sealed during a burst ({engine})"
    report(
        [
            Figure(f"{label}: ballot p95", p95[0] * 1000, "ms", "the same burst without seals", p95[1] * 1000),
            Figure(f"{label}: worst ballot", worst[0] * 1000, "ms", "the same burst without seals", worst[1] * 1000),
            Figure(
                f"{label}: dashboard's worst refresh gap",
                with_seals.worst_gap(),
                "s",
                "its refresh interval",
                args.interval,
                "≤ 2×",
            ),
        ]
    )


if __name__ == "__main__":
    main()
