"""Command line for organizers and scripts: python manage.py COMMAND --help."""

import argparse
import getpass
import json
import os
import sys
from datetime import date
from pathlib import Path

from models.account import Role
from models.campaign import CAP_BASES
from models.grading import GRADING_LABELS, GradingState
from models.voting import GRADE_LABELS, Grade
from services import demo
from services.ballot import campaign_status, distribution, sealing, voter_links, voting
from services.ballot import representatives_count as masses_count
from services.campaign import campaigns, org, roster, roster_preview, roster_template
from services.filing import bundle, reporting
from services.grading import disposition_cases, feedback_records, feedback_sheet, final_grades, results
from services.grading.suggestion import TIE_RULE
from services.meeting import self_review_list
from services.platform import backup, db, link_address
from services.platform.config import get_settings
from services.platform.errors import ImportRejected, InvalidInput, NotFound, ServiceError
from services.progress import overview
from services.records import member_history, statistics
from services.staff import accounts, audit
from services.staff.access import command_line_actor

ACTOR = command_line_actor()


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期“{text}”格式不对，应为 YYYY-MM-DD，如 2021-03-20") from None


def cmd_init_db(_args) -> None:
    db.upgrade()
    print("数据库已就绪（已升级到最新结构）")


def cmd_demo(args) -> None:
    result = demo.load_demo(actor=ACTOR, force=args.force)
    c = campaigns.get_campaign(actor=ACTOR, campaign_id=result.campaign_id)
    print(f"已创建演示评议活动 #{c.id}：{c.title}（{c.status_label}）")
    print(
        f"党委：{c.party_committee_name}；党支部 {c.branches} 个；"
        f"党员 {c.members} 人（正式 {c.full}，预备 {c.probationary}）"
    )


def cmd_create_campaign(args) -> None:
    print(
        campaigns.create_campaign(
            actor=ACTOR,
            title=args.title,
            year=args.year,
            deadline=args.deadline,
            party_committee_name=args.party_committee,
            rate_branch_committee=args.rate_branch_committee,
            collect_opinions=args.collect_opinions,
            cap_base=args.cap_base,
        )
    )


def cmd_set_status(args) -> None:
    c = campaign_status.set_status(actor=ACTOR, campaign_id=args.campaign, status=args.status)
    print(f"评议活动 #{c.id} 现在是“{c.status_label}”状态")


def cmd_import_roster(args) -> None:
    path = Path(args.file)
    if not path.is_file():
        raise ServiceError(f"找不到文件：{path}")
    if args.dry_run:
        _print_preview(
            roster_preview.preview_roster_file(
                actor=ACTOR, campaign_id=args.campaign, filename=path.name, data=path.read_bytes()
            )
        )
        return
    report = roster.import_roster_file(
        actor=ACTOR, campaign_id=args.campaign, filename=path.name, data=path.read_bytes()
    )
    print(f"added={report.added} changed={report.changed} removed={report.removed}")
    print(report.summary())
    if report.ignored_columns:
        print(f"未使用的列：{'、'.join(report.ignored_columns)}")


def _print_preview(shown: roster_preview.RosterPreview) -> None:
    """What the import would do (nothing written); problems then go to stderr and the exit code is 2."""
    print("预览（未写入任何数据）")
    if shown.branches:
        print(shown.summary())
        print("党支部\t人数\t正式\t预备\t新增\t更新\t移除")
        for b in shown.branches:
            print(f"{b.label}\t{b.members}\t{b.full}\t{b.probationary}\t{b.added}\t{b.changed}\t{b.removed}")
    for label, rows in (("新增", shown.added), ("更新", shown.changed), ("移除", shown.removed)):
        for c in rows:
            print(f"{label}：{c.name}（{c.branch}）{'：' + c.what if c.what else ''}")
    if shown.examples_skipped:
        print(f"已跳过 {shown.examples_skipped} 行示例")
    if shown.ignored_columns:
        print(f"未使用的列：{'、'.join(shown.ignored_columns)}")
    if shown.problems:
        raise ImportRejected(shown.problems)
    if shown.blocked:
        raise ServiceError(shown.blocked)
    print("确认无误后，去掉 --dry-run 再运行一次即导入")


def cmd_roster_template(args) -> None:
    Path(args.out).write_bytes(roster_template.template_workbook())
    print(f"已写出花名册模板 {args.out}：按模板填写后用 import-roster 导入（可先加 --dry-run 预览）")


def cmd_list_campaigns(_args) -> None:
    rows = campaigns.list_campaigns(actor=ACTOR)
    if not rows:
        print("还没有评议活动")
        return
    print("编号\t年度\t状态\t党支部\t党员\t正式\t预备\t名称")
    for c in rows:
        print(f"{c.id}\t{c.year}\t{c.status}\t{c.branches}\t{c.members}\t{c.full}\t{c.probationary}\t{c.title}")


def _read_password() -> str:
    """From the terminal (asked twice), or the first line of standard input for scripts."""
    if sys.stdin.isatty():
        first = getpass.getpass("密码：")
        if getpass.getpass("再输一次：") != first:
            raise InvalidInput("两次输入的密码不一致")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def cmd_create_user(args) -> None:
    new = accounts.create_account(
        actor=ACTOR,
        username=args.name,
        display_name=args.display_name or args.name,
        role=args.role,
        scope_path=args.org,
        password=_read_password(),
    )
    print(f"已创建账号“{new.account.username}”（{new.account.role_label}）")


def cmd_reset_password(args) -> None:
    accounts.set_password(actor=ACTOR, username=args.name, password=_read_password())
    print(f"账号“{args.name}”的密码已更新，锁定已解除")


def _branch(args) -> str:
    return org.find_branch(actor=ACTOR, campaign_id=args.campaign, name=args.branch)


def cmd_open_voting(args) -> None:
    state = voting.open_voting(actor=ACTOR, campaign_id=args.campaign, branch_path=_branch(args), mode=args.mode)
    mode = "实名链接" if state.mode == "named" else "无记名投票码"
    print(f"{state.branch_name}：测评已开启（{mode}），{state.voters} 人投票，{state.rated} 名正式党员参评")
    print("下一步：python manage.py issue-links … 生成链接")


def cmd_close_voting(args) -> None:
    state = voting.close_voting(actor=ACTOR, campaign_id=args.campaign, branch_path=_branch(args))
    print(f"{state.branch_name}：测评已结束，在线 {state.voted_online} 票，纸质 {state.paper_entered} 票")


def _link_base(args) -> str:
    """--base-url or BASE_URL: the command line has no browser address to fall back on."""
    base = args.base_url or get_settings().base_url
    if not base:
        raise InvalidInput("请用 --base-url 指定党员手机能打开的地址（如 http://192.168.1.10:8501），或设置 BASE_URL")
    if link_address.is_loopback(base):
        print(f"注意：{base} 是本机地址，只有本机能打开这些链接，党员的手机打不开", file=sys.stderr)
    return base


def _write_links(path: str, links: list[voter_links.IssuedLink]) -> None:
    # Links let their holders vote: the file is readable by its owner only.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)  # also when the file was there before
    with open(fd, "wb") as f:
        f.write(distribution.links_csv(links))


def cmd_issue_links(args) -> None:
    links = voter_links.issue_links(
        actor=ACTOR, campaign_id=args.campaign, branch_path=_branch(args), base_url=_link_base(args)
    )
    _write_links(args.out, links)
    print(f"已生成 {len(links)} 条链接，写入 {args.out}；此前未使用的链接已作废")


def cmd_export_links(args) -> None:
    found = voter_links.current_links(
        actor=ACTOR, campaign_id=args.campaign, branch_path=_branch(args), base_url=_link_base(args)
    )
    _write_links(args.out, found.links)
    audit.record_download(actor=ACTOR, what=str(Path(args.out).resolve())[-400:], campaign_id=args.campaign)
    print(f"已写出 {len(found.links)} 条未使用的链接到 {args.out}，没有作废任何链接")
    if found.lost:
        print(f"另有 {found.lost} 条链接无法重新生成（系统密钥已更换），如需请用 issue-links 重新生成", file=sys.stderr)


def cmd_progress(args) -> None:
    now = overview.campaign_progress(actor=ACTOR, campaign_id=args.campaign)
    if args.json:
        print(json.dumps(now.as_dict(), ensure_ascii=False, indent=2))
        return
    print(f"{now.title}（截止 {now.deadline}，还有 {now.days_left} 天）　更新于 {now.updated_at:%H:%M:%S}")
    print("上级组织\t党支部\t状态\t应投\t在线\t纸质\t完成率%\t最近一票\t封存\t评定格次\t六步完成")
    for b in now.branches:
        latest = b.latest.strftime("%m-%d %H:%M") if b.latest else "-"
        state, seal = overview.STATE_LABELS[b.state], overview.SEAL_LABELS[b.seal] or "-"
        grades = GRADING_LABELS[GradingState(b.grading)]
        figures = f"{b.eligible}\t{b.online}\t{b.paper}\t{b.percent}\t{latest}\t{seal}\t{grades}\t{b.steps_done}/6"
        print(f"{b.parent}\t{b.name}\t{state}\t{figures}")
    for g in [*now.by_parent, now.total]:
        print(
            f"{g.label}：{g.branches} 个党支部，已收 {g.received} / 应投 {g.eligible}（{g.percent}%），"
            f"未开启 {g.not_open}，进行中 {g.open}，已结束 {g.closed}"
        )


def cmd_results(args) -> None:
    found = results.branch_results(actor=ACTOR, campaign_id=args.campaign, branch_path=_branch(args))
    masses = masses_count.tally(actor=ACTOR, campaign_id=args.campaign, branch_path=_branch(args))
    if args.json:
        document = _with_cases(_with_feedback(results.as_dict(found), args), args)
        document["masses"] = masses_count.as_dict(masses)  # 群众评议: apart, never in the figures above
        print(json.dumps(document, ensure_ascii=False, indent=2))
        return
    print(f"{found.branch_name}　评定格次：{GRADING_LABELS[GradingState(found.state)]}")
    print(
        f"应参加 {found.voters} 人，收回 {found.received} 张（网上 {found.online}，纸质 {found.paper}，"
        f"废票 {found.invalid}），参评率 {found.turnout:.0%}；优秀名额 {found.cap} 人"
    )
    if found.excellent:
        print(f"{found.excellent.rule}；建议格次：{TIE_RULE}")
    print("姓名\t优秀\t合格\t基本合格\t不合格\t建议格次\t评定格次\t理由\t组织处置")
    for r in found.rows:
        counts = "\t".join(str(r.counts.get(g.value, 0)) for g in Grade)
        suggested, final = GRADE_LABELS.get(r.suggestion.grade, "-"), GRADE_LABELS.get(r.final.grade, "-")
        disposition = "：".join(filter(None, (r.final.disposition, r.final.disposition_note))) or "-"
        print(f"{r.name}\t{counts}\t{suggested}\t{final}\t{r.final.reason or '-'}\t{disposition}")
    for _, name in found.probationary:
        print(f"{name}\t预备党员，不评定等次")
    for absent in found.not_taking_part:
        print(f"{absent.name}\t未参加评议：{absent.reason_text}")
    if masses is not None:
        print(f"\n{masses_count.TITLE}：收回 {masses.ballots} 张\n姓名\t优秀\t合格\t基本合格\t不合格")
        for _, name, counts in masses.rows:
            print(name + "".join(f"\t{counts[g.value]}" for g in Grade))


def cmd_statistics(args) -> None:
    found = statistics.statistics(actor=ACTOR, campaign_id=args.campaign, unit=args.unit)
    if args.json:
        print(json.dumps(found.as_dict(), ensure_ascii=False, indent=2))
        return
    print(f"{found.campaign_title}　党内统计：民主评议党员情况")
    print("单位\t党支部\t党员\t参加评议\t其中预备党员\t优秀\t合格\t基本合格\t不合格\t尚未审批\t未参加评议（原因）"
          "\t限期改正\t劝其退党\t除名")  # fmt: skip
    for f in [*found.units, found.total]:
        grades = "\t".join(str(n) for n in f.grades.values())
        kinds = "\t".join(str(n) for n in f.dispositions.values())
        absent = f"{f.absent}（{statistics.reasons_text(f.not_taking_part)}）"
        print(f"{f.unit}\t{f.branches}\t{f.members}\t{f.taking_part}\t{f.probationary_taking_part}\t{grades}"
              f"\t{f.awaiting_approval}\t{absent}\t{kinds}")  # fmt: skip
    listed = f"{len(found.corrections)} 人" if found.corrections else "无"
    print(f"上年度（{found.year - 1}年）限期改正：{listed}")
    for c in found.corrections:
        print(f"{c.name}\t{c.branch}\t{c.stage}\t{c.this_year}")


def cmd_history(args) -> None:
    people = member_history.member_history(actor=ACTOR, person=args.person)
    if args.json:
        print(json.dumps([p.as_dict() for p in people], ensure_ascii=False, indent=2))
        return
    if not people:
        raise NotFound(f"没有找到“{args.person}”")
    for p in people:
        print(p.key)
        print("年度\t党支部\t姓名\t类别\t格次\t组织处置\t反馈\t承诺")
        for e in p.entries:
            print(f"{e.year}\t{e.branch}\t{e.name}\t{e.category}\t{e.grade}\t{e.case or '-'}\t{e.feedback or '-'}"
                  f"\t{e.commitment or '-'}")  # fmt: skip


def cmd_self_reviews(args) -> None:
    where = {"actor": ACTOR, "campaign_id": args.campaign, "branch_path": _branch(args)}
    listed = self_review_list.self_review_list(**where)
    texts = self_review_list.review_texts(**where) if args.texts else []
    if args.json:
        found = {
            "branch": listed.branch_name, "closed": listed.closed,
            "submitted": [{"name": s.name, "on": s.on.isoformat(), "how": s.how, "text": s.has_text,
                           "photo": s.has_image} for s in listed.submitted],
            "missing": [m.name for m in listed.missing],
        } | ({"texts": [{"name": t.name, "text": t.text, "photo": t.image is not None} for t in texts]}
             if args.texts else {})  # fmt: skip
        print(json.dumps(found, ensure_ascii=False, indent=2))
        return
    print(f"{listed.branch_name}　党性分析：应交 {listed.total} 人，已交 {len(listed.submitted)} 人，"
          f"未交 {len(listed.missing)} 人")  # fmt: skip
    for s in listed.submitted:
        print(f"{s.name}\t{s.on}\t{s.how}")
    if listed.missing:
        print("未交：" + "、".join(m.name for m in listed.missing))
    for t in texts:
        print(f"\n== {t.name}（{t.on}{'，代录' if t.by_secretary else ''}）")
        print(t.text or "（只有手写稿照片，请在管理端打印）")


def cmd_set_grades(args) -> None:
    path = Path(args.file)
    found = final_grades.set_grades_from_file(
        actor=ACTOR, campaign_id=args.campaign, branch_path=_branch(args), filename=path.name, data=path.read_bytes()
    )
    graded = sum(1 for r in found.rows if r.final.grade)
    print(f"已保存评定格次草稿：{graded} / {len(found.rows)} 名正式党员已评定")
    if found.not_taking_part:
        print("未参加评议（不评定格次）：" + "、".join(f"{a.name}（{a.reason_text}）" for a in found.not_taking_part))
    if problems := final_grades.submission_problems(found):  # the same checks as submit-grades
        print(f"报送审批前还需修改 {len(problems)} 处：")
        for problem in problems:
            print(f"  {problem}")


def cmd_submit_grades(args) -> None:
    final_grades.submit_grades(actor=ACTOR, campaign_id=args.campaign, branch_path=_branch(args))
    print("评定格次已报上级党组织审批")


def cmd_approve_grades(args) -> None:
    path = _branch(args)
    if args.send_back is not None:
        final_grades.return_grades(actor=ACTOR, campaign_id=args.campaign, branch_path=path, comment=args.send_back)
        print("评定格次已退回党支部修改")
    else:
        final_grades.approve_grades(actor=ACTOR, campaign_id=args.campaign, branch_path=path)
        print("评定格次已审批通过")


def _with_feedback(document: dict, args) -> dict:
    """Each member's feedback on record (date, way, who; null when none) added to `results --json`."""
    kept = feedback_records.branch_feedback(actor=ACTOR, campaign_id=args.campaign, branch_path=_branch(args))
    given = {r.name: r.as_json() for r in kept.rows}
    for member in document["members"]:
        member["feedback"] = given.get(member["name"])
    return document


def _with_cases(document: dict, args) -> dict:
    """Each member's 组织处置 case (kind, steps, period and its end, outcome; null: none) in `results --json`."""
    listed = disposition_cases.list_cases(actor=ACTOR, campaign_id=args.campaign, branch_path=_branch(args))
    cases = {c.name: c.as_dict() for c in listed}
    for member in document["members"]:
        member["disposition_case"] = cases.get(member["name"])
    return document


def cmd_record_feedback(args) -> None:
    path = Path(args.file)
    if not path.is_file():
        raise ServiceError(f"找不到文件：{path}")
    kept = feedback_sheet.record_feedback_from_file(
        actor=ACTOR, campaign_id=args.campaign, branch_path=_branch(args), filename=path.name, data=path.read_bytes()
    )
    done = len(kept.rows) - len(kept.missing)
    print(f"已记录反馈情况：{done} / {len(kept.rows)} 名评定了格次的党员已记录")
    if kept.missing:
        print(f"还差：{len(kept.missing)} 名党员的反馈尚未记录：{'、'.join(r.name for r in kept.missing)}")


def cmd_export(args) -> None:
    within = None
    if args.branch:  # a branch by name or path, or a general branch by path
        try:
            within = _branch(args)
        except NotFound:
            within = args.branch.strip()
    made = bundle.bundle(
        actor=ACTOR, campaign_id=args.campaign, today=date.today(), within=within, include_notices=args.notices,
        include_self_reviews=args.self_reviews,
        reported=reporting.report_states(actor=ACTOR, campaign_id=args.campaign),
    )  # fmt: skip
    made.save(Path(args.out))
    audit.record_download(actor=ACTOR, what=str(Path(args.out).resolve())[-400:], campaign_id=args.campaign)
    print(f"已写出备案材料 {args.out}（{made.size // 1024} KB，{len(made.unfinished)} 个党支部）")
    for path, lines in made.unfinished.items():
        for line in lines:
            print(f"未完成：{path}：{line}")


def cmd_report(args) -> None:
    if args.send_back is not None:
        reporting.return_report(actor=ACTOR, campaign_id=args.campaign, unit_path=args.unit, comment=args.send_back)
        print(f"已退回“{args.unit}”报送的材料")
        return
    sent = reporting.report(actor=ACTOR, campaign_id=args.campaign, unit_path=args.unit, today=date.today())
    print(f"“{sent.name}”的备案材料已报送（{sent.state_label}），距截止还有 {sent.days_left} 天")


def cmd_backup(args) -> None:
    made = backup.backup(Path(args.out))
    print(f"已备份到 {made.path}（{made.engine}，{made.size // 1024} KB）。测评密钥和登录密钥不在备份中，请另行保管。")


def cmd_restore(args) -> None:
    def show(found: backup.BackupContents) -> None:
        print(f"即将恢复备份 {args.file}：数据库结构版本 {found.revision}，评议活动 {found.campaigns} 个")

    backup.restore(Path(args.file), replace=args.replace, show=show)
    print(f"已从 {args.file} 恢复数据库，并升级到最新结构")


def cmd_seal_due(_args) -> None:
    report = sealing.seal_due()
    print(f"已封存 {report.sealed} 个测评已结束的党支部")
    for problem in report.unreadable:
        print(problem, file=sys.stderr)
    if report.log_owed:
        print("数据库日志（-wal）尚未清空：有其他连接正在读取，请稍后再运行本命令", file=sys.stderr)
    if not report.complete:
        raise SystemExit(1)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="manage.py",
        description="民主评议党员：命令行工具。数据库由环境变量 DATABASE_URL 指定，默认为 SQLite 文件。",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    sub.add_parser("init-db", help="创建或升级数据库结构").set_defaults(func=cmd_init_db)
    p = sub.add_parser("demo", help="加载演示单位（约 300 名党员、一个进行中的评议活动），仅用于空数据库")
    p.add_argument("--force", action="store_true", help="已有评议活动时仍然加载（演示单位可能与真实单位同名）")
    p.set_defaults(func=cmd_demo)
    p = sub.add_parser("create-campaign", help="创建评议活动，输出其编号")
    p.add_argument("--title", required=True, help="活动名称")
    p.add_argument("--year", required=True, type=int, help="评议年度，如 2020")
    p.add_argument("--deadline", required=True, type=_date, help="截止日期 YYYY-MM-DD")
    p.add_argument("--party-committee", default=campaigns.DEFAULT_PARTY_COMMITTEE, help="党委名称（默认：院党委）")
    p.add_argument("--rate-branch-committee", action="store_true", help="测评表中评价支部委员会和书记述职")
    p.add_argument("--collect-opinions", action="store_true", help="测评表中收集意见建议")
    p.add_argument(
        "--cap-base", choices=list(CAP_BASES), default="full",
        help="“优秀”名额的基数：full 参评正式党员（默认）；all 参评党员总数（含预备党员）",
    )  # fmt: skip
    p.set_defaults(func=cmd_create_campaign)
    p = sub.add_parser("set-status", help="更改评议活动状态")
    p.add_argument("--campaign", required=True, type=int, help="活动编号")
    p.add_argument("--status", required=True, choices=["open", "closed", "archived"])
    p.set_defaults(func=cmd_set_status)
    p = sub.add_parser("import-roster", help="导入党员花名册（.xlsx 或 .csv）")
    p.add_argument("file", help="花名册文件")
    p.add_argument("--campaign", required=True, type=int, help="活动编号")
    p.add_argument("--dry-run", action="store_true", help="只预览，不写入：各支部人数、新增/更新/移除、有问题的行")
    p.set_defaults(func=cmd_import_roster)
    p = sub.add_parser("roster-template", help="写出党员花名册模板（.xlsx，含两行示例）")
    p.add_argument("out", help="输出文件，如 花名册模板.xlsx")
    p.set_defaults(func=cmd_roster_template)
    sub.add_parser("list-campaigns", help="列出评议活动").set_defaults(func=cmd_list_campaigns)
    p = sub.add_parser("create-user", help="创建账号，密码从标准输入读取")
    p.add_argument("name", help="用户名（登录用）")
    p.add_argument("--role", required=True, choices=[r.value for r in Role])
    p.add_argument("--org", help="所在组织的路径，如“机关党总支/党政办党支部”；组织部账号不需要")
    p.add_argument("--display-name", help="姓名（默认同用户名）")
    p.set_defaults(func=cmd_create_user)
    p = sub.add_parser("open-voting", help="开启一个党支部的测评")
    p.add_argument("--campaign", required=True, type=int, help="活动编号")
    p.add_argument("--branch", required=True, help="党支部名称（重名时写完整路径，如 机关党总支/党政办党支部）")
    p.add_argument(
        "--mode", choices=["named", "unnamed"], default="named", help="named 实名链接（默认）；unnamed 无记名投票码"
    )
    p.set_defaults(func=cmd_open_voting)
    p = sub.add_parser("close-voting", help="结束一个党支部的测评（随即打乱存储顺序）")
    p.add_argument("--campaign", required=True, type=int, help="活动编号")
    p.add_argument("--branch", required=True, help="党支部名称或路径")
    p.set_defaults(func=cmd_close_voting)
    sub.add_parser(
        "seal-due", help="封存所有测评已结束（含已过截止日期）但尚未封存的党支部；可由 cron 每分钟运行"
    ).set_defaults(func=cmd_seal_due)
    for name, func, purpose in (
        ("issue-links", cmd_issue_links, "生成测评链接（作废此前未使用的链接），写入 CSV"),
        ("export-links", cmd_export_links, "写出尚未使用的测评链接（与已发出的相同，不作废任何链接）"),
    ):
        p = sub.add_parser(name, help=purpose)
        p.add_argument("--campaign", required=True, type=int, help="活动编号")
        p.add_argument("--branch", required=True, help="党支部名称或路径")
        p.add_argument("--base-url", help="党员手机能打开的地址，如 https://pingyi.example.edu.cn（默认 BASE_URL）")
        p.add_argument("--out", required=True, help="输出的 CSV 文件")
        p.set_defaults(func=func)
    p = sub.add_parser("progress", help="各党支部测评进度及汇总")
    p.add_argument("--campaign", required=True, type=int, help="活动编号")
    p.add_argument("--json", action="store_true", help="以 JSON 输出，供脚本使用")
    p.set_defaults(func=cmd_progress)
    for name, func, purpose in (
        ("results", cmd_results, "一个党支部的测评结果、建议格次和评定格次"),
        (
            "set-grades",
            cmd_set_grades,
            "从填好的民主测评统计表（姓名、评定格次、理由、组织处置、处置说明、未参加评议原因）保存评定格次草稿，"
            "并列出报送前还需修改之处",
        ),
        ("submit-grades", cmd_submit_grades, "把评定格次报上级党组织审批"),
        ("approve-grades", cmd_approve_grades, "审批通过评定格次，或用 --return 退回"),
    ):
        p = sub.add_parser(name, help=purpose)
        p.add_argument("--campaign", required=True, type=int, help="活动编号")
        p.add_argument("--branch", required=True, help="党支部名称或路径")
        if name == "results":
            p.add_argument("--json", action="store_true", help="以 JSON 输出，供脚本使用")
        if name == "set-grades":
            p.add_argument("--file", required=True, help="填好的统计表")
        if name == "approve-grades":
            p.add_argument("--return", dest="send_back", metavar="COMMENT", help="退回并写明意见")
        p.set_defaults(func=func)
    p = sub.add_parser("statistics", help="党内统计：参评人数、各格次、未参加评议及原因、组织处置、上年度限期改正名单")
    p.add_argument("--campaign", required=True, type=int, help="活动编号")
    p.add_argument("--unit", help="只看一个党总支或直属党支部（路径）；默认全部")
    p.add_argument("--json", action="store_true", help="以 JSON 输出，供脚本使用")
    p.set_defaults(func=cmd_statistics)
    p = sub.add_parser("history", help="一名党员历年的评议情况：格次、组织处置及进展、反馈、承诺")
    p.add_argument("--person", required=True, help="姓名或身份证号/工号")
    p.add_argument("--json", action="store_true", help="以 JSON 输出，供脚本使用")
    p.set_defaults(func=cmd_history)
    p = sub.add_parser("self-reviews", help="党支部党员党性分析提交情况：已交（日期、本人/代录）、未交名单")
    p.add_argument("--campaign", required=True, type=int, help="活动编号")
    p.add_argument("--branch", required=True, help="党支部名称或路径")
    p.add_argument("--json", action="store_true", help="以 JSON 输出，供脚本使用")
    p.add_argument("--texts", action="store_true", help="同时输出党性分析全文（记入操作日志）")
    p.set_defaults(func=cmd_self_reviews)
    p = sub.add_parser("record-feedback", help="从表格（姓名、日期、方式、反馈人）记录反馈情况，有错则都不记录")
    p.add_argument("--campaign", required=True, type=int, help="活动编号")
    p.add_argument("--branch", required=True, help="党支部名称或路径")
    p.add_argument("--file", required=True, help=".xlsx 或 .csv；方式：个别谈话、书面通知、集体反馈")
    p.set_defaults(func=cmd_record_feedback)
    p = sub.add_parser("export", help="导出备案材料（ZIP：汇总表、封面目录、各党支部工作簿），并列出未完成事项")
    p.add_argument("--campaign", required=True, type=int, help="活动编号")
    p.add_argument("--branch", help="只导出一个党支部或党总支（名称或路径）")
    p.add_argument("--notices", action="store_true", help="附上各党员的评议结果反馈通知")
    p.add_argument("--self-reviews", action="store_true", help="附上各党支部的党性分析全文（每名党员一页）")
    p.add_argument("--out", required=True, help="输出的 .zip 文件")
    p.set_defaults(func=cmd_export)
    p = sub.add_parser("report", help="党总支或直属党支部向组织部报送备案材料，或用 --return 退回")
    p.add_argument("--campaign", required=True, type=int, help="活动编号")
    p.add_argument("--unit", required=True, help="党总支或直属党支部的路径")
    p.add_argument("--return", dest="send_back", metavar="COMMENT", help="组织部退回，并写明意见")
    p.set_defaults(func=cmd_report)
    p = sub.add_parser("backup", help="备份整个数据库（SQLite 在线备份；PostgreSQL 用 pg_dump），投票进行中也可以")
    p.add_argument("--out", required=True, help="备份文件（新建，不会覆盖已有的文件）")
    p.set_defaults(func=cmd_backup)
    p = sub.add_parser(
        "restore", help="用备份文件恢复数据库（替换全部内容），随后升级到最新结构；先停止应用，备份先经检查"
    )
    p.add_argument("file", help="备份文件")
    p.add_argument("--replace", action="store_true", help="数据库里已有数据时，确认用备份替换")
    p.set_defaults(func=cmd_restore)
    p = sub.add_parser("reset-password", help="设置某账号的密码并解除锁定，密码从标准输入读取")
    p.add_argument("name", help="用户名")
    p.set_defaults(func=cmd_reset_password)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command != "init-db":
            db.ensure_schema()
        args.func(args)
    except ImportRejected as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except ServiceError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
