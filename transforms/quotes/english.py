"""English cues and reported clauses, from the dependency parse when the Doc has one.

With a statistical English pipeline (tagger and parser, `doc.has_annotation("DEP")`):

* a cue word counts only when it is a verb ("a swing state that …" is no cue);
* the reported clause is the cue verb's clausal complement (`ccomp`):
  "Trump said [he would accept the results]", with or without "that";
* the speaker is the cue verb's subject (`nsubj`), its compound name words
  included.

Without a parse the same questions get rules: a noun-or-verb cue word
("state", "call", "note") after a determiner, before "of", or capitalised
mid-sentence is a noun; a clause follows the cue when a subject pronoun (or
a noun phrase and an auxiliary within a few words) comes right after it.
"""

from transforms.quotes.text_view import DocView, Segment, Word

NOUN_OR_VERB = frozenset(
    "state states call calls note notes claim claims promise promises praise tweet tweets reply replies "
    "answer answers report reports comment comments warning".split()
)
DETERMINERS = frozenset(
    "a an the this that these those his her its their our my your every each any no another one first last "
    "swing united roll wake-up conference phone".split()
)
SUBJECT_PRONOUNS = frozenset("he she they it we i you there this".split())
AUXILIARIES = frozenset(
    "would will is was are were has had have could should can may might must did does do 's 're".split()
)
NOT_CLAUSE_CUES = frozenset(
    "call calls called describe describes described praise praises praised ask asks asked according".split()
)  # "called it a 'tremendous' success": an object, not a clause
OBJECT_CUES = frozenset({"told", "tell", "tells", "assured", "reminded", "warned"})  # "told reporters he …"
GERMAN_TAIL_WORDS = 10  # "sagte Musiker Heino (77) der Bild-Zeitung vom Montag."
CLAUSE_LOOKAHEAD = 8  # words from the clause start to its auxiliary ("the way the campaign treated women would …")
CLAUSE_DETERMINERS = frozenset("the a an some many most all his her their its this these those no several".split())
TIME_WORDS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday today yesterday week month year night morning "
    "afternoon evening".split()
)
VERB_TAGS = frozenset({"VERB", "AUX"})


def has_parse(view: DocView) -> bool:
    return view.doc.has_annotation("DEP")


def is_verb(view: DocView, first: int, last: int) -> bool:
    """Is the English cue at words [first, last] a verb (phrases like "according to" always are cues)?"""
    if first != last:
        return True
    word = view.words[first]
    if view.doc.has_annotation("POS"):
        return view.token(first).pos_ in VERB_TAGS
    if word.lower not in NOUN_OR_VERB:
        return True
    previous = view.words[first - 1].text if first > 0 else ""
    following = view.words[first + 1].lower if first + 1 < len(view.words) else ""
    if previous.lower() in DETERMINERS or following == "of" or word.text[:1].isupper():
        return False
    # a verb follows its subject: a pronoun, a name, a plural noun, or an adverb ("also states")
    return previous.lower() in SUBJECT_PRONOUNS | {"who", "which"} or previous[:1].isupper() or previous.endswith(("s", "ly"))


def is_participle(view: DocView, first: int) -> bool:
    """ ", saying …", ", adding …": a participle cue after a comma, whose subject is the main clause's."""
    return first > 0 and view.words[first].lower.endswith("ing") and view.words[first - 1].text == ","


def reported_clause(view: DocView, segment: Segment, cue_last: int) -> tuple[int, int] | None:
    """Word indices [first, last] of the clause reported by the cue verb ending at `cue_last`, else None."""
    if has_parse(view):
        return _ccomp(view, segment, cue_last)
    words = view.words
    if words[cue_last].lower in NOT_CLAUSE_CUES:
        return None
    i = cue_last + 1
    if i < segment.last and words[cue_last].lower in OBJECT_CUES:
        i += 1 if words[i].text[:1].isalpha() else 0  # "told reporters", "told him"
    i = _after_time_phrase(view, segment, i)  # "said Tuesday he …", "said on Monday the …"
    if i >= segment.last or words[i].quote >= 0:
        return None
    start = words[i]
    if start.lower in SUBJECT_PRONOUNS:
        clause = i
    elif start.text[:1].isupper() or start.text[:1].isdigit() or start.lower in CLAUSE_DETERMINERS:
        ahead = words[i + 1 : min(segment.last, i + 1 + CLAUSE_LOOKAHEAD)]
        auxiliary = next((k for k, w in enumerate(ahead) if w.lower in AUXILIARIES), None)
        clause = i if auxiliary is not None and not any(w.text == "," for w in ahead[:auxiliary]) else None
    else:
        clause = None
    if clause is None:
        return None
    return clause, _clause_end(view, segment, clause)


def _after_time_phrase(view: DocView, segment: Segment, i: int) -> int:
    """Index after "Tuesday", "on Monday", "last week" right after the cue (i itself when there is none)."""
    words = view.words
    j = i
    if j < segment.last and words[j].lower in {"on", "last", "this", "earlier", "late", "early"}:
        j += 1
    if j < segment.last and words[j].lower in TIME_WORDS:
        return j + 1
    return i


def tail_report(view: DocView, segment: Segment, cue_first: int, language: str = "en") -> tuple[int, int] | None:
    """Words [first, last] of "<content>, he said." / "<content>, said Mark Jones, a professor." /
    "<Inhalt>, sagte Musiker Heino der Bild-Zeitung.": a sentence without quotes whose cue comes after
    a comma near its end (German: no comma after the cue, which would open the content); else None."""
    words = view.words
    if language == "de":
        rest = words[cue_first + 1 : segment.last]
        appositions = [k for k, w in enumerate(rest) if w.text == ","]
        if (
            any(w.text == ":" or w.lower in {"nicht", "kein", "keine", "dass", "ob"} for w in rest)
            or any(k + 1 >= len(rest) or not _apposition_start(rest, k + 1) for k in appositions)
            or len(rest) > GERMAN_TAIL_WORDS + 3 * len(appositions)
            or words[cue_first - 1].text != ","
        ):
            return None  # German inverts: ", sagte Heino" (", was … gemeint ist" is no frame)
    if any(w.quote >= 0 for w in words[segment.first : segment.last]):
        return None
    comma = next((i for i in range(cue_first - 1, max(segment.first, cue_first - 5) - 1, -1) if words[i].text == ","), None)
    if comma is None or comma - segment.first < 4:
        return None
    end = next((i for i in range(cue_first + 1, segment.last) if words[i].text in {",", ".", ";", "!", "?"}), segment.last)
    if language == "en" and end - cue_first > 5:  # "X, who met Y, said the talks were hard": a clause follows, not a frame end
        return None
    return segment.first, comma - 1


def _apposition_start(words: list[Word], k: int) -> bool:
    """A capitalised word, or an article before one (", der Deutschen Presse-Agentur"), after a tail comma."""
    if words[k].text[:1].isupper():
        return True
    return words[k].lower in {"der", "dem", "den"} and k + 1 < len(words) and words[k + 1].text[:1].isupper()


def _ccomp(view: DocView, segment: Segment, cue_last: int) -> tuple[int, int] | None:
    token = view.token(cue_last)
    complement = next((c for c in token.children if c.dep_ == "ccomp"), None)
    if complement is None:
        return None
    tokens = [t for t in complement.subtree if not t.is_space]
    while tokens and tokens[0].dep_ == "mark":  # "that"
        tokens.pop(0)
    while tokens and tokens[-1].is_punct:
        tokens.pop()
    if not tokens:
        return None
    first, last = view.word_of_token(tokens[0].i), view.word_of_token(tokens[-1].i)
    if first < segment.first or last >= segment.last or first > last:
        return None
    return first, last


def _clause_end(view: DocView, segment: Segment, first: int) -> int:
    """Last word of the clause: before a trailing ", he said" frame or the final punctuation."""
    words = view.words
    last = segment.last - 1
    while last > first and words[last].quote < 0 and words[last].text in {".", "!", "?", "…", ":", ";"}:
        last -= 1
    return last


def subject(view: DocView, segment: Segment, cue_first: int) -> tuple[int, int] | None:
    """Word indices of the cue verb's subject from the parse (compound name words included), else None."""
    if not has_parse(view):
        return None
    token = view.token(cue_first)
    head = next((c for c in token.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    if head is None:
        return None
    parts = [t for t in head.subtree if t.i <= head.i and t.dep_ in {"compound", "det", "amod", "poss", "nsubj", "nsubjpass", "flat"} or t is head]
    first, last = view.word_of_token(min(t.i for t in parts)), view.word_of_token(head.i)
    if first < segment.first or last >= segment.last:
        return None
    return first, last
