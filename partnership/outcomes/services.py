"""What changes outcomes data: importing results (the import service, `imports.result_import`), and
holding a previewed file until its importer confirms it.

Between preview and import the uploaded file waits in the cache (Redis in production, shared by
every web worker), under a key made of the user, the school and the file's SHA-256, for an hour at
most; it is deleted once imported. Not in the session: a session is loaded on every request, and a
20 MB file would weigh on each of them; not on disk: pupil data should not outlive the upload in
files. The key holds the user's id, so nobody else can import a file someone previewed.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache

from partnership.outcomes.imports import ImportRejectedError, ImportReport, result_import
from partnership.outcomes.imports.service import PupilChange, sha256_of

PENDING_SECONDS = 60 * 60

__all__ = [
    "PENDING_SECONDS",
    "ImportRejectedError",
    "ImportReport",
    "PupilChange",
    "discard_pending",
    "hold_pending",
    "result_import",
    "take_pending",
]


def _pending_key(user_id: Any, school_id: Any, sha256: str) -> str:
    return f"outcomes-import:{user_id}:{school_id}:{sha256}"


def hold_pending(*, user: Any, school: Any, filename: str, data: bytes, sha256: str) -> None:
    """Keep a previewed file for `user` to import into `school` within the hour."""
    cache.set(_pending_key(user.pk, school.pk, sha256), (filename, data), PENDING_SECONDS)


def take_pending(*, user: Any, school: Any, sha256: str) -> tuple[str, bytes] | None:
    """The file `user` previewed for `school` with this SHA-256, or None when it is gone or forged."""
    if len(sha256) != 64:
        return None
    pending = cache.get(_pending_key(user.pk, school.pk, sha256))
    if pending is None or sha256_of(pending[1]) != sha256:
        return None
    return pending[0], pending[1]


def discard_pending(*, user: Any, school: Any, sha256: str) -> None:
    cache.delete(_pending_key(user.pk, school.pk, sha256))
