"""Attachments under hostile files and many uploads at once: a file declaring a huge image, or of a format not
allowed, is refused before it is decoded; the cap of a branch holds however many uploads arrive together."""

import io
import threading
from pathlib import Path

import pytest
from PIL import Image

from services.meeting import attachments
from services.platform.errors import InvalidInput
from tests.factories import ORG, make_voting_branch
from tests.services.platform.large_images import peak_growth_mb, png, tiff

pytestmark = pytest.mark.usefixtures("database")
UNREADABLE = "“{}”不是可以识别的图片（支持 JPG、PNG、WebP、GIF、BMP），请上传照片或扫描件"


def upload_at_once(campaign_id: str, branch_path: str, *paths: str) -> list[str]:
    """Each file uploaded by a thread of its own, all at once (run in a measured process of its own); what
    each upload answered."""
    start = threading.Barrier(len(paths))
    answers = [""] * len(paths)

    def upload(index: int, path: str) -> None:
        data, name = Path(path).read_bytes(), Path(path).name
        start.wait()
        try:
            attachments.add_attachment(
                actor=ORG, campaign_id=int(campaign_id), branch_path=branch_path, kind="photo", filename=name, data=data
            )
            answers[index] = "stored"
        except InvalidInput as refused:
            answers[index] = str(refused)

    threads = [threading.Thread(target=upload, args=pair) for pair in enumerate(paths)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def test_a_tiff_named_png_and_a_60_megapixel_png_are_refused_together_without_the_memory_to_decode_them(tmp_path):
    cid, path, _ = make_voting_branch(full=7)
    # 171 KB each; decoded, 240 MB each (a TIFF through libtiff even more).
    files = {"扫描件.png": tiff(7740, 7740), "会场.png": png(7740, 7740)}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    paths = [str(tmp_path / name) for name in files] * 2

    growth, answers = peak_growth_mb(f"{__name__}:upload_at_once", str(cid), path, *paths)

    assert growth < 300  # before: +846 MB, and the PNG stored
    assert (
        answers
        == [
            UNREADABLE.format("扫描件.png"),
            "“会场.png”的尺寸为 7740×7740 像素，超过上限 5000 万像素，请缩小后再上传",
        ]
        * 2
    )
    assert attachments.list_attachments(actor=ORG, campaign_id=cid, branch_path=path) == []


def test_sixty_uploads_at_once_store_exactly_the_branch_cap_and_refuse_the_rest():
    cid, path, _ = make_voting_branch(full=7)
    pictures = []  # sixty different pictures: the same file twice is refused for that alone
    for index in range(60):
        out = io.BytesIO()
        Image.new("RGB", (64, 48), (200, 30, index)).save(out, "PNG")
        pictures.append(out.getvalue())
    start = threading.Barrier(60)
    refusals = []

    def upload(index: int) -> None:
        start.wait()
        try:
            attachments.add_attachment(
                actor=ORG,
                campaign_id=cid,
                branch_path=path,
                kind="photo",
                filename=f"{index}.png",
                data=pictures[index],
            )
        except InvalidInput as refused:
            refusals.append(str(refused))

    threads = [threading.Thread(target=upload, args=(index,)) for index in range(60)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # Before: all 60 stored on SQLite, 47 on PostgreSQL.
    assert len(attachments.list_attachments(actor=ORG, campaign_id=cid, branch_path=path)) == 30
    assert refusals == ["本支部已有 30 个附件，最多 30 个：请先删去不需要的"] * 30


def test_a_phone_jpeg_carrying_a_second_picture_is_a_jpeg_and_an_animation_counts_its_frames():
    cid, path, _ = make_voting_branch(full=7)
    where = {"actor": ORG, "campaign_id": cid, "branch_path": path, "kind": "photo"}
    phone = io.BytesIO()  # an MPO, as a phone writes a photo with its depth or HDR map; refused before
    Image.new("RGB", (800, 600)).save(phone, "MPO", save_all=True, append_images=[Image.new("L", (200, 150))])
    assert attachments.add_attachment(**where, filename="手机.jpg", data=phone.getvalue()).content_type == "image/jpeg"

    animation = io.BytesIO()
    frames = [Image.new("P", (4000, 4000), colour) for colour in range(4)]
    frames[0].save(animation, "GIF", save_all=True, append_images=frames[1:])
    with pytest.raises(InvalidInput) as refused:
        attachments.add_attachment(**where, filename="动图.gif", data=animation.getvalue())
    assert str(refused.value) == "“动图.gif”有 4 帧，每帧 4000×4000 像素，合计超过上限 5000 万像素，请缩小后再上传"
    assert [a.filename for a in attachments.list_attachments(actor=ORG, campaign_id=cid, branch_path=path)] == [
        "手机.jpg"
    ]
