"""The filing package as one ZIP: the summary workbook, a cover listing the contents and what is
unfinished, and each branch's workbook in a folder per general branch — Chinese names stored as UTF-8
(the zip's language flag is set), so they unzip right on Windows and macOS. Every entry's name is made safe
(services/platform/zip_names.py): units name their own folders and files. Making one is audited."""

import io
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO

from openpyxl import Workbook
from openpyxl.styles import Font

from models.audit import AuditAction
from services.campaign import campaigns
from services.campaign.org import DIRECT, branch_ids, branch_rows, read_branches
from services.filing import record_sheets, statistics_sheet
from services.filing.branch_workbook import branch_workbook
from services.filing.summary import summary, summary_workbook
from services.filing.unit_report_docx import papers
from services.grading import feedback
from services.meeting import self_review_list
from services.platform.batch import many_branches
from services.platform.db import one_session, session_scope
from services.platform.errors import InvalidTransition, NotFound, NotPermitted
from services.platform.frozen_heap import frozen_heap
from services.platform.zip_names import EntryNames, safe_part
from services.progress import checklist
from services.records.statistics import statistics
from services.sheets.cells import safe_row
from services.sheets.layout import a4, box, save, widths
from services.staff import audit
from services.staff.access import Actor, may_run_voting, require_unit

SUMMARY_NAME = "民主评议党员情况统计表.xlsx"
COVER_NAME = "00_封面与目录.xlsx"
DIRECT_FOLDER = "直属党支部"


@dataclass(frozen=True)
class Bundle:
    file_name: str
    file: IO[bytes]  # the ZIP: in memory up to IN_MEMORY bytes, in a temporary file beyond (meeting photos)
    unfinished: dict[str, list[str]]  # branch path -> what is missing

    @property
    def size(self) -> int:
        return self.file.seek(0, io.SEEK_END)

    @property
    def data(self) -> bytes:
        self.file.seek(0)
        return self.file.read()

    def save(self, path: Path) -> None:
        """Copied to `path` piece by piece, never whole in memory."""
        self.file.seek(0)
        with path.open("wb") as out:
            shutil.copyfileobj(self.file, out)


IN_MEMORY = 16 * 1024 * 1024
BATCH = 100  # branches whose rows are read together: 14 statements for them all instead of 14 for each


Progress = Callable[[int, int], None]  # (branches written, branches in all): for a progress bar


def bundle(*, actor: Actor, campaign_id: int, today: date, within: str | None = None, include_notices: bool = False,
           include_self_reviews: bool = False, reported: dict[str, str] | None = None,
           on_progress: Progress | None = None) -> Bundle:  # fmt: skip
    """Everything in the actor's scope, or under `within` (a unit or branch path, which must lie in the
    actor's scope as a whole) when given; written to the audit log as made. `include_self_reviews`: each
    branch's 党性分析 texts beside its workbook, for one who may read them all (self_reviews_allowed)."""
    made = package(actor=actor, campaign_id=campaign_id, today=today, within=within, include_notices=include_notices,
                   include_self_reviews=include_self_reviews, reported=reported,
                   on_progress=on_progress)  # fmt: skip
    with session_scope() as session:
        audit.record(
            session, actor, AuditAction.filing_bundle, campaign_id=campaign_id,
            target=within or ("全部组织" if actor.is_organizer else actor.scope_path),
            detail={"branches": len(made.unfinished), "notices": include_notices, "self_reviews": include_self_reviews},
        )  # fmt: skip
    return made


def package(*, actor: Actor, campaign_id: int, today: date, within: str | None = None, include_notices: bool = False,
            include_self_reviews: bool = False, reported: dict[str, str] | None = None,
            on_progress: Progress | None = None) -> Bundle:  # fmt: skip
    """The ZIP itself, unaudited: for reporting, which records the report instead. `on_progress` is called
    before the first branch and after each one."""
    if within is not None:
        require_unit(actor, within)
    campaign = campaigns.get_campaign(actor=actor, campaign_id=campaign_id)
    rows = [b for b in branch_rows(actor=actor, campaign_id=campaign_id)
            if within is None or b.path == within or b.path.startswith(within + "/")]  # fmt: skip
    if not rows:
        raise NotFound("范围内没有党支部")
    if include_self_reviews and not self_reviews_allowed(actor, [b.path for b in rows]):
        raise NotPermitted(_NOT_READER)
    unit = (
        within.rsplit("/", 1)[-1]
        if within
        else (actor.scope_label if not actor.is_organizer else campaign.party_committee_name)
    )
    out = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY)  # noqa: SIM115 (handed over in the Bundle)
    names = EntryNames()
    cover, summary_name = names.file(COVER_NAME), names.file(SUMMARY_NAME)
    unfinished: dict[str, list[str]] = {}
    contents: list[tuple[str, str]] = [(summary_name, "民主评议党员情况统计表（各党支部汇总）")]
    # frozen_heap: the server's own objects are left out of the collections that 600 workbooks set off
    with frozen_heap(), zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        found = summary(actor=actor, campaign_id=campaign_id, branch_paths={b.path for b in rows}, reported=reported)
        signed = papers(actor=actor, campaign=campaign, within=within, unit=unit, found=found, today=today)
        archive.writestr(summary_name, summary_workbook(found, campaign_title=campaign.title, unit=unit, today=today,
                                                        cover=signed.cover))  # fmt: skip
        counted = statistics(actor=actor, campaign_id=campaign_id, unit=within)  # the 党内统计年报's figures
        contents.append((names.file(statistics_sheet.FILE_NAME), "党内统计：民主评议党员情况（含上年度限期改正名单）"))
        archive.writestr(contents[-1][0], statistics_sheet.statistics_workbook(counted, unit=unit, today=today))
        for key, name, data, what in signed.reports:  # the written reports (.docx), beside the summary
            folder = key and names.folder(key, DIRECT_FOLDER if key == DIRECT else key.replace(" / ", "_"))
            contents.append((names.file(name, folder), what))
            archive.writestr(contents[-1][0], data)
        steps = checklist.branch_checklists(actor=actor, campaign_id=campaign_id, branch_paths=[b.path for b in rows])
        with session_scope() as session:
            ids = branch_ids(session, campaign_id)
        for start in range(0, len(rows), BATCH):  # each batch's rows read together (services/platform/batch.py)
            chunk = rows[start : start + BATCH]
            with many_branches(ids[b.path] for b in chunk), one_session() as session:  # one for the batch's reads
                read_branches(session, campaign_id, [b.path for b in chunk])
                for done, b in enumerate(chunk, start):
                    if on_progress:
                        on_progress(done, len(rows))
                    folder = names.folder(
                        b.parent, DIRECT_FOLDER if b.parent == DIRECT else b.parent.replace(" / ", "_")
                    )
                    where = {"actor": actor, "campaign_id": campaign_id, "branch_path": b.path}
                    images = record_sheets.write_images(archive, names, folder, where, b.name)  # listed in the workbook
                    filing = branch_workbook(actor=actor, campaign_id=campaign_id, campaign_title=campaign.title,
                                             year=campaign.year, branch_path=b.path, today=today, images=images,
                                             steps=steps[b.path])  # fmt: skip
                    name = names.file(filing.file_name, folder)
                    archive.writestr(name, filing.data)
                    contents.append((name, b.name))
                    if images:
                        place = images[0].entry.rsplit("/", 1)[0] + "/"
                        contents.append((place, f"{b.name} 会议照片和签到表 {len(images)} 个"))
                    unfinished[b.path] = filing.unfinished
                    if include_self_reviews:  # each branch's reading is audited as a download (self_review_list)
                        name = names.file(f"党性分析材料_{b.name}.html", folder)
                        archive.writestr(name, self_review_list.printable_html(**where))
                        contents.append((name, f"{b.name} 党性分析材料（全文，每名党员一页）"))
                    if include_notices:
                        try:
                            views = feedback.branch_views(actor=actor, campaign_id=campaign_id, branch_path=b.path)
                        except InvalidTransition:
                            continue  # not approved yet: no notices, and the cover says what is missing
                        name = names.file(f"反馈通知_{b.name}.html", folder)
                        archive.writestr(name, feedback.notices_html(views, branch_name=b.name, today=today))
                        contents.append((name, f"{b.name} 评议结果反馈通知"))
        archive.writestr(cover, _cover(campaign.title, unit, today, cover, contents, unfinished, signed.cover))
    if on_progress:
        on_progress(len(rows), len(rows))
    file_name = safe_part(f"{campaign.year}年度民主评议党员备案材料_{unit.replace(' / ', '_')}.zip")
    return Bundle(file_name, out, unfinished)


_NOT_READER = "党性分析全文只能由支部书记（或其指定的支部委员）和组织部放入备案材料：党总支书记看得到名单，看不到全文"


def self_reviews_allowed(actor: Actor, branch_paths: list[str]) -> bool:
    """Whether the actor may put the 党性分析 texts of all these branches into a package: only one who may read
    each branch's texts (its runners, the organizer)."""
    return all(may_run_voting(actor, path) for path in branch_paths)


def _cover(
    title: str,
    unit: str,
    today: date,
    cover: str,
    contents: list[tuple[str, str]],
    unfinished: dict[str, list[str]],
    signed: str = "",
) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "封面与目录"
    ws.append([f"{title}备案材料"])
    ws.append(safe_row([f"报送单位：{unit}　　日期：{today:%Y年%m月%d日}"]))
    ws.append([])
    ws.append(["序号", "文件", "内容"])
    top = ws.max_row
    for i, (name, what) in enumerate([(cover, "封面与目录"), *contents], 1):
        ws.append(safe_row([i, name, what]))
    box(ws, top, ws.max_row, 1, 3, centred=False)
    ws.append([])
    missing = {path: lines for path, lines in unfinished.items() if lines}
    ws.append(["未完成事项" if missing else "各党支部材料均已完成"])
    ws.cell(ws.max_row, 1).font = Font(bold=True)
    for path, lines in missing.items():
        for line in lines:
            ws.append(safe_row(["", path.replace("/", " / "), f"未完成：{line}"]))
    ws.append([])
    ws.append(safe_row([signed]))  # 填报单位（盖章）, 负责人, 填表人, 联系电话, 报出日期
    ws["A1"].font = Font(size=16, bold=True)
    widths(ws, [6, 60, 60])
    a4(ws, page_numbers=True)
    return save(wb)
