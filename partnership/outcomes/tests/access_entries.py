"""Access matrix entries for outcomes (walked by core's test_access_matrix.py).

The written policy (partnership/core/access.py): pupil-level data, and so importing results, is for
the authorised staff of the pupil's own school only: `import_results` on a School belongs to its
headteacher, senior leaders and data lead. Not its teachers or governors, not the partnership's
coordinators or advisers, not other schools, and not platform administrators (no admin bypass for
pupil data). The CSV template holds no data: anyone signed in may download it.
"""

from __future__ import annotations

from partnership.core.tests.matrix import (
    COORDINATORS,
    SIGNED_IN,
    VIEW,
    Entry,
    grid,
    obj,
    partnership_slug,
    post,
    school_slug,
)

#                        head     teacher  governor coord    adviser  out_head admin
# School "import_results": the school's head (and senior leaders, data lead); outside_head for outside.
IMPORT_RESULTS = grid(   "A..",   "...",   "...",   "...",   "...",   "..A",   "...")  # fmt: skip

ENTRIES: dict[str, Entry] = {
    "outcomes:import_upload": obj("outcomes:import_upload", school_slug, IMPORT_RESULTS),
    # Posting without a file: allowed users see the form again with its error.
    "outcomes:import_upload+check": post("outcomes:import_upload", school_slug, IMPORT_RESULTS),
    # Nothing waiting to import for a bare POST: allowed users are sent back to the upload page.
    "outcomes:import_confirm": post("outcomes:import_confirm", school_slug, IMPORT_RESULTS),
    "outcomes:import_template": Entry("outcomes:import_template", SIGNED_IN),
}

# --- pupil pages (views_pupils.py) ------------------------------------------------------------
# School "view_pupils": its head, senior leaders, data lead and SENCO; nobody else, no admin bypass.
#                        head     teacher  governor coord    adviser  out_head admin
VIEW_PUPILS = grid(      "A..",   "...",   "...",   "...",   "...",   "..A",   "...")  # fmt: skip


def pupil_of_school(w, scope):  # type: ignore[no-untyped-def]
    """A pupil of each scope's school (own, partner, outside)."""
    import datetime

    from partnership.core.tests.matrix import _school
    from partnership.outcomes.models import Pupil

    school = _school(w, scope)
    pupil, _ = Pupil.objects.get_or_create(
        school=school,
        upn="A123456789012",
        defaults={"surname": "Pupil", "forename": "Test", "date_of_birth": datetime.date(2015, 1, 1), "sex": "F"},
    )
    return {"slug": school.slug, "pk": pupil.pk}


ENTRIES.update(
    {
        "outcomes:pupil_list": obj("outcomes:pupil_list", school_slug, VIEW_PUPILS),
        "outcomes:pupil_detail": obj("outcomes:pupil_detail", pupil_of_school, VIEW_PUPILS),
    }
)

# --- outcome pages, exports and the RAB pack (views_outcomes.py): aggregates only -------------
# Anyone who may view the school or partnership (small groups suppressed except for the school's own
# staff, proved in test_outcome_pages.py). A flag becomes an action by the partnership's coordinators.

ENTRIES.update(
    {
        "outcomes:index": Entry("outcomes:index", SIGNED_IN),
        "outcomes:school_outcomes": obj("outcomes:school_outcomes", school_slug, VIEW),
        "outcomes:school_export": obj("outcomes:school_export", school_slug, VIEW),
        "outcomes:partnership_dashboard": obj("outcomes:partnership_dashboard", partnership_slug, VIEW),
        "outcomes:partnership_export": obj("outcomes:partnership_export", partnership_slug, VIEW),
        "outcomes:rab_pack": obj("outcomes:rab_pack", partnership_slug, VIEW),
        # No such flag in a world without results: coordinators get the "no longer applies" page.
        "outcomes:flag_action": obj("outcomes:flag_action", partnership_slug, COORDINATORS),
    }
)

# --- national figures (views_nationals.py) -----------------------------------------------------
# Published statistics: anyone signed in reads them. Adding one or loading a file (`load`): the
# partnerships' coordinators and platform administrators.
#                        head     teacher  governor coord    adviser  out_head admin
LOAD_NATIONALS = grid(   ".",     ".",     ".",     "A",     ".",     ".",     "A")  # fmt: skip

ENTRIES.update(
    {
        "outcomes:national_figures": Entry("outcomes:national_figures", SIGNED_IN),
        "outcomes:national_figures+load": Entry("outcomes:national_figures", LOAD_NATIONALS, method="post"),
    }
)
