"""帮助: the account's own guide (使用说明, docs/guide/*.md), its screenshots shown in place. The screenshots are
saved by the browser walk (tests/e2e/test_next_step_walk_browser.py), so they show the pages as they are."""

import re
from pathlib import Path

import streamlit as st

from services.staff.access import Actor

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "guide"
# Role -> the guide written for it; a committee member keeps the branch's records as its secretary does.
GUIDES = {
    "branch_secretary": "branch-secretary.md",
    "committee_member": "branch-secretary.md",
    "general_branch_secretary": "general-branch-secretary.md",
    "organizer": "organizer.md",
}
_IMAGE = re.compile(r"^!\[(?P<alt>[^\]]*)\]\((?P<path>images/[\w.-]+\.png)\)\s*$")


def render(actor: Actor) -> None:
    name = GUIDES.get(actor.role, "branch-secretary.md")
    text = (GUIDE / name).read_text(encoding="utf-8")
    for kind, part in parts(text):
        if kind == "image":
            path, alt = part
            if (GUIDE / path).is_file():
                st.image(str(GUIDE / path), caption=alt)
            else:
                st.caption(f"（截图“{alt}”尚未生成）")
        else:
            st.markdown(part)
    others = [f"docs/guide/{n}" for n in sorted(set(GUIDES.values())) if n != name]
    st.caption(f"打印：在浏览器中按 Ctrl+P 打印本页。其他角色的使用说明：{'、'.join(others)}。")


def parts(text: str) -> list[tuple[str, object]]:
    """The guide as ("text", markdown) and ("image", (path, alt)) in order: an image on a line of its own."""
    found: list[tuple[str, object]] = []
    lines: list[str] = []
    for line in text.splitlines():
        if match := _IMAGE.match(line.strip()):
            if lines:
                found.append(("text", "\n".join(lines)))
                lines = []
            found.append(("image", (match["path"], match["alt"])))
        else:
            lines.append(line)
    if "".join(lines).strip():
        found.append(("text", "\n".join(lines)))
    return found
