"""Encoding repair of imported notes: both kinds of mojibake reversed, correct text left alone."""

import ftfy.bad_codecs  # noqa: F401 - registers 'sloppy-windows-1252', as email clients decode
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deckbuilder.importer.mojibake import MAC_ROMAN, WINDOWS_1252, decode_bytes, repair_line, repair_lines


@pytest.mark.parametrize("broken, fixed", [
    ("*Amazon app ‚Üí lipstick ‚Üí camera*", "*Amazon app → lipstick → camera*"),
    ("**L'Or√©al, Maybelline, Revlon, MAC**", "**L'Oréal, Maybelline, Revlon, MAC**"),
    ("- ‚ùå **Pipelines deprecating**", "- ❌ **Pipelines deprecating**"),
    ("## \uf8ffüìã VTO PROJECT", "## 📋 VTO PROJECT"),
    ("## ‚ö†Ô∏è FINAL REMINDERS", "## ⚠\ufe0f FINAL REMINDERS"),
    ("extraction ‚Üí 3D model‚Äîrendering", "extraction → 3D model—rendering"),
])
def test_mac_roman_mojibake_is_reversed(broken, fixed):
    assert repair_line(broken) == (fixed, MAC_ROMAN)


@pytest.mark.parametrize("broken, fixed", [
    ("go to lipstick product â†’ click", "go to lipstick product → click"),
    ("brands (L'OrÃ©al, Maybelline, etc.)", "brands (L'Oréal, Maybelline, etc.)"),
    ("## ðŸŽ¯ USAGE GUIDE", "## 🎯 USAGE GUIDE"),
    ("products**â€”**foundations", "products**—**foundations"),
    ("âœ… **Technical Artists FIRST**", "✅ **Technical Artists FIRST**"),
    ("## âš\xa0 FINAL", "## ⚠ FINAL"),  # ftfy leaves this one (the no-break space): our reversal
])
def test_windows_1252_mojibake_is_reversed(broken, fixed):
    assert repair_line(broken) == (fixed, WINDOWS_1252)


def test_mojibake_next_to_correct_text_on_one_line():
    # a line can hold a correct arrow and a broken one (the seeds do)
    assert repair_line("*catalog* → **My pipeline** ‚Üí team — done")[0] == "*catalog* → **My pipeline** → team — done"


@pytest.mark.parametrize("text", [
    "Łódź", "—", "é", "Café in Łódź — “quoted” ‘single’ naïve", "São Paulo – Zürich", "°C ±5 ≤ ≥ ×",
    "東京 and Ελληνικά and Русский", "✅ done → next", "«élan» …été", "“étude”", "Straße", "🎯 emoji 📋",
])
def test_correct_text_is_left_alone(text):
    assert repair_line(text) == (text, None)


# Characters people write in notes: accented Latin, dashes, quotes, arrows, symbols, emoji.
_ALPHABET = list("abcXYZ 12.,:-") + list("éèêëüöäñçåøóúíáàÉÖÜŁłźżśęą—–“”‘’«»…→←°±×•·✅❌⚠") + ["🎯", "📋", "🚀"]
_texts = st.text(alphabet=_ALPHABET, min_size=1, max_size=40)


@settings(max_examples=150, deadline=None)
@given(_texts)
def test_property_correct_text_is_never_changed(text):
    assert repair_line(text)[0] == text


@settings(max_examples=150, deadline=None)
@given(_texts)
def test_property_mac_roman_mojibake_round_trips(text):
    broken = text.encode("utf-8").decode("mac_roman")
    assert repair_line(broken)[0] == text


# ftfy leaves a lone two-byte sequence it finds ambiguous (``Ä…`` for ą may be correct
# text), and so do we: the Polish letters below are mojibake'd to such pairs.
_W1252_ALPHABET = [c for c in _ALPHABET if c not in "łśęąźż"]


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=_W1252_ALPHABET, min_size=1, max_size=40))
def test_property_windows_1252_mojibake_round_trips(text):
    broken = text.encode("utf-8").decode("sloppy-windows-1252")
    assert repair_line(broken)[0] == text


def test_repair_lines_counts_lines_by_kind():
    lines = ["fine", "a ‚Üí b", "c â†’ d", "Łódź", "e ‚Üí f ‚Üí g"]
    fixed, stats = repair_lines(lines)
    assert fixed == ["fine", "a → b", "c → d", "Łódź", "e → f → g"]
    assert stats.by_kind == {MAC_ROMAN: [2, 5], WINDOWS_1252: [3]}
    assert stats.lines == [2, 3, 5]


def test_files_that_are_not_utf8_are_read_as_windows_1252():
    assert decode_bytes("L'Oréal → ok".encode()) == "L'Oréal → ok"
    assert decode_bytes("caf\xe9".encode("cp1252")) == "café"
    assert decode_bytes("\ufeffbom".encode("utf-8")) == "bom"
