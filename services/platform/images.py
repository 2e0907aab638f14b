"""Images people upload, decoded within bounds: only the formats the caller names are opened, the size a file
declares is checked before any pixel is decoded, and every decode of the process shares one memory budget."""

import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

from services.platform.errors import InvalidInput

BUDGET_BYTES = 256 * 1024 * 1024  # what every decode under way in the process holds together, and so one alone
MAX_AT_ONCE = 2  # decodes under way at once: the server's cores
_UNREADABLE = (UnidentifiedImageError, OSError, SyntaxError, ValueError)
_budget = threading.Condition()
_under_way = {"bytes": 0, "decodes": 0}


@dataclass(frozen=True)
class Thumbnail:
    format: str  # Pillow's name of the file's format: "JPEG", "PNG", ...
    png: bytes  # the picture within the box asked for, as a PNG


def thumbnail(
    data: bytes, *, name: str, formats: tuple[str, ...], max_pixels: int, box: tuple[int, int], unreadable: str
) -> Thumbnail:
    """The image's format and a PNG of it within `box`. InvalidInput with `unreadable` for a file that is not
    a whole image in one of `formats`; naming `name` and its size when it declares more than `max_pixels` (an
    animation: its frames together) or when decoding it would take more than the whole budget. Nothing is
    decoded before these checks; the decode then waits for its share of the budget."""
    try:
        with Image.open(io.BytesIO(data), formats=formats) as probe:
            _require_pixels(probe, name, max_pixels)
            probe.verify()  # the whole file's structure (a PNG's every checksum), still without decoding
        with Image.open(io.BytesIO(data), formats=formats) as image:
            width, height = image.size
            image.draft(None, (box[0] * 2, box[1] * 2))  # as thumbnail() will: a JPEG at 1/2 to 1/8 of its size
            need = _peak_bytes(image)
            if need > BUDGET_BYTES:
                raise InvalidInput(_too_large(name, width, height, width * height * BUDGET_BYTES // need))
            with _share_of_budget(need):
                image.thumbnail(box)
                small = image.convert("RGB")
    except Image.DecompressionBombError:  # Pillow's own limit, for the whole process, far above any caller's
        raise InvalidInput(f"“{name}”的尺寸超过上限 {max_pixels // 10_000} 万像素，请缩小后再上传") from None
    except _UNREADABLE:
        raise InvalidInput(unreadable) from None
    out = io.BytesIO()
    small.save(out, "PNG")
    return Thumbnail(probe.format, out.getvalue())


def _require_pixels(image: Image.Image, name: str, max_pixels: int) -> None:
    width, height = image.size
    # An MPO is a JPEG whose later pictures (a phone's depth or HDR map) are never read; an animation's are frames.
    frames = 1 if image.format == "MPO" else getattr(image, "n_frames", 1)
    if width * height * frames <= max_pixels:
        return
    if frames > 1:
        over = f"超过上限 {max_pixels // 10_000} 万像素，请缩小后再上传"
        raise InvalidInput(f"“{name}”有 {frames} 帧，每帧 {width}×{height} 像素，合计{over}")
    raise InvalidInput(_too_large(name, width, height, max_pixels))


def _too_large(name: str, width: int, height: int, limit: int) -> str:
    return f"“{name}”的尺寸为 {width}×{height} 像素，超过上限 {limit // 10_000} 万像素，请缩小后再上传"


def _peak_bytes(image: Image.Image) -> int:
    """What decoding `image` (at its draft size) and shrinking it holds at most, as measured with Pillow 13:
    Pillow's pixel (1 byte for one 8-bit band, else 4), twice that with transparency (shrinking premultiplies a
    full-size copy); a WebP 16 bytes a pixel (libwebp's RGBA, the copy it hands Pillow, the image)."""
    if image.format == "WEBP":
        per_pixel = 16
    else:
        per_pixel = 1 if image.mode in ("1", "L", "P") else 4
        if image.mode in ("LA", "PA", "RGBA"):
            per_pixel *= 2
    return image.width * image.height * per_pixel


@contextmanager
def _share_of_budget(size: int) -> Iterator[None]:
    """Wait until a decode holding `size` bytes fits in the budget beside those under way, then hold them."""
    with _budget:
        _budget.wait_for(lambda: _under_way["decodes"] < MAX_AT_ONCE and _under_way["bytes"] + size <= BUDGET_BYTES)
        _under_way["bytes"] += size
        _under_way["decodes"] += 1
    try:
        yield
    finally:
        with _budget:
            _under_way["bytes"] -= size
            _under_way["decodes"] -= 1
            _budget.notify_all()
