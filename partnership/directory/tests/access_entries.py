"""Access matrix entries for the directory's pages kept beside its tests (walked by core's
test_access_matrix.py, which holds the directory's older entries itself)."""

from __future__ import annotations

from partnership.core.tests.matrix import Entry, grid, obj, school_slug

# School "view_sharing_record": its headteacher, senior leaders and governors (the outside head
# for the outside school); platform administrators. Scopes: own, partner, outside.
#                         head   teacher governor coord  adviser out_head admin
SHARING_RECORD = grid(    "A..", "...",  "A..",   "...", "...",  "..A",   "AAA")  # fmt: skip

ENTRIES: dict[str, Entry] = {
    "school_sharing": obj("directory:school_sharing", school_slug, SHARING_RECORD),
    "school_sharing_pdf": obj("directory:school_sharing_pdf", school_slug, SHARING_RECORD),
}
