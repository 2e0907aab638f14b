"""Editing one item of a branch's list (problems, rectification) from a form: the item is named by its
number and by what it read when the form was opened, so an edit never lands on an item someone else
changed, moved or deleted in the meantime."""

from services.platform.errors import InvalidTransition

CHANGED = "这一项刚被别人修改或删除了，没有保存。请看下方最新的清单，再重新操作。"


def require_unchanged(items: list, number: int, before) -> None:
    """InvalidTransition unless item `number` (from 1) of `items` still equals `before`."""
    if not 1 <= number <= len(items) or items[number - 1] != before:
        raise InvalidTransition(CHANGED)
