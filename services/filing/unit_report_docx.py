"""The unit's written report (情况报告) as a .docx in the filing ZIP, beside the summary: one for the exporting
unit (a general branch, a direct branch, or the committee; each unit's own is in the package it reports, so the
committee's ZIP holds the committee's alone and stays as fast). Laid out as an official report: title, addressee,
numbered sections, the unit and date with room for the seal. Also the cover line (services/filing/signatures.py)
of the ZIP's unit."""

import copy
import io
from dataclasses import dataclass
from datetime import date
from functools import cache

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from sqlmodel import select

from models import OrgKind, OrgUnit
from services.campaign.org import DIRECT
from services.filing import unit_report
from services.filing.signatures import cover_line
from services.filing.summary import Summary
from services.filing.unit_details import UnitDetails, details, is_reporting_unit
from services.platform.db import session_scope
from services.sheets.figures import day
from services.staff.access import Actor

NUMBERS = "一二三四五六七八九十"
BODY_FONT, HEADING_FONT, TITLE_FONT = "仿宋_GB2312", "黑体", "方正小标宋简体"


@dataclass(frozen=True)
class Papers:
    cover: str  # the 党统 cover line of the ZIP's unit
    reports: list[tuple[str | None, str, bytes, str]]  # (folder key or None at the top, file name, .docx, what)


def file_name(year: int, unit: str) -> str:
    return f"{year}年度组织生活会和民主评议党员情况报告_{unit}.docx"


def papers(*, actor: Actor, campaign, within: str | None, unit: str, found: Summary, today: date) -> Papers:
    """The cover line and the reports of the ZIP's scope: `within`, or the actor's whole scope."""
    path = within if within is not None else ("" if actor.is_organizer else actor.scope_path)
    with session_scope() as session:
        row = session.exec(select(OrgUnit).where(OrgUnit.campaign_id == campaign.id, OrgUnit.path == path)).first()
        reporting = row is not None and is_reporting_unit(session, row)
        kind = row.kind if row else None
    if not reporting:  # a branch under a general branch: no report of its own, blanks on the cover
        return Papers(cover_line(None, unit=unit, today=today), [])
    mine = details(actor=actor, campaign_id=campaign.id, unit_path=path)
    more = unit_report.extras(campaign.id, found)
    everything = [row for _, rows, _ in found.groups for row in rows]
    listed = unit_report.units(found)
    top = unit_report.figures(everything, more)
    if kind == OrgKind.party_committee:
        top.direct_branches = sum(1 for key, *_ in listed if key == DIRECT)
        top.general_branches = len(listed) - top.direct_branches
    # Only the ZIP's own unit: each general branch's and direct branch's report is in the package it reports.
    data = _report(campaign, unit, top, mine, today, kind)
    return Papers(cover_line(mine, unit=unit, today=today), [(None, file_name(campaign.year, unit), data,
                                                              f"{unit}情况报告（.docx）")])  # fmt: skip


def _report(campaign, unit: str, f: unit_report.UnitFigures, own: UnitDetails, today: date, kind) -> bytes:
    addressee = "上级党组织：" if kind == OrgKind.party_committee else f"{campaign.party_committee_name}："
    return write(unit_report.report(year=campaign.year, unit=unit, addressee=addressee, f=f, details=own,
                                    today=today))  # fmt: skip


@cache
def _blank():
    return Document()  # python-docx's template, parsed once: each report starts from a copy


def write(report: unit_report.Report) -> bytes:
    doc = copy.deepcopy(_blank())
    section = doc.sections[0]
    section.page_width, section.page_height = Pt(595.3), Pt(841.9)  # A4
    _paragraph(doc, report.title, font=TITLE_FONT, size=22, centred=True)
    _paragraph(doc, report.addressee, indent=False)
    for number, (heading, paragraphs) in enumerate(report.sections):
        _paragraph(doc, f"{NUMBERS[number]}、{heading}", font=HEADING_FONT)
        for text in paragraphs or ["（无）"]:
            _paragraph(doc, text.strip())
    _paragraph(doc, "")
    _paragraph(doc, f"{report.unit}（盖章）", right=True)
    _paragraph(doc, day(report.dated), right=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _paragraph(doc, text: str, *, font: str = BODY_FONT, size: float = 16, centred: bool = False,
               right: bool = False, indent: bool = True) -> None:  # fmt: skip
    p = doc.add_paragraph()
    run = p.add_run(text)
    run.font.size = Pt(size)
    run.font.name = font
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    if centred or right:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER if centred else WD_ALIGN_PARAGRAPH.RIGHT
    elif indent:
        p.paragraph_format.first_line_indent = Pt(2 * size)
    p.paragraph_format.line_spacing = Pt(28)
