"""Mixed-format ingest throughput: files/s and articles/s of the read stage over every input format.

    .venv/bin/python bench/ingest_mixed.py [--articles 1100]

Writes an inbox (bench/out/ingest_mixed/, git-ignored) in which the same
10kGNAD-recombined articles (bench/corpus.py) are spread over every format
newsflow reads: .txt, .md, .html, .json, .jsonl, .csv, an RSS feed, a
WARC.gz of request and response records, a .zip of HTML pages, a
.tar.gz of text files and a .txt.gz. Then `read_inputs` (read, unpack,
decode, parse, metadata; no NLP) reads it all, and the benchmark prints, in
one run (best of three rounds): files/s and articles/s over the whole inbox,
the same per format, and the mixed inbox's articles/s as a ratio of plain
.txt's.
"""

import argparse
import gzip
import html
import io
import json
import sys
import tarfile
import time
import zipfile
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_DIR))

from bench.corpus import generate_articles  # noqa: E402
from bench.html_extract import news_page  # noqa: E402

ROUNDS = 3
FORMATS = ("txt", "md", "html", "json", "jsonl", "csv", "rss", "warc.gz", "zip", "tar.gz", "txt.gz")


def write_inbox(directory: Path, texts: list[str]) -> dict[str, list[Path]]:
    """Spread `texts` round-robin over the formats; returns format -> files written."""
    import polars as pl
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.iterdir():
        stale.unlink()
    shares = {fmt: texts[index :: len(FORMATS)] for index, fmt in enumerate(FORMATS)}
    files: dict[str, list[Path]] = {fmt: [] for fmt in FORMATS}

    def write(fmt: str, name: str, data: bytes) -> None:
        path = directory / name
        path.write_bytes(data)
        files[fmt].append(path)

    for number, text in enumerate(shares["txt"]):
        write("txt", f"t{number}.txt", f"Titel: Meldung {number}\nDatum: 27.02.2019\n\n{text}\n".encode())
    for number, text in enumerate(shares["md"]):
        write(
            "md",
            f"m{number}.md",
            f"---\ntitle: Meldung {number}\ndate: 2019-02-27\n---\n\n# Meldung\n\n{text}\n".encode(),
        )
    for number, text in enumerate(shares["html"]):
        write("html", f"h{number}.html", news_page(number, text))
    for number in range(0, len(shares["json"]), 20):
        items = [{"title": f"J{k}", "maintext": t, "date_publish": "2019-02-27 10:00:00", "url": f"https://www.json.example/{k}"}
                 for k, t in enumerate(shares["json"][number : number + 20], start=number)]  # fmt: skip
        write("json", f"j{number}.json", json.dumps({"articles": items}, ensure_ascii=False).encode())
    write(
        "jsonl",
        "all.jsonl",
        "\n".join(
            json.dumps({"text": t, "title": f"L{k}"}, ensure_ascii=False) for k, t in enumerate(shares["jsonl"])
        ).encode(),
    )
    csv = pl.DataFrame(
        {"title": [f"C{k}" for k in range(len(shares["csv"]))], "text": shares["csv"], "date": "27.02.2019"}
    )
    write("csv", "all.csv", csv.write_csv().encode())
    items = "".join(
        f"<item><title>R{k}</title><link>https://www.rss.example/{k}</link><pubDate>Wed, 27 Feb 2019 10:00:00 +0100</pubDate>"
        f"<description>{html.escape(''.join(f'<p>{p}</p>' for p in t.split(chr(10) * 2)))}</description></item>"
        for k, t in enumerate(shares["rss"])
    )
    write(
        "rss",
        "feed.rss",
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Benchfeed</title>{items}</channel></rss>'.encode(),
    )
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    for k, text in enumerate(shares["warc.gz"]):
        uri = f"https://www.warc.example/{k}.html"
        writer.write_record(
            writer.create_warc_record(
                uri, "request", http_headers=StatusAndHeaders(f"GET /{k}.html HTTP/1.1", [], is_http_request=True)
            )
        )
        page = news_page(k, text)
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(page), http_headers=headers))
    write("warc.gz", "crawl.warc.gz", out.getvalue())
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for k, text in enumerate(shares["zip"]):
            archive.writestr(f"pages/{k}.html", news_page(k, text))
    write("zip", "pages.zip", out.getvalue())
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as archive:
        for k, text in enumerate(shares["tar.gz"]):
            data = text.encode()
            info = tarfile.TarInfo(f"texts/{k}.txt")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    write("tar.gz", "texts.tar.gz", out.getvalue())
    for number, text in enumerate(shares["txt.gz"]):
        write("txt.gz", f"g{number}.txt.gz", gzip.compress(text.encode()))
    return files


def timed_read(paths: list[Path]) -> tuple[float, int, int, int]:
    """Seconds, files, articles and rejects of read_inputs over `paths`."""
    import polars as pl

    from transforms.ingest import read_inputs

    plan = pl.DataFrame(
        {"path": [str(p) for p in paths], "size": [p.stat().st_size for p in paths],
         "mtime_ns": [p.stat().st_mtime_ns for p in paths], "known_hash": [None] * len(paths)},
        schema={"path": pl.String, "size": pl.Int64, "mtime_ns": pl.Int64, "known_hash": pl.String},
    )  # fmt: skip
    started = time.perf_counter()
    out = read_inputs(plan)
    return time.perf_counter() - started, len(paths), out.articles.height, out.rejects.height


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=1100)
    args = parser.parse_args()
    files = write_inbox(PROJECT_DIR / "bench" / "out" / "ingest_mixed", generate_articles(args.articles, seed=7))
    every = [path for paths in files.values() for path in paths]
    megabytes = sum(p.stat().st_size for p in every) / 1e6
    timed_read(files["txt"][:3])  # warm-up: imports, lazy initialisation

    # best of ROUNDS, the formats taken in turn each round: other processes on a shared
    # machine slow single reads down, never speed them up
    best: dict[str, tuple[float, int, int, int]] = {}
    for _ in range(ROUNDS):
        for fmt, paths in [("all formats", every), *files.items()]:
            measured = timed_read(paths)
            if fmt not in best or measured[0] < best[fmt][0]:
                best[fmt] = measured
    print(f"mixed-format ingest (read stage, no NLP): {len(every)} files, {megabytes:.1f} MB, best of {ROUNDS} rounds")
    for fmt, (seconds, n_files, n_articles, n_rejects) in best.items():
        print(
            f"  {fmt:11s}  {n_files / seconds:8.1f} files/s  {n_articles / seconds:8.1f} articles/s"
            f"  ({n_files} files, {n_articles} articles, {n_rejects} rejects)"
        )
    rate = {fmt: measured[2] / measured[0] for fmt, measured in best.items()}
    print(f"  ratio mixed / plain .txt (articles/s): {rate['all formats'] / rate['txt']:.2f}")


if __name__ == "__main__":
    main()
