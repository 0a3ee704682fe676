"""WARC files (Common Crawl, CC-NEWS) via warcio: one article per HTML page.

Each `response` (or `resource`) record with HTTP status 200 and an HTML
content type is read like an HTML page; its url is the WARC-Target-URI and
its fetched_at the WARC-Date. Other responses (redirects, 404s, images, PDFs)
are SKIPPED_RECORD rejects, counted but not errors (files.skipped).
Request, metadata, warcinfo and revisit records hold no page and are passed
over. Items are keyed "@<byte offset of the record>" in the uncompressed WARC
(a .warc.gz is unpacked under the archive limits first). A file that stops
parsing keeps the records read before the break, and the break is a reject.
"""

import io
import zlib
from dataclasses import dataclass

import polars as pl
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeadersParserException

from transforms.dates import parse_date
from transforms.decode import Decoded, decode_bytes
from transforms.readers.html import read_html
from transforms.readers.options import HtmlOptions
from transforms.readers.records import ReadResult, articles_frame, rejected
from transforms.rejects import Reject, RejectReason

WARC_MAGIC = b"WARC/"
PAGE_RECORD_TYPES = frozenset({"response", "resource"})
HTML_TYPES = ("text/html", "application/xhtml+xml")
# warcio meets hostile bytes with its own errors and, on some malformed headers, AttributeError/TypeError
WARC_ERRORS = (
    ArchiveLoadFailed, StatusAndHeadersParserException, ValueError, EOFError, OSError, LookupError, zlib.error,
    AttributeError, TypeError,
)  # fmt: skip


def read_warc(path: str, data: bytes, html_options: HtmlOptions | None = None) -> ReadResult:
    frames, rejects = [], []
    records = ArchiveIterator(io.BytesIO(data), arc2warc=True)
    offset = 0
    try:
        for record in records:
            if record.rec_type not in PAGE_RECORD_TYPES:
                continue
            capture = _capture(record)  # the payload is read before the offset is asked (warcio's order)
            offset = records.get_record_offset()
            result = _read_capture(path, f"@{offset}", capture, html_options)
            frames.append(result.articles)
            rejects.extend(result.rejects)
    except WARC_ERRORS as error:  # the file-level reject ("" item) says where reading stopped
        detail = f"WARC unreadable after the record at byte {offset}: {type(error).__name__}: {error}"
        rejects.append(Reject(path, "parse", RejectReason.INVALID_WARC, detail[:500]))
    articles = [frame for frame in frames if frame.height]
    if not articles and not rejects:
        return rejected(path, "parse", RejectReason.EMPTY, "WARC file has no response or resource record")
    return ReadResult(pl.concat(articles) if articles else articles_frame([]), rejects)


@dataclass(frozen=True)
class Capture:
    uri: str | None
    fetched: str | None
    status: str
    content_type: str
    payload: bytes | None  # read only for HTML 200 responses


def _capture(record) -> Capture:
    uri = record.rec_headers.get_header("WARC-Target-URI")
    fetched = record.rec_headers.get_header("WARC-Date")
    if record.http_headers is not None:
        status = record.http_headers.get_statuscode()
        content_type = record.http_headers.get_header("Content-Type") or ""
    else:  # resource record: no HTTP envelope
        status, content_type = "200", record.rec_headers.get_header("Content-Type") or ""
    is_page = status == "200" and content_type.lower().lstrip().startswith(HTML_TYPES)
    return Capture(uri, fetched, status, content_type, record.content_stream().read() if is_page else None)


def _read_capture(path: str, item: str, capture: Capture, html_options: HtmlOptions | None) -> ReadResult:
    uri = capture.uri
    if capture.status != "200":
        return rejected(path, "read", RejectReason.SKIPPED_RECORD, f"HTTP {capture.status} for {uri}", item)
    if capture.payload is None:
        detail = f"{capture.content_type or 'no content type'} for {uri}"
        return rejected(path, "read", RejectReason.SKIPPED_RECORD, detail, item)
    decoded = decode_bytes(capture.payload, _charset(capture.content_type), repair=False)  # read_html repairs
    if not isinstance(decoded, Decoded):
        reason, detail = decoded
        return rejected(path, "decode", reason, f"{detail} ({uri})", item)
    result = read_html(path, decoded.text, decoded.encoding, item, html_options)
    if result.articles.is_empty():
        return result
    fetched = parse_date(capture.fetched) if capture.fetched else None
    articles = result.articles.with_columns(
        fetched_at=pl.lit(fetched, dtype=pl.Datetime("us", "UTC")),
        format=pl.lit("warc"),
        url=pl.lit(uri, dtype=pl.String) if uri else pl.col("url"),
        field_sources=pl.col("field_sources").struct.with_fields(url=pl.lit("warc"))
        if uri
        else pl.col("field_sources"),
    )
    return ReadResult(articles, result.rejects)


def _charset(content_type: str) -> str | None:
    """charset= of an HTTP Content-Type header, if any."""
    for part in content_type.split(";")[1:]:
        name, _, value = part.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip("\"'"):
            return value.strip().strip("\"'")
    return None
