"""What a branch recorded besides the vote, as tables for its filing workbook (branch_workbook.py lays them
out): 集中学习, 谈心谈话, 书记述职 with 上年整改落实情况, 会议照片 (the numbered list of the image files put
into the ZIP beside the workbook) and 反馈情况. Typed text is written as text (the sheet helper makes it safe)."""

import zipfile
from dataclasses import dataclass, field

from models.meeting import TALK_LABELS, TalkKind
from models.voting import GRADE_LABELS
from services.grading import feedback_records
from services.meeting import attachments, meeting_record, self_review_list, study, talks
from services.platform.zip_names import EntryNames
from services.sheets.figures import day

NOT_WRITTEN = "（未填写）"
_EXTENSIONS = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/webp": ".webp",
    "image/gif": ".gif",
    "image/bmp": ".bmp",
}


@dataclass(frozen=True)
class Table:
    title: str
    header: list[str]
    rows: list[list]
    widths: list[float]
    unfinished: str | None = None
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class FiledImage:
    kind_label: str  # 会议照片 / 签到表扫描件
    entry: str  # its name in the ZIP, or the stored file name when the workbook is made alone
    original: str  # the file name it was uploaded with


def write_images(archive: zipfile.ZipFile, names: EntryNames, folder: str, where: dict, branch_name: str):
    """The meeting's photos and sign-in scans into `folder/<branch>_会议照片和签到表/`, numbered in upload
    order, read one at a time (up to 30 × 10 MB a branch) and stored as is (a JPEG does not deflate)."""
    place, filed = None, []
    for i, (item, data) in enumerate(attachments.attachment_files(**where), 1):
        place = place or names.file(f"{branch_name}_会议照片和签到表", folder)
        stem = item.filename.rsplit(".", 1)[0] if "." in item.filename else item.filename
        entry = names.file(f"{i:02d}_{item.kind_label}_{stem}{_EXTENSIONS.get(item.content_type, '')}", place)
        archive.writestr(entry, data, compress_type=zipfile.ZIP_STORED)
        filed.append(FiledImage(item.kind_label, entry, item.filename))
    return filed


def record_tables(where: dict, view: meeting_record.MeetingView, images: list[FiledImage] | None) -> list[Table]:
    """集中学习, 谈心谈话, 党性分析, 书记述职 and 会议照片; `images` None when the workbook is made outside the ZIP."""
    return [_study(where), _talks(where), _self_reviews(where), _report(view), _images(where, images)]


def _study(where: dict) -> Table:
    sessions = study.list_study(**where)
    rows, unsent = [], 0
    for i, s in enumerate(sessions, 1):
        absent = "、".join(a.name + _why(a) for a in s.absent) or "无"
        sent = [a.name for a in s.absent if a.materials_sent]
        missing = [a.name for a in s.absent if not a.materials_sent]
        unsent += len(missing)
        handed = "；".join(
            filter(None, (sent and f"已送学：{'、'.join(sent)}", missing and f"未送学：{'、'.join(missing)}"))
        )
        rows.append([i, day(s.held_on), s.topic, s.materials or "", s.attended, absent, handed or "无需送学"])
    notes = [f"共 {len(sessions)} 次集中学习"] if sessions else []
    return Table("集中学习", ["序号", "日期", "学习主题", "学习材料", "参加人数", "缺席人员", "送学情况"], rows,
                 [6, 14, 24, 30, 8, 20, 24], unfinished=None if sessions else "尚未记录集中学习",
                 notes=notes + ([f"{unsent} 人次尚未送学"] if unsent else []))  # fmt: skip


def _why(absent: study.Absent) -> str:
    why = "、".join(w for w, flag in (("年老体弱", absent.elderly_ill), ("外出流动", absent.away)) if flag)
    return f"（{why}）" if why else ""


def _talks(where: dict) -> Table:
    found = talks.talks(**where)
    rows = [[i, TALK_LABELS[TalkKind(kind)], count, note or ""]
            for i, (kind, (count, note)) in enumerate(found.counts.items(), 1)]  # fmt: skip
    rows.append(["", "合计", found.total, ""])
    notes = (
        ["需上门或电话谈心的党员：" + "；".join(f"{n}（{why}）" for n, why in found.to_visit)] if found.to_visit else []
    )
    return Table("谈心谈话", ["序号", "谈话类型", "次数", "谈话情况"], rows, [6, 30, 8, 60],
                 unfinished=None if found.total else "尚未记录谈心谈话", notes=notes)  # fmt: skip


def _self_reviews(where: dict) -> Table:
    """党性分析: who handed theirs in, when and how (本人 / 代录) — the list only: the texts stay out of the filing
    (the branch prints them for its meeting from the 党性分析 page)."""
    listed = self_review_list.self_review_list(**where)
    kinds = {(True, False): "文字", (False, True): "手写稿照片", (True, True): "文字和手写稿照片"}
    rows = [[i, s.name, day(s.on), s.how, kinds[(s.has_text, s.has_image)]] for i, s in enumerate(listed.submitted, 1)]
    rows += [[len(rows) + i, m.name, "未提交", "", ""] for i, m in enumerate(listed.missing, 1)]
    entered = sum(s.by_secretary for s in listed.submitted)
    handed = f"已交 {len(listed.submitted)} 人（其中代录 {entered} 人）"
    counts = f"应交 {listed.total} 人，{handed}，未交 {len(listed.missing)} 人"
    notes = [counts, "党性分析全文不放入备案材料，由党支部打印存档"]
    return Table("党性分析", ["序号", "姓名", "提交日期", "方式", "形式"], rows, [6, 12, 16, 8, 20],
                 unfinished=f"{len(listed.missing)} 名党员尚未提交党性分析" if listed.missing else None,
                 notes=notes)  # fmt: skip


def _report(view: meeting_record.MeetingView) -> Table:
    r = view.record
    rows = [["支部书记述职", NOT_WRITTEN if r is None else ("是" if r.report_given else "否")],
            ["述职内容", (r and r.secretary_report) or NOT_WRITTEN],
            ["上年整改落实情况", (r and r.last_year_rectification) or NOT_WRITTEN]]  # fmt: skip
    missing = [what for what, text in (("书记述职内容", r and r.secretary_report),
                                       ("上年整改落实情况", r and r.last_year_rectification)) if not text]  # fmt: skip
    return Table(
        "书记述职", ["项目", "内容"], rows, [18, 82], unfinished="、".join(missing) + "尚未填写" if missing else None
    )


def _images(where: dict, images: list[FiledImage] | None) -> Table:
    alone = images is None
    if alone:
        listed = attachments.list_attachments(**where, thumbnails=False)
        images = [FiledImage(a.kind_label, a.filename, a.filename) for a in listed]
    rows = [[i, f.kind_label, f.entry, f.original] for i, f in enumerate(images, 1)]
    counts = {label: sum(1 for f in images if f.kind_label == label) for label in ("会议照片", "签到表扫描件")}
    notes = ["，".join(f"{label} {n} 张" for label, n in counts.items())] if images else ["未上传会议照片和签到表"]
    if alone and images:
        notes.append("图片文件随备案材料（ZIP）提供")
    return Table("会议照片", ["序号", "类别", "备案材料中的文件", "上传时的文件名"], rows, [6, 14, 60, 24],
                 unfinished=None if counts["签到表扫描件"] else "尚未上传签到表扫描件", notes=notes)  # fmt: skip


def feedback_table(where: dict) -> Table:
    """反馈情况: each graded member, when, how and by whom the approved result was given."""
    found = feedback_records.branch_feedback(**where)
    rows = []
    for i, r in enumerate(found.rows, 1):
        if r.given_on is None:
            rows.append([i, r.name, GRADE_LABELS.get(r.grade, ""), "未记录", "", ""])
            continue
        way = r.way_label + ("" if r.recorded else "（应个别谈话）")
        rows.append([i, r.name, GRADE_LABELS.get(r.grade, ""), day(r.given_on), way, r.given_by or ""])
    if not found.approved:
        unfinished = "评定格次尚未经上级党组织审批，尚未反馈"
    else:
        unfinished = f"{len(found.missing)} 名党员的反馈尚未记录" if found.missing else None
    return Table("反馈情况", ["序号", "姓名", "评定格次", "反馈日期", "反馈方式", "反馈人"], rows,
                 [6, 12, 10, 16, 18, 12], unfinished=unfinished)  # fmt: skip
