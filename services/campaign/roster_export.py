"""The roster as an .xlsx for staff: the members within the caller's scope, formula-safe. The
dashboard offers it through its audited download, the only way member data leaves the app."""

from openpyxl import Workbook
from openpyxl.styles import Font

from models.member import CATEGORY_LABELS, Category
from services.campaign import members
from services.sheets.cells import safe_row
from services.sheets.layout import save, widths
from services.staff.access import Actor

_HEADER = ["党支部", "姓名", "党员类别", "性别", "联系电话", "党小组", "党员领导干部", "流动党员", "年老体弱", "备注"]


def roster_sheet(*, actor: Actor, campaign_id: int) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "党员花名册"
    ws.append(_HEADER)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    yes = {True: "是", False: ""}
    for m in members.list_members(actor=actor, campaign_id=campaign_id):
        ws.append(
            safe_row(
                [
                    m.branch_path.replace("/", " / "),
                    m.name,
                    CATEGORY_LABELS[Category(m.category)],
                    m.gender or "",
                    m.phone or "",
                    m.party_group or "",
                    yes[m.is_leading_cadre],
                    yes[m.is_away],
                    yes[m.is_elderly_ill],
                    m.note or "",
                ]
            )
        )
    widths(ws, [34, 12, 10, 6, 16, 12, 12, 10, 10, 24])
    ws.freeze_panes = "A2"
    return save(wb)
