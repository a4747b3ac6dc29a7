"""SMS segments: GSM-7 (160, then 153 a part) or UCS-2 (70, then 67), and shortening."""

from hypothesis import given
from hypothesis import strategies as st

from portal.messages.sms_text import fit_sms, is_gsm, segments


def test_french_with_accents_of_the_gsm_alphabet_is_gsm7():
    text = "Réunion à l’école"  # the typographic apostrophe is not GSM
    assert not is_gsm(text)
    assert is_gsm("Réunion à l'école Jules Ferry, mardi à 18 h")


def test_gsm7_segments():
    assert segments("a" * 160) == 1
    assert segments("a" * 161) == 2
    assert segments("a" * 306) == 2
    assert segments("a" * 307) == 3
    assert segments("€" * 80) == 1  # the extension table counts twice
    assert segments("€" * 81) == 2


def test_arabic_is_ucs2_seventy_a_segment():
    assert segments("م" * 70) == 1
    assert segments("م" * 71) == 2
    assert segments("م" * 134) == 2
    assert segments("م" * 135) == 3
    assert segments("a" * 69 + "œ") == 1  # one character outside GSM: the whole text is UCS-2
    assert segments("a" * 70 + "œ") == 2


def test_long_text_is_shortened_between_words():
    text = " ".join(["quartier"] * 60)
    short = fit_sms(text, 1)
    assert segments(short) == 1 and short.endswith("...")
    assert short[:-3].split(" ") == ["quartier"] * len(short[:-3].split(" "))


@given(st.lists(st.sampled_from(["Alma", "مرحبا", "réunion", "l’école", "18h", "Épeule"]),
                min_size=1, max_size=120), st.integers(min_value=1, max_value=4))
def test_fitted_text_never_passes_the_limit_nor_cuts_a_word(words, limit):
    text = " ".join(words)
    fitted = fit_sms(text, limit)
    assert segments(fitted) <= limit
    if fitted != text:
        kept = fitted.removesuffix("...").split(" ")
        assert kept == words[:len(kept)]
