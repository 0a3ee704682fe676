"""Publication dates as written by German, English and French outlets -> UTC.

`parse_date` accepts ISO 8601, RFC 822, unix epochs and day/month/year forms
with numeric or named months ("27.02.2019", "27. Februar 2019", "February 27,
2019", "27 février 2019"). Naive times are taken as UTC. Anything else -> None.
"""

import re
import unicodedata
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

# Epochs outside [1973, 2100) are far likelier ids or counters than dates.
EPOCH_MIN_SECONDS = 100_000_000
EPOCH_MAX_SECONDS = 4_102_444_800
EPOCH_MS_FACTOR = 1000

_MONTHS: dict[str, int] = {
    name: number
    for number, names in enumerate(
        [
            "januar jänner jaenner january janvier jan janv",
            "februar feber february fevrier feb febr fev fevr",
            "marz maerz march mars mar mrz",
            "april avril apr avr",
            "mai may",
            "juni june juin jun",
            "juli july juillet jul juil",
            "august aout aug",
            "september septembre sep sept",
            "oktober october octobre okt oct",
            "november novembre nov",
            "dezember december decembre dez dec",
        ],
        start=1,
    )
    for name in names.split()
}
_WORD = r"([a-z]+)\.?"
_TIME = (
    r"(?:\D{0,8}?(\d{1,2})[:h.](\d{2})(?::(\d{2}))?\s*(am|pm)?)?"  # 10:05, 10h05, 10.05
    r"\s*(?:uhr)?\s*(z|utc|gmt|[+-]\d{2}:?\d{2})?"
)
_DAY_MONTH_YEAR = re.compile(rf"(\d{{1,2}})(?:\.|er|st|nd|rd|th)?\s*(?:de\s+)?{_WORD}\s*,?\s*(\d{{4}}){_TIME}")
_MONTH_DAY_YEAR = re.compile(rf"{_WORD}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}}){_TIME}")
_NUMERIC_DMY = re.compile(rf"(\d{{1,2}})[./](\d{{1,2}})[./](\d{{4}}|\d{{2}})(?!\d){_TIME}")
_EPOCH = re.compile(r"\d{9,13}(?:\.\d+)?")


def parse_date(value: str) -> datetime | None:
    """Parse a publication date to a UTC-aware datetime; None when unparseable."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _from_epoch(float(value))
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > 200:
        return None
    for parse in (_parse_epoch, _parse_iso, _parse_rfc822, _parse_written):
        try:
            parsed = parse(text)
        except (ValueError, OverflowError, TypeError, IndexError):
            parsed = None
        if parsed is not None:
            return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    return None


def _parse_epoch(text: str) -> datetime | None:
    return _from_epoch(float(text)) if _EPOCH.fullmatch(text) else None


def _from_epoch(seconds: float) -> datetime | None:
    if seconds >= EPOCH_MAX_SECONDS:
        seconds /= EPOCH_MS_FACTOR
    if not EPOCH_MIN_SECONDS <= seconds < EPOCH_MAX_SECONDS:
        return None
    return datetime.fromtimestamp(seconds, tz=UTC)


def _parse_iso(text: str) -> datetime | None:
    if not re.match(r"\d{4}-\d{2}", text):
        return None
    return datetime.fromisoformat(text.replace(" UTC", "Z"))


def _parse_rfc822(text: str) -> datetime | None:
    if not re.search(r"\d{1,2} [A-Za-z]{3} \d{2,4} \d{1,2}:\d{2}", text):
        return None
    return parsedate_to_datetime(text)


def _parse_written(text: str) -> datetime | None:
    folded = _fold(text)
    if match := _NUMERIC_DMY.search(folded):
        day, month, year, *clock = match.groups()
        return _build(int(year), int(month), int(day), clock)
    if match := _DAY_MONTH_YEAR.search(folded):
        day, month_name, year, *clock = match.groups()
        month = _MONTHS.get(month_name)
        return _build(int(year), month, int(day), clock) if month else None
    if match := _MONTH_DAY_YEAR.search(folded):
        month_name, day, year, *clock = match.groups()
        month = _MONTHS.get(month_name)
        return _build(int(year), month, int(day), clock) if month else None
    return None


def _fold(text: str) -> str:
    """Lowercase and strip accents: "Février" -> "fevrier", "März" -> "marz"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _build(year: int, month: int, day: int, clock: list[str | None]) -> datetime:
    hour, minute, second, meridiem, zone = clock
    if year < 100:
        year += 2000 if year < 70 else 1900
    hour_value = int(hour or 0)
    if meridiem == "pm" and hour_value < 12:
        hour_value += 12
    elif meridiem == "am" and hour_value == 12:
        hour_value = 0
    moment = datetime(year, month, day, hour_value, int(minute or 0), int(second or 0))
    return moment.replace(tzinfo=_zone(zone))


def _zone(zone: str | None) -> timezone:
    if zone is None or zone in {"z", "utc", "gmt"}:
        return UTC
    digits = zone.replace(":", "")
    offset = timedelta(hours=int(digits[1:3]), minutes=int(digits[3:5]))
    return timezone(-offset if digits[0] == "-" else offset)


_TIME_OF_DAY = re.compile(r"\d{1,2}[:h]\d{2}|\d{1,2}\.\d{2}\s*uhr", re.IGNORECASE)


def date_precision(value: object) -> str | None:
    """"time" when a date as written carries a time of day (or is an epoch), "day" when it names the day
    only ("2019-02-27", "27. Februar 2019"); None when it is no date at all."""
    if parse_date(value) is None:
        return None
    if isinstance(value, int | float) or _EPOCH.fullmatch(str(value).strip()):
        return "time"
    return "time" if _TIME_OF_DAY.search(str(value)) else "day"
