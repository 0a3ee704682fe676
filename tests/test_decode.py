import codecs

import pytest
from hypothesis import given
from hypothesis import strategies as st

from transforms.decode import Decoded, decode_bytes
from transforms.rejects import RejectReason

GERMAN = "Für die Bürger: „Wir begrüßen das Treffen“ – sagte der Außenminister."


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (GERMAN.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + GERMAN.encode("utf-8"), "utf-8-sig"),
        (GERMAN.encode("utf-16"), "utf-16-le"),  # CPython writes a LE BOM
        (codecs.BOM_UTF16_BE + GERMAN.encode("utf-16-be"), "utf-16-be"),
        (GERMAN.encode("utf-32"), "utf-32-le"),
        (GERMAN.encode("utf-16-le"), "utf-16-le"),  # no BOM: NUL pattern
        (GERMAN.encode("utf-16-be"), "utf-16-be"),
        (GERMAN.encode("cp1252"), "cp1252"),  # „ “ – live in 0x80-0x9F
    ],
)
def test_decodes_unicode_and_cp1252(data, encoding):
    assert decode_bytes(data) == Decoded(GERMAN, encoding)


def test_latin1_only_when_no_c1_bytes_are_used():
    text = "Größere Städte in Österreich: Zürich ist nicht dabei."
    assert decode_bytes(text.encode("latin-1")) == Decoded(text, "latin-1")


def test_mojibake_is_repaired_and_recorded():
    mojibake = "Für die Bürger".encode().decode("cp1252").encode("utf-8")
    assert mojibake.decode("utf-8") == "FÃ¼r die BÃ¼rger"
    assert decode_bytes(mojibake) == Decoded("Für die Bürger", "utf-8+ftfy")


def test_mojibake_is_left_to_the_caller_without_repair():
    mojibake = "Für die Bürger".encode().decode("latin-1").encode()
    assert decode_bytes(mojibake, repair=False) == Decoded("FÃ¼r die BÃ¼rger", "utf-8")


def test_correct_text_is_not_touched_by_ftfy():
    assert decode_bytes("Ça va, l’été à Paris".encode()) == Decoded("Ça va, l’été à Paris", "utf-8")


@pytest.mark.parametrize("data", [b"", b"   \n\t ", codecs.BOM_UTF8 + b"  ", "  \n".encode("utf-16")])
def test_empty_or_whitespace_is_empty(data):
    reason, _ = decode_bytes(data)
    assert reason is RejectReason.EMPTY


def test_nul_bytes_outside_utf16_are_binary():
    assert decode_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(range(1, 200))) == (
        RejectReason.BINARY,
        "NUL byte at 7, not UTF-16/32",
    )


def test_control_characters_are_binary():
    reason, detail = decode_bytes(b"abc\x01\x02\x03\x04\x05\x06def")
    assert reason is RejectReason.BINARY
    assert "control characters" in detail


def test_undefined_cp1252_byte_is_undecodable_with_offset():
    data = b"Hallo Welt, " + b"\x81" + b" weiter"
    assert decode_bytes(data) == (RejectReason.UNDECODABLE, "invalid utf-8 at byte 12")


def test_cyrillic_cp1251_is_not_passed_off_as_cp1252():
    data = "Президент Трамп встретился с Ким Чен Ыном в Ханое".encode("cp1251")
    assert decode_bytes(data) == (RejectReason.UNDECODABLE, "invalid utf-8 at byte 0")


def test_broken_utf16_after_bom_reports_offset():
    assert decode_bytes(codecs.BOM_UTF16_LE + "ab".encode("utf-16-le") + b"\x00\xd8") == (
        RejectReason.UNDECODABLE,
        "invalid utf-16-le at byte 6",
    )


@given(st.binary(max_size=2000))
def test_arbitrary_bytes_decode_or_give_a_reason(data):
    result = decode_bytes(data)
    if isinstance(result, Decoded):
        assert result.text.strip()
    else:
        reason, detail = result
        assert isinstance(reason, RejectReason) and detail


@given(
    st.text(st.characters(exclude_categories=["Cc", "Cs"]), min_size=1).filter(lambda t: t.strip() and t[0] != "\ufeff")
)
def test_utf8_text_without_controls_round_trips(text):
    result = decode_bytes(text.encode("utf-8"))
    assert isinstance(result, Decoded)
    assert result.encoding in {"utf-8", "utf-8+ftfy"}
    if result.encoding == "utf-8":
        assert result.text == text


# --- declared charsets (issue 4) -----------------------------------------------------------

RUSSIAN_PAGE = (
    '<html><head><meta charset="windows-1251"><title>Саммит</title></head>'
    "<body><p>Президент Путин встретился с Ким Чен Ыном во Владивостоке.</p></body></html>"
)


def test_a_declared_non_western_charset_is_used_when_the_bytes_fit_it():
    result = decode_bytes(RUSSIAN_PAGE.encode("cp1251"))
    assert result == Decoded(RUSSIAN_PAGE, "cp1251")


def test_a_transport_charset_wins_over_none_in_the_document():
    text = "Ким Чен Ын прибыл в Ханой на бронепоезде."
    assert decode_bytes(text.encode("koi8-r"), "KOI8-R") == Decoded(text, "koi8-r")


def test_utf8_bytes_stay_utf8_whatever_is_declared():
    page = RUSSIAN_PAGE.replace("windows-1251", "iso-8859-5")
    assert decode_bytes(page.encode("utf-8")).encoding == "utf-8"


def test_a_declared_latin1_does_not_bypass_the_western_plausibility_check():
    data = b'<meta charset="iso-8859-1">' + bytes(range(0xA0, 0x100)) * 4
    reason, detail = decode_bytes(data)
    assert reason is RejectReason.UNDECODABLE and detail.startswith("invalid utf-8 at byte")
