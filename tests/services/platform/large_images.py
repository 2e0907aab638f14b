"""Small files declaring large images, written by hand (a solid picture compresses about 1000 to 1), and the
peak memory of handling them, measured in a process of its own."""

import json
import struct
import subprocess
import sys
import zlib

from tests.conftest import ROOT

PNG_COLOURS = {"L": (0, 1), "RGB": (2, 3), "LA": (4, 2), "RGBA": (6, 4)}  # colour type, bytes a pixel
_MEASURED = """
import importlib, json, sys
def kb(key):
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith(key))
module, function = sys.argv[1].split(":")
work = getattr(importlib.import_module(module), function)
before = kb("VmRSS:")
result = work(*sys.argv[2:])
print(json.dumps({"growth_mb": (kb("VmHWM:") - before) // 1024, "result": result}))
"""


def png(width: int, height: int, mode: str = "RGB") -> bytes:
    colour, per_pixel = PNG_COLOURS[mode]
    header = struct.pack(">IIBBBBB", width, height, 8, colour, 0, 0, 0)
    pixels = _zeros(b"\0" + bytes(width * per_pixel), height)  # each row: filter type 0, then black
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", pixels) + _chunk(b"IEND", b"")


def png_header(width: int, height: int) -> bytes:
    """A PNG declaring its size and holding no pixels at all: what opening it reads."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", b"") + _chunk(b"IEND", b"")


def tiff(width: int, height: int) -> bytes:
    """An RGB TIFF in one deflated strip."""
    strip = _zeros(bytes(3 * width), height)
    bits_at = 8 + 2 + 12 * 10 + 4  # the 8, 8, 8 bits a sample, after the directory of 10 fields
    strip_at = bits_at + 6
    fields = [  # tag, type (3 short, 4 long), count, value
        (256, 4, 1, width), (257, 4, 1, height), (258, 3, 3, bits_at), (259, 3, 1, 8), (262, 3, 1, 2),
        (273, 4, 1, strip_at), (277, 3, 1, 3), (278, 4, 1, height), (279, 4, 1, len(strip)), (284, 3, 1, 1),
    ]  # fmt: skip
    ifd = b"".join(struct.pack("<HHII", *field) for field in fields)
    return b"II*\0" + struct.pack("<IH", 8, len(fields)) + ifd + bytes(4) + struct.pack("<HHH", 8, 8, 8) + strip


def peak_growth_mb(target: str, *args: str) -> tuple[int, object]:
    """Call `module:function` with `args` in a new Python process; by how much its peak resident memory grew
    meanwhile, in MB (the process's VmHWM only ever rises, so it has to be a process of its own), and what the
    function returned."""
    done = subprocess.run(
        [sys.executable, "-c", _MEASURED, target, *args], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout.splitlines()[-1])
    return answer["growth_mb"], answer["result"]


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _zeros(row: bytes, rows: int) -> bytes:
    deflate = zlib.compressobj(9)
    return b"".join(deflate.compress(row) for _ in range(rows)) + deflate.flush()
