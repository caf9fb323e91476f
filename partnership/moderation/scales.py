"""Subjects, year groups, judgement scales and the KS2 writing framework's "pupil can" statements.

Plain data, no Django: the models offer these as choices, the agreement statistics order the
judgements by them, and the evidence grid reads the statements. The KS2 writing statements follow
the Standards and Testing Agency's teacher assessment framework for English writing at the end of
key stage 2 (from 2018/19): a pupil is judged at a standard only when every statement of that
standard, and of the standards below it, is met ("secure fit", not best fit).
"""

from __future__ import annotations

from dataclasses import dataclass

SUBJECTS: tuple[tuple[str, str], ...] = (
    ("writing", "Writing"),
    ("reading", "Reading"),
    ("maths", "Maths"),
    ("science", "Science"),
    ("eyfs_cl", "EYFS: communication and language"),
    ("eyfs_psed", "EYFS: personal, social and emotional development"),
    ("eyfs_pd", "EYFS: physical development"),
    ("eyfs_literacy", "EYFS: literacy"),
    ("eyfs_maths", "EYFS: mathematics"),
    ("eyfs_utw", "EYFS: understanding the world"),
    ("eyfs_ead", "EYFS: expressive arts and design"),
    ("art", "Art and design"),
    ("computing", "Computing"),
    ("dt", "Design and technology"),
    ("geography", "Geography"),
    ("history", "History"),
    ("languages", "Languages"),
    ("music", "Music"),
    ("pe", "PE"),
    ("re", "RE"),
)
SUBJECT_LABELS = dict(SUBJECTS)

YEAR_GROUPS: tuple[tuple[str, str], ...] = (
    ("N", "Nursery"),
    ("R", "Reception"),
    ("1", "Year 1"),
    ("2", "Year 2"),
    ("3", "Year 3"),
    ("4", "Year 4"),
    ("5", "Year 5"),
    ("6", "Year 6"),
)
YEAR_GROUP_LABELS = dict(YEAR_GROUPS)
YEAR_ORDER = {key: number for number, (key, _) in enumerate(YEAR_GROUPS)}

# Judgements, lowest first: the order the weighted kappa and "generous or harsh" use.
KS_SCALE: tuple[tuple[str, str], ...] = (
    ("WTS", "Working towards the expected standard"),
    ("EXS", "Working at the expected standard"),
    ("GDS", "Working at greater depth"),
)
EYFS_SCALE: tuple[tuple[str, str], ...] = (
    ("EMG", "Emerging"),
    ("EXP", "Expected"),
)
JUDGEMENT_LABELS = dict(KS_SCALE + EYFS_SCALE)
JUDGEMENT_CODES = tuple(code for code, _ in KS_SCALE + EYFS_SCALE)


def is_eyfs(subject: str, year_group: str) -> bool:
    """EYFS areas, and any subject in Nursery or Reception, are judged emerging / expected."""
    return subject.startswith("eyfs_") or year_group in ("N", "R")


def scale_for(subject: str, year_group: str) -> tuple[tuple[str, str], ...]:
    """The judgements a sample in this subject and year group can be given, lowest first."""
    return EYFS_SCALE if is_eyfs(subject, year_group) else KS_SCALE


def scale_rank(subject: str, year_group: str) -> dict[str, int]:
    """Judgement code -> its position on the scale (0 is the lowest)."""
    return {code: rank for rank, (code, _) in enumerate(scale_for(subject, year_group))}


def has_evidence_grid(subject: str, year_group: str) -> bool:
    """KS2 writing (Years 3 to 6) samples carry the evidence grid; Year 6 is the statutory one."""
    return subject == "writing" and year_group in ("3", "4", "5", "6")


@dataclass(frozen=True)
class Statement:
    key: str
    standard: str  # WTS, EXS or GDS
    text: str


_WRITING = {
    "WTS": (
        "write for a range of purposes",
        "use paragraphs to organise ideas",
        "in narratives, describe settings and characters",
        "in non-narrative writing, use simple devices to structure the writing and support the reader "
        "(e.g. headings, sub-headings, bullet points)",
        "use capital letters, full stops, question marks, commas for lists and apostrophes for "
        "contraction mostly correctly",
        "spell correctly most words from the year 3 / year 4 spelling list, and some words from the "
        "year 5 / year 6 spelling list",
        "write legibly",
    ),
    "EXS": (
        "write effectively for a range of purposes and audiences, selecting language that shows good "
        "awareness of the reader (e.g. the use of the first person in a diary; direct address in "
        "instructions and persuasive writing)",
        "in narratives, describe settings, characters and atmosphere",
        "integrate dialogue in narratives to convey character and advance the action",
        "select vocabulary and grammatical structures that reflect what the writing requires, doing "
        "this mostly appropriately (e.g. using contracted forms in dialogues in narrative; using "
        "passive verbs to affect how information is presented; using modal verbs to suggest degrees "
        "of possibility)",
        "use a range of devices to build cohesion (e.g. conjunctions, adverbials of time and place, "
        "pronouns, synonyms) within and across paragraphs",
        "use verb tenses consistently and correctly throughout their writing",
        "use the range of punctuation taught at key stage 2 mostly correctly (e.g. inverted commas and "
        "other punctuation to indicate direct speech)",
        "spell correctly most words from the year 5 / year 6 spelling list, and use a dictionary to "
        "check the spelling of uncommon or more ambitious vocabulary",
        "maintain legibility in joined handwriting when writing at speed",
    ),
    "GDS": (
        "write effectively for a range of purposes and audiences, selecting the appropriate form and "
        "drawing independently on what they have read as models for their own writing (e.g. literary "
        "language, characterisation, structure)",
        "distinguish between the language of speech and writing and choose the appropriate register",
        "exercise an assured and conscious control over levels of formality, particularly through "
        "manipulating grammar and vocabulary to achieve this",
        "use the range of punctuation taught at key stage 2 correctly (e.g. semi-colons, dashes, "
        "colons, hyphens) and, when necessary, use such punctuation precisely to enhance meaning and "
        "avoid ambiguity",
    ),
}
KS2_WRITING_STATEMENTS: tuple[Statement, ...] = tuple(
    Statement(f"{standard.lower()}{number}", standard, text)
    for standard, texts in _WRITING.items()
    for number, text in enumerate(texts, start=1)
)
STATEMENT_KEYS = frozenset(s.key for s in KS2_WRITING_STATEMENTS)
MAX_PIECES = 8


def grid_standard(grid: dict[str, list[int]], pieces: int) -> str | None:
    """The highest standard the evidence grid supports: every statement of it and of each standard
    below it evidenced in at least one of the `pieces` pieces of work. None when not even WTS is."""
    reached: str | None = None
    for standard in ("WTS", "EXS", "GDS"):
        needed = [s.key for s in KS2_WRITING_STATEMENTS if s.standard == standard]
        if all(any(0 <= i < pieces for i in grid.get(key, [])) for key in needed):
            reached = standard
        else:
            break
    return reached
