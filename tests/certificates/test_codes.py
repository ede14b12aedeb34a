import pytest

from certificates.codes import ALPHABET, LENGTH, format_code, generate_code, normalise_code


def test_generated_codes_use_only_unambiguous_characters():
    codes = {generate_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert len(code) == LENGTH
        assert set(code) <= set(ALPHABET)
        assert not set(code) & set("01OILU")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("ABCDE-FGH23", "ABCDEFGH23"),
        ("abcde fgh23", "ABCDEFGH23"),
        ("  abcdefgh23 ", "ABCDEFGH23"),
        ("ABCDE_FGH.23", "ABCDEFGH23"),
        ("ABCDE-FGH2", None),  # too short
        ("ABCDE-FGH234", None),  # too long
        ("ABCD0-FGH23", None),  # 0 is not in the alphabet
        ("ABCDO-FGH23", None),  # an O is never silently accepted
        ("ABCDI-FGH23", None),
        ("", None),
        ("<script>alert(1)</script>", None),
    ],
)
def test_normalise_code(typed, expected):
    assert normalise_code(typed) == expected


@pytest.mark.parametrize(
    ("code", "printed"), [("ABCDEFGH23", "ABCDE-FGH23"), ("2345678923", "23456-78923")]
)
def test_format_code_groups_by_five(code, printed):
    assert format_code(code) == printed
    assert normalise_code(printed) == code
