"""Files of regular expressions, one a line: the dedup and HTML boilerplate lists."""

from collections.abc import Callable
from pathlib import Path

from newsflow.errors import ConfigError


def read_pattern_list(path: Path, compile_check: Callable[[str], object], kind: str, fix: str) -> tuple[str, ...]:
    """The patterns of `path` (blank lines and # comments skipped), each checked by `compile_check`.

    An unreadable file or a pattern `compile_check` raises on is a ConfigError naming the file
    (`kind`: "boilerplate list", …; `fix`: what to do about an unreadable file).
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise ConfigError(f"cannot read the {kind} {path}: {error}", fix=fix) from None
    patterns = tuple(line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#"))
    for number, pattern in enumerate(patterns, start=1):
        try:
            compile_check(pattern)
        except Exception as error:  # noqa: BLE001 -- re.error or PolarsError, by the engine that will run it
            raise ConfigError(
                f"{path}: pattern {number} ({pattern!r}) is not a valid regular expression: {error}",
                fix="escape regex characters such as . ( ) with a backslash",
            ) from None
    return patterns
