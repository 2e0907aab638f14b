"""帮助: each role's guide (docs/guide/), with its screenshots, which all exist."""

import re

import pytest

from pages.shared import help_page
from services.campaign import roster
from tests.factories import ORG, csv_bytes, make_account, make_campaign
from tests.pages.helpers import page

pytestmark = pytest.mark.usefixtures("database")


@pytest.mark.parametrize(
    ("role", "scope", "heading"),
    [
        ("branch_secretary", "机关党总支/第一党支部", "支部书记使用说明"),
        ("committee_member", "机关党总支/第一党支部", "支部书记使用说明"),
        ("general_branch_secretary", "机关党总支", "总支书记使用说明"),
        ("organizer", None, "组织部使用说明"),
    ],
)
def test_each_role_reads_its_own_guide_with_the_screenshots(role, scope, heading):
    rows = [["姓名", "党总支", "党支部", "党员类别"], ["王芳", "机关党总支", "第一党支部", "正式党员"]]
    roster.import_roster_file(actor=ORG, campaign_id=make_campaign(), filename="r.csv", data=csv_bytes(rows))
    actor = ORG if role == "organizer" else make_account(role, scope)
    at = page("shared.help_page", actor).run()
    assert not at.exception
    assert at.markdown[0].value.startswith(f"# {heading}")
    text = (help_page.GUIDE / help_page.GUIDES[role]).read_text(encoding="utf-8")
    images = [p for kind, p in help_page.parts(text) if kind == "image"]
    assert len(at.get("image")) == len(images) > 0


def test_every_screenshot_a_guide_shows_is_there_and_the_readme_links_the_guide():
    for name in set(help_page.GUIDES.values()):
        text = (help_page.GUIDE / name).read_text(encoding="utf-8")
        named = re.findall(r"\]\((images/[^)]+)\)", text)
        assert named and all((help_page.GUIDE / path).is_file() for path in named), name
        assert [p for kind, p in help_page.parts(text) if kind == "image"] == [
            (path, alt) for alt, path in re.findall(r"!\[([^\]]*)\]\((images/[^)]+)\)", text)
        ]
    readme = (help_page.GUIDE.parents[1] / "README.md").read_text(encoding="utf-8")
    assert "docs/guide/" in readme
