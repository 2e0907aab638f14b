"""Images decoded within bounds: what a decode would hold is known before it starts, one that would hold more
than the process's whole budget is refused with the limit for its kind, and decodes share the budget."""

import io
import threading
from pathlib import Path

import pytest
from PIL import Image

from services.platform import images
from services.platform.errors import InvalidInput
from tests.services.platform.large_images import peak_growth_mb, png, png_header

ALLOWED = ("JPEG", "PNG", "WEBP", "GIF", "BMP")


def _thumbnail(data: bytes, name: str = "x.png") -> images.Thumbnail:
    return images.thumbnail(
        data, name=name, formats=ALLOWED, max_pixels=50_000_000, box=(320, 320), unreadable="不是图片"
    )


def decode_at_once(*paths: str) -> list[str]:
    """Each file decoded by a thread of its own, all at once (run in a measured process of its own)."""
    start = threading.Barrier(len(paths))
    formats = [""] * len(paths)

    def decode(index: int, path: str) -> None:
        data = Path(path).read_bytes()
        start.wait()
        formats[index] = _thumbnail(data).format

    threads = [threading.Thread(target=decode, args=pair) for pair in enumerate(paths)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return formats


def test_four_large_pictures_at_once_are_decoded_within_the_budget(tmp_path):
    # 25 megapixels in 74 KB; decoded, 100 MB each: two fit in the 256 MB budget at once, four would not.
    (tmp_path / "scan.png").write_bytes(png(5000, 5000))

    growth, formats = peak_growth_mb(f"{__name__}:decode_at_once", *[str(tmp_path / "scan.png")] * 4)

    assert formats == ["PNG"] * 4
    assert growth < 300  # four at once: +400 MB


def _webp(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height)).save(out, "WEBP", lossless=True, method=0)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "build", "size", "limit"),
    [
        ("透明.png", lambda w, h: png(w, h, "RGBA"), (7000, 5000), 3355),  # shrinking premultiplies a copy
        ("网页.webp", _webp, (4200, 4100), 1677),  # libwebp's picture, the copy it hands Pillow, Pillow's
    ],
)
def test_a_decode_that_would_hold_more_than_the_whole_budget_is_refused_with_the_limit_for_its_kind(
    name, build, size, limit
):
    with pytest.raises(InvalidInput) as refused:
        _thumbnail(build(*size), name)
    assert str(refused.value) == f"“{name}”的尺寸为 {size[0]}×{size[1]} 像素，超过上限 {limit} 万像素，请缩小后再上传"


def test_a_size_beyond_pillows_own_limit_is_refused_as_too_large_not_as_unreadable():
    with pytest.raises(InvalidInput) as refused:
        _thumbnail(png_header(20_000, 20_000), "巨幅.png")
    assert str(refused.value) == "“巨幅.png”的尺寸超过上限 5000 万像素，请缩小后再上传"
