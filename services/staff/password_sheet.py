"""The sheet of one-time passwords an organizer hands out: the unit, the role, the name beside the user name,
the password and where to log in. Made when secretaries' accounts are created in bulk (accounts.py), and again
when an organizer resets chosen accounts to hand their passwords out once more (password_reissue.py)."""

from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Font

from models import Role
from models.account import ROLE_LABELS
from services.sheets.cells import safe_row
from services.sheets.layout import save, widths

HEADER = ["组织", "角色", "姓名", "用户名", "一次性密码", "说明"]


@dataclass(frozen=True)
class SheetRow:
    scope_path: str | None
    role: str
    display_name: str
    username: str
    secret: str


def sheet(rows: list[SheetRow], login_url: str | None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "书记账号"
    ws.append(HEADER)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    where = f"在 {login_url} 登录，" if login_url else ""
    for row in rows:
        unit = (row.scope_path or "全部组织").replace("/", " / ")
        ws.append(safe_row([unit, ROLE_LABELS[Role(row.role)], row.display_name, row.username, row.secret,
                            f"{where}首次登录后须修改密码"]))  # fmt: skip
    if login_url:
        ws.append([])
        ws.append(safe_row([f"登录地址：{login_url}（用电脑或手机浏览器打开）"]))
    widths(ws, [36, 10, 20, 12, 16, 48])
    return save(wb)
