"""Certificate codes (suppliers.codes): 16 Crockford base32 characters (80 random bits), shown in
groups of four, read back whatever case, dashes or look-alike letters a person typed."""

from hypothesis import given
from hypothesis import strategies as st

from suppliers.codes import (
    ALPHABET,
    LENGTH,
    verification_code_display,
    verification_code_new,
    verification_code_read,
)
from suppliers.models.certification import new_verification_code


def test_a_new_code_has_80_random_bits_in_an_alphabet_without_look_alikes():
    codes = {verification_code_new() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(len(code) == LENGTH == 16 for code in codes)
    assert set("".join(codes)) <= set(ALPHABET) and not set("ILOU") & set(ALPHABET)
    assert len(ALPHABET) ** LENGTH == 2**80
    assert len(new_verification_code()) == 16  # the model field's default makes these codes


def test_a_code_is_shown_in_groups_of_four_and_an_old_one_as_issued():
    assert verification_code_display("7KD39XQ2M4TB0HZE") == "7KD3-9XQ2-M4TB-0HZE"
    assert verification_code_display("aB3_x-Yz9Qk2Lm0P") == "aB3_x-Yz9Qk2Lm0P"


@given(code=st.text(alphabet=ALPHABET, min_size=LENGTH, max_size=LENGTH), data=st.data())
def test_whatever_a_person_types_for_a_code_reads_back_to_it(code, data):
    shown = verification_code_display(code)
    typed = data.draw(st.sampled_from([shown, shown.lower(), code.lower(), shown.replace("-", " "), f"  {shown} "]))
    look_alike = data.draw(st.sampled_from([("1", "I"), ("1", "l"), ("0", "O"), ("0", "o"), ("", "")]))
    if look_alike[0]:
        typed = typed.replace(look_alike[0], look_alike[1])
    assert verification_code_read(typed) == code


def test_what_cannot_be_a_code_reads_as_none():
    for typed in ("", "7KD3-9XQ2-M4TB", "7KD39XQ2M4TB0HZE0", "7KD3-9XQ2-M4TB-0HZU", "<script>x</script>"):
        assert verification_code_read(typed) is None, typed
