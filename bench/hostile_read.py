"""Hostile inputs in the read stage: time of a stalling header line, memory of a many-item JSON array.

    .venv/bin/python bench/hostile_read.py [--spaces 20000] [--items 1000000]

Prints, measured in one run:

- the `Key: value` header pattern of transforms/readers/text.py before issue
  #15 (a lazy `(.*?)\\s*` to the end of the line, kept here as the reference)
  and the current one on `Titel: a` + N spaces + `b`: seconds each and their
  ratio. The old pattern is quadratic in N (200,000 spaces: minutes), so the
  default N is small;
- peak Python heap (tracemalloc) of `json.loads` of an array of N small objects
  (`{"n":0}`), as the JSON reader did before, against `array_items` keeping the
  first limits.max_items_per_file (10,000) and counting the rest, and their ratio.
"""

import argparse
import json
import re
import sys
import time
import tracemalloc
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_DIR))

from transforms.readers.json_stream import array_items  # noqa: E402
from transforms.readers.text import _HEADER_LINE  # noqa: E402

OLD_HEADER_LINE = re.compile(r"\s*([^\W\d][\w .-]{0,24}?)\s*:\s*(.*?)\s*")  # before issue #15


def seconds(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def peak_bytes(fn) -> int:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--spaces", type=int, default=20_000)
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--keep", type=int, default=10_000)
    args = parser.parse_args()

    line = "Titel: a" + " " * args.spaces + "b"
    old = seconds(lambda: OLD_HEADER_LINE.fullmatch(line))
    new = seconds(lambda: _HEADER_LINE.fullmatch(line))
    print(f"header line with {args.spaces:,} spaces: old pattern {old:.3f} s, new {new * 1000:.3f} ms, ratio {old / new:,.0f}x")

    text = "[" + ",".join(['{"n":0}'] * args.items) + "]"
    loads = peak_bytes(lambda: json.loads(text))
    streamed = peak_bytes(lambda: array_items(text, args.keep))
    print(
        f"JSON array of {args.items:,} items ({len(text) / 1e6:.1f} MB): json.loads peak {loads / 1e6:.1f} MB, "
        f"array_items (keep {args.keep:,}) peak {streamed / 1e6:.2f} MB, ratio {loads / streamed:,.0f}x"
    )


if __name__ == "__main__":
    main()
