"""组织生活会记录's photos through AppTest: after 上传 the uploader is empty again, and the same file a second
time is refused with a message instead of being attached twice."""

import io

import pytest
from PIL import Image

from services.meeting import attachments
from tests.factories import BRANCH, make_account, make_voting_branch
from tests.pages.helpers import page

pytestmark = pytest.mark.usefixtures("database")


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(out, "PNG")
    return out.getvalue()


def _shown(markdown: str) -> str:
    return markdown.replace("\\", "")  # names are escaped for markdown (pages/shared/plain_text.py)


def _uploader(at):
    [found] = [u for u in at.get("file_uploader") if u.key.startswith("attachment_upload")]
    return found


def test_upload_clears_the_uploader_and_the_same_file_again_is_refused():
    cid, path, _ = make_voting_branch(full=3)
    secretary = make_account("branch_secretary", BRANCH)
    at = page("meeting.meeting_record", secretary).run()
    _uploader(at).upload("会场.png", _png())
    at.run()
    at.button(key="attachment_add").click().run()
    assert not at.exception
    assert _shown(at.success[0].value) == "已上传会议照片“会场.png”"
    assert _uploader(at).key != "attachment_upload_0"  # a new, empty uploader: nothing left to add again
    assert not _uploader(at).value
    assert [b for b in at.button if b.key == "attachment_add"] == []  # no 上传 until a file is chosen

    _uploader(at).upload("会场副本.png", _png())
    at.run()
    at.button(key="attachment_add").click().run()
    assert _shown(at.error[0].value) == "“会场副本.png”已经上传过（会议照片“会场.png”与它内容相同），无需重复上传"
    listed = attachments.list_attachments(actor=secretary, campaign_id=cid, branch_path=path)
    assert [a.filename for a in listed] == ["会场.png"]
