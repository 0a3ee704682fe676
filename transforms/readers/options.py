"""What the readers need to know from the configuration, as one frozen value.

`ReadOptions()` mirrors configs/default.toml (a test keeps the two equal);
the flow builds the real one with `ReadOptions.from_settings`.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import MappingProxyType

from transforms.pattern_lists import read_pattern_list

DEFAULT_HTML_BOILERPLATE = Path(__file__).resolve().parents[2] / "configs" / "html_boilerplate.txt"


def read_line_patterns(path: Path) -> tuple[str, ...]:
    """Python regular expressions, one a line (transforms/pattern_lists.py)."""
    return read_pattern_list(path, re.compile, "pattern list", fix="restore the file or fix its path")


@dataclass(frozen=True)
class HtmlOptions:
    fallback_below_chars: int = 2000  # a precise text shorter than this is compared with a recall extraction
    fallback_ratio: float = 0.5  # ... (so is one shorter than this share of the page's paragraph text)
    # and replaced by it when shorter than this share of the recall text
    boilerplate: tuple[str, ...] = field(default_factory=lambda: read_line_patterns(DEFAULT_HTML_BOILERPLATE))

    @cached_property
    def _boilerplate_regexes(self) -> tuple[re.Pattern, ...]:
        return tuple(re.compile(pattern) for pattern in self.boilerplate)

    def is_boilerplate(self, block: str) -> bool:
        """A paragraph that is wholly one configured boilerplate line ("Titelbild: …", a photo credit)."""
        stripped = block.strip()
        return any(regex.fullmatch(stripped) for regex in self._boilerplate_regexes)


@dataclass(frozen=True)
class CsvOptions:
    delimiter: str = "auto"  # or one character; .tsv is always tab
    quote_char: str = '"'
    has_header: bool = True
    column_names: tuple[str, ...] = ()  # names for the columns (required when has_header is false)
    columns: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))  # field -> column, "" = auto


@dataclass(frozen=True)
class ReadOptions:
    max_file_bytes: int = 50_000_000
    max_json_depth: int = 64
    max_decompressed_bytes: int = 500_000_000
    max_compression_ratio: float = 200.0
    ratio_check_min_bytes: int = 1_000_000
    max_archive_members: int = 20_000
    max_archive_depth: int = 4
    max_items_per_file: int = 10_000
    rejects_per_reason: int = 100
    read_seconds_per_file: float = 60.0
    field_map: Mapping[str, Sequence[str]] | None = None  # JSON field -> candidate keys (overrides)
    csv: CsvOptions = field(default_factory=CsvOptions)
    html: HtmlOptions = field(default_factory=HtmlOptions)

    @classmethod
    def from_settings(cls, settings) -> "ReadOptions":
        """From newsflow.settings.Settings (limits and csv tables)."""
        limits, csv, html = settings.limits, settings.csv, settings.html
        json_fields = {name: tuple(keys) for name, keys in settings.json_fields.items() if keys}
        return cls(
            field_map=MappingProxyType(json_fields) if json_fields else None,
            max_file_bytes=limits.max_file_bytes,
            max_json_depth=limits.max_json_depth,
            max_decompressed_bytes=limits.max_decompressed_bytes,
            max_compression_ratio=limits.max_compression_ratio,
            ratio_check_min_bytes=limits.ratio_check_min_bytes,
            max_archive_members=limits.max_archive_members,
            max_archive_depth=limits.max_archive_depth,
            html=HtmlOptions(
                fallback_below_chars=html.fallback_below_chars,
                fallback_ratio=html.fallback_ratio,
                boilerplate=read_line_patterns(html.boilerplate_path),
            ),
            max_items_per_file=limits.max_items_per_file,
            rejects_per_reason=limits.rejects_per_reason,
            read_seconds_per_file=limits.read_seconds_per_file,
            csv=CsvOptions(
                delimiter=csv.delimiter,
                quote_char=csv.quote_char,
                has_header=csv.has_header,
                column_names=tuple(csv.column_names),
                columns=MappingProxyType({name: column for name, column in csv.columns.items() if column}),
            ),
        )
