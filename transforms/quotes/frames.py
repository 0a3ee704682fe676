"""Reporting frames: "laut X", "X zufolge", "nach Angaben von X", "according to X",
"wie X mitteilte" / "as X said".

A frame names the source of the rest of its sentence without a verb of
saying in the main clause ("Laut Scheuer könnten die Arbeiten bald beginnen",
"The rally was cancelled, according to a spokesman"). The reported content
is the sentence without the frame: the clause after the frame's comma, the
words before a trailing frame, or (a frame that opens the sentence without a
comma) everything after the source's noun phrase.
"""

from dataclasses import dataclass

from transforms.nlp.boundaries import is_proper_noun
from transforms.quotes.text_view import DocView, Segment, Word

SOURCE_BEFORE = frozenset({"zufolge"})  # "Der Regierung zufolge"
SOURCE_AFTER = frozenset({"laut", "according to", "nach angaben", "selon"})
TO_COMMA = frozenset({"according to", "selon"})  # the source runs to the comma ("selon Moon Jae-in, …")
AS_WORDS = frozenset({"wie", "as"})  # "wie die Polizei mitteilte", "as Trump said"
NOUN_PHRASE_GLUE = frozenset(
    "der die das des dem den ein eine einer eines einem von vom the a an of for from".split()
)
ATTRIBUTIVE_BEFORE = frozenset("der die das den dem des ein eine einer eines einem the a an".split())
GENITIVE = frozenset({"der", "des"})
NOT_ADJECTIVES = frozenset("als und oder auf in im am an zu mit für bei nach vor seit aber auch noch nur".split())
MAX_SOURCE_WORDS = 8
REPORT_NOUNS = frozenset("angaben erkenntnissen informationen worten".split())  # after "nach"
REFERRING = frozenset("diesen dieser jenen".split())  # "nach diesen Angaben"
MAX_NACH_WORDS = 3  # "nach" to its noun: "nach ersten offiziellen Angaben"
MIN_CONTENT_WORDS = 3


@dataclass(frozen=True)
class Frame:
    cue: tuple[int, int]  # word indices of the cue ("laut", "nach Angaben", "mitteilte")
    source: tuple[int, int] | None  # word indices of the source noun phrase (inclusive); None: not named
    content: tuple[int, int]  # char span of the reported content
    refers_back: bool = False  # "nach diesen Angaben": the source is the report before


def find_frame(view: DocView, segment: Segment, cues: list[tuple[int, int, str]]) -> Frame | None:
    """The first reporting frame of the sentence whose content has words, else None."""
    outside = view.outside(segment)
    for first, last, label in cues:
        if first > segment.first and view.words[first - 1].lower in ATTRIBUTIVE_BEFORE:
            continue  # "die laut Statut vorgesehene Wahl": inside a noun phrase
        if label in SOURCE_AFTER:
            source = _phrase_after(view, segment, last + 1, label in TO_COMMA)
        elif label in SOURCE_BEFORE:
            source = _phrase_before(view, segment, first - 1)
        elif _as_clause_start(view, segment, first) is not None:
            opener = _as_clause_start(view, segment, first)
            source = _phrase_after(view, segment, opener + 1, False, stop=first)
            first = opener
        else:
            continue
        if source is None:
            continue
        frame_first, frame_last = min(first, source[0]), max(last, source[1])
        content = _content(view, segment, outside, frame_first, frame_last)
        if content is not None:
            return Frame((first if label in SOURCE_AFTER | SOURCE_BEFORE else last, last), source, content)
    return _nach_frame(view, segment, outside)


def _nach_frame(view: DocView, segment: Segment, outside: list[Word]) -> Frame | None:
    """German "nach <…> Angaben/Erkenntnissen/Informationen/Worten": "nach Erkenntnissen der Ermittler",
    "nach Andrejews Worten", "nach dpa-Informationen", "nach diesen Angaben" (the report before); not "nach
    eigenen/bisherigen Angaben", which name no source."""
    words = view.words
    for word in outside:
        i = word.i
        if word.lower != "nach" or (i > segment.first and words[i - 1].lower in ATTRIBUTIVE_BEFORE):
            continue
        noun = next((j for j in range(i + 1, min(segment.last, i + 1 + MAX_NACH_WORDS)) if _report_noun(words[j].lower)), None)
        if noun is None or any(not w.text.isalpha() or w.quote >= 0 for w in words[i + 1 : noun]):
            continue
        between = words[i + 1 : noun]
        named = [w.i for w in between if w.text[:1].isupper()]  # "nach Andrejews Worten"
        if named:
            source = (named[0], named[-1])
        elif "-" in words[noun].text:  # "nach dpa-Informationen"
            source = (noun, noun)
        else:
            of = noun + 1 < segment.last and words[noun + 1].lower in {"der", "des", "von", "vom"}
            source = _phrase_after(view, segment, noun + 1, False) if of else None  # "der Ermittler"
        refers_back = source is None and any(w.lower in REFERRING for w in between)
        if source is None and not refers_back:
            continue  # "nach eigenen Angaben", "nach jüngsten Angaben": a frame that names no source is no quote
        content = _content(view, segment, outside, i, source[1] if source and source[1] > noun else noun)
        if content is not None:
            return Frame((i, noun), source, content, refers_back)
    return None


def _as_clause_start(view: DocView, segment: Segment, cue_first: int) -> int | None:
    """Index of "wie"/"as" opening the comma clause that ends with the cue ("Wie die Polizei mitteilte,")."""
    words = view.words
    i = cue_first - 1
    while i >= segment.first and (words[i].text != "," or _date_comma(view, i)) and words[i].quote < 0:
        if words[i].lower in AS_WORDS and (i == segment.first or words[i - 1].text == ","):
            after = words[cue_first + 1] if cue_first + 1 < segment.last else None
            ends_clause = after is None or after.text in {",", ".", "!", "?"}
            return i if ends_clause and cue_first - i >= 2 else None
        i -= 1
    return None


def _phrase_after(view: DocView, segment: Segment, start: int, to_comma: bool, stop: int | None = None):
    """The source noun phrase from word `start`: up to a comma (English), else while it looks nominal."""
    words = view.words
    end = min(segment.last, stop if stop is not None else segment.last, start + MAX_SOURCE_WORDS)
    i = start
    noun_seen = False
    while i < end and words[i].quote < 0 and words[i].text not in {",", ".", ";", ":", "!", "?"}:
        word = words[i]
        capital = word.text[:1].isupper() or word.text[:1].isdigit()
        before_noun = (
            i + 1 < end and words[i + 1].text[:1].isupper() and word.text.isalpha() and word.lower not in NOT_ADJECTIVES
        )
        if to_comma or (stop is not None and i < stop):
            if stop is not None and i > start and word.lower in _PREPOSITIONS | _TIME_ADVERBS:
                break  # "die Kantonspolizei Aargau am Samstag mitteilte": the source ends before "am"
        elif noun_seen and words[start].text.islower() and words[start].lower not in NOUN_PHRASE_GLUE:
            break  # "nach Angaben unabhängiger Experten Senfgas …": an adjective opens it, its noun ends it
        elif noun_seen:  # after the head noun: names ("Agentur Tass") and a genitive ("Bericht des Senders")
            genitive = word.lower in GENITIVE and i + 1 < end and words[i + 1].text[:1].isalpha()
            in_genitive = words[i - 1].lower in GENITIVE or (
                i >= 2 and words[i - 2].lower in GENITIVE and words[i - 1].text.islower()
            )
            adjective = in_genitive and word.text.islower() and i + 1 < end and words[i + 1].text[:1].isupper()
            if not (genitive or adjective or (capital and (in_genitive or _name_like(word.text)))):
                break
        elif not (capital or word.lower in NOUN_PHRASE_GLUE or before_noun):
            break
        noun_seen = noun_seen or (capital and word.lower not in NOUN_PHRASE_GLUE)
        i += 1
    return (start, i - 1) if i > start else None


def _report_noun(lower: str) -> bool:
    return lower in REPORT_NOUNS or lower.rsplit("-", 1)[-1] in REPORT_NOUNS


def _date_comma(view: DocView, i: int) -> bool:
    """A comma inside a date, not a clause boundary: "wie das Ministerium heute, Dienstag mitteilte"."""
    words = view.words
    return words[i].text == "," and i + 1 < len(words) and words[i + 1].lower in _WEEKDAYS


def _name_like(word: str) -> bool:
    """A name or acronym after a head noun ("Agentur Tass", "Menschenrechtsstiftung TIHV")."""
    return word.isupper() or is_proper_noun(word.strip("."))


def _phrase_before(view: DocView, segment: Segment, last: int):
    """The source before "zufolge": back to the sentence start, a comma or a word that is no part of a
    noun phrase ("Der Verdächtige wurde [den Angaben] zufolge")."""
    words = view.words
    i = last
    while i >= segment.first and i > last - MAX_SOURCE_WORDS and words[i].quote < 0 and words[i].text != ",":
        word = words[i]
        nominal = word.text[:1].isupper() or word.lower in NOUN_PHRASE_GLUE or word.text[:1].isdigit()
        adjective = word.text.isalpha() and i < last and words[i + 1].text[:1].isupper()
        if not (nominal or adjective):
            break
        i -= 1
    return (i + 1, last) if i < last else None


def _content(view: DocView, segment: Segment, outside: list[Word], frame_first: int, frame_last: int):
    """Char span of the sentence without the frame (and without the commas and final punctuation around it)."""
    words = view.words
    before = [w for w in words[segment.first : frame_first] if w.text not in {",", "(", "–", "-"}]
    after = [w for w in words[frame_last + 1 : segment.last]]
    while after and after[0].text in {",", ")", "–", "-"}:
        after.pop(0)
    while after and after[-1].quote < 0 and after[-1].text in {".", "!", "?", "…", ":", ";"}:
        after.pop()
    if before and after and _words(before) and _words(after):  # "wurden laut einem Bericht … begangen"
        chosen = [w for w in words[segment.first : segment.last] if w.text not in {".", "!", "?", "…"} or w.quote >= 0]
    else:
        chosen = after if len(after) >= len(before) else before
    if chosen is before:
        while chosen and chosen[-1].text in {",", ";", "–", "-"}:
            chosen.pop()
    if sum(1 for w in chosen if w.text[:1].isalnum() and w.quote < 0) < MIN_CONTENT_WORDS:
        return None
    return chosen[0].start, chosen[-1].end


def _words(words: list[Word]) -> int:
    return sum(1 for w in words if w.text[:1].isalnum())


_PREPOSITIONS = frozenset("am im an auf in bei nach vor seit gegenüber on at in after before".split())
_TIME_ADVERBS = frozenset("heute gestern vorgestern morgen".split())
_WEEKDAYS = frozenset("montag dienstag mittwoch donnerstag freitag samstag sonntag".split())
