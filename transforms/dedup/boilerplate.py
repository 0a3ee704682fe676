"""Publisher boilerplate removed from the compared text: notices that are not the story.

A withdrawn article of derStandard.at keeps its teaser and the notice "Der
Volltext dieses auf Agenturmeldungen basierenden Artikels steht aus
rechtlichen Gründen nicht mehr zur Verfügung." Two such stubs about different
stories share their notice's shingles and little else; on real news
(bench/dedup_eval.py, real-data section) they reached estimated Jaccard 0.52,
over the threshold. The notices are plain data in `configs/boilerplate.txt`
(one regular expression per line), to be extended without code.
"""

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import polars as pl

from transforms.pattern_lists import read_pattern_list


@dataclass(frozen=True)
class Boilerplate:
    """The notice patterns of one boilerplate file."""

    patterns: tuple[str, ...]

    @property
    def digest(self) -> str:
        """Changes when any pattern changes (stored with signatures: notices are removed before comparing)."""
        return hashlib.blake2b(repr(self.patterns).encode(), digest_size=4).hexdigest()

    def strip(self, text: pl.Expr) -> pl.Expr:
        """`text` with every notice replaced by a space."""
        if not self.patterns:
            return text
        return text.str.replace_all("|".join(f"(?:{p})" for p in self.patterns), " ")


@lru_cache(maxsize=4)
def load_boilerplate(path: Path) -> Boilerplate:
    """Read the boilerplate file; a missing file or a pattern Polars cannot compile is a ConfigError naming it."""
    fix = "restore configs/boilerplate.txt or point dedup.boilerplate_file at a readable file"
    return Boilerplate(read_pattern_list(path, _polars_compiles, "boilerplate list", fix))


def _polars_compiles(pattern: str) -> None:
    pl.select(pl.lit("").str.contains(pattern))
