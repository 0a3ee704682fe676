"""HTML fidelity on real pages: newsflow's reader against bare trafilatura.

    .venv/bin/python bench/html_pages.py [--pages-dir ../shared/corpora/html_pages] [--show]

The pages are Mozilla Readability's test sources (news sites, blogs, wikis; no
gold text). Prints, measured in one run over the same pages: pages loaded and
rejected by `read_file` and by bare `trafilatura.bare_extraction` with its
defaults (metadata on); the median ratio of newsflow's text length to bare
trafilatura's on pages both load; how many texts came from the fallback
extraction and how many had a lost lead put back; and fill rates of title,
outlet, date, date with a time of day (published_precision = "time") and date
not at exactly 00:00 UTC.
"""

import argparse
import statistics
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_DIR))
DEFAULT_PAGES = PROJECT_DIR.parent / "shared" / "corpora" / "html_pages"


def bare_text(page: str) -> str:
    import trafilatura

    document = trafilatura.bare_extraction(page, with_metadata=True)
    return (document.text or "") if document is not None else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages-dir", type=Path, default=DEFAULT_PAGES)
    parser.add_argument("--show", action="store_true", help="one line per page")
    args = parser.parse_args()

    from transforms.readers import read_file

    paths = sorted(args.pages_dir.glob("*.html"))
    if not paths:
        sys.exit(f"no *.html pages in {args.pages_dir}")
    loaded = rejected = bare_loaded = 0
    ratios, fallback, lead = [], 0, 0
    filled = dict.fromkeys(("title", "outlet", "published_at", "time", "not 00:00 UTC"), 0)
    for path in paths:
        data = path.read_bytes()
        result = read_file(str(path), data)
        bare = bare_text(data.decode("utf-8", "replace"))
        bare_loaded += bool(bare.strip())
        if result.articles.is_empty():
            rejected += 1
            if args.show:
                print(f"  rejected {path.name}: {result.rejects[0].reason} (bare: {len(bare)} chars)")
            continue
        loaded += 1
        row = result.articles.row(0, named=True)
        for name in ("title", "outlet", "published_at"):
            filled[name] += row[name] is not None
        filled["time"] += row.get("published_precision") == "time"
        fallback += row["extraction"] == "fallback"
        lead += row["extraction"] == "lead"
        published = row["published_at"]
        filled["not 00:00 UTC"] += published is not None and (published.hour, published.minute, published.second) != (0, 0, 0)
        if bare.strip():
            ratios.append(len(row["text"]) / len(bare))
        if args.show:
            print(f"  {path.name}: {len(row['text'])} chars vs bare {len(bare)}; {row['title']!r} | {row['outlet']!r} | {row['published_at']}")
    total = len(paths)
    print(f"HTML fidelity on {total} real pages ({args.pages_dir.name}), measured in one run")
    print(f"  newsflow: {loaded} loaded, {rejected} rejected (no_text); {fallback} texts from the fallback extraction, "
          f"{lead} with a lost lead put back")
    print(f"  bare trafilatura (defaults): {bare_loaded} with text, {total - bare_loaded} without")
    print(f"  text length newsflow / bare, median over {len(ratios)} pages: {statistics.median(ratios):.3f}"
          f"  (p10 {statistics.quantiles(ratios, n=10)[0]:.3f}, p90 {statistics.quantiles(ratios, n=10)[-1]:.3f})")
    print("  fill rates of loaded pages: " + ", ".join(f"{name} {count}/{loaded}" for name, count in filled.items()))


if __name__ == "__main__":
    main()
