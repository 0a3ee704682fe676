"""Errors a user sees: what was wrong, with what input, and what to do.

`TransientError` may succeed on retry (I/O, a busy warehouse); `PermanentError`
never will (bad configuration, a corrupt warehouse). Bad *input* files are not
errors at all: they become rows in `rejects`.
"""


class NewsflowError(Exception):
    code = "NF000"

    def __init__(self, message: str, fix: str | None = None):
        super().__init__(message)
        self.message = message
        self.fix = fix

    def __str__(self) -> str:
        text = f"[{self.code}] {self.message}"
        return f"{text}\n  fix: {self.fix}" if self.fix else text


class TransientError(NewsflowError):
    code = "NF100"


class PermanentError(NewsflowError):
    code = "NF200"


class ConfigError(PermanentError):
    code = "NF201"


class WarehouseBusyError(TransientError):
    code = "NF101"


class WarehouseError(PermanentError):
    code = "NF210"


class WarehouseDamagedError(WarehouseError):
    """The file is there but is not a whole DuckDB database (garbage, truncated, failed checksums): never touched."""

    code = "NF211"


class ReadOnlyQueryError(PermanentError):
    code = "NF220"


class PipelineUnavailableError(PermanentError):
    code = "NF230"


class WarehouseStorageError(WarehouseError):
    """The disk or directory refuses writes (full, over a quota or size limit, read-only): see warehouse/storage.py."""

    code = "NF250"


class WarehouseMemoryError(WarehouseError):
    """DuckDB needed more than `warehouse.memory_limit` for a step it cannot spill to disk: see warehouse/storage.py."""

    code = "NF251"
