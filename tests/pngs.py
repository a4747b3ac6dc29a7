"""PNG files written byte by byte, for what Pillow cannot save (16-bit RGBA): a few hundred
KB that decode to hundreds of MB."""

import struct
import zlib

CHANNELS = {0: 1, 2: 3, 4: 2, 6: 4}  # PNG colour type: grey, RGB, grey + alpha, RGBA


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(width: int, height: int, *, bit_depth: int = 16, color_type: int = 6,
        row: bytes | None = None) -> bytes:
    """A PNG whose rows all hold `row` (zeros by default), compressed as they go."""
    row = row if row is not None else bytes(width * CHANNELS[color_type] * bit_depth // 8)
    line = b"\x00" + row  # filter type 0 (none)
    compressor = zlib.compressobj(9)
    parts = [compressor.compress(line) for _ in range(height)]
    parts.append(compressor.flush())
    header = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", b"".join(parts))
            + _chunk(b"IEND", b""))
