"""Results computed once and kept in the cache until their data changes.

A computation is cached under its inputs and a named generation (`Generation`); the services
that change the data behind it call `bump(name)`, and every cached result of that name is from
then on unused (it expires on its own). Inputs that can change without a service knowing (today's
date, who is a member) belong in the key, not behind the generation.
"""

from __future__ import annotations

import hashlib
import pickle
import secrets
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F

from partnership.core.models import Generation

T = TypeVar("T")
TIMEOUT = 24 * 60 * 60


def current(name: str) -> int:
    """The generation's value now (one query)."""
    value = Generation.objects.filter(name=name).values_list("value", flat=True).first()
    if value is not None:
        return value
    try:
        with transaction.atomic():
            Generation.objects.create(name=name, value=secrets.randbits(62))
    except IntegrityError:
        pass  # another process made it first
    return Generation.objects.values_list("value", flat=True).get(name=name)


def bump(name: str) -> None:
    """The data behind `name` changed: results cached before now are not used again. Takes effect
    when the caller's transaction commits (a rolled-back change leaves the cache as it was)."""
    if not Generation.objects.filter(name=name).update(value=F("value") + 1):
        current(name)


def key(name: str, generation: int, parts: Any) -> str:
    digest = hashlib.sha256(pickle.dumps(parts, protocol=4)).hexdigest()[:32]
    return f"memo:{name}:{generation}:{digest}"


def cached(name: str, parts: Any, compute: Callable[[], T], *, timeout: int = TIMEOUT) -> T:
    """`compute()`, or its result from the cache for these `parts` (plain, picklable values: ids,
    years, thresholds) at the current generation of `name`."""
    cache_key = key(name, current(name), parts)
    found = cache.get(cache_key)
    if found is not None:
        return found  # type: ignore[no-any-return]
    result = compute()
    cache.set(cache_key, result, timeout)
    return result
