"""Errors a service raises, with messages in plain Chinese fit to show to the user."""

from dataclasses import dataclass


class ServiceError(Exception):
    """A refusal the user can understand and act on."""


class NotFound(ServiceError):
    pass


class InvalidInput(ServiceError):
    pass


class InvalidTransition(ServiceError):
    pass


class NotPermitted(ServiceError):
    pass


@dataclass(frozen=True)
class RowError:
    """One problem in an imported file; row is the row number the spreadsheet shows."""

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"第 {self.row} 行")
        if self.column:
            where.append(f"“{self.column}”列")
        return f"{'，'.join(where)}：{self.message}" if where else self.message


class ImportRejected(ServiceError):
    """The file was refused as a whole; nothing was written."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        lines = "\n".join(str(e) for e in errors)
        super().__init__(f"导入失败，共 {len(errors)} 处问题，未写入任何数据：\n{lines}")


class BallotsUnreadable(ServiceError):
    """A branch's encrypted ballots cannot be decrypted with this server's ballot key; nothing was deleted."""

    def __init__(self, branch_path: str):
        self.branch_path = branch_path
        super().__init__(
            f"党支部“{branch_path}”的测评票无法解密：本服务器的测评密钥（BALLOT_KEY）与投票时使用的不一致。"
            "这些票仍完整保存，没有删除；请找回投票期间使用的测评密钥并重新启动服务后再结束测评。"
        )
