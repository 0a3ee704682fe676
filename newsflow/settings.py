"""Layered configuration parsed once into a frozen, typed settings object.

Precedence, lowest first: `configs/default.toml` (every default, visible),
an override file (`--config`), then `NEWSFLOW_<TABLE>__<KEY>` environment
variables. An unknown key or a value of the wrong type is a `ConfigError`
that names the key.
"""

import dataclasses
import hashlib
import json
import os
import re
import tomllib
import types
import typing
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from newsflow.errors import ConfigError

PROJECT_DIR = Path(__file__).resolve().parents[1]
CONFIG_DIR = PROJECT_DIR / "configs"
DEFAULT_CONFIG = CONFIG_DIR / "default.toml"
ENV_PREFIX = "NEWSFLOW_"
SPACY_MAX_LENGTH = 1_000_000  # spaCy refuses longer texts (E088): limits.max_text_chars stays within it


@dataclass(frozen=True)
class InputSettings:
    paths: tuple[str, ...]
    include: tuple[str, ...]
    exclude: tuple[str, ...]
    trust_mtime: bool
    follow_links_outside: bool


@dataclass(frozen=True)
class LimitSettings:
    max_file_bytes: int
    max_json_depth: int
    min_text_chars: int
    max_decompressed_bytes: int
    max_compression_ratio: float
    ratio_check_min_bytes: int
    max_archive_members: int
    max_archive_depth: int
    max_items_per_file: int
    rejects_per_reason: int
    read_seconds_per_file: float
    max_text_chars: int


@dataclass(frozen=True)
class CsvSettings:
    delimiter: str
    quote_char: str
    has_header: bool
    column_names: tuple[str, ...]
    columns: Mapping[str, str]


@dataclass(frozen=True)
class HtmlSettings:
    fallback_below_chars: int
    fallback_ratio: float
    boilerplate_file: str  # relative to configs/

    @property
    def boilerplate_path(self) -> Path:
        return (CONFIG_DIR / self.boilerplate_file).resolve()


@dataclass(frozen=True)
class MetadataSettings:
    manifests: tuple[str, ...]


@dataclass(frozen=True)
class PipelineSettings:
    batch_size: int
    io_retries: int
    io_retry_delay_seconds: float


@dataclass(frozen=True)
class LanguageSettings:
    languages: tuple[str, ...]
    default: str
    min_confidence: float
    override_declared_confidence: float  # the text's language beats a declared one at this confidence


@dataclass(frozen=True)
class PipelineChoice:
    models: tuple[str, ...]
    fallback: str
    keep: tuple[str, ...] = ()  # statistical model components kept besides "ner" ("parser")


@dataclass(frozen=True)
class NlpSettings:
    pipe_batch_size: int
    kb_dir: str
    ner_models_dir: str
    pipelines: Mapping[str, PipelineChoice]

    @property
    def kb_path(self) -> Path:
        return (CONFIG_DIR / self.kb_dir).resolve()

    @property
    def ner_models_path(self) -> Path | None:
        return (CONFIG_DIR / self.ner_models_dir).resolve() if self.ner_models_dir else None


@dataclass(frozen=True)
class OrchestrationSettings:
    task_runner: str  # "thread" | "process" | "dask": where process-batch-N runs
    process_min_files: int  # "process": fewer files to read -> the thread
    batches_in_flight: int
    dask_address: str  # empty: a local cluster per run
    dask_workers: int
    dask_threads_per_worker: int


@dataclass(frozen=True)
class ScheduleSettings:
    deployment: str
    cron: str
    interval_seconds: int
    timezone: str


@dataclass(frozen=True)
class WarehouseSettings:
    path: str
    read_timeout_seconds: float
    snapshot_interval_seconds: float  # republish the read snapshot during a run at most this often
    memory_limit: str  # DuckDB memory limit of a run's connections ("384MB"); "" = DuckDB's default

    def __post_init__(self) -> None:
        if self.memory_limit and not re.fullmatch(r"\d+(\.\d+)?\s*(K|M|G|T)?i?B", self.memory_limit, re.IGNORECASE):
            raise ConfigError(
                "config key 'warehouse.memory_limit' must be a size like \"384MB\" or \"2GiB\" (or \"\"), "
                f"got {self.memory_limit!r}"
            )


@dataclass(frozen=True)
class SearchSettings:
    stemmer: str  # DuckDB fts stemmer: german, english, french, ..., none
    snippet_chars: int


@dataclass(frozen=True)
class DedupSettings:
    shingle_size: int
    num_perm: int
    bands: int
    rows: int
    threshold: float
    seed: int
    max_bucket: int
    agencies_file: str  # relative to configs/
    boilerplate_file: str  # relative to configs/

    def __post_init__(self) -> None:
        if min(self.shingle_size, self.num_perm, self.bands, self.rows, self.max_bucket) <= 0:
            raise ConfigError("config keys dedup.shingle_size, num_perm, bands, rows and max_bucket must be positive")
        if self.bands * self.rows != self.num_perm:
            raise ConfigError(
                f"dedup.bands x dedup.rows ({self.bands} x {self.rows}) must equal dedup.num_perm ({self.num_perm})"
            )
        if not 0.0 < self.threshold <= 1.0:
            raise ConfigError(f"config key 'dedup.threshold' must be in (0, 1], got {self.threshold}")

    @property
    def agencies_path(self) -> Path:
        return (CONFIG_DIR / self.agencies_file).resolve()

    @property
    def boilerplate_path(self) -> Path:
        return (CONFIG_DIR / self.boilerplate_file).resolve()


@dataclass(frozen=True)
class QuoteSettings:
    speech_verbs_dir: str  # relative to configs/: <lang>.txt cue lists

    @property
    def speech_verbs_path(self) -> Path:
        return (CONFIG_DIR / self.speech_verbs_dir).resolve()


@dataclass(frozen=True)
class SummitSettings:
    file: str  # relative to configs/
    min_score: float

    @property
    def path(self) -> Path:
        return (CONFIG_DIR / self.file).resolve()


@dataclass(frozen=True)
class KeytermSettings:
    per_article: int
    per_summit: int
    max_words: int


@dataclass(frozen=True)
class Settings:
    input: InputSettings
    limits: LimitSettings
    csv: CsvSettings
    html: HtmlSettings
    metadata: MetadataSettings
    json_fields: Mapping[str, tuple[str, ...]]
    pipeline: PipelineSettings
    language: LanguageSettings
    nlp: NlpSettings
    warehouse: WarehouseSettings
    search: SearchSettings
    orchestration: OrchestrationSettings
    schedule: ScheduleSettings
    dedup: DedupSettings
    quotes: QuoteSettings
    summits: SummitSettings
    keyterms: KeytermSettings
    config_hash: str  # digest of the merged configuration, recorded per run


CHOICES = {"fallback": ("embedded", "fail"), "task_runner": ("thread", "process", "dask")}


def load_settings(
    config_file: str | Path | None = None,
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[str, object] | None = None,
) -> Settings:
    """Merge default, file, environment and explicit overrides; validate."""
    merged = _read_toml(DEFAULT_CONFIG)
    sources: dict[str, str] = {}  # dotted key -> the file or variable that set it last
    if config_file is not None:
        _merge(merged, _read_toml(Path(config_file)), where=f"config file {config_file}", sources=sources)
    for name, value in _env_overrides(os.environ if environ is None else environ).items():
        _merge(merged, value, where=f"environment variable {name}", sources=sources)
    if overrides:
        _merge(merged, _nest(overrides), where="overrides", sources=sources)
    digest = hashlib.blake2b(json.dumps(merged, sort_keys=True, default=str).encode(), digest_size=8)
    data = {**merged, "config_hash": digest.hexdigest()}
    try:
        settings = _build(Settings, data, "")
        _check(settings)
    except ConfigError as error:
        raise _with_source(error, sources) from None
    return settings


def _with_source(error: ConfigError, sources: Mapping[str, str]) -> ConfigError:
    """The error naming the file or NEWSFLOW_* variable that set the offending key, with how to fix it there."""
    named = [key for key in sources if f"'{key}'" in error.message or f"'{key}[]'" in error.message]
    if not named:
        return error
    where = sources[max(named, key=len)]
    if where.startswith("environment variable "):
        fix = f"set {where.removeprefix('environment variable ')} to a value of the right type (parsed as TOML: " \
            "numbers and true/false bare, lists in brackets) or unset it"
    else:
        fix = f"correct the key in {where.removeprefix('config file ')} (configs/default.toml shows every key with a valid value)"
    return ConfigError(f"{error.message} (set by {where})", fix=error.fix or fix)


def _read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}", fix="check the --config path") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"config file {path} is not valid TOML: {error}") from None


def _env_overrides(environ: Mapping[str, str]) -> dict[str, dict]:
    """Variable name -> its override: NEWSFLOW_WAREHOUSE__PATH=x -> {"warehouse": {"path": x}}; values parsed as TOML."""
    found = {}
    for name, raw in sorted(environ.items()):
        if not name.startswith(ENV_PREFIX) or "__" not in name:
            continue
        dotted = name[len(ENV_PREFIX) :].lower().replace("__", ".")
        found[name] = _nest({dotted: _parse_env_value(raw)})
    return found


def _parse_env_value(raw: str) -> object:
    try:
        return tomllib.loads(f"value = {raw}")["value"]
    except tomllib.TOMLDecodeError:
        return raw  # a bare string such as a path


def _nest(flat: Mapping[str, object]) -> dict:
    nested: dict = {}
    for dotted, value in flat.items():
        node = nested
        *parents, leaf = dotted.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    return nested


def _merge(base: dict, update: Mapping, where: str, prefix: str = "", sources: dict | None = None) -> None:
    """Deep-merge `update` into `base`; only new languages under nlp.pipelines may be added.
    `sources` records which `where` set each dotted key."""
    for key, value in update.items():
        dotted = f"{prefix}{key}"
        if sources is not None:
            sources[dotted] = where
        if key not in base:
            if prefix != "nlp.pipelines.":
                raise ConfigError(f"unknown config key {dotted!r} (from {where})", fix=_known_keys_hint(base))
            base[key] = dict(value) if isinstance(value, Mapping) else value
        elif isinstance(value, Mapping) and isinstance(base[key], dict):
            _merge(base[key], value, where, prefix=f"{dotted}.", sources=sources)
        else:
            base[key] = value


def _known_keys_hint(table: Mapping) -> str:
    return "known keys here: " + ", ".join(sorted(table))


def _build(cls: type, data: object, prefix: str):
    """Instantiate dataclass `cls` from nested dicts, checking keys and types."""
    if not isinstance(data, Mapping):
        raise ConfigError(f"config key {prefix.rstrip('.') or '(root)'!r} must be a table")
    fields = {field.name: field for field in dataclasses.fields(cls)}
    unknown = set(data) - set(fields)
    if unknown:
        raise ConfigError(f"unknown config key {prefix + sorted(unknown)[0]!r}", fix=_known_keys_hint(fields))
    hints = typing.get_type_hints(cls)
    values = {}
    for name in fields:
        if name not in data and fields[name].default is not dataclasses.MISSING:
            continue
        if name not in data:
            raise ConfigError(f"missing config key {prefix + name!r}", fix="add it to the config (see configs/default.toml)")
        values[name] = _coerce(hints[name], data[name], prefix + name)
    return cls(**values)


def _coerce(hint, value, key: str):
    origin = typing.get_origin(hint)
    if dataclasses.is_dataclass(hint):
        return _build(hint, value, key + ".")
    if origin is tuple:
        if not isinstance(value, list):
            raise ConfigError(f"config key {key!r} must be a list, got {value!r}")
        (item_type, _) = typing.get_args(hint)
        return tuple(_coerce(item_type, item, f"{key}[]") for item in value)
    if origin in (Mapping, dict) or origin is typing.get_origin(Mapping[str, int]):
        if not isinstance(value, Mapping):
            raise ConfigError(f"config key {key!r} must be a table")
        _, value_type = typing.get_args(hint)
        return types.MappingProxyType({k: _coerce(value_type, v, f"{key}.{k}") for k, v in value.items()})
    if hint is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if hint is bool and not isinstance(value, bool) or hint is not bool and isinstance(value, bool):
        raise ConfigError(f"config key {key!r} must be {hint.__name__}, got {value!r}")
    if not isinstance(value, hint):
        raise ConfigError(f"config key {key!r} must be {hint.__name__}, got {value!r}")
    leaf = key.rsplit(".", 1)[-1]
    if leaf in CHOICES and value not in CHOICES[leaf]:
        raise ConfigError(f"config key {key!r} must be one of {CHOICES[leaf]}, got {value!r}")
    return value


def _check_csv(csv: CsvSettings) -> None:
    if csv.delimiter != "auto" and len(csv.delimiter) != 1:
        raise ConfigError(f"config key 'csv.delimiter' must be one character or \"auto\", got {csv.delimiter!r}")
    if len(csv.quote_char) > 1:
        raise ConfigError(f"config key 'csv.quote_char' must be one character (or empty: no quoting), got {csv.quote_char!r}")
    if not csv.has_header and not csv.column_names:
        raise ConfigError("config key 'csv.has_header' is false but 'csv.column_names' is empty", fix="name the columns")


def _check(settings: Settings) -> None:
    """Cross-field rules that types alone cannot express."""
    positive = {
        "limits.max_file_bytes": settings.limits.max_file_bytes,
        "pipeline.batch_size": settings.pipeline.batch_size,
        "nlp.pipe_batch_size": settings.nlp.pipe_batch_size,
        "limits.max_decompressed_bytes": settings.limits.max_decompressed_bytes,
        "limits.max_compression_ratio": settings.limits.max_compression_ratio,
        "limits.max_archive_members": settings.limits.max_archive_members,
        "limits.max_archive_depth": settings.limits.max_archive_depth,
        "html.fallback_ratio": settings.html.fallback_ratio,
        "limits.max_items_per_file": settings.limits.max_items_per_file,
        "limits.rejects_per_reason": settings.limits.rejects_per_reason,
        "limits.max_text_chars": settings.limits.max_text_chars,
    }
    for key, value in positive.items():
        if value <= 0:
            raise ConfigError(f"config key {key!r} must be positive, got {value}")
    if settings.limits.max_text_chars > SPACY_MAX_LENGTH:
        raise ConfigError(
            f"config key 'limits.max_text_chars' must be at most {SPACY_MAX_LENGTH:,} (spaCy's max_length), "
            f"got {settings.limits.max_text_chars:,}"
        )
    _check_csv(settings.csv)
    languages = settings.language.languages
    if settings.language.default not in languages:
        raise ConfigError(
            f"config key 'language.default' ({settings.language.default!r}) is not in language.languages {list(languages)}"
        )
    _check_orchestration(settings)
    missing = [lang for lang in languages if lang not in settings.nlp.pipelines]
    if missing:
        raise ConfigError(
            f"no pipeline configured for language(s) {missing}", fix="add [nlp.pipelines.<lang>] with models and fallback"
        )


def _check_orchestration(settings: Settings) -> None:
    """Positive worker counts; exactly one schedule (cron or interval) in a known time zone."""
    orchestration, schedule = settings.orchestration, settings.schedule
    for key in ("batches_in_flight", "dask_workers", "dask_threads_per_worker"):
        if getattr(orchestration, key) <= 0:
            raise ConfigError(f"config key 'orchestration.{key}' must be positive, got {getattr(orchestration, key)}")
    if bool(schedule.cron.strip()) == (schedule.interval_seconds > 0):
        raise ConfigError(
            f"set exactly one of 'schedule.cron' ({schedule.cron!r}) and 'schedule.interval_seconds' "
            f"({schedule.interval_seconds})",
            fix='e.g. cron = "0 * * * *" and interval_seconds = 0, or cron = "" and interval_seconds = 900',
        )
    try:
        zoneinfo.ZoneInfo(schedule.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"config key 'schedule.timezone' is not a known time zone: {schedule.timezone!r}",
            fix='use an IANA name such as "UTC" or "Europe/Berlin"',
        ) from None
