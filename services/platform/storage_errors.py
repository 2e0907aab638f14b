"""What a failing database means to the person who met it: a full disk, or a database out of reach.

Both engines say "full" in their own words (SQLite: "database or disk is full"; PostgreSQL: "No space
left on device" / "could not extend file"). Whatever the cause, the transaction was rolled back: nothing
of the attempt was written, and everything written before is intact.
"""

_FULL = ("database or disk is full", "no space left on device", "could not extend file", "disk full")

FULL_MESSAGE = (
    "服务器的存储空间已满，刚才的操作没有保存；此前保存的数据都完好无损。请告知系统管理员清理磁盘空间后再试。"
)
UNREACHABLE_MESSAGE = "暂时连不上数据库（可能正在重启或维护），刚才的操作没有保存。请稍等片刻再试一次。"


def is_full(error: BaseException) -> bool:
    text = str(getattr(error, "orig", None) or error).lower()
    return any(words in text for words in _FULL)


def plain_message(error: BaseException) -> str:
    return FULL_MESSAGE if is_full(error) else UNREACHABLE_MESSAGE
