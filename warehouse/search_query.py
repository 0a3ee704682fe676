"""The query syntax of `newsflow search`, parsed once.

    Gipfel Hanoi                   words: ranked by BM25 (an article needs any of them)
    "wirtschaftlichen Aufschwung"  a phrase: only articles with these words in this order
    Gipfel -Singapur               a word with "-": only articles without it (any ending)
    Gipfel OR Hanoi                OR / AND / NOT are no operators: OR and AND are dropped
                                   (words are OR'ed already), NOT x means -x

Matching ignores case and accents. The ranking is BM25 over the words and
the phrases' words; phrases and exclusions filter the ranked articles.
"""

import re
import unicodedata
from dataclasses import dataclass

from newsflow.errors import WarehouseError

SYNTAX_HELP = (
    'words are ranked by BM25 (any may match); "a phrase" must appear as written; '
    "-word excludes articles with the word; OR and AND are accepted and ignored"
)
_TOKEN = re.compile(r'"([^"]*)"?|(\S+)')
_WORD = re.compile(r"[\w'’-]+")
_IGNORED = {"OR", "AND", "||", "&&"}
_EDGE_BEFORE, _EDGE_AFTER = r"(?:^|[^\pL\pN])", r"(?:[^\pL\pN]|$)"


@dataclass(frozen=True)
class SearchQuery:
    words: tuple[str, ...]  # ranked (plain words and the words of phrases)
    phrases: tuple[str, ...]
    excluded: tuple[str, ...]

    @property
    def ranked_text(self) -> str:
        return " ".join(self.words)

    def phrase_patterns(self) -> list[str]:
        """RE2 patterns over folded (lower-case, accent-free) text, one per phrase."""
        return [_phrase_pattern(p) for p in self.phrases]

    def excluded_patterns(self, stems: dict[str, str]) -> list[str]:
        """An excluded word matches any word that starts with its stem ("Singapur" -> singapur*)."""
        return [
            _phrase_pattern(w) if " " in w else _EDGE_BEFORE + re.escape(stems.get(fold(w), fold(w)))
            for w in self.excluded
        ]


def _phrase_pattern(phrase: str) -> str:
    return _EDGE_BEFORE + r"\s+".join(re.escape(w) for w in fold(phrase).split()) + _EDGE_AFTER


def parse_search_query(text: str) -> SearchQuery:
    words, phrases, excluded = [], [], []
    negate_next = False
    for quoted, bare in _TOKEN.findall(text):
        if quoted:
            phrase = " ".join(_WORD.findall(quoted))
            if phrase and negate_next:
                excluded.append(phrase)
            elif phrase:
                phrases.append(phrase)
                words += phrase.split()
            negate_next = False
        elif bare == "NOT":
            negate_next = True
        elif bare in _IGNORED:
            continue
        elif bare.startswith("-") and len(bare) > 1:
            excluded += _WORD.findall(bare[1:])
        else:
            (excluded if negate_next else words).extend(_WORD.findall(bare))
            negate_next = False
    if not words:
        raise WarehouseError(f"the search query {text!r} has no word to look for", fix=SYNTAX_HELP)
    return SearchQuery(tuple(words), tuple(phrases), tuple(excluded))


def fold(text: str) -> str:
    """Lower case without accents, as the index and the filters compare ("Hanoï" -> "hanoi")."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))
