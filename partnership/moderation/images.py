"""A sample's pages: PDFs, or photos and scans as JPEG or PNG, checked by content and size, and images
re-encoded without their metadata.

A phone photo of a child's book carries EXIF: the camera owner's name, the time, often the GPS
position of the classroom. `clean_page` reads the image with Pillow (refusing what Pillow cannot
read, and images so large they would be a decompression bomb), turns it the way its orientation tag
says, and saves the pixels alone (no EXIF, XMP, ICC text or PNG text chunks). PDFs are kept as they
are, after the content check.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import IO

from PIL import Image, ImageOps, UnidentifiedImageError

from partnership.core import uploads
from partnership.core.errors import ApplicationError

ACCEPT = (uploads.PDF, uploads.JPEG, uploads.PNG)
PAGE_LIMIT = 15 * 1024 * 1024  # one page or photo
MAX_PAGES = 12  # per sample
MAX_PIXELS = 40_000_000  # a 40-megapixel photo; more is refused, not decoded
LONG_SIDE = 3000  # photos are scaled down to this on their longer side: plenty to read a page


@dataclass(frozen=True)
class CleanPage:
    content: bytes
    content_type: str
    extension: str
    width: int | None
    height: int | None


def clean_page(upload: IO[bytes], *, name: str, size: int) -> CleanPage:
    """Check one uploaded page and return what to store. ApplicationError(field="files") says what
    is wrong, naming the file."""
    shown = uploads.safe_name(name or "page")
    try:
        kind = uploads.check_upload(upload, name=shown, size=size, accept=ACCEPT, limit=PAGE_LIMIT, what="Sample pages")
    except ApplicationError as error:
        raise ApplicationError(str(error.message), field="files") from None
    upload.seek(0)
    data = upload.read()
    if kind is uploads.PDF:
        return CleanPage(data, kind.content_type, "pdf", None, None)
    return _reencode(data, shown, png=kind is uploads.PNG)


def _reencode(data: bytes, name: str, *, png: bool) -> CleanPage:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                width, height = probe.size
                if width * height > MAX_PIXELS:
                    raise ApplicationError(
                        f"“{name}” is {width:,} x {height:,} pixels; the largest allowed is "
                        f"{MAX_PIXELS // 1_000_000} megapixels. Take the photo at a lower resolution.",
                        field="files",
                    )
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                turned = ImageOps.exif_transpose(image)
    except ApplicationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError,
            Image.DecompressionBombWarning) as error:  # fmt: skip
        raise ApplicationError(
            f"“{name}” could not be read as an image ({type(error).__name__}). Save it again as a JPEG or PNG.",
            field="files",
        ) from None
    mode = "RGBA" if png and turned.mode in ("RGBA", "LA", "P") else "RGB"
    pixels = Image.new(mode, turned.size)
    pixels.paste(turned.convert(mode))
    if max(pixels.size) > LONG_SIDE:
        pixels.thumbnail((LONG_SIDE, LONG_SIDE))
    out = io.BytesIO()
    if png:
        pixels.save(out, format="PNG", optimize=True)
        content_type, extension = "image/png", "png"
    else:
        pixels.save(out, format="JPEG", quality=85, optimize=True)
        content_type, extension = "image/jpeg", "jpg"
    return CleanPage(out.getvalue(), content_type, extension, pixels.size[0], pixels.size[1])
