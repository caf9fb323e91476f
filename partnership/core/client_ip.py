"""The address a request came from, trusting only the reverse proxies we run."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's IP address, for sign-in lockout, rate limits and the audit log.

    With `PROXY_COUNT` = 0 the app is reached directly and only `REMOTE_ADDR` counts: any
    `X-Forwarded-For` header was written by the client and is ignored. Behind N trusted proxies
    each one appends the address it saw, so the client is the N-th entry from the right; entries
    further left were sent by the client and can be forged, so they are never used. A request
    whose header is shorter than that, or whose entry is not an address, did not come through
    the proxies as configured and falls back to `REMOTE_ADDR`.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.PROXY_COUNT
    if proxies > 0:
        forwarded = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [hop for hop in forwarded if hop]
        if len(forwarded) >= proxies:
            try:
                return str(ipaddress.ip_address(forwarded[-proxies]))
            except ValueError:
                pass
    return remote
