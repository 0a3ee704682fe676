"""HTML reading speed on real pages: newsflow's reader against bare trafilatura with the same options.

    .venv/bin/python bench/html_pages_speed.py [--pages-dir ../shared/corpora/html_pages] [--rounds 3] [--profile]

The pages are Mozilla Readability's test sources (news sites, blogs, wikis;
scripts, styles and navigation included, a third over 100 KB), which the small
synthetic pages of bench/html_extract.py hide. Prints, measured in one run over
the same pages: pages/s and MB/s of `read_file` (decode, sniff, precise
extraction with metadata and dates, the recall fallback where it applies,
paragraphs, page metadata, provenance) and of bare `trafilatura.bare_extraction`
with the precise options of transforms/readers/html.py on the page decoded as
UTF-8, their ratio, the same for the pages over 100 KB, the ratio per CPU
second of this process (steadier on a shared machine), and the load average.
`--profile` prints cProfile's top functions of the newsflow side instead.
"""

import argparse
import os
import sys
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_DIR))
DEFAULT_PAGES = PROJECT_DIR.parent / "shared" / "corpora" / "html_pages"
LARGE_BYTES = 100_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages-dir", type=Path, default=DEFAULT_PAGES)
    parser.add_argument("--rounds", type=int, default=3, help="passes over the pages")
    parser.add_argument("--profile", action="store_true", help="cProfile the newsflow side instead")
    args = parser.parse_args()

    import trafilatura

    from transforms.readers import read_file
    from transforms.readers.html import PRECISE

    pages = [(path.name, path.read_bytes()) for path in sorted(args.pages_dir.glob("*.html"))]
    if not pages:
        sys.exit(f"no *.html pages in {args.pages_dir}")
    read_file("/bench/warmup.html", pages[0][1])  # imports and lazy initialisation out of the timing
    if args.profile:
        profile(lambda: [read_file(f"/bench/{name}", data) for name, data in pages])
        return

    def newsflow(name: str, data: bytes) -> None:
        read_file(f"/bench/{name}", data)

    def bare(name: str, data: bytes) -> None:
        trafilatura.bare_extraction(data.decode("utf-8", "replace"), **PRECISE)

    # interleaved page by page, alternating which goes first, so that load from other
    # processes on a shared machine falls on both sides alike
    seconds = {"newsflow": {}, "bare": {}}  # wall clock
    cpu = {"newsflow": 0.0, "bare": 0.0}  # this process's CPU time: steadier while others load the machine
    sides = {"newsflow": newsflow, "bare": bare}
    for round_number in range(args.rounds):
        for number, (name, data) in enumerate(pages):
            order = ("newsflow", "bare") if (number + round_number) % 2 == 0 else ("bare", "newsflow")
            for side in order:
                started, started_cpu = time.perf_counter(), time.process_time()
                sides[side](name, data)
                seconds[side][name] = seconds[side].get(name, 0.0) + time.perf_counter() - started
                cpu[side] += time.process_time() - started_cpu

    large = [name for name, data in pages if len(data) > LARGE_BYTES]
    megabytes = sum(len(data) for _, data in pages) / 1e6
    print(f"HTML reading on {len(pages)} real pages ({megabytes:.1f} MB, {len(large)} over 100 KB) of "
          f"{args.pages_dir.name}, {args.rounds} rounds, measured in one run; load average "
          + " ".join(f"{load:.2f}" for load in os.getloadavg()))  # fmt: skip
    for label, names in (("all pages", [name for name, _ in pages]), ("pages over 100 KB", large)):
        size = sum(len(data) for name, data in pages if name in names) / 1e6 * args.rounds
        count = len(names) * args.rounds
        newsflow_s = sum(seconds["newsflow"][name] for name in names)
        bare_s = sum(seconds["bare"][name] for name in names)
        print(f"  {label}:")
        print(f"    newsflow read_file:     {count / newsflow_s:8.1f} pages/s  {size / newsflow_s:6.2f} MB/s")
        print(f"    bare trafilatura:       {count / bare_s:8.1f} pages/s  {size / bare_s:6.2f} MB/s")
        print(f"    ratio newsflow / bare:  {bare_s / newsflow_s:8.2f}")
    print(f"  all pages per CPU second, ratio newsflow / bare: {cpu['bare'] / cpu['newsflow']:.2f}")


def profile(run) -> None:
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.runcall(run)
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(35)


if __name__ == "__main__":
    main()
