from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from transforms.dates import parse_date

FEB27 = datetime(2019, 2, 27, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2019-02-27T10:00:00+01:00", datetime(2019, 2, 27, 9, tzinfo=UTC)),
        ("2019-02-27T10:00:00Z", datetime(2019, 2, 27, 10, tzinfo=UTC)),
        ("2019-02-27 10:00:00", datetime(2019, 2, 27, 10, tzinfo=UTC)),  # naive = UTC
        ("2019-02-27T14:05:00+0100", datetime(2019, 2, 27, 13, 5, tzinfo=UTC)),
        ("2019-02-27", FEB27),
        ("27.02.2019", FEB27),
        ("27.2.19", FEB27),
        ("27.02.2019, 14:05 Uhr", datetime(2019, 2, 27, 14, 5, tzinfo=UTC)),
        ("27. Februar 2019", FEB27),
        ("Mittwoch, 27. Februar 2019, 10:15 Uhr", datetime(2019, 2, 27, 10, 15, tzinfo=UTC)),
        ("3. März 2019", datetime(2019, 3, 3, tzinfo=UTC)),
        ("27. Dez. 2019", datetime(2019, 12, 27, tzinfo=UTC)),
        ("February 27, 2019", FEB27),
        ("Feb. 27, 2019 3:05 pm", datetime(2019, 2, 27, 15, 5, tzinfo=UTC)),
        ("27 Feb 2019", FEB27),
        ("27 février 2019", FEB27),
        ("mercredi 27 février 2019 à 10h05", datetime(2019, 2, 27, 10, 5, tzinfo=UTC)),
        ("1er mars 2019", datetime(2019, 3, 1, tzinfo=UTC)),
        ("27 févr. 2019", FEB27),
        ("Wed, 27 Feb 2019 10:00:00 +0100", datetime(2019, 2, 27, 9, tzinfo=UTC)),
        ("Thu, 28 Feb 2019 09:00:00 GMT", datetime(2019, 2, 28, 9, tzinfo=UTC)),
        ("1551258000", datetime(2019, 2, 27, 9, tzinfo=UTC)),
        ("1551258000000", datetime(2019, 2, 27, 9, tzinfo=UTC)),  # milliseconds
    ],
)
def test_parses_to_utc(value, expected):
    parsed = parse_date(value)
    assert parsed == expected
    assert parsed.utcoffset().total_seconds() == 0


@pytest.mark.parametrize(
    "value", ["", "   ", "garbage", "31.02.2019", "27. Foo 2019", "2019-13-45", "12", "0", "null", "99999999999999999"]
)
def test_garbage_is_none(value):
    assert parse_date(value) is None


def test_numbers_are_epochs():
    assert parse_date(1551258000) == datetime(2019, 2, 27, 9, tzinfo=UTC)


@given(st.text(max_size=80))
def test_never_raises(value):
    parsed = parse_date(value)
    assert parsed is None or parsed.tzinfo is not None
