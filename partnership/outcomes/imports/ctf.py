"""Reading a Common Transfer File (CTF, the DfE XML every English MIS exports).

Real files vary by supplier and CTF version, so the reader is tolerant: it looks for the elements it
needs wherever the versions put them, reads the assessments it knows and reports every other
assessment as skipped (with the reason), never as an error. What it does refuse: any DTD or entity
(XML attacks such as "billion laughs" or external entities), a file from another school, and
values that cannot be right.

Simplifications (also in docs/outcomes-import.md):
- Disadvantaged: free school meals at any time in the six years up to the end of the file's academic
  year ("Ever 6 FSM") from `FSMhistory`; looked-after status is not in most CTFs and is not used.
- SEN provision: the most recent `SENhistory/SEN/SENprovision` (N, K, E; the old codes A and P count
  as K, S as E).
- EAL: first language (`Languages/Type` with `LanguageType` FIR) known and not English (ENG, or
  ENB "believed to be English"); not obtained / refused count as not EAL.
- An assessment's `Year` is the calendar year it was taken, in the summer term, so its academic
  year is the one before (KS2 tests in May 2025 belong to 2024/25).
- Year group and characteristics for earlier years (phonics taken in Year 1...) are worked out from
  today's; they are written only where the school has no record for that year yet.
- A minimal record (the multiplication tables check service writes only UPN, names, date of birth,
  sex and the assessment): with no `NCyearActual` the year group comes from the date of birth
  (`schoolyear.year_group_for`); with no `BasicDetails` the FSM, SEN and language histories it lacks
  are not known, so a year group or characteristic the school already has for that year is kept.
  The preview says so (`ParsedImport.notes`).
"""

from __future__ import annotations

import datetime
import re
import xml.etree.ElementTree as ET
from typing import Any

from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import DefusedXMLParser

from partnership.core.errors import ApplicationError
from partnership.core.schoolyear import year_group_for
from partnership.outcomes.imports.common import (
    BadValueError,
    ParsedImport,
    PupilRecord,
    PupilYearRecord,
    ResultRecord,
    check_statutory_result_possible,
    clean_academic_year,
    clean_date,
    clean_name,
    clean_result,
    clean_sex,
    clean_upn,
    clean_year_group,
    year_text,
)
from partnership.outcomes.models import Measure

ENGLISH = {"ENG", "ENB"}
SEN_CODES = {"N": "N", "K": "K", "E": "E", "A": "K", "P": "K", "S": "E"}
KS2_TESTS = {"REA": Measure.KS2_READING, "MAT": Measure.KS2_MATHS, "GPS": Measure.KS2_GPS}
KS1_TA = {"REA": Measure.KS1_READING, "WRI": Measure.KS1_WRITING, "MAT": Measure.KS1_MATHS}
PHONICS_SUBJECTS = {"PHO", "PSC"}
EYFS_STAGES = {"FSP", "EYFSP", "EYFS", "FS", "EYF"}
_RAW_MARK = re.compile(r"RAW|MARK|MRK")


class _LineTarget(ET.TreeBuilder):
    """Builds the tree and remembers each element's line, so problems can say where they are."""

    def __init__(self) -> None:
        super().__init__()
        self.parser: Any = None
        self.lines: dict[int, int] = {}

    def start(self, tag: str, attrs: dict[str, str]) -> ET.Element:  # type: ignore[override]
        element = super().start(tag, attrs)
        self.lines[id(element)] = self.parser.parser.CurrentLineNumber
        return element


def read_xml(data: bytes) -> tuple[ET.Element, dict[int, int]]:
    """The parsed tree and element lines. Refuses DTDs, entities and external references."""
    target = _LineTarget()
    parser = DefusedXMLParser(target=target, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    target.parser = parser
    try:
        parser.feed(data)
        root = parser.close()
    except (DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden, DefusedXmlException) as exc:
        raise ApplicationError(_attack_message(data, exc), field="file") from exc
    except ET.ParseError as exc:
        line = getattr(exc, "position", (0, 0))[0]
        raise ApplicationError(
            f"The file is not well-formed XML (line {line}): it may be damaged or cut short. Export it again.",
            field="file",
        ) from exc
    return root, target.lines


def _attack_message(data: bytes, exc: Exception) -> str:
    head = data[:65536].upper()
    if b"<!ENTITY" in head and (b"SYSTEM" in head or b"PUBLIC" in head):
        what = "declares external entities (it asks the server to read other files or addresses)"
    elif b"<!ENTITY" in head:
        what = "declares entities (which can expand into gigabytes: a 'billion laughs' attack)"
    else:
        what = "contains a document type declaration (DTD)"
    return (
        f"The file was refused because it {what}. A CTF never needs this and it is a way of attacking "
        "servers. Export the CTF again from your MIS; if this keeps happening, tell your data lead."
    )


def _text(element: ET.Element | None, path: str) -> str:
    if element is None:
        return ""
    found = element.find(path)
    return (found.text or "").strip() if found is not None else ""


def _first(element: ET.Element, *paths: str) -> ET.Element | None:
    for path in paths:
        found = element.find(path)
        if found is not None:
            return found
    return None


def check_source_school(root: ET.Element, school: Any, parsed: ParsedImport) -> int:
    """The file's academic year, after checking the file is the school's own. Raises ApplicationError."""
    source = _first(root, "Header/SourceSchool", ".//SourceSchool")
    if source is None:
        raise ApplicationError("The file has no SourceSchool: it does not say which school it is from.", field="file")
    urn, lea, estab = _text(source, "URN"), _text(source, "LEA"), _text(source, "Estab")
    name = _text(source, "SchoolName") or "another school"
    parsed.source = {"urn": urn, "laestab": f"{lea}{estab}", "name": name}
    if not urn and not (lea and estab):
        raise ApplicationError("The file's SourceSchool has neither a URN nor an LA and establishment number.")
    wrong_urn = bool(urn) and urn != str(school.urn)
    wrong_laestab = bool(lea and estab) and (lea, estab) != (str(school.la_code), str(school.establishment_number))
    if wrong_urn or wrong_laestab:
        ids = ", ".join(x for x in (f"URN {urn}" if urn else "", f"LAESTAB {lea}{estab}" if lea and estab else "") if x)
        raise ApplicationError(
            f"This file is from {name} ({ids}), not {school.name} (URN {school.urn}, "
            f"LAESTAB {school.la_code}{school.establishment_number}). Nothing was imported.",
            field="file",
        )
    text = _text(source, "AcademicYear") or _text(root, "Header/AcademicYear")
    try:
        return clean_academic_year(text, today=parsed.today)
    except BadValueError as exc:
        raise ApplicationError(f"The file's SourceSchool/AcademicYear: {exc}.", field="file") from None


def parse_ctf(data: bytes, school: Any, parsed: ParsedImport) -> None:
    root, lines = read_xml(data)
    tag = root.tag.rsplit("}", 1)[-1]
    if tag != "CTfile":
        raise ApplicationError(
            f"This XML file is not a Common Transfer File: it starts with <{tag[:40]}>, a CTF with <CTfile>.",
            field="file",
        )
    year = check_source_school(root, school, parsed)
    pupils = root.findall("CTFpupilData/Pupil") or root.findall(".//Pupil")
    if not pupils:
        raise ApplicationError("The file has no pupils (no CTFpupilData/Pupil elements).", field="file")
    # ElementTree has no parent links: remember each assessment's KeyStage (it holds the Stage).
    stages = {id(a): ks for ks in root.iter("KeyStage") for a in ks.iter("StageAssessment")}
    first_line: dict[str, int] = {}
    for element in pupils:
        _read_pupil(element, lines, stages, year, parsed, first_line)
    _add_notes(parsed, year)


def _where(line: int, upn: str = "") -> str:
    return f"line {line}, UPN {upn}" if upn else f"line {line}"


def _read_pupil(
    element: ET.Element,
    lines: dict[int, int],
    stages: dict[int, ET.Element],
    year: int,
    parsed: ParsedImport,
    first_line: dict[str, int],
) -> None:
    line = lines.get(id(element), 0)
    raw_upn = _text(element, "UPN")
    where = _where(line, raw_upn.strip().upper()[:13])
    ok = True
    values: dict[str, Any] = {}

    def check(name: str, text: str, cleaner, **kwargs: Any) -> None:  # type: ignore[no-untyped-def]
        nonlocal ok
        try:
            values[name] = cleaner(text, **kwargs)
        except BadValueError as exc:
            ok = False
            parsed.problem(where, name, str(exc))

    basic = element.find("BasicDetails")
    check("UPN", raw_upn, clean_upn)
    check("Surname", _text(element, "Surname") or _text(basic, "Surname"), clean_name)
    check("Forename", _text(element, "Forename") or _text(basic, "Forename"), clean_name)
    check("DOB", _text(element, "DOB") or _text(basic, "DOB"), clean_date, academic_year=year)
    has_sex = element.find("Sex") is not None or (basic is not None and basic.find("Sex") is not None)
    sex_field = "Sex" if has_sex else "Gender"  # CTF 25 says Sex; older versions Gender
    check(sex_field, _text(element, sex_field) or _text(basic, sex_field), clean_sex)
    nc_year = _text(basic, "NCyearActual") or _text(element, ".//NCyearActual")
    if nc_year:
        check("NCyearActual", nc_year, clean_year_group)
    elif "DOB" in values:
        ok = _year_group_from_birth(values, year, where, parsed) and ok
    if not ok:
        return
    upn = values["UPN"]
    if upn in first_line:
        parsed.problem(where, "UPN", f"{upn} appears more than once in the file (first at line {first_line[upn]})")
        return
    first_line[upn] = line
    year_group: int = values["NCyearActual"]
    from_birth = not nc_year
    parsed.pupils[upn] = PupilRecord(
        upn=upn,
        surname=values["Surname"],
        forename=values["Forename"],
        date_of_birth=values["DOB"],
        sex=values[sex_field],
        where=where,
    )
    disadvantaged, sen, eal = _ever6_fsm(element, year), _sen(element, where, parsed), _eal(element)
    keep = _unknown_fields(element) + (("year_group",) if from_birth else ())
    parsed.years[(upn, year)] = PupilYearRecord(
        upn, year, year_group, disadvantaged, sen, eal, keep=keep, year_group_from_birth=from_birth
    )
    for assessment in element.findall(".//StageAssessment"):
        result = _read_assessment(assessment, stages.get(id(assessment)), lines, upn, year, year_group, parsed)
        if result is None:
            continue
        key = (upn, result.academic_year, result.measure)
        earlier = parsed.results.get(key)
        if earlier is not None:
            same = (earlier.score, earlier.grade, earlier.code) == (result.score, result.grade, result.code)
            if not same:
                parsed.problem(
                    result.where,
                    result.measure,
                    f"a second, different {Measure(result.measure).label} result for {year_text(result.academic_year)} "
                    f"(the first is at {earlier.where})",
                )
            continue
        parsed.results[key] = result
        if (upn, result.academic_year) not in parsed.years:
            then = year_group - (year - result.academic_year)
            parsed.years[(upn, result.academic_year)] = PupilYearRecord(
                upn, result.academic_year, max(then, -1), disadvantaged, sen, eal, only_if_missing=True
            )


def _year_group_from_birth(values: dict[str, Any], year: int, where: str, parsed: ParsedImport) -> bool:
    """A pupil with no NCyearActual (the multiplication tables check service writes none): the year
    group from the date of birth. False, with a problem, when that is not a primary year group."""
    year_group = year_group_for(values["DOB"], year)
    if not -1 <= year_group <= 6:
        parsed.problem(
            where,
            "NCyearActual",
            f"missing, and the date of birth {values['DOB'].isoformat()} puts the pupil "
            f"{f'in Year {year_group}' if year_group > 6 else 'below Nursery'} in {year_text(year)}, "
            "not a primary year group",
        )
        return False
    values["NCyearActual"] = year_group
    return True


# Histories a minimal record may lack: (element path, PupilYear field, what it is, what a new row says).
CHARACTERISTIC_SOURCES = (
    (".//FSMhistory", "disadvantaged", "free school meals history", "not disadvantaged"),
    (".//SENhistory", "sen_provision", "SEN history", "no SEN"),
    (".//Languages", "eal", "first language", "not EAL"),
)


def _unknown_fields(pupil: ET.Element) -> tuple[str, ...]:
    """The characteristics a minimal record (no `BasicDetails`) does not carry, so a stored value must
    stand. A full MIS record leaves out the FSM or SEN history of a pupil who never had any, so
    there an absent history means none."""
    if pupil.find("BasicDetails") is not None:
        return ()
    return tuple(name for path, name, _, _ in CHARACTERISTIC_SOURCES if pupil.find(path) is None)


def _add_notes(parsed: ParsedImport, year: int) -> None:
    """Say on the preview how pupils with a minimal record (no NCyearActual, no histories) were read."""
    records = [r for (_, y), r in parsed.years.items() if y == year and not r.only_if_missing]
    from_birth = sum(1 for r in records if r.year_group_from_birth)
    if from_birth:
        parsed.notes.append(
            f"{_pupils(from_birth)} in the file {'has' if from_birth == 1 else 'have'} no year group (no "
            "NCyearActual, as in the files the multiplication tables check service writes), so the year group "
            f"in {year_text(year)} was worked out from the date of birth: Reception are the children who turn 5 "
            "during the academic year, Year 1 those who turn 6, and so on. Where the school already has a year "
            "group for the pupil in that year, it is kept."
        )
    by_count: dict[int, list[tuple[str, str]]] = {}
    for _, name, what, default in CHARACTERISTIC_SOURCES:
        missing = sum(1 for r in records if name in r.keep)
        if missing:
            by_count.setdefault(missing, []).append((what, default))
    for missing, items in by_count.items():  # one sentence for the usual case: every history missing
        parsed.notes.append(
            f"The file has no {_listed([what for what, _ in items], 'or')} for {_pupils(missing)}: what the school "
            f"already has for {year_text(year)} is kept, and a pupil new to that year is recorded as "
            f"{_listed([default for _, default in items])}."
        )


def _listed(words: list[str], last: str = "and") -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} {last} {words[-1]}"


def _pupils(n: int) -> str:
    return f"{n} pupil{'s' if n != 1 else ''}"


def _read_assessment(
    element: ET.Element,
    stage_element: ET.Element | None,
    lines: dict[int, int],
    upn: str,
    year: int,
    year_group: int,
    parsed: ParsedImport,
) -> ResultRecord | None:
    line = lines.get(id(element), 0)
    where = _where(line, upn)
    stage = _text(stage_element, "Stage").upper() if stage_element is not None else ""
    subject = _text(element, "Subject").upper()
    method = _text(element, "Method").upper()
    component = _text(element, "Component").upper()
    qualifier = _text(element, "ResultQualifier").upper()
    locale = _text(element, "Locale").upper()
    result_text = _text(element, "Result")
    label = "/".join(x for x in (stage, subject, method, component) if x) or "assessment"

    def skip(reason: str) -> None:
        parsed.skip(where, label, reason)

    if locale and locale != "ENG":
        skip(f"locale {locale[:10]}: only assessments in England are recorded")
        return None
    measure = _measure_of(stage, subject, method, component, qualifier, skip)
    if measure is None:
        return None
    year_text_ = _text(element, "Year")
    if not re.fullmatch(r"\d{4}", year_text_):
        parsed.problem(where, "Year", f"'{year_text_[:20]}' is not a year such as 2025" if year_text_ else "missing")
        return None
    academic_year = int(year_text_) - 1
    if not 2000 <= academic_year <= year:
        parsed.problem(where, "Year", f"{year_text_} is after the file's academic year {year_text(year)}")
        return None
    try:
        check_statutory_result_possible(measure, academic_year, today=parsed.today)
    except BadValueError as exc:
        parsed.problem(where, "Year", f"{year_text_}: {exc}")
        return None
    if measure in (Measure.PHONICS_Y1, Measure.PHONICS_Y2):
        then = year_group - (year - academic_year)
        measure = Measure.PHONICS_Y2 if then == 2 or "Y2" in component or "RETAKE" in component else Measure.PHONICS_Y1
    if not result_text:
        skip("no result given")
        return None
    if measure == Measure.EYFS_GLD and result_text.upper() in ("1", "0"):
        result_text = "GLD" if result_text == "1" else "not"
    try:
        score, grade, code = clean_result(measure, result_text)
    except BadValueError as exc:
        parsed.problem(where, f"{label} Result", str(exc))
        return None
    detail: dict[str, Any] = {}
    if measure == Measure.EYFS_GLD and stage_element is not None:
        detail = _early_learning_goals(stage_element, academic_year)
    return ResultRecord(upn, academic_year, measure, score, grade, code, detail=detail, where=where)


def _measure_of(stage: str, subject: str, method: str, component: str, qualifier: str, skip) -> str | None:  # type: ignore[no-untyped-def]
    if subject == "MTC" or stage == "MTC":
        return Measure.MTC
    if subject in PHONICS_SUBJECTS or stage in ("PHONICS", "PSC"):
        if _RAW_MARK.search(qualifier) is None and method in ("", "TT", "CHK", "TA"):
            return Measure.PHONICS_Y1  # Y1 or Y2 is decided from the year group at the time
    if stage in EYFS_STAGES:
        if subject == "GLD" or component == "GLD":
            return Measure.EYFS_GLD
        skip("an early learning goal: kept with the GLD result when the file has one")
        return None
    if stage == "KS2":
        if subject in KS2_TESTS and method == "TT":
            if _RAW_MARK.search(component) or _RAW_MARK.search(qualifier):
                skip("a raw test mark: only the scaled score is imported")
                return None
            return KS2_TESTS[subject]
        if subject == "WRI" and method == "TA":
            return Measure.KS2_WRITING
        if subject == "ENG" and method == "TT" and component in KS2_TESTS:
            return KS2_TESTS[component]
        skip(f"KS2 {subject or '?'} {method or '?'} is not one of the results recorded")
        return None
    if stage == "KS1" and subject in KS1_TA and method == "TA":
        return KS1_TA[subject]
    skip("not an assessment this platform records")
    return None


def _early_learning_goals(stage_element: ET.Element, academic_year: int) -> dict[str, Any]:
    goals: dict[str, str] = {}
    for item in stage_element.findall("StageAssessment"):
        subject, component = _text(item, "Subject").upper(), _text(item, "Component").upper()
        if "GLD" in (subject, component) or _text(item, "Year") != str(academic_year + 1):
            continue
        name = "_".join(x for x in (subject, component) if x)[:20]
        if name:
            goals[name] = _text(item, "Result")[:10]
    return {"elg": goals} if goals else {}


def _date(text: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text[:10])
    except ValueError:
        return None


def _ever6_fsm(pupil: ET.Element, year: int) -> bool:
    end_of_year = datetime.date(year + 1, 8, 31)
    window_start = datetime.date(year - 5, 9, 1)
    for instance in pupil.findall(".//FSMhistory/FSMinstance"):
        start = _date(_text(instance, "FSMstartDate"))
        end = _date(_text(instance, "FSMendDate"))
        if start is None or start > end_of_year:
            continue
        if end is None or end >= window_start:
            return True
    return False


def _sen(pupil: ET.Element, where: str, parsed: ParsedImport) -> str:
    latest: tuple[str, str] | None = None
    for sen in pupil.findall(".//SENhistory/SEN"):
        provision = _text(sen, "SENprovision").upper()
        start = _text(sen, "StartDate")
        if provision not in SEN_CODES:
            parsed.skip(where, "SENprovision", f"'{provision[:10]}' is not a SEN provision code; read as none")
            continue
        if latest is None or start >= latest[0]:
            latest = (start, SEN_CODES[provision])
    return latest[1] if latest else "N"


def _eal(pupil: ET.Element) -> bool:
    for kind in pupil.findall(".//Languages/Type"):
        if _text(kind, "LanguageType").upper() == "FIR":
            language = _text(kind, "Language").upper()
            return bool(language) and language not in ENGLISH and language not in ("NOT", "REF")
    return False
