"""Rules for German names the KB does not know (the seed of later work).

Runs after the KB ruler and never overwrites its entities. Precision first:

* PER after a role or title word: "Präsident Macron", "Frau Katzian",
  "Außenamtssprecherin Hua Chunying" (the role is not part of the span).
* PER from a known first name (configs/kb/first_names.csv) and a capitalised
  surname: "Wolfgang Katzian", "George W. Bush", "Ursula von Blumenthal".
* PER of two or three capitalised words next to a speech verb:
  "Wolfgang Katzian sagte", "sagte Wolfgang Katzian", and "…", so Katzian.
  A single capitalised word next to a verb is not enough: German nouns are
  capitalised too ("Experten sagten"). Leading role words are cut off
  ("sagte Europaminister Uwe Döring" -> "Uwe Döring").
* ORG: a hyphenated compound ending in -partei, -ministerium, -agentur …
  ("US-Verteidigungsministerium"; the bare "Außenministerium" is generic), a
  name after "Nachrichtenagentur"/"Zeitung" ("Nachrichtenagentur Yonhap"),
  and capitalised words before a legal form ("Siemens AG").

Title-only references ("der US-Präsident", "des Machthabers": a roles.csv
word after a definite article and before no name) are not entities; they are
kept apart in `doc.spans["role"]` so that canonicalization can resolve them
to the person holding that role in the article.

A name word is title-case, longer than one letter, not a stop word, month,
weekday or title; a name found only by a speech verb never starts with the
first word of a sentence.

Speed: token flags come from `Doc.to_array` (lexeme attributes, no per-token
Python); Python only looks at the few anchor positions (role words, first
names, verbs, legal forms), and the two regular expressions run once per
distinct word, behind a suffix pre-filter.
"""

import re

import numpy as np
from spacy.attrs import IS_PUNCT, IS_STOP, IS_TITLE, LOWER, ORTH, SENT_START, SHAPE, SUFFIX
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

RULE_SPANS_KEY = "rule"
ROLE_SPANS_KEY = "role"
# Role words that stand for a person on their own after a definite article
# ("der US-Präsident", "des Machthabers"); titles never do ("der Herr").
DEFINITE_ARTICLES = ("der", "die", "des", "dem", "den")
TITLES = ("herr", "frau", "herrn", "dr.", "prof.", "mr.", "mrs.", "ms.", "mr", "mrs", "ms", "m.", "mme")
SPEECH_VERBS = (
    "sagte", "sagten", "sagt", "erklärte", "erklärten", "betonte", "meinte",
    "sprach", "kritisierte", "warnte", "forderte", "erläuterte", "antwortete",
    "entgegnete", "schrieb", "twitterte", "bestätigte", "verkündete", "mahnte",
)  # fmt: skip
NOT_NAMES = (
    "januar februar märz april mai juni juli august september oktober november "
    "dezember montag dienstag mittwoch donnerstag freitag samstag sonntag ende "
    "anfang mitte jahr jahre jahren woche wochen monat monate tag tage seite "
    "sicht angaben zeit rahmen namen weg herr frau dr dr. prof prof."
).split()
# Heads of German role compounds ("Außenamtssprecherin", "Borussia-Manager").
ROLE_HEADS = (
    "präsident", "präsidentin", "präsidenten", "minister", "ministerin", "ministers",
    "sprecher", "sprecherin", "chef", "chefin", "chefs", "berater", "beraterin",
    "botschafter", "botschafterin", "leiter", "leiterin", "führer", "experte",
    "experten", "expertin", "analyst", "analystin", "kanzler", "kanzlerin",
    "vorsitzende", "vorsitzender", "vorsitzenden", "sekretär", "gesandte", "gesandter",
    "manager", "managerin", "trainer", "trainerin", "direktor", "direktorin",
    "meister", "meisterin", "betriebsrat", "stürmer", "spieler", "spielerin",
    "autor", "autorin", "professor", "professorin", "kollege", "kollegin",
    "schwester", "bruder", "tochter", "sohn", "ehefrau", "ehemann", "witwe",
)  # fmt: skip
ORG_HEADS = ("partei", "ministerium", "agentur", "gewerkschaft", "behörde", "kommission", "konzern")
ORG_INTRODUCERS = ("nachrichtenagentur", "agentur", "zeitung", "tageszeitung", "sender", "fernsehsender", "konzern")
LEGAL_FORMS = ("AG", "GmbH", "SE", "KG", "Inc.", "Ltd.", "Corp.", "Co.")
NAME_PARTICLES = ("von", "van", "de", "der", "den", "del", "da", "di", "du", "la", "le", "al", "bin", "ibn", "zu")
MAX_NAME_WORDS = 3
_ATTRS = [ORTH, LOWER, SHAPE, SUFFIX, IS_TITLE, IS_STOP, IS_PUNCT, SENT_START]


def role_head_regex() -> re.Pattern:
    """Matches lower-cased role compounds such as "us-präsident" or "gewerkschaftschef"."""
    return re.compile(rf"^[\wäöüß]*-?(?:{'|'.join(ROLE_HEADS)})$")


def org_compound_regex() -> re.Pattern:
    return re.compile(rf"^[A-ZÄÖÜ][\wäöüß]*-[\w\-äöüß]*(?:{'|'.join(ORG_HEADS)})$")


# Word classes, as bits of a lookup table.
ROLE, VERB, NOT_NAME, INTRODUCER, ARTICLE = 1, 2, 4, 8, 16  # looked up by lower-case form
FIRST_NAME, LEGAL_FORM = 1, 2  # looked up by exact form
ORG_SUFFIX = 1  # looked up by the last three letters


class _WordClasses:
    """Word hash -> class bits, looked up for a whole doc with one binary search."""

    def __init__(self, nlp: Language, classes: dict[int, object]):
        bits: dict[int, int] = {}
        for bit, words in classes.items():
            for word in words:
                key = nlp.vocab.strings.add(word)
                bits[key] = bits.get(key, 0) | bit
        self.keys = np.array(sorted(bits), dtype="uint64")
        self.bits = np.array([bits[int(key)] for key in self.keys], dtype="int64")

    def __call__(self, hashes: np.ndarray) -> np.ndarray:
        index = np.minimum(np.searchsorted(self.keys, hashes), len(self.keys) - 1)
        return np.where(self.keys[index] == hashes, self.bits[index], 0)


class _WordTest:
    """A regular expression evaluated once per distinct word (by hash)."""

    def __init__(self, pattern: re.Pattern, attr_text: str):
        self.pattern = pattern
        self.attr_text = attr_text  # "lower_" or "text"
        self.cache: dict[int, bool] = {}

    def __call__(self, doc: Doc, positions: np.ndarray, keys: np.ndarray) -> np.ndarray:
        result = np.zeros(len(doc), dtype=bool)
        for i in positions:
            key = int(keys[i])
            if key not in self.cache:
                self.cache[key] = bool(self.pattern.match(getattr(doc[int(i)], self.attr_text)))
            result[i] = self.cache[key]
        return result


class GermanNameRules:
    """Adds rule entities that do not overlap existing ones; see module docstring."""

    def __init__(self, nlp: Language, roles: list[str], first_names: list[str]):
        self.by_lower = _WordClasses(
            nlp,
            {
                ROLE: (r.lower() for r in roles if r.lower() not in TITLES),
                VERB: SPEECH_VERBS,
                NOT_NAME: NOT_NAMES,
                INTRODUCER: ORG_INTRODUCERS,
                ARTICLE: DEFINITE_ARTICLES,
            },
        )
        self.by_orth = _WordClasses(nlp, {FIRST_NAME: first_names, LEGAL_FORM: LEGAL_FORMS})
        self.by_suffix = _WordClasses(nlp, {ORG_SUFFIX: (head[-3:] for head in ORG_HEADS)})
        self.particles = {nlp.vocab.strings.add(word) for word in NAME_PARTICLES}
        strings = nlp.vocab.strings
        self.comma, self.so = strings.add(","), strings.add("so")
        self.initial_shape, self.letter_shapes = strings.add("X."), (strings.add("X"), strings.add("x"))
        self.role_compound = _WordTest(role_head_regex(), "lower_")
        self.org_compound = _WordTest(org_compound_regex(), "text")

    def __call__(self, doc: Doc) -> Doc:
        if len(doc) == 0:
            return doc
        spans = filter_spans(self.candidates(doc))
        taken = {i for ent in doc.ents for i in range(ent.start, ent.end)}
        new = [s for s in spans if not taken.intersection(range(s.start, s.end))]
        doc.spans[RULE_SPANS_KEY] = new
        if new:
            doc.ents = sorted([*doc.ents, *new], key=lambda span: span.start)
        doc.spans[ROLE_SPANS_KEY] = self.role_references(doc, taken | {i for s in new for i in range(s.start, s.end)})
        return doc

    def role_references(self, doc: Doc, taken: set[int]) -> list[Span]:
        """Role words after a definite article, followed by no name and outside every entity."""
        lower, title, stop = doc.to_array([LOWER, IS_TITLE, IS_STOP]).T
        bits = self.by_lower(lower)
        after_article = np.flatnonzero((bits[1:] & ROLE > 0) & (bits[:-1] & ARTICLE > 0)) + 1
        spans = []
        for i in after_article:
            followed_by_name = i + 1 < len(doc) and title[i + 1] == 1 and stop[i + 1] == 0
            if not followed_by_name and int(i) not in taken and int(i) + 1 not in taken:
                spans.append(Span(doc, int(i), int(i) + 1, label="PER"))
        return spans

    def candidates(self, doc: Doc) -> list[Span]:
        """Every rule span, overlapping ones included."""
        orth, lower, shape, suffix, title, stop, punct, sent = doc.to_array(_ATTRS).T
        n = len(doc)
        by_lower, by_orth = self.by_lower(lower), self.by_orth(orth)
        name = (
            (title == 1)
            & (stop == 0)
            & (punct == 0)
            & (by_lower & NOT_NAME == 0)
            & (shape != self.letter_shapes[0])
            & (shape != self.letter_shapes[1])
        )
        initial = shape == self.initial_shape
        first = by_orth & FIRST_NAME > 0
        before_name = np.flatnonzero(np.append(name[1:], False))
        role = (by_lower & ROLE > 0) | self.role_compound(doc, before_name, lower)
        sentence_start = sent == 1

        def name_end(start: int, limit: int = MAX_NAME_WORDS) -> int:
            end = start
            while end < n and end - start < limit and name[end]:
                end += 1
            return end

        spans: list[Span] = []
        for i in np.flatnonzero(role[:-1] & name[1:]):  # Präsident Emmanuel (Jean) Macron / George W. Bush
            end = name_end(i + 1)
            if end == i + 2 and end + 1 < n and initial[end] and name[end + 1]:
                end += 2
            spans.append(Span(doc, i + 1, end, label="PER"))
        for i in np.flatnonzero(first[:-1]):  # Wolfgang Katzian, Hans Peter Müller, Ursula von Blumenthal
            j = i + 1
            if j + 1 < n and (first[j] or initial[j]) and name[j + 1]:
                spans.append(Span(doc, i, j + 2, label="PER"))
            elif name[j]:
                spans.append(Span(doc, i, j + 1, label="PER"))
            else:
                k = j
                while k < n and k - j < 2 and int(lower[k]) in self.particles and doc[k].is_lower:
                    k += 1
                if k > j and k < n and name[k]:
                    spans.append(Span(doc, i, k + 1, label="PER"))
        for v in np.flatnonzero(by_lower & VERB):  # Wolfgang Katzian sagte / sagte Wolfgang Katzian
            j = v - 1 if v > 0 and orth[v - 1] == self.comma else v
            start = j
            while start > 0 and j - start < MAX_NAME_WORDS and name[start - 1]:
                start -= 1
            for a, b in ((start, j), (v + 1, name_end(v + 1))):
                if b - a >= 2 and (span := self._speaker(doc, a, b, first, role, sentence_start)) is not None:
                    spans.append(span)
        for i in np.flatnonzero(orth[:-2] == self.comma):  # "…", so Katzian.
            if lower[i + 1] == self.so and name[i + 2]:
                end = name_end(i + 2)
                if end < n and punct[end]:
                    spans.append(Span(doc, i + 2, end, label="PER"))
        suffixed = np.flatnonzero(self.by_suffix(suffix))
        for i in np.flatnonzero(self.org_compound(doc, suffixed, orth)):  # US-Verteidigungsministerium
            spans.append(Span(doc, i, i + 1, label="ORG"))
        for i in np.flatnonzero(by_lower[:-1] & INTRODUCER):  # Nachrichtenagentur Yonhap
            if doc[i + 1].text[:1].isupper() and doc[i + 1].is_alpha:
                end = i + 2 if i + 2 >= n or not name[i + 2] else i + 3
                spans.append(Span(doc, i + 1, end, label="ORG"))
        for i in np.flatnonzero(by_orth & LEGAL_FORM):  # Siemens AG
            start = i
            while start > 0 and i - start < MAX_NAME_WORDS and name[start - 1]:
                start -= 1
            if start < i and not (sentence_start[start] and i - start == 1):
                spans.append(Span(doc, start, i + 1, label="ORG"))
        return spans

    def _speaker(self, doc, start, end, first, role, sentence_start) -> Span | None:
        """Name words next to a speech verb, without leading roles, from a first name on."""
        while start < end and role[start]:
            start += 1
        firsts = np.flatnonzero(first[start:end])
        if len(firsts):
            start += int(firsts[0])
        if end - start < 2 or sentence_start[start]:
            return None
        return Span(doc, start, end, label="PER")


@Language.factory(
    "newsflow_de_name_rules",
    default_config={"roles": [], "first_names": []},
    requires=["doc.ents", "token.is_sent_start"],
    assigns=["doc.ents", "doc.spans"],
)
def make_german_name_rules(nlp: Language, name: str, roles: list[str], first_names: list[str]) -> GermanNameRules:
    return GermanNameRules(nlp, roles, first_names)
