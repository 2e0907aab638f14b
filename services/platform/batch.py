"""Reads of many branches at once, for work that visits one branch after another: the filing package makes a
workbook per branch, each from some fifteen services. Inside `many_branches(ids)`, a branch's query asked
through `per_branch` runs once for all those branches, and each call takes its own branch's rows from that;
outside it, or for a branch not among them, the query runs for the one branch asked. The query is written once,
for a list of branch ids, so both ways read the same rows in the same order.

Only for reading: rows read for the batch are not read again, so a change made inside it would not be seen."""

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from operator import attrgetter
from typing import TypeVar

from sqlmodel import select

T = TypeVar("T")


@dataclass
class _Batch:
    ids: tuple[int, ...]
    rows: dict[tuple, dict[int, list]] = field(default_factory=dict)  # (query's key) -> branch id -> its rows


_batch: ContextVar[_Batch | None] = ContextVar("branch_batch", default=None)


@contextmanager
def many_branches(branch_ids: Iterable[int]) -> Iterator[None]:
    token = _batch.set(_Batch(tuple(branch_ids)))
    try:
        yield
    finally:
        _batch.reset(token)


def per_branch(
    key: tuple,
    branch_id: int,
    query: Callable[[Sequence[int]], Iterable[T]],
    branch_of: Callable[[T], int] = attrgetter("branch_id"),
) -> list[T]:
    """`branch_id`'s rows of `query(ids)` (rows of those branches, each branch's in the order wanted), whose
    `branch_of` is their branch. `key` names the query and every value it depends on besides the ids."""
    batch = _batch.get()
    if batch is None or branch_id not in batch.ids:
        return list(query((branch_id,)))
    found = batch.rows.get(key)
    if found is None:
        found = batch.rows[key] = {}
        for row in query(batch.ids):
            found.setdefault(branch_of(row), []).append(row)
    return found.get(branch_id, [])


def table_rows(session, table, campaign_id: int, branch_id: int, *order) -> list:
    """The branch's rows of `table` (a table with campaign_id and branch_id) in the campaign, ordered by `order`:
    a branch's records read through `per_branch`."""
    return per_branch(
        (table.__name__, campaign_id, *map(str, order)),
        branch_id,
        lambda ids: session.exec(
            select(table)
            .where(table.campaign_id == campaign_id, table.branch_id.in_(ids))
            .order_by(table.branch_id, *order)
        ),
    )
