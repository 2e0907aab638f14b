"""The same file attached twice to a branch's meeting record is refused, whatever its name; a different picture
of the same size, or the same file in another branch, is not."""

import io
from datetime import date

import pytest
from PIL import Image

from services.meeting import attachments
from services.platform.errors import InvalidInput
from tests.factories import ORG, make_voting_branch

pytestmark = pytest.mark.usefixtures("database")


def picture(colour: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, "BMP")  # BMP: the same size for any colour
    return out.getvalue()


def add(cid: int, path: str, name: str, data: bytes, kind: str = "photo"):
    return attachments.add_attachment(actor=ORG, campaign_id=cid, branch_path=path, kind=kind, filename=name, data=data)


def test_the_same_content_is_refused_a_second_time_even_under_another_name():
    cid, path, _ = make_voting_branch(full=3)
    add(cid, path, "会场.bmp", picture("red"))
    with pytest.raises(InvalidInput) as refused:
        add(cid, path, "会场（1）.bmp", picture("red"), kind="sign_in")
    assert str(refused.value) == "“会场（1）.bmp”已经上传过（会议照片“会场.bmp”与它内容相同），无需重复上传"
    listed = attachments.list_attachments(actor=ORG, campaign_id=cid, branch_path=path)
    assert [a.filename for a in listed] == ["会场.bmp"]


def test_another_picture_of_the_same_size_and_the_same_file_in_another_campaign_are_accepted():
    cid, path, _ = make_voting_branch(full=3)
    red, blue = picture("red"), picture("blue")
    assert len(red) == len(blue)
    add(cid, path, "一.bmp", red)
    add(cid, path, "二.bmp", blue)
    listed = attachments.list_attachments(actor=ORG, campaign_id=cid, branch_path=path)
    assert [a.filename for a in listed] == ["一.bmp", "二.bmp"]
    other, _, _ = make_voting_branch(full=3, year=date.today().year - 1)
    assert add(other, path, "一.bmp", red).filename == "一.bmp"


def test_a_deleted_file_may_be_uploaded_again():
    cid, path, _ = make_voting_branch(full=3)
    first = add(cid, path, "会场.bmp", picture("red"))
    attachments.delete_attachment(actor=ORG, campaign_id=cid, branch_path=path, attachment_id=first.id)
    assert add(cid, path, "会场.bmp", picture("red")).filename == "会场.bmp"
