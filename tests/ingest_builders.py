"""Builders of realistic ingest fixtures: news pages, WARC files (warcio), zip/tar archives, zip bombs.

Built at test time so that every byte is explained by code here, not by an
opaque binary in the repository.
"""

import io
import tarfile
import zipfile
from datetime import UTC, datetime

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

PARAGRAPHS = (
    "Bei seinem zweiten Gipfel mit Nordkoreas Machthaber Kim Jong Un hat US-Präsident Donald Trump dem Land"
    " einen wirtschaftlichen Aufschwung in Aussicht gestellt.",
    "Zum Auftakt des Treffens in Vietnams Hauptstadt Hanoi sagte Trump, Nordkorea habe gewaltiges Potenzial.",
    "Beobachter erwarten eine Erklärung zum formellen Ende des Koreakriegs.",
)


def news_page(title: str, paragraphs=PARAGRAPHS, *, lang="de", site="Tagesblick", date="2019-02-27T14:05:00+01:00",
              canonical: str | None = None, author="Anna Schmidt") -> bytes:  # fmt: skip
    """A news page with navigation, share links and comments around the article."""
    canonical_link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    body = "".join(f"<p>{text}</p>" for text in paragraphs)
    return f"""<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title} | {site}</title>
<meta property="og:title" content="{title}"><meta property="og:site_name" content="{site}">
<meta property="article:published_time" content="{date}"><meta name="author" content="{author}">{canonical_link}
</head><body><nav><ul><li><a href="/">Startseite</a></li><li><a href="/politik">Politik</a></li></ul></nav>
<main><article><h1>{title}</h1>{body}<div class="share">Teilen: <a href="#">Facebook</a></div></article>
<section class="comments"><h3>Kommentare</h3><div class="comment"><p>Leser: Das wird nichts.</p></div></section>
</main><footer><p>© 2019 {site} · Impressum</p></footer></body></html>""".encode()


WARC_PAGES = (
    ("https://www.tagesblick.example/politik/gipfel-hanoi-100.html", "Gipfel in Hanoi: Trump lockt Kim"),
    ("https://www.morgenpost.example/ausland/kim-zug-200.html", "Kim reist mit dem Zug nach Vietnam"),
)
WARC_SKIPPED = (  # (uri, status line, content type, payload): counted as skipped_record
    ("https://www.tagesblick.example/alt", "301 Moved Permanently", "text/html", b"<html><body>moved</body></html>"),
    ("https://www.tagesblick.example/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n" + bytes(64)),
    ("https://www.tagesblick.example/fehlt.html", "404 Not Found", "text/html; charset=utf-8", b"<html><body><p>Seite nicht gefunden</p></body></html>"),
)  # fmt: skip
WARC_DATE = "2019-02-28T06:30:00Z"


def warc_bytes(*, gzip: bool = False, pages=WARC_PAGES, skipped=WARC_SKIPPED) -> bytes:
    """A CC-NEWS-like WARC: warcinfo, then per capture a request and a response record (and a metadata record)."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzip)
    writer.write_record(
        writer.create_warcinfo_record("news.warc", {"software": "newsflow-tests", "format": "WARC/1.0"})
    )
    captures = [(uri, "200 OK", "text/html; charset=utf-8", news_page(title, canonical=uri)) for uri, title in pages]
    for uri, status, content_type, payload in [*captures, *skipped]:
        request = StatusAndHeaders(f"GET {uri} HTTP/1.1", [("Host", uri.split("/")[2])], is_http_request=True)
        writer.write_record(
            writer.create_warc_record(uri, "request", http_headers=request, warc_headers_dict={"WARC-Date": WARC_DATE})
        )
        headers = StatusAndHeaders(
            status, [("Content-Type", content_type), ("Content-Length", str(len(payload)))], protocol="HTTP/1.1"
        )
        writer.write_record(
            writer.create_warc_record(uri, "response", payload=io.BytesIO(payload), http_headers=headers,
                                      warc_headers_dict={"WARC-Date": WARC_DATE})
        )  # fmt: skip
        writer.write_record(writer.create_warc_record(uri, "metadata", payload=io.BytesIO(b"fetchTimeMs: 120\r\n"),
                                                      warc_content_type="application/warc-fields"))  # fmt: skip
    return out.getvalue()


def zip_bytes(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=compression) as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2019, 2, 28, 12, 0, 0)), data, compress_type=compression)
    return out.getvalue()


def tar_bytes(members: dict[str, bytes], mode: str = "w", symlinks: dict[str, str] | None = None) -> bytes:
    """A tar ("w"), tar.gz ("w:gz"), tar.bz2 or tar.xz archive of regular files (and symlinks)."""
    out = io.BytesIO()
    moment = datetime(2019, 2, 28, tzinfo=UTC).timestamp()
    with tarfile.open(fileobj=out, mode=mode) as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size, info.mtime = len(data), moment
            archive.addfile(info, io.BytesIO(data))
        for name, target in (symlinks or {}).items():
            info = tarfile.TarInfo(name)
            info.type, info.linkname, info.mtime = tarfile.SYMTYPE, target, moment
            archive.addfile(info)
    return out.getvalue()


def zip_bomb(unpacked_bytes: int, members: int = 1) -> bytes:
    """Zeros deflate about 1000:1: a small zip that unpacks to `unpacked_bytes` per member."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for number in range(members):
            with archive.open(f"zeros-{number}.txt", "w", force_zip64=True) as handle:
                chunk = b"0" * (1 << 20)
                for _ in range(unpacked_bytes // len(chunk)):
                    handle.write(chunk)
                handle.write(b"0" * (unpacked_bytes % len(chunk)))
    return out.getvalue()
