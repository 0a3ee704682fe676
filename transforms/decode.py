"""Bytes -> text, honestly, or a reject reason saying why not.

Order of trust: a BOM, then the NUL pattern of BOM-less UTF-16, then strict
UTF-8, then a charset the document or its transport declares (HTTP
Content-Type, `<meta charset>`, `<?xml encoding?>`) if the bytes decode
strictly in it, then cp1252 / latin-1 when the result reads like Western text. Mojibake
("FÃ¼r") is repaired with ftfy only when ftfy flags it, and the repair is
recorded as "+ftfy" in the encoding. Nothing is guessed beyond that: a file
that fits none of these is UNDECODABLE, with the offset of its first bad byte.
"""

import codecs
import re
from dataclasses import dataclass
from functools import lru_cache

import ftfy

from transforms.rejects import RejectReason

# BOMs, longest first: the UTF-32-LE BOM starts with the UTF-16-LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

SNIFF_BYTES = 8192  # prefix inspected for the UTF-16 NUL pattern
UTF16_NUL_SHARE = 0.3  # share of NULs in the high-byte lane of ASCII-ish UTF-16
UTF16_OTHER_LANE_MAX = 0.05  # ...and at most this share in the other lane
MAX_CONTROL_SHARE = 0.01  # control chars (not \t \n \r \f) tolerated in text
MAX_CONTROL_ABSOLUTE = 2  # a couple of stray controls never make a file binary
LEGACY_MAX_NON_ASCII = 0.3  # Western text in cp1252/latin-1 is mostly ASCII
LEGACY_MIN_CHARS_FOR_SHARE = 32  # below this the share says nothing
LEGACY_MIN_PLAUSIBLE = 0.9  # non-ASCII chars that are letters or common signs
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")  # category Cc except \t \n \f \r
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
DECLARED_SNIFF_BYTES = 2048
_WESTERN_SINGLE_BYTE = frozenset({"latin-1", "iso8859-1", "cp1252", "iso8859-15", "ascii"})
_DECLARED = re.compile(
    rb"""(?:<meta[^>]{0,200}?charset\s*=\s*["']?|<\?xml[^>]{0,100}?encoding\s*=\s*["'])([A-Za-z0-9._-]{2,40})""",
    re.IGNORECASE,
)
_PLAUSIBLE_SIGNS = frozenset("€‚„…†‡‰‹›‘’“”•–—˜™«»°§©®±µ·¿¡½¼¾×÷¢£¥¤¦¨¯²³¹º ")


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # e.g. "utf-8", "utf-16-le", "cp1252", "utf-8+ftfy"


def decode_bytes(
    data: bytes, declared: str | None = None, repair: bool = True
) -> Decoded | tuple[RejectReason, str]:
    """Decode `data`, or return (reason, detail) when no honest decoding exists.

    `declared` is a charset named by the transport (HTTP); without it, one
    declared in the first bytes (`<meta charset>`, `<?xml encoding?>`) is used.
    `repair=False` leaves mojibake to the caller (HTML repairs the text it
    extracts, not the whole source with its scripts and styles).
    """
    if not data.strip():
        return RejectReason.EMPTY, f"{len(data)} bytes, no text"
    result = _decode_unicode(data)
    if result is None:
        if b"\x00" in data:
            return RejectReason.BINARY, f"NUL byte at {data.index(0)}, not UTF-16/32"
        result = _decode_declared(data, declared or declared_charset(data)) or _decode_legacy(data)
    if not isinstance(result, Decoded):
        return result
    text, encoding = result.text, result.encoding
    if not text.strip():
        return RejectReason.EMPTY, f"only whitespace after decoding as {encoding}"
    if _looks_binary(text):
        return RejectReason.BINARY, f"too many control characters for text ({encoding})"
    return repair_decoded(Decoded(text, encoding)) if repair else Decoded(text, encoding)


def _decode_unicode(data: bytes) -> Decoded | tuple[RejectReason, str] | None:
    """A BOM, the UTF-16 NUL pattern or valid UTF-8; None when none applies."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _strict(data[len(bom) :], codec, offset=len(bom))
    sniffed = _sniff_utf16(data[:SNIFF_BYTES])
    if sniffed is not None:
        return _strict(data, sniffed)
    if b"\x00" in data:
        return None
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        return None


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML/XML document declares in its first bytes, if any."""
    match = _DECLARED.search(data[:DECLARED_SNIFF_BYTES])
    return match.group(1).decode("ascii") if match else None


def _decode_declared(data: bytes, charset: str | None) -> Decoded | None:
    """Strictly in a declared charset that Python knows, other than UTFs (tried before) and the
    Western single-byte ones (any bytes decode in them: the plausibility check of cp1252/latin-1 decides)."""
    codec = _codec_name(charset.strip().lower()) if charset else None
    if codec is None or codec.startswith("utf") or codec in _WESTERN_SINGLE_BYTE:
        return None
    try:
        return Decoded(data.decode(codec), codec)
    except UnicodeError:  # bytes not in the charset, or a codec that never decodes ("undefined")
        return None


@lru_cache(maxsize=64)
def _codec_name(charset: str) -> str | None:
    """Python's name for a declared text encoding; None for unknown names and for the bytes-to-bytes
    or str-to-str codecs Python also registers (rot13, zlib, base64, hex, bz2, uu, quopri)."""
    try:
        info = codecs.lookup(charset)
    except LookupError:
        return None
    return info.name if getattr(info, "_is_text_encoding", True) else None


def _strict(data: bytes, codec: str, offset: int = 0) -> Decoded | tuple[RejectReason, str]:
    try:
        return Decoded(data.decode(codec), codec)
    except UnicodeDecodeError as error:
        return RejectReason.UNDECODABLE, f"invalid {codec} at byte {offset + error.start}"


def _sniff_utf16(head: bytes) -> str | None:
    """BOM-less UTF-16 shows up as NULs in every other byte of mostly-ASCII text."""
    pairs = len(head) // 2
    if pairs < 2:
        return None
    even, odd = head[0 : pairs * 2 : 2].count(0) / pairs, head[1 : pairs * 2 : 2].count(0) / pairs
    if odd >= UTF16_NUL_SHARE and even <= UTF16_OTHER_LANE_MAX:
        return "utf-16-le"
    if even >= UTF16_NUL_SHARE and odd <= UTF16_OTHER_LANE_MAX:
        return "utf-16-be"
    return None


def _decode_legacy(data: bytes) -> Decoded | tuple[RejectReason, str]:
    """cp1252 (latin-1 when no C1-range byte is used) if it reads as Western text."""
    bad_utf8 = _first_bad_utf8(data)
    undecodable = (RejectReason.UNDECODABLE, f"invalid utf-8 at byte {bad_utf8}")
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:  # 0x81 0x8D 0x8F 0x90 0x9D: undefined in cp1252
        return undecodable
    if not _plausible_western(text):
        return undecodable
    uses_c1_range = any(0x80 <= byte <= 0x9F for byte in data)
    return Decoded(text, "cp1252" if uses_c1_range else "latin-1")


def _first_bad_utf8(data: bytes) -> int:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        return error.start
    return -1


def _plausible_western(text: str) -> bool:
    non_ascii = _NON_ASCII.findall(text)
    if len(text) >= LEGACY_MIN_CHARS_FOR_SHARE and len(non_ascii) > LEGACY_MAX_NON_ASCII * len(text):
        return False
    plausible = sum(char.isalpha() or char in _PLAUSIBLE_SIGNS for char in non_ascii)
    return plausible >= LEGACY_MIN_PLAUSIBLE * len(non_ascii)


def _looks_binary(text: str) -> bool:
    controls = len(_CONTROLS.findall(text))
    return controls > max(MAX_CONTROL_ABSOLUTE, MAX_CONTROL_SHARE * len(text))


def repair_mojibake(text: str) -> str:
    """`text` with mojibake ("FÃ¼r") undone when ftfy flags it, else `text` itself."""
    return ftfy.fix_encoding(text) if ftfy.is_bad(text) else text


def repair_decoded(decoded: Decoded) -> Decoded:
    """`decoded` with its mojibake repaired and "+ftfy" added to its encoding, if ftfy changed anything."""
    fixed = repair_mojibake(decoded.text)
    return decoded if fixed == decoded.text else Decoded(fixed, f"{decoded.encoding}+ftfy")
