"""HTML extraction throughput: pages/s of newsflow's HTML reader against bare trafilatura.

    .venv/bin/python bench/html_extract.py [--pages 300]

Pages are realistic news pages (navigation, share links, related links,
reader comments, footer around the article) whose paragraphs are recombined
from 10kGNAD (bench/corpus.py). Prints, measured in one run over the same
pages: pages/s and MB/s of `read_file` (decode, sniff, trafilatura with
metadata and date extraction, paragraphs, provenance), of bare
`trafilatura.bare_extraction` with the same options, and their ratio; and
what share of pages kept their whole article body and none of the comments.
"""

import argparse
import html
import sys
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_DIR))

from bench.corpus import generate_articles  # noqa: E402


def news_page(number: int, text: str) -> bytes:
    paragraphs = text.split("\n\n")
    title = html.escape(paragraphs[0][:70])
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    related = "".join(f'<li><a href="/r/{number}-{k}">Weitere Meldung {k}</a></li>' for k in range(8))
    comments = "".join(
        f'<div class="comment"><p>Leser{k}: Kommentar Nummer {k} zu diesem Artikel.</p></div>' for k in range(5)
    )
    return f"""<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>{title} | Benchblatt</title>
<meta property="og:site_name" content="Benchblatt"><meta property="article:published_time" content="2019-02-{1 + number % 28:02d}T10:00:00+01:00">
<meta name="author" content="Redaktion"><link rel="canonical" href="https://www.benchblatt.example/a/{number}.html"></head>
<body><nav><ul><li><a href="/">Start</a></li><li><a href="/politik">Politik</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<div class="cookie">Wir verwenden Cookies. <button>OK</button></div>
<main><article><h1>{title}</h1><p class="byline">Von Redaktion</p>{body}
<div class="share">Teilen: <a href="#">Facebook</a> <a href="#">E-Mail</a></div></article>
<aside><h3>Mehr zum Thema</h3><ul>{related}</ul></aside><section class="comments"><h3>Kommentare</h3>{comments}</section>
</main><footer><p>© Benchblatt · Impressum · Datenschutz</p></footer></body></html>""".encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=300)
    args = parser.parse_args()

    import trafilatura

    from transforms.readers import read_file
    from transforms.readers.html import DATE_PARAMS

    bare_options = {  # the options transforms/readers/html.py uses
        "with_metadata": True, "favor_precision": True, "include_comments": False, "include_tables": False,
        "include_images": False, "include_links": False, "date_extraction_params": DATE_PARAMS,
    }  # fmt: skip

    texts = generate_articles(args.pages, seed=4)
    pages = [news_page(number, text) for number, text in enumerate(texts)]
    megabytes = sum(map(len, pages)) / 1e6
    read_file("/bench/warmup.html", pages[0])  # imports and lazy initialisation out of the timing

    # interleaved page by page, alternating which goes first, so that load from other
    # processes on a shared machine falls on both sides alike
    results, newsflow_seconds, bare_seconds = [], 0.0, 0.0
    for number, page in enumerate(pages):
        for side in ("newsflow", "bare") if number % 2 == 0 else ("bare", "newsflow"):
            started = time.perf_counter()
            if side == "newsflow":
                results.append(read_file(f"/bench/{number}.html", page))
                newsflow_seconds += time.perf_counter() - started
            else:
                trafilatura.bare_extraction(page.decode("utf-8"), **bare_options)
                bare_seconds += time.perf_counter() - started

    complete = sum(
        1
        for text, result in zip(texts, results, strict=True)
        if result.articles.height == 1
        and all(" ".join(p.split()) in " ".join(result.articles["text"][0].split()) for p in text.split("\n\n")[1:])
        and "Kommentar Nummer" not in result.articles["text"][0]
    )
    print(f"HTML extraction, {len(pages)} pages ({megabytes:.1f} MB), measured in one run")
    print(
        f"  newsflow read_file:         {len(pages) / newsflow_seconds:8.1f} pages/s  {megabytes / newsflow_seconds:6.2f} MB/s"
    )
    print(
        f"  bare trafilatura:           {len(pages) / bare_seconds:8.1f} pages/s  {megabytes / bare_seconds:6.2f} MB/s"
    )
    print(f"  ratio newsflow / bare:      {bare_seconds / newsflow_seconds:8.2f}")
    print(f"  pages with full body, no comments: {complete}/{len(pages)}")


if __name__ == "__main__":
    main()
