"""评议结果与评定格次: a closed branch's results, the grading table, approval and feedback."""

import pandas as pd
import streamlit as st

from models.grading import GRADING_LABELS, GradingState
from models.voting import GRADE_LABELS, SATISFACTION_LABELS, Grade
from pages.ballot import representatives
from pages.grading import dispositions, feedback_handouts, grade_approval, grade_editor, grade_review
from pages.shared import vote_and_meeting
from pages.shared.charts import grades_chart
from pages.shared.plain_text import plain
from pages.shared.widgets import campaign_and_branch, metric_row, offer_download, show_error
from services.grading import final_grades, results
from services.grading.results_sheet import results_workbook
from services.grading.suggestion import RULE
from services.platform.clock import local, now
from services.platform.errors import InvalidTransition, NotFound, ServiceError
from services.staff.access import Actor


def render(actor: Actor) -> None:
    st.title("评议结果与评定格次")
    waiting = final_grades.awaiting_approval(actor=actor)
    if waiting:
        st.info("待您审批的党支部：" + "、".join(plain(p.replace("/", " / ")) for p in waiting))
    grade_review.returned_notices(actor)  # a return's comment heads the page until the branch submits again
    campaign, path = campaign_and_branch(actor, "results")
    if path is None:
        return
    try:
        found = results.branch_results(actor=actor, campaign_id=campaign.id, branch_path=path)
    except (InvalidTransition, NotFound) as exc:
        st.info(f"{plain(exc)}。本支部测评结束后，这里显示测评结果，并评定格次。")
        return
    except ServiceError as exc:
        show_error(exc)
        return
    try:
        _summary(found)
        dispositions.carried_notice(actor, campaign.id, path)  # earlier years' 组织处置 still open
        vote_and_meeting.render(actor, campaign.id, path)  # ballots by day against the meeting
        _table(found)
        offer_download(
            actor, "下载民主测评统计表（.xlsx，A4 横向，供打印、存档）",
            lambda: results_workbook(found, today=local(now()).date()),
            f"{found.branch_name}-民主测评统计表.xlsx", campaign.id,
        )  # fmt: skip
        _ratings_and_opinions(found)
        representatives.results_section(actor, campaign.id, path)  # 群众评议: apart, for reference only
        grade_editor.render(actor, found)
        grade_review.render(actor, found)  # the grades as submitted, above the approval buttons
        grade_approval.render(actor, found)
        feedback_handouts.render(actor, campaign, found)
    except ServiceError as exc:
        show_error(exc)


def _summary(found: results.BranchResults) -> None:
    st.subheader(f"{plain(found.branch_name)}　评定格次：{GRADING_LABELS[GradingState(found.state)]}")
    row = metric_row()
    row.metric("应参加测评", f"{found.voters} 人")
    row.metric("收回测评票", f"{found.received} 张")
    row.metric("有效票（网上 / 纸质）", f"{found.online} / {found.paper}")
    row.metric("废票", found.invalid)
    row.metric("参评率", f"{found.turnout:.0%}")
    if found.low_turnout:
        st.warning(f"参评率 {found.turnout:.0%}，低于 95%：请核实未参加测评的党员及原因。")
    if found.few_ballots:
        st.warning(
            f"本支部只有 {found.valid} 张有效票（少于 5 张）：各人的得票数可能看出个别党员的投票，"
            "请注意保密，不要公开传阅。"
        )
    if repeated := [plain(r.name) for r in found.rows if r.low_two_years]:
        st.warning(f"连续两年“基本合格”或“不合格”（请支部重点研究、加强帮扶）：{'、'.join(repeated)}")
    st.caption(f"{found.excellent.rule}。" if found.excellent else f"“优秀”名额 {found.cap} 人。")
    if found.not_taking_part:  # listed with their reasons; outside 应参加测评 and the cap's base
        names = "、".join(f"{plain(a.name)}（{plain(a.reason_text)}）" for a in found.not_taking_part)
        st.caption(f"未参加评议（不计入应参加测评人数和“优秀”名额的基数，不评定格次）：{names}")


def _table(found: results.BranchResults) -> None:
    rows = []
    for r in found.rows:
        row = {"姓名": r.name, **{label: r.counts.get(g, 0) for g, label in GRADE_LABELS.items()}}
        row |= {
            "有效票": r.valid,
            "优秀率%": round(100 * r.share(Grade.excellent)),
            "建议格次": GRADE_LABELS.get(r.suggestion.grade, "—"),
            "往年格次": r.earlier_text,  # the two latest earlier years
        }
        rows.append(row)
    # The whole width, the counts narrow: every column in view at 1280 px. A hint is a sentence, which a
    # table cell would cut to one line: the hints are written out whole below the table instead (issue 25).
    small = dict.fromkeys([*GRADE_LABELS.values(), "有效票", "优秀率%"], st.column_config.NumberColumn(width="small"))
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", column_config=small)  # click a header to sort
    if hinted := [(r.name, "；".join(r.suggestion.flags)) for r in found.rows if r.suggestion.flags]:
        st.markdown("**提示**\n\n" + "\n".join(f"- {plain(name)}：{plain(hint)}" for name, hint in hinted))
    st.altair_chart(grades_chart(found.rows), width="stretch")
    st.caption(f"建议规则：{RULE}")  # the tie rule included (suggestion.TIE_RULE), as the command line applies it
    if found.probationary:
        names = "、".join(plain(name) for _, name in found.probationary)
        st.caption(f"预备党员（参加民主评议，不评定等次）：{names}")


def _ratings_and_opinions(found: results.BranchResults) -> None:
    for title, counts in (("支部委员会", found.branch_committee), ("书记述职", found.report)):
        if counts:
            st.write(f"{title}：" + "，".join(f"{SATISFACTION_LABELS[k]} {v}" for k, v in counts.items()))
    if found.opinions:
        with st.expander(f"意见建议（{len(found.opinions)} 条）"):
            for text in found.opinions:
                st.text(text)  # as typed: anonymous text is never rendered as markdown or links
