"""Unpacking compressed files and archives under limits checked while streaming.

.gz/.bz2/.xz hold one document (multi-stream gzip, as in WARC.gz, included);
.zip and .tar (also .tar.gz/.tgz/.tar.bz2/.tar.xz) hold members, each a source
of its own named "archive.zip!member/path". Nothing is extracted to disk:
member names are labels only, so "../" or absolute names cannot escape.

Every unpacked byte is counted against one `Budget` per input file: the total
(limits.max_decompressed_bytes) and the ratio to the input's size
(limits.max_compression_ratio, once limits.ratio_check_min_bytes were
unpacked). Going over raises `LimitExceeded` at once, mid-stream; the reader
turns it into one reject for the whole input file.
"""

import bz2
import dataclasses
import gzip
import io
import lzma
import tarfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

from transforms.readers.options import ReadOptions
from transforms.rejects import RejectReason
from transforms.safe_text import bytes_safe_name

CHUNK_BYTES = 1 << 16
MEMBER_SEPARATOR = "!"  # "archive.zip!member/path"
SINGLE_STREAM = {
    "gzip": lambda raw: gzip.GzipFile(fileobj=raw),
    "bz2": bz2.BZ2File,
    "xz": lzma.LZMAFile,
}
_MAGIC = (
    (b"\x1f\x8b\x08", "gzip"),  # deflate is gzip's only method
    *((b"BZh" + level, "bz2") for level in (b"1", b"2", b"3", b"4", b"5", b"6", b"7", b"8", b"9")),
    (b"\xfd7zXZ\x00", "xz"),
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),  # empty zip: only the end-of-directory record
)
_SUFFIX_KIND = {".gz": "gzip", ".tgz": "gzip", ".bz2": "bz2", ".xz": "xz", ".zip": "zip", ".tar": "tar"}
_UNPACK_ERRORS = (OSError, EOFError, ValueError, zlib.error, lzma.LZMAError, zipfile.BadZipFile,
                  zipfile.LargeZipFile, tarfile.TarError, NotImplementedError, RuntimeError)  # fmt: skip


class LimitExceeded(Exception):
    """Internal signal: an unpacking limit was hit; caught and turned into a reject by the reader."""

    def __init__(self, reason: RejectReason, detail: str):
        super().__init__(detail)
        self.reason, self.detail = reason, detail


class CorruptContainer(Exception):
    """Internal signal: the bytes do not unpack; caught and turned into a reject by the reader."""


class Budget:
    """Bytes unpacked so far from one input file, against the configured limits."""

    def __init__(self, input_bytes: int, options: ReadOptions):
        self.input_bytes = max(input_bytes, 1)
        self.options = options
        self.unpacked = 0

    def take(self, count: int) -> None:
        self.unpacked += count
        limit = self.options.max_decompressed_bytes
        if self.unpacked > limit:
            raise LimitExceeded(RejectReason.DECOMPRESSED_TOO_LARGE, f"unpacked more than {limit} bytes")
        ratio = self.unpacked / self.input_bytes
        if self.unpacked >= self.options.ratio_check_min_bytes and ratio > self.options.max_compression_ratio:
            detail = (
                f"unpacked {self.unpacked} bytes from {self.input_bytes} (ratio {ratio:.0f} >"
                f" {self.options.max_compression_ratio:g}): a zip bomb?"
            )
            raise LimitExceeded(RejectReason.COMPRESSION_RATIO, detail)


@dataclass(frozen=True)
class Unpacked:
    name: str  # member name as stored (a label, never a file system path)
    data: bytes | None  # None when the member is not a regular file or too large
    problem: tuple[RejectReason, str] | None = None


def container_kind(name: str, data: bytes) -> str | None:
    """gzip | bz2 | xz | zip | tar, by magic bytes first, then by suffix; None for a document."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if data[257:262] == b"ustar":
        return "tar"
    suffix = PurePosixPath(name.lower()).suffix
    return _SUFFIX_KIND.get(suffix) if data else None


def inner_name(name: str) -> str:
    """The name of what a single-stream file holds: a.txt.gz -> a.txt, a.tgz -> a.tar."""
    path = PurePosixPath(name)
    suffix = path.suffix.lower()
    if suffix == ".tgz":
        return str(path.with_suffix(".tar"))
    return str(path.with_suffix("")) if suffix in {".gz", ".bz2", ".xz"} else name


def unpack_stream(kind: str, data: bytes, budget: Budget, cap: int) -> bytes | None:
    """All bytes of a .gz/.bz2/.xz file, counted against the budget as they come; None over `cap`."""
    try:
        with SINGLE_STREAM[kind](io.BytesIO(data)) as handle:
            return _drain(handle, budget, cap=cap)
    except LimitExceeded:
        raise
    except _UNPACK_ERRORS as error:
        raise CorruptContainer(f"{kind}: {type(error).__name__}: {error}") from None


def archive_members(kind: str, data: bytes, budget: Budget, options: ReadOptions) -> Iterator[Unpacked]:
    """Regular-file members of a zip or tar archive, in stored order (directories left out)."""
    members = _zip_members if kind == "zip" else _tar_members
    try:
        for member in members(data, budget, options):  # a latin-1 tar name: its bytes as \xNN
            yield member if member.name.isascii() else dataclasses.replace(member, name=bytes_safe_name(member.name))
    except (LimitExceeded, CorruptContainer):
        raise
    except _UNPACK_ERRORS as error:
        raise CorruptContainer(f"{kind}: {type(error).__name__}: {error}") from None


def _zip_members(data: bytes, budget: Budget, options: ReadOptions) -> Iterator[Unpacked]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = [info for info in archive.infolist() if not info.is_dir()]
        _check_count(len(infos), options)
        for info in infos:
            try:
                with archive.open(info) as handle:  # the declared size is not trusted: bytes are counted
                    content = _drain(handle, budget, cap=options.max_file_bytes)
            except (LimitExceeded, CorruptContainer):
                raise
            except _UNPACK_ERRORS as error:
                yield Unpacked(info.filename, None, (RejectReason.CORRUPT_ARCHIVE, f"{type(error).__name__}: {error}"))
                continue
            yield _member(info.filename, content, options)


def _tar_members(data: bytes, budget: Budget, options: ReadOptions) -> Iterator[Unpacked]:
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:") as archive:
        count = 0
        while (info := archive.next()) is not None:
            if info.isdir():
                continue
            count += 1
            _check_count(count, options)
            if not info.isfile():
                kind = "symlink" if info.issym() else "hard link" if info.islnk() else "special file"
                yield Unpacked(info.name, None, (RejectReason.UNSUPPORTED_MEMBER, f"tar {kind}, not a regular file"))
                continue
            handle = archive.extractfile(info)
            yield _member(info.name, _drain(handle, budget, cap=options.max_file_bytes), options)


def _member(name: str, content: bytes | None, options: ReadOptions) -> Unpacked:
    if content is None:
        return Unpacked(name, None, (RejectReason.TOO_LARGE, f"member over limit {options.max_file_bytes} bytes"))
    return Unpacked(name, content)


def _check_count(count: int, options: ReadOptions) -> None:
    if count > options.max_archive_members:
        detail = f"more than {options.max_archive_members} members"
        raise LimitExceeded(RejectReason.TOO_MANY_MEMBERS, detail)


def _drain(handle, budget: Budget, cap: int | None) -> bytes | None:
    """Read in chunks, counting each; None once more than `cap` bytes came (the rest is not unpacked)."""
    chunks, size = [], 0
    while chunk := handle.read(CHUNK_BYTES):
        budget.take(len(chunk))
        size += len(chunk)
        if cap is not None and size > cap:
            return None
        chunks.append(chunk)
    return b"".join(chunks)
