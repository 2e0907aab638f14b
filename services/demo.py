"""A realistic demo unit so a newcomer sees the product with data at once."""

import random
from dataclasses import dataclass
from datetime import date

from models import Category, OrgKind
from models.audit import AuditAction
from services.ballot import campaign_status
from services.campaign import campaigns, roster
from services.campaign.roster_reader import Roster, RosterRow
from services.platform.clock import now
from services.platform.db import session_scope
from services.platform.errors import InvalidInput
from services.staff import audit
from services.staff.access import Actor, require_organizer

COMMITTEE = "江海职业技术学院党委"

# (general branch or None for a directly affiliated branch, branch, members, share probationary)
_BRANCHES = [
    ("机关党总支", "党政办公室党支部", 24, 0.0),
    ("机关党总支", "组织人事党支部", 20, 0.05),
    ("机关党总支", "财务后勤党支部", 26, 0.0),
    ("机电工程学院党总支", "教工第一党支部", 27, 0.04),
    ("机电工程学院党总支", "教工第二党支部", 25, 0.04),
    ("机电工程学院党总支", "学生党支部", 31, 0.35),
    ("经济管理学院党总支", "教工党支部", 28, 0.04),
    ("经济管理学院党总支", "学生第一党支部", 23, 0.35),
    ("经济管理学院党总支", "学生第二党支部", 22, 0.3),
    ("离退休党总支", "离退休党支部", 30, 0.0),
    (None, "图书馆直属党支部", 22, 0.0),
    (None, "继续教育学院直属党支部", 22, 0.05),
]
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余"
    "杜叶程魏苏吕丁沈任姚卢姜崔钟谭陆汪范金石廖贾夏韦傅方邹孟熊秦邱江尹薛阎段雷侯龙史"
    "陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
_GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建文辉力晨宇浩然欣怡子涵梓"
    "轩雨婷俊杰博文思远佳琪晓东海燕志强春梅国庆建国秀兰丽华文博"
)
_MINORITY = ["阿依古丽·买买提", "热依拉·艾力", "巴特尔·那顺"]


@dataclass(frozen=True)
class DemoResult:
    campaign_id: int
    report: roster.ImportReport


def load_demo(*, actor: Actor, seed: int = 2020, force: bool = False) -> DemoResult:
    """Create the demo committee's open campaign for this year with about 300 members — on an empty
    database only: beside real campaigns its units' names could match real accounts' scopes, and it
    would become the campaign every page opens on. `force` accepts that."""
    require_organizer(actor, "加载演示数据")
    year = now().year
    title = f"{year}年度基层党组织组织生活会和民主评议党员（演示）"
    rows = Roster(demo_rows(seed), [])
    with session_scope() as session:  # all of it or nothing: never a half-loaded demo
        existing = campaigns.list_campaigns(actor=actor, session=session)
        if any(c.demo for c in existing):
            raise InvalidInput("演示数据已经加载过了")
        if existing and not force:
            raise InvalidInput(
                "数据库里已有评议活动，不宜再加载演示数据：演示单位的党支部可能与真实账号的管理范围同名，"
                "并会成为各页面默认打开的活动。确需加载请用 --force；演示活动以后可以删除。"
            )
        campaign_id = campaigns.create_campaign(
            actor=actor, title=title, year=year, deadline=date(year + 1, 3, 20), party_committee_name=COMMITTEE,
            demo=True, session=session,
        )  # fmt: skip
        report = roster.import_roster(
            actor=actor, campaign_id=campaign_id, roster=rows, source="演示数据", session=session
        )
        campaign_status.set_status(actor=actor, campaign_id=campaign_id, status="open", session=session)
        audit.record(session, actor, AuditAction.campaign_demo, campaign_id=campaign_id, target=title)
    return DemoResult(campaign_id=campaign_id, report=report)


def demo_rows(seed: int) -> list[RosterRow]:
    rng = random.Random(seed)
    rows: list[RosterRow] = []
    minority = iter(_MINORITY)
    for general_branch, branch, size, share_probationary in _BRANCHES:
        units = ((OrgKind.general_branch.value, general_branch),) if general_branch else ()
        units += ((OrgKind.branch.value, branch),)
        names: set[str] = set()
        retired = general_branch == "离退休党总支"
        while len(names) < size:
            given = "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2, 2))))
            names.add(rng.choice(_SURNAMES) + given)
        for index, name in enumerate(sorted(sorted(names), key=lambda n: rng.random())):
            if index == 5 and branch.startswith("学生"):
                name = next(minority, name)
            probationary = rng.random() < share_probationary
            rows.append(
                RosterRow(
                    row=len(rows) + 1,
                    units=units,
                    name=name,
                    category=Category.probationary if probationary else Category.full,
                    gender=rng.choice(("男", "女")),
                    phone=f"1{rng.choice('3589')}{rng.randrange(10**9):09d}",
                    is_leading_cadre=general_branch == "机关党总支" and index < 2,
                    is_away=not retired and rng.random() < 0.03,
                    is_elderly_ill=retired and rng.random() < 0.3,
                    note="外出挂职" if index == 7 and branch == "教工党支部" else None,
                )
            )
    return rows
