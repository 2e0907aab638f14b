"""本支部工作进度: the notice's six steps for one branch, each with its state and what is missing."""

import streamlit as st

from pages.shared.plain_text import plain
from pages.shared.widgets import campaign_and_branch, go_to, show_error
from services.platform.errors import ServiceError
from services.progress import checklist
from services.staff.access import Actor

# Streamlit's own icons: an emoji shows as an empty box where the computer has no emoji font.
ICONS = {
    checklist.DONE: ":green[:material/check_circle:]",
    checklist.IN_PROGRESS: ":orange[:material/pending:]",
    checklist.NOT_STARTED: ":gray[:material/radio_button_unchecked:]",
}


def render(actor: Actor) -> None:
    st.title("本支部工作进度")
    campaign, path = campaign_and_branch(actor, "steps")
    if path is None:
        return
    try:
        steps = checklist.branch_checklist(actor=actor, campaign_id=campaign.id, branch_path=path)
    except ServiceError as exc:
        show_error(exc)
        return
    done = sum(1 for s in steps if s.state == checklist.DONE)
    st.progress(done / len(steps), text=f"六个步骤已完成 {done} 个")
    for step in steps:
        with st.container(border=True):
            st.markdown(f"**{ICONS[step.state]} {step.title}**　{step.state_label}")
            for line in step.missing:
                st.caption(f"还差：{plain(line)}")
            go_to(step.page, "查看" if step.state == checklist.DONE else "前往填写")
