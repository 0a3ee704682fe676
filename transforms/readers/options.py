"""What the readers need to know from the configuration, as one frozen value.

`ReadOptions()` mirrors configs/default.toml (a test keeps the two equal);
the flow builds the real one with `ReadOptions.from_settings`.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType


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

    @classmethod
    def from_settings(cls, settings) -> "ReadOptions":
        """From newsflow.settings.Settings (limits and csv tables)."""
        limits, csv = settings.limits, settings.csv
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
