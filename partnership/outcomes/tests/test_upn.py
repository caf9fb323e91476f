"""UPN check letters (DfE modulus-23 algorithm): published examples, temporary UPNs, every single-character
mistake caught, the model refusing a wrong letter, and every way of building a UPN producing valid ones."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from partnership.directory.tests.factories import SchoolFactory
from partnership.outcomes.models import Pupil
from partnership.outcomes.upn import CHECK_LETTERS, UpnError, check_upn, make_upn, upn_check_letter, validate_upn

# X00180001701A is a temporary UPN published as an example in an MIS supplier's help pages. P207000016049
# takes its body from another supplier's worked example for census error 1510 ("wrong check letter at
# character 1"); its letter is worked out by hand here. By hand:
# 1x4 + 8x5 + 1x9 + 7x10 + 1x12 + A(0)x13 = 135 = 5x23 + 20 -> X (A=0 ... H=7, J=8 ... N=12, P=13 ... Z=22);
# 2x2 + 7x4 + 1x9 + 6x10 + 4x12 + 9x13 = 266 = 11x23 + 13 -> P.
PUBLISHED = ["X00180001701A", "P207000016049"]


@pytest.mark.parametrize("upn", PUBLISHED)
def test_published_upns_have_the_check_letter_the_algorithm_gives(upn):
    assert upn_check_letter(upn[1:]) == upn[0]
    assert check_upn(upn.lower() + " ") == upn
    validate_upn(upn)


def test_a_temporary_upns_final_letter_counts_as_its_place_in_the_letter_table():
    # H is 7 in the table (A=0 ... H=7); its alphabet position (8) or code point would give another letter.
    body = "82012341900H"
    digits = sum(int(c) * w for w, c in enumerate(body[:-1], start=2))
    assert upn_check_letter(body) == CHECK_LETTERS[(digits + 7 * 13) % 23]
    assert upn_check_letter(body) != CHECK_LETTERS[(digits + 8 * 13) % 23]


def test_the_check_letter_is_never_i_o_or_s_and_a_13th_character_i_o_or_s_is_refused():
    assert set(CHECK_LETTERS).isdisjoint("IOS") and len(CHECK_LETTERS) == 23
    for bad in ("82012341900I", "82012341900O", "82012341900S"):
        with pytest.raises(UpnError):
            upn_check_letter(bad)


def test_a_wrong_check_letter_is_refused_naming_character_1_and_the_expected_letter():
    with pytest.raises(UpnError, match="UPN check letter is wrong: character 1 of B207000016049 should be P, not B"):
        check_upn("B207000016049")
    with pytest.raises(ValidationError, match="UPN check letter is wrong"):
        validate_upn("B207000016049")
    with pytest.raises(ValidationError, match="capitals with no spaces"):
        validate_upn("p207000016049")


bodies = st.builds(
    lambda digits, last: digits + last,
    st.text("0123456789", min_size=11, max_size=11),
    st.sampled_from("0123456789" + CHECK_LETTERS),
)


@given(body=bodies, position=st.integers(0, 11), data=st.data())
def test_any_single_character_mistake_changes_the_check_letter(body, position, data):
    # 23 is prime and every weight (2-13) and every difference of values (up to 22) is below it. A final
    # letter is worth its place in the table, so only a character of another value is a detectable mistake
    # (a temporary UPN ending in A has the letter of the permanent one ending in 0).
    alphabet = "0123456789" + (CHECK_LETTERS if position == 11 else "")

    def value(char: str) -> int:
        return int(char) if char.isdigit() else CHECK_LETTERS.index(char)

    other = data.draw(st.sampled_from([c for c in alphabet if value(c) != value(body[position])]))
    changed = body[:position] + other + body[position + 1 :]
    with pytest.raises(UpnError, match="check letter is wrong"):
        check_upn(upn_check_letter(body) + changed)


@given(
    la=st.integers(0, 999),
    estab=st.integers(0, 9999),
    year=st.integers(2000, 2099),
    serial=st.one_of(
        st.integers(0, 999), st.builds(lambda n, c: f"{n:02d}{c}", st.integers(0, 99), st.sampled_from(CHECK_LETTERS))
    ),
)
def test_make_upn_always_builds_a_valid_13_character_upn_from_its_parts(la, estab, year, serial):
    upn = make_upn(la, estab, year, serial)
    assert len(upn) == 13 and check_upn(upn) == upn
    assert upn[1:8] == f"{la:03d}{estab:04d}" and upn[8:10] == f"{year % 100:02d}"


@pytest.mark.django_db
def test_the_pupil_model_refuses_a_wrong_check_letter():
    school = SchoolFactory()
    pupil = Pupil(
        school=school,
        upn="B207000016049",
        surname="Brook",
        forename="Isla",
        date_of_birth=datetime.date(2014, 1, 1),
        sex="F",
    )
    with pytest.raises(ValidationError) as caught:
        pupil.full_clean()
    assert "UPN check letter is wrong" in str(caught.value.message_dict["upn"])
    pupil.upn = "P207000016049"
    pupil.full_clean()
