"""Importing a Common Transfer File: realistic synthetic CTFs (fictional pupils), tolerant reading,
the wrong school's file, XML attacks and the encoding rules."""

import pytest
from django.core.management import CommandError, call_command

from partnership.core.errors import ApplicationError
from partnership.core.models import AuditEvent
from partnership.directory.tests.factories import SchoolFactory
from partnership.outcomes.imports import ImportRejectedError, parse_results, result_import
from partnership.outcomes.models import Measure, Pupil, PupilYear, Result, ResultImport

pytestmark = pytest.mark.django_db

# A CTF 25 file from a Year 6 class at the end of 2024/25: KS2 tests, writing TA, the Year 4 MTC and
# the Year 1 phonics check from earlier years, and assessments the platform does not keep.
CTF_25_YEAR6 = """<?xml version="1.0" encoding="UTF-8"?>
<CTfile>
  <Header>
    <DocumentName>Common Transfer File</DocumentName>
    <CTFversion>25.0</CTFversion>
    <DateTime>2025-07-14T10:12:31</DateTime>
    <DocumentQualifier>full</DocumentQualifier>
    <SupplierID>Fictional MIS</SupplierID>
    <SourceSchool>
      <LEA>820</LEA>
      <Estab>1234</Estab>
      <URN>123456</URN>
      <SchoolName>Hawthorn Primary School</SchoolName>
      <AcademicYear>2024/2025</AcademicYear>
    </SourceSchool>
    <DestSchool>
      <LEA>820</LEA>
      <Estab>5678</Estab>
    </DestSchool>
  </Header>
  <CTFpupilData>
    <Pupil>
      <UPN>P820123400001</UPN>
      <Surname>Fernsby</Surname>
      <Forename>Amara</Forename>
      <DOB>2013-10-02</DOB>
      <Sex>F</Sex>
      <BasicDetails>
        <NCyearActual>6</NCyearActual>
        <Ethnicity>WBRI</Ethnicity>
        <Languages>
          <Type>
            <LanguageType>FIR</LanguageType>
            <Language>ENG</Language>
          </Type>
        </Languages>
      </BasicDetails>
      <FSMhistory>
        <FSMreviewDate>2025-01-20</FSMreviewDate>
        <FSMinstance>
          <FSMstartDate>2021-02-01</FSMstartDate>
          <FSMendDate>2022-07-20</FSMendDate>
          <UKcountry>ENG</UKcountry>
        </FSMinstance>
      </FSMhistory>
      <SENhistory>
        <SEN>
          <StartDate>2020-09-03</StartDate>
          <SENprovision>K</SENprovision>
        </SEN>
        <SEN>
          <StartDate>2023-09-05</StartDate>
          <SENprovision>N</SENprovision>
        </SEN>
      </SENhistory>
      <StageAssessments>
        <KeyStage>
          <Stage>KS2</Stage>
          <StageAssessment>
            <Locale>ENG</Locale><Year>2025</Year><Subject>REA</Subject><Method>TT</Method>
            <Component>SS</Component><ResultStatus>F</ResultStatus><ResultQualifier>SS</ResultQualifier>
            <Result>108</Result>
          </StageAssessment>
          <StageAssessment>
            <Locale>ENG</Locale><Year>2025</Year><Subject>REA</Subject><Method>TT</Method>
            <Component>RAW</Component><ResultStatus>F</ResultStatus><ResultQualifier>RM</ResultQualifier>
            <Result>38</Result>
          </StageAssessment>
          <StageAssessment>
            <Locale>ENG</Locale><Year>2025</Year><Subject>MAT</Subject><Method>TT</Method>
            <Component>SS</Component><ResultStatus>F</ResultStatus><Result>112</Result>
          </StageAssessment>
          <StageAssessment>
            <Locale>ENG</Locale><Year>2025</Year><Subject>GPS</Subject><Method>TT</Method>
            <Component>SS</Component><ResultStatus>F</ResultStatus><Result>104</Result>
          </StageAssessment>
          <StageAssessment>
            <Locale>ENG</Locale><Year>2025</Year><Subject>WRI</Subject><Method>TA</Method>
            <ResultStatus>F</ResultStatus><Result>EXS</Result>
          </StageAssessment>
          <StageAssessment>
            <Locale>ENG</Locale><Year>2025</Year><Subject>SCI</Subject><Method>TA</Method>
            <ResultStatus>F</ResultStatus><Result>EXS</Result>
          </StageAssessment>
        </KeyStage>
        <KeyStage>
          <Stage>MTC</Stage>
          <StageAssessment>
            <Locale>ENG</Locale><Year>2023</Year><Subject>MTC</Subject><Method>TT</Method>
            <ResultStatus>F</ResultStatus><Result>23</Result>
          </StageAssessment>
        </KeyStage>
        <KeyStage>
          <Stage>PHONICS</Stage>
          <StageAssessment>
            <Locale>ENG</Locale><Year>2020</Year><Subject>PHO</Subject><Method>TT</Method>
            <ResultStatus>F</ResultStatus><Result>35</Result>
          </StageAssessment>
        </KeyStage>
      </StageAssessments>
    </Pupil>
    <Pupil>
      <UPN>D820123400002</UPN>
      <Surname>Okonjo-Price</Surname>
      <Forename>Tobias</Forename>
      <DOB>2014-05-19</DOB>
      <Sex>M</Sex>
      <BasicDetails>
        <NCyearActual>6</NCyearActual>
        <Languages>
          <Type>
            <LanguageType>FIR</LanguageType>
            <Language>YOR</Language>
          </Type>
        </Languages>
      </BasicDetails>
      <SENhistory>
        <SEN>
          <StartDate>2022-01-10</StartDate>
          <SENprovision>E</SENprovision>
        </SEN>
      </SENhistory>
      <StageAssessments>
        <KeyStage>
          <Stage>KS2</Stage>
          <StageAssessment>
            <Locale>ENG</Locale><Year>2025</Year><Subject>REA</Subject><Method>TT</Method>
            <Component>SS</Component><ResultStatus>F</ResultStatus><Result>A</Result>
          </StageAssessment>
          <StageAssessment>
            <Locale>ENG</Locale><Year>2025</Year><Subject>MAT</Subject><Method>TT</Method>
            <Component>SS</Component><ResultStatus>F</ResultStatus><Result>96</Result>
          </StageAssessment>
          <StageAssessment>
            <Locale>ENG</Locale><Year>2025</Year><Subject>WRI</Subject><Method>TA</Method>
            <ResultStatus>F</ResultStatus><Result>PK4</Result>
          </StageAssessment>
        </KeyStage>
      </StageAssessments>
    </Pupil>
    <Pupil>
      <UPN>T820123400003</UPN>
      <Surname>Whitlock</Surname>
      <Forename>Elsie</Forename>
      <DOB>2014-01-07</DOB>
      <Sex>F</Sex>
      <BasicDetails>
        <NCyearActual>6</NCyearActual>
      </BasicDetails>
      <FSMhistory>
        <FSMinstance>
          <FSMstartDate>2024-09-04</FSMstartDate>
        </FSMinstance>
      </FSMhistory>
      <StageAssessments>
        <KeyStage>
          <Stage>KS2</Stage>
          <StageAssessment>
            <Locale>ENG</Locale><Year>2025</Year><Subject>REA</Subject><Method>TT</Method>
            <Result>115</Result>
          </StageAssessment>
          <StageAssessment>
            <Locale>ENG</Locale><Year>2025</Year><Subject>MAT</Subject><Method>TT</Method>
            <Result>111</Result>
          </StageAssessment>
          <StageAssessment>
            <Locale>ENG</Locale><Year>2025</Year><Subject>WRI</Subject><Method>TA</Method>
            <Result>GDS</Result>
          </StageAssessment>
        </KeyStage>
      </StageAssessments>
    </Pupil>
  </CTFpupilData>
</CTfile>
"""

# An older CTF (version 19) that says Gender, from an infant class: EYFS profile with its early
# learning goals and a GLD line, and the Year 1 phonics check with a Year 2 retake.
CTF_19_INFANTS = """<?xml version="1.0" encoding="utf-8"?>
<CTfile>
  <Header>
    <DocumentName>Common Transfer File</DocumentName>
    <CTFversion>19.0</CTFversion>
    <DateTime>2025-07-10T15:02:00</DateTime>
    <DocumentQualifier>partial</DocumentQualifier>
    <SourceSchool>
      <LEA>820</LEA>
      <Estab>1234</Estab>
      <URN>123456</URN>
      <SchoolName>Hawthorn Primary School</SchoolName>
      <AcademicYear>2024/2025</AcademicYear>
    </SourceSchool>
  </Header>
  <CTFpupilData>
    <Pupil>
      <UPN>N820123400010</UPN>
      <Surname>Marchetti</Surname>
      <Forename>Luca</Forename>
      <DOB>2019-06-30</DOB>
      <Gender>M</Gender>
      <BasicDetails>
        <NCyearActual>R</NCyearActual>
      </BasicDetails>
      <StageAssessments>
        <KeyStage>
          <Stage>FSP</Stage>
          <StageAssessment>
            <Locale>ENG</Locale><Year>2025</Year><Subject>COM</Subject><Method>TA</Method>
            <Component>LAU</Component><Result>2</Result>
          </StageAssessment>
          <StageAssessment>
            <Locale>ENG</Locale><Year>2025</Year><Subject>LIT</Subject><Method>TA</Method>
            <Component>WRI</Component><Result>1</Result>
          </StageAssessment>
          <StageAssessment>
            <Locale>ENG</Locale><Year>2025</Year><Subject>GLD</Subject><Method>TA</Method>
            <Result>N</Result>
          </StageAssessment>
        </KeyStage>
      </StageAssessments>
    </Pupil>
    <Pupil>
      <UPN>C820123400011</UPN>
      <Surname>Adeyemi</Surname>
      <Forename>Grace</Forename>
      <DOB>2017-11-12</DOB>
      <Gender>F</Gender>
      <BasicDetails>
        <NCyearActual>2</NCyearActual>
      </BasicDetails>
      <StageAssessments>
        <KeyStage>
          <Stage>KS1</Stage>
          <StageAssessment>
            <Locale>ENG</Locale><Year>2024</Year><Subject>PHO</Subject><Method>TT</Method>
            <Result>29</Result>
          </StageAssessment>
          <StageAssessment>
            <Locale>ENG</Locale><Year>2025</Year><Subject>PHO</Subject><Method>TT</Method>
            <Result>34</Result>
          </StageAssessment>
        </KeyStage>
      </StageAssessments>
    </Pupil>
  </CTFpupilData>
</CTfile>
"""


@pytest.fixture
def school():
    return SchoolFactory(urn="123456", la_code="820", establishment_number="1234", name="Hawthorn Primary School")


def counts():
    return Pupil.objects.count(), PupilYear.objects.count(), Result.objects.count()


def result(upn, measure, year=2024):
    return Result.objects.get(pupil__upn=upn, measure=measure, academic_year=year)


def test_ctf_25_imports_pupils_results_and_characteristics(school):
    report = result_import(school=school, data=CTF_25_YEAR6.encode(), filename="8201234_CTF_8205678_001.xml")
    assert report.file_format == "ctf"
    assert report.pupils.new == 3
    amara = Pupil.objects.get(upn="P820123400001")
    assert (amara.forename, amara.surname, amara.sex, str(amara.date_of_birth)) == (
        "Amara",
        "Fernsby",
        "F",
        "2013-10-02",
    )
    year = amara.years.get(academic_year=2024)
    # FSM in 2021-22 is within six years: disadvantaged. SEN ended (latest N). First language English.
    assert (year.year_group, year.disadvantaged, year.sen_provision, year.eal) == (6, True, "N", False)
    tobias_year = PupilYear.objects.get(pupil__upn="D820123400002", academic_year=2024)
    assert (tobias_year.disadvantaged, tobias_year.sen_provision, tobias_year.eal) == (False, "E", True)
    assert PupilYear.objects.get(pupil__upn="T820123400003", academic_year=2024).disadvantaged

    reading = result("P820123400001", Measure.KS2_READING)
    assert (reading.score, reading.met_expected, reading.met_higher) == (108, True, False)
    assert result("P820123400001", Measure.KS2_WRITING).grade == "EXS"
    assert result("P820123400001", Measure.MTC, 2022).score == 23
    assert result("P820123400001", Measure.PHONICS_Y1, 2019).score == 35
    # The Year 4 and Year 1 rows exist for those results, marked with the year group then.
    assert PupilYear.objects.get(pupil=amara, academic_year=2022).year_group == 4
    assert PupilYear.objects.get(pupil=amara, academic_year=2019).year_group == 1
    absent = result("D820123400002", Measure.KS2_READING)
    assert (absent.score, absent.code, absent.met_expected) == (None, "A", False)
    rwm = {r.pupil.upn: (r.met_expected, r.met_higher) for r in Result.objects.filter(measure=Measure.KS2_RWM)}
    assert rwm == {"P820123400001": (True, False), "D820123400002": (False, False), "T820123400003": (True, True)}

    reasons = {(p.field, p.reason) for p in report.skipped}
    assert ("KS2/REA/TT/RAW", "a raw test mark: only the scaled score is imported") in reasons
    assert any(f == "KS2/SCI/TA" for f, _ in reasons)
    assert report.summary() == f"imported 3 pupils, {report.results.new} results, 2 skipped"
    assert report.results.new == Result.objects.count() == 15
    assert AuditEvent.objects.filter(verb="import").count() == 1


def test_older_ctf_with_gender_eyfs_and_phonics_retake(school):
    report = result_import(school=school, data=CTF_19_INFANTS.encode(), filename="infants.xml")
    luca = Pupil.objects.get(upn="N820123400010")
    assert luca.sex == "M"
    gld = result("N820123400010", Measure.EYFS_GLD)
    assert (gld.grade, gld.met_expected) == ("not", False)
    assert gld.detail == {"elg": {"COM_LAU": "2", "LIT_WRI": "1"}}
    assert result("C820123400011", Measure.PHONICS_Y1, 2023).score == 29
    retake = result("C820123400011", Measure.PHONICS_Y2, 2024)
    assert (retake.score, retake.met_expected) == (34, True)
    assert report.skip_count == 2  # the two early learning goals, kept in the GLD result's detail


def test_reimporting_a_ctf_changes_nothing(school):
    result_import(school=school, data=CTF_25_YEAR6.encode(), filename="a.xml")
    before = list(Result.objects.order_by("pk").values())
    report = result_import(school=school, data=CTF_25_YEAR6.encode(), filename="a.xml")
    assert report.summary() == "imported 0 pupils, 0 results, 2 skipped"
    assert report.pupils.unchanged == 3 and report.results.unchanged == 15
    assert list(Result.objects.order_by("pk").values()) == before


def test_a_corrected_ctf_updates_in_place(school):
    result_import(school=school, data=CTF_25_YEAR6.encode(), filename="a.xml")
    corrected = CTF_25_YEAR6.replace("<Result>96</Result>", "<Result>101</Result>").replace("Okonjo-Price", "Okonjo")
    report = result_import(school=school, data=corrected.encode(), filename="a.xml")
    assert (report.pupils.updated, report.results.updated) == (1, 1)
    maths = result("D820123400002", Measure.KS2_MATHS)
    assert (maths.score, maths.met_expected) == (101, True)
    assert Pupil.objects.get(upn="D820123400002").surname == "Okonjo"
    assert Result.objects.count() == 15


def test_the_wrong_schools_ctf_is_refused(school):
    other = SchoolFactory(urn="654321", la_code="821", establishment_number="2001", name="Larch Hill Primary")
    with pytest.raises(ImportRejectedError) as caught:
        result_import(school=other, data=CTF_25_YEAR6.encode(), filename="a.xml")
    assert caught.value.message.startswith(
        "This file is from Hawthorn Primary School (URN 123456, LAESTAB 8201234), not Larch Hill Primary (URN 654321"
    )
    assert counts() == (0, 0, 0)
    log = ResultImport.objects.get()
    assert log.status == ResultImport.Status.REJECTED and log.school == other


def test_a_laestab_mismatch_alone_is_refused(school):
    data = CTF_25_YEAR6.replace("<Estab>1234</Estab>", "<Estab>9999</Estab>", 1).encode()
    with pytest.raises(ApplicationError, match="LAESTAB 8209999"):
        parse_results(data, school=school)


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<CTfile><Header><SourceSchool><URN>123456</URN><SchoolName>&lol9;</SchoolName></SourceSchool></Header></CTfile>
"""
XXE = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE CTfile [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<CTfile><Header><SourceSchool><URN>123456</URN><SchoolName>&xxe;</SchoolName></SourceSchool></Header></CTfile>
"""
DTD_ONLY = b"""<?xml version="1.0"?>
<!DOCTYPE CTfile SYSTEM "http://example.test/ctf.dtd">
<CTfile/>
"""


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (BOMB, "declares entities .*billion laughs"),
        (XXE, "declares external entities"),
        (DTD_ONLY, "document type declaration"),
    ],
    ids=["billion-laughs", "external-entity", "dtd"],
)
def test_xml_attacks_are_refused_with_a_clear_message(school, data, match):
    with pytest.raises(ImportRejectedError, match=match):
        result_import(school=school, data=data, filename="evil.xml")
    assert counts() == (0, 0, 0)
    assert ResultImport.objects.get().status == ResultImport.Status.REJECTED


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (CTF_25_YEAR6.replace("UTF-8", "ISO-8859-1").encode("latin-1"), "ISO-8859-1 encoding; only UTF-8"),
        (CTF_25_YEAR6.replace("Fernsby", "Fernsbÿ").encode("latin-1"), "not UTF-8 text"),
        (CTF_25_YEAR6.encode("utf-16"), "UTF-16"),
        (CTF_25_YEAR6[:900].encode(), "not well-formed XML"),
        (b"<?xml version='1.0'?><Schools><School/></Schools>", "not a Common Transfer File"),
    ],
    ids=["declared-latin1", "undeclared-latin1", "utf16", "truncated", "not-ctf"],
)
def test_unreadable_ctfs_are_refused(school, data, match):
    with pytest.raises(ImportRejectedError, match=match):
        result_import(school=school, data=data, filename="x.xml")
    assert counts() == (0, 0, 0)


def test_utf8_with_bom_is_accepted(school):
    report = result_import(school=school, data=b"\xef\xbb\xbf" + CTF_25_YEAR6.encode(), filename="bom.xml")
    assert report.pupils.new == 3


@pytest.mark.parametrize(
    ("old", "new", "where", "field", "reason"),
    [
        (
            "<Result>108</Result>",
            "<Result>140</Result>",
            "UPN P820123400001",
            "KS2/REA/TT/SS Result",
            "140 is impossible",
        ),
        (
            "<Result>35</Result>",
            "<Result>45</Result>",
            "UPN P820123400001",
            "PHONICS/PHO/TT Result",
            "45 is impossible",
        ),
        ("<Result>23</Result>", "<Result>26</Result>", "UPN P820123400001", "MTC/MTC/TT Result", "26 is impossible"),
        ("<Result>PK4</Result>", "<Result>XYZ</Result>", "UPN D820123400002", "KS2/WRI/TA Result", "not a teacher"),
        ("<UPN>T820123400003</UPN>", "<UPN>P820123400001</UPN>", "UPN P820123400001", "UPN", "more than once"),
        ("<UPN>D820123400002</UPN>", "<UPN>12345</UPN>", "UPN 12345", "UPN", "is not a UPN"),
        (
            "<UPN>D820123400002</UPN>",
            "<UPN>A820123400002</UPN>",
            "UPN A820123400002",
            "UPN",
            "UPN check letter is wrong: character 1 of A820123400002 should be D, not A",
        ),
        ("<DOB>2014-05-19</DOB>", "<DOB>2014-02-30</DOB>", "UPN D820123400002", "DOB", "not a real date"),
        ("<Sex>M</Sex>", "<Sex>X</Sex>", "UPN D820123400002", "Sex", "not F or M"),
        ("<Year>2023</Year>", "<Year>20X3</Year>", "UPN P820123400001", "Year", "not a year"),
    ],
    ids=[
        "scaled-140",
        "phonics-45",
        "mtc-26",
        "bad-grade",
        "duplicate-upn",
        "bad-upn",
        "wrong-check-letter",
        "bad-dob",
        "bad-sex",
        "bad-year",
    ],
)
def test_impossible_values_reject_the_ctf_naming_line_pupil_and_field(school, old, new, where, field, reason):
    data = CTF_25_YEAR6.replace(old, new, 1).encode()
    with pytest.raises(ImportRejectedError) as caught:
        result_import(school=school, data=data, filename="x.xml")
    problems = caught.value.report.problems
    assert any(
        p.where.startswith("line ") and p.where.endswith(where) and p.field == field and reason in p.reason
        for p in problems
    ), problems
    assert counts() == (0, 0, 0)


def test_problem_lines_point_at_the_assessment(school):
    text = CTF_25_YEAR6.replace("<Result>112</Result>", "<Result>999</Result>")
    with pytest.raises(ImportRejectedError) as caught:
        result_import(school=school, data=text.encode(), filename="x.xml", dry_run=True)
    (problem,) = caught.value.report.problems
    line = int(problem.where.split()[1].rstrip(","))
    assert text.splitlines()[line - 1].strip() == "<StageAssessment>"
    assert "<Result>999</Result>" in text.splitlines()[line + 1]


def test_command_imports_a_ctf_and_prints_the_summary_line(school, tmp_path, capsys):
    path = tmp_path / "8201234_CTF_8205678_001.xml"
    path.write_bytes(CTF_25_YEAR6.encode())
    call_command("import_results", "--school", "123456", str(path))
    out = capsys.readouterr().out.strip().splitlines()
    assert out[-1] == "imported 3 pupils, 15 results, 2 skipped"
    assert any(line.startswith("skipped: line ") for line in out)


def test_command_refuses_the_wrong_schools_ctf(school, tmp_path):
    SchoolFactory(urn="654321", la_code="821", establishment_number="2001", name="Larch Hill Primary")
    path = tmp_path / "a.xml"
    path.write_bytes(CTF_25_YEAR6.encode())
    with pytest.raises(CommandError, match="This file is from Hawthorn Primary School"):
        call_command("import_results", "--school", "654321", str(path))
    assert counts() == (0, 0, 0)
