"""Speech cues (verbs and phrases) per language, from shipped, extendable lists.

`configs/speech_verbs/<lang>.txt`: one cue per line, `#` comments. Several
words are a contiguous phrase ("according to"); `verb … particle` is a German
separable verb whose particle follows later in the clause ("kündigte … an").
"""

from dataclasses import dataclass, field
from pathlib import Path

SEPARATORS = ("…", "...")


@dataclass(frozen=True)
class Cue:
    words: tuple[str, ...]  # contiguous words, lower case
    particle: str | None = None  # separable particle that must follow in the clause

    @property
    def label(self) -> str:
        return " ".join(self.words) + (f" … {self.particle}" if self.particle else "")


@dataclass(frozen=True)
class CueLexicon:
    language: str
    cues: tuple[Cue, ...]
    _by_first_word: dict[str, tuple[Cue, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[str, list[Cue]] = {}
        for cue in self.cues:  # keeps the longest-first order within each first word
            index.setdefault(cue.words[0], []).append(cue)
        object.__setattr__(self, "_by_first_word", {word: tuple(cues) for word, cues in index.items()})

    def starting_with(self, word: str) -> tuple[Cue, ...]:
        return self._by_first_word.get(word.lower(), ())


def parse_cues(lines: list[str]) -> tuple[Cue, ...]:
    cues = []
    for raw in lines:
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        particle = None
        for separator in SEPARATORS:
            if separator in line:
                line, particle = (part.strip() for part in line.split(separator, 1))
        cues.append(Cue(tuple(line.lower().split()), particle.lower() if particle else None))
    # longest phrases first, so "according to" wins over a one-word cue at the same place
    return tuple(sorted(dict.fromkeys(cues), key=lambda cue: -len(cue.words)))


def load_cues(directory: Path, language: str) -> CueLexicon:
    """The lexicon of `language` from `directory/<language>.txt` (empty when there is none)."""
    path = directory / f"{language}.txt"
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    return CueLexicon(language, parse_cues(lines))
