"""services/platform/batch.py: a branch query asked branch by branch inside many_branches runs once for the
batch, and each branch gets exactly its own rows, in the query's order; outside it, or for a branch not in it,
the query runs for that branch alone."""

from collections import namedtuple

from services.platform.batch import many_branches, per_branch

Row = namedtuple("Row", "branch_id text")
ROWS = [Row(1, "甲"), Row(2, "乙"), Row(1, "丙"), Row(3, "丁")]


def _query(asked: list):
    def query(ids):
        asked.append(tuple(ids))
        return [r for r in ROWS if r.branch_id in ids]

    return query


def test_inside_a_batch_the_query_runs_once_and_each_branch_gets_its_own_rows():
    asked = []
    with many_branches([1, 2, 4]):
        got = {b: per_branch(("rows",), b, _query(asked)) for b in (1, 2, 4)}
        alone = per_branch(("rows",), 3, _query(asked))  # not in the batch: read for itself
    assert got == {1: [Row(1, "甲"), Row(1, "丙")], 2: [Row(2, "乙")], 4: []}
    assert alone == [Row(3, "丁")]
    assert asked == [(1, 2, 4), (3,)]


def test_outside_a_batch_and_for_another_key_the_query_runs_again():
    asked = []
    assert per_branch(("rows",), 1, _query(asked)) == [Row(1, "甲"), Row(1, "丙")]
    with many_branches([1, 2]):
        per_branch(("rows", "campaign 1"), 1, _query(asked))
        per_branch(("rows", "campaign 2"), 2, _query(asked))  # another key: another query
        per_branch(("rows", "campaign 2"), 1, _query(asked))  # read with it already
    assert asked == [(1,), (1, 2), (1, 2)]
    with many_branches([1, 2]):  # a new batch reads anew
        per_branch(("rows", "campaign 1"), 2, _query(asked))
    assert asked[-1] == (1, 2) and len(asked) == 4
