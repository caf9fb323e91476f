"""Outcomes at scale: the Raising Achievement Board dashboard at 10, 100 and 1,000 schools, and import
throughput for a 100,000-result CSV and CTF as a ratio to merely parsing the same file.

Run with `make bench` (or `pytest bench/test_outcomes_scaling.py --benchmark-only`). Query counts,
results per second and the import/parse ratio are stored in each benchmark's extra_info and printed
in an "outcomes figures" section at the end of the run.

- Dashboard: each size builds its partnership once with `generate_results` (three years of results,
  termly assessments for the latest year only, to keep the 1,000-school build near 2 minutes),
  then times GET of the dashboard through the test client as the partnership's coordinator.
- Import: one school, a synthetic file of 100,000 results (CSV: one row per pupil per year; CTF: each
  pupil with their whole assessment history). Parse = `parse_results` (decode, parse, check every
  value, nothing written); import = `result_import` (the same parse, then the upsert with
  full_clean, RWM derivation, the log row and the audit event), into a school with no pupils each round.
  The CTF of 100,000 results is about 40 MB, over the 20 MB limit (`imports.common.MAX_BYTES`,
  enforced by `parse_results` for the upload page and the command alike), so the limit is raised
  for these benchmarks only; the CSV (about 4 MB) is within it.
"""

from __future__ import annotations

import csv
import datetime
import functools
import io
import random
import time
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from figures import section

from partnership.accounts.models import User
from partnership.core.roles import Role
from partnership.directory.models import Membership, Partnership, RoleAssignment, School
from partnership.outcomes.imports import common as import_common
from partnership.outcomes.imports import parse_results, result_import
from partnership.outcomes.imports.csv_format import TEMPLATE_COLUMNS
from partnership.outcomes.models import Pupil, PupilYear, Result
from partnership.outcomes.synthetic import generate_results
from partnership.outcomes.upn import make_upn

YEARS = (2022, 2023, 2024)
RESULTS = 100_000
FIGURES = section("outcomes figures")  # printed after the benchmark table


# --- the dashboard at 10, 100 and 1,000 schools ---------------------------------------------------


def build_partnership(size: int) -> tuple[User, Partnership, int]:
    partnership = Partnership.objects.create(name=f"Bench {size}", slug=f"bench-{size}")
    schools = School.objects.bulk_create(
        School(
            urn=f"{500000 + i}",
            la_code="936",
            establishment_number=f"{i:04d}",
            name=f"Bench School {i:04d}",
            slug=f"bench-school-{i}",
            phase="infant" if i % 7 == 0 else "primary",
        )
        for i in range(size)
    )
    Membership.objects.bulk_create(
        Membership(partnership=partnership, school=s, joined_on="2020-09-01") for s in schools
    )
    coordinator = User.objects.create(email=f"coordinator@bench-{size}.test", full_name="Coordinator", password="!")
    RoleAssignment.objects.create(
        person=coordinator,
        partnership=partnership,
        role=Role.COORDINATOR,
        started_on="2020-09-01",
        approved_at=timezone.now(),
    )
    summary = generate_results(schools, years=YEARS, seed=1, assessment_year=YEARS[-1])
    return coordinator, partnership, summary.results


@pytest.mark.django_db
@pytest.mark.parametrize("size", [10, 100, 1000])
def test_outcomes_dashboard(benchmark, size):
    started = time.perf_counter()
    coordinator, partnership, results = build_partnership(size)
    built = time.perf_counter() - started
    client = Client()
    client.force_login(coordinator)
    url = f"/outcomes/partnerships/{partnership.slug}/"
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    assert f"Bench School {size - 1:04d}" in response.content.decode()
    queries = len(ctx.captured_queries)
    benchmark.group = "outcomes dashboard"
    benchmark.extra_info.update(schools=size, results=results, queries=queries)
    benchmark.pedantic(lambda: client.get(url), rounds=5, iterations=1, warmup_rounds=1)
    median_ms = benchmark.stats.stats.median * 1000
    FIGURES.append(
        f"dashboard, {size:>5,} schools ({results:>9,} results, built in {built:5.0f} s): "
        f"median {median_ms:8.1f} ms, {queries} queries"
    )


# --- import throughput ------------------------------------------------------------------------------

SCHOOL = {"urn": "654321", "la_code": "936", "establishment_number": "4321"}
HEADER = [name for name, _ in TEMPLATE_COLUMNS]


class _Pupils:
    """Deterministic synthetic pupils for one school: UPNs unique across up to a million pupils."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.serial = 0

    def new(self, entry_year: int) -> dict[str, Any]:
        rng, self.serial = self.rng, self.serial + 1
        female = rng.random() < 0.5
        block, serial = divmod(self.serial, 1000)
        return {
            "upn": make_upn(9, block, entry_year + 1, serial),
            "surname": rng.choice(["Applewick", "Bramblecote", "Cinderfield", "Dapplemere", "Elderbrook"]),
            "forename": rng.choice(["Amara", "Bea", "Cora", "Esme"] if female else ["Arlo", "Dex", "Finn", "Hugo"]),
            "dob": datetime.date(entry_year - 5, 9, 1) + datetime.timedelta(days=rng.randrange(365)),
            "sex": "F" if female else "M",
            "disadvantaged": rng.random() < 0.25,
            "sen": rng.choices("NKE", weights=[85, 13, 2])[0],
            "eal": rng.random() < 0.2,
            "phonics_passed": rng.random() < 0.8,
        }

    def ks2_score(self) -> str:
        rng = self.rng
        if rng.random() < 0.02:
            return rng.choice("AB")
        return str(min(120, max(80, round(rng.gauss(105, 8)))))

    def phonics(self, passed: bool) -> str:
        return str(self.rng.randint(32, 40) if passed else self.rng.randint(5, 31))

    def mtc(self) -> str:
        return "A" if self.rng.random() < 0.01 else str(min(25, max(0, round(self.rng.gauss(21, 4)))))

    def grade(self, grades: list[str]) -> str:
        return self.rng.choice(grades)


def _csv_results(pupils: _Pupils, pupil: dict[str, Any], year_group: int, year: int) -> dict[str, str]:
    if year_group == 0:
        return {"eyfs_gld": pupils.grade(["GLD", "GLD", "not"])}
    if year_group == 1:
        return {"phonics_y1": pupils.phonics(pupil["phonics_passed"])}
    if year_group == 2:
        results = {} if pupil["phonics_passed"] else {"phonics_y2": pupils.phonics(pupils.rng.random() < 0.6)}
        if year <= 2022:
            for measure in ("ks1_reading", "ks1_writing", "ks1_maths"):
                results[measure] = pupils.grade(["WTS", "EXS", "EXS", "GDS"])
        return results
    if year_group == 4:
        return {"mtc": pupils.mtc()}
    if year_group == 6:
        return {
            "ks2_reading": pupils.ks2_score(),
            "ks2_maths": pupils.ks2_score(),
            "ks2_gps": pupils.ks2_score(),
            "ks2_writing": pupils.grade(["WTS", "EXS", "EXS", "GDS", "PK6"]),
        }
    return {}


@functools.cache
def csv_file(results: int = RESULTS) -> tuple[bytes, int]:
    """The CSV template for one school: cohorts of 30 pupils with a row for each year in which they
    have statutory results (2022/23 to 2024/25), until `results` results. (file, results in it)"""
    pupils = _Pupils(seed=1)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=HEADER, lineterminator="\r\n")
    writer.writeheader()
    count = 0
    while count < results:
        for entry_year in range(YEARS[0] - 6, YEARS[-1] + 1):
            for _ in range(30):
                pupil = pupils.new(entry_year)
                for year in YEARS:
                    year_group = year - entry_year
                    found = _csv_results(pupils, pupil, year_group, year) if 0 <= year_group <= 6 else {}
                    if not found:
                        continue
                    writer.writerow(
                        {
                            "upn": pupil["upn"],
                            "surname": pupil["surname"],
                            "forename": pupil["forename"],
                            "date_of_birth": pupil["dob"].isoformat(),
                            "sex": pupil["sex"],
                            "academic_year": str(year),
                            "year_group": "R" if year_group == 0 else str(year_group),
                            "disadvantaged": "Y" if pupil["disadvantaged"] else "N",
                            "sen": pupil["sen"],
                            "eal": "Y" if pupil["eal"] else "N",
                            **found,
                        }
                    )
                    count += len(found)
    return buffer.getvalue().encode("utf-8"), count


ELGS = [("COM", "LAU"), ("COM", "SPK"), ("PSE", "SR"), ("PSE", "MS"), ("PSE", "BR"), ("PHY", "GM"), ("PHY", "FM")]
ELGS += [("LIT", "COMP"), ("LIT", "WR"), ("LIT", "WRI"), ("MAT", "NUM"), ("MAT", "NP"), ("UTW", "PP")]
ELGS += [("UTW", "PCC"), ("UTW", "NW"), ("EXP", "CWM"), ("EXP", "BIE")]


def _assessment(year: int, subject: str, method: str, result: str, component: str = "") -> str:
    part = f"<Component>{component}</Component>" if component else ""
    return (
        f"<StageAssessment><Locale>ENG</Locale><Year>{year}</Year><Subject>{subject}</Subject>"
        f"<Method>{method}</Method>{part}<ResultStatus>F</ResultStatus><Result>{result}</Result></StageAssessment>"
    )


def _ctf_pupil(pupils: _Pupils, year_group: int, file_year: int) -> tuple[str, int]:
    """One pupil in `year_group` in `file_year` with their statutory history: (XML, results in it)."""
    entry = file_year - year_group
    pupil = pupils.new(entry)
    stages: list[tuple[str, list[str]]] = []
    count = 0
    # Reception (EYFS profile, with the early learning goals for this year's Reception only).
    gld = pupils.grade(["Y", "Y", "N"])
    goals = [_assessment(entry + 1, s, "TA", "2", c) for s, c in ELGS] if year_group == 0 else []
    stages.append(("FSP", [*goals, _assessment(entry + 1, "GLD", "TA", gld)]))
    count += 1
    phonics = []
    if year_group >= 1:
        phonics.append(_assessment(entry + 2, "PHO", "TT", pupils.phonics(pupil["phonics_passed"])))
        count += 1
    if year_group >= 2 and not pupil["phonics_passed"]:
        phonics.append(_assessment(entry + 3, "PHO", "TT", pupils.phonics(pupils.rng.random() < 0.6)))
        count += 1
    if phonics:
        stages.append(("PHONICS", phonics))
    if year_group >= 3 and entry + 2 <= 2022:  # KS1 teacher assessment, last collected in 2022/23
        grades = [_assessment(entry + 3, s, "TA", pupils.grade(["WTS", "EXS", "GDS"])) for s in ("REA", "WRI", "MAT")]
        stages.append(("KS1", grades))
        count += 3
    if year_group >= 4:
        stages.append(("MTC", [_assessment(entry + 5, "MTC", "TT", pupils.mtc())]))
        count += 1
    if year_group == 6:
        tests = [_assessment(entry + 7, s, "TT", pupils.ks2_score(), "SS") for s in ("REA", "MAT", "GPS")]
        writing = _assessment(entry + 7, "WRI", "TA", pupils.grade(["WTS", "EXS", "EXS", "GDS"]))
        stages.append(("KS2", [*tests, writing]))
        count += 4
    key_stages = "".join(f"<KeyStage><Stage>{stage}</Stage>{''.join(items)}</KeyStage>" for stage, items in stages)
    fsm = (
        "<FSMhistory><FSMinstance><FSMstartDate>2021-09-01</FSMstartDate><UKcountry>ENG</UKcountry>"
        "</FSMinstance></FSMhistory>"
        if pupil["disadvantaged"]
        else ""
    )
    language = "POL" if pupil["eal"] else "ENG"
    xml = (
        f"<Pupil><UPN>{pupil['upn']}</UPN><Surname>{pupil['surname']}</Surname>"
        f"<Forename>{pupil['forename']}</Forename><DOB>{pupil['dob'].isoformat()}</DOB><Sex>{pupil['sex']}</Sex>"
        f"<BasicDetails><NCyearActual>{'R' if year_group == 0 else year_group}</NCyearActual>"
        f"<Languages><Type><LanguageType>FIR</LanguageType><Language>{language}</Language></Type></Languages>"
        f"</BasicDetails>{fsm}<SENhistory><SEN><StartDate>2020-09-03</StartDate>"
        f"<SENprovision>{pupil['sen']}</SENprovision></SEN></SENhistory>"
        f"<StageAssessments>{key_stages}</StageAssessments></Pupil>\n"
    )
    return xml, count


@functools.cache
def ctf_file(results: int = RESULTS) -> tuple[bytes, int]:
    """A CTF 25 from one school for 2024/25: pupils in Reception to Year 6 with their statutory
    history (EYFS, phonics, KS1, MTC, KS2), until `results` results. (file, results in it)"""
    year = YEARS[-1]
    pupils = _Pupils(seed=2)
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<CTfile><Header><DocumentName>Common Transfer File</DocumentName>'
        "<CTFversion>25.0</CTFversion><DateTime>2025-07-14T10:12:31</DateTime>"
        "<DocumentQualifier>full</DocumentQualifier><SupplierID>Bench MIS</SupplierID><SourceSchool>"
        f"<LEA>{SCHOOL['la_code']}</LEA><Estab>{SCHOOL['establishment_number']}</Estab><URN>{SCHOOL['urn']}</URN>"
        f"<SchoolName>Bench Import Primary</SchoolName><AcademicYear>{year}/{year + 1}</AcademicYear>"
        "</SourceSchool></Header><CTFpupilData>\n"
    ]
    count = 0
    while count < results:
        for year_group in range(7):
            xml, n = _ctf_pupil(pupils, year_group, year)
            parts.append(xml)
            count += n
    parts.append("</CTFpupilData></CTfile>\n")
    return "".join(parts).encode("utf-8"), count


FILES = {"csv": csv_file, "ctf": ctf_file}
RATES: dict[str, float] = {}  # "csv parse" -> results per second, for the import/parse ratio


@pytest.mark.django_db
@pytest.mark.parametrize("stage", ["parse", "import"])
@pytest.mark.parametrize("file_format", ["csv", "ctf"])
def test_outcomes_import(benchmark, monkeypatch, file_format, stage):
    data, results = FILES[file_format]()
    monkeypatch.setattr(import_common, "MAX_BYTES", max(import_common.MAX_BYTES, len(data)))
    school = School.objects.create(name="Bench Import Primary", slug="bench-import", **SCHOOL)
    reports = []
    benchmark.group = f"outcomes import {file_format.upper()}"

    if stage == "parse":

        def run() -> None:
            parsed = parse_results(data, school=school)
            assert parsed.ok, parsed.problems[:5]
            assert len(parsed.results) == results

        benchmark.pedantic(run, rounds=3, iterations=1, warmup_rounds=1)
    else:

        def setup() -> tuple[tuple[Any, ...], dict[str, Any]]:
            Pupil.objects.filter(school=school).delete()
            return (), {}

        def run() -> None:
            reports.append(result_import(school=school, data=data, filename=f"bench.{file_format}"))

        benchmark.pedantic(run, setup=setup, rounds=3, iterations=1)
        report = reports[-1]
        assert report.results.new >= results and not report.rejected
        benchmark.extra_info["rows_written"] = (
            report.pupils.new
            + PupilYear.objects.filter(pupil__school=school).count()
            + Result.objects.filter(pupil__school=school).count()
        )

    rate = results / benchmark.stats.stats.median
    RATES[f"{file_format} {stage}"] = rate
    benchmark.extra_info.update(results=results, bytes=len(data), results_per_second=round(rate))
    line = f"{file_format.upper()} {stage:<6} {results:,} results, {len(data) / 1e6:.1f} MB: {rate:>9,.0f} results/s"
    if stage == "import" and f"{file_format} parse" in RATES:
        ratio = rate / RATES[f"{file_format} parse"]
        benchmark.extra_info["import_to_parse"] = round(ratio, 3)
        line += f" = {ratio:.2f} x parsing ({1 / ratio:.1f} times slower)"
    FIGURES.append(line)
