"""Checks before a run or a served schedule starts anything (Prefect, the warehouse file).

A missing input, a bad config file or a language without a pipeline is found
here in milliseconds, not after Prefect started and the warehouse was created.
"""

import os
from collections.abc import Sequence
from pathlib import Path

from newsflow.errors import ConfigError
from newsflow.settings import Settings, load_settings


def settings_for(config: str | None, languages: Sequence[str] | None) -> Settings:
    """The run's settings: the config file, then the `languages` parameter (its first is the
    default language when the configured default is not among them)."""
    settings = load_settings(config)
    if not languages:
        return settings
    overrides: dict[str, object] = {"language.languages": list(languages)}
    if settings.language.default not in languages:
        overrides["language.default"] = languages[0]
    return load_settings(config, overrides=overrides)


def check_run_inputs(paths: Sequence[str], config: str | None, languages: Sequence[str] | None) -> Settings:
    """The settings of a run over `paths`, or a ConfigError naming what is wrong."""
    settings = settings_for(config, languages)
    missing = [path for path in (paths or settings.input.paths) if not os.path.lexists(Path(path).expanduser())]
    if missing:
        where = "given" if paths else "configured in input.paths"
        raise ConfigError(
            f"input not found: {', '.join(missing)} ({where})",
            fix="name existing files or directories (relative paths are read from the current directory)",
        )
    return settings
