"""Access matrix entries for the accounts app's own pages (walked by core's test_access_matrix.py).

API tokens belong to one person: the list shows only the signed-in person's own, and a token is
revoked by its owner (platform administrators may too, as with every object but pupil data). The
token of each scope is owned by that scope's headteacher (head, partner_head, outside_head).
"""

from __future__ import annotations

from typing import Any

from partnership.accounts.services import api_token_create
from partnership.core.tests.matrix import SIGNED_IN, Entry, grid, post
from partnership.directory.tests.factories import World

#                    head     teacher  governor coord    adviser  out_head admin
TOKEN_OWNER = grid(  "A..",   "...",   "...",   "...",   "...",   "..A",   "AAA")  # fmt: skip


def token_of_scope(w: World, scope: str) -> dict[str, Any]:
    owner = {"own": "head", "partner": "partner_head", "outside": "outside_head"}[scope]
    token, _ = api_token_create(user=w[owner], name=f"{scope} spreadsheet")
    return {"pk": token.pk}


ENTRIES: dict[str, Entry] = {
    "accounts:api_tokens": Entry("accounts:api_tokens", SIGNED_IN),
    "accounts:api_tokens+create": Entry(
        "accounts:api_tokens", SIGNED_IN, method="post", data=lambda w: {"name": "Spreadsheet", "lifetime_days": "30"}
    ),
    "accounts:api_token_revoke": post("accounts:api_token_revoke", token_of_scope, TOKEN_OWNER),
}
