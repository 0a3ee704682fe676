"""Find the speaker of a cue and resolve it to a named person.

Around a cue word the speaker is searched to the right first (German
inversion "sagte Trump", "„…“, so Trump"; English/French only right after a
quote: "said Trump", "a-t-il déclaré") and then to the left ("Trump sagte",
"Der US-Präsident lobte", "hatte er geschrieben", "Trump, der …, lobte").
What is found is resolved to an *anchor*, the name mention that identifies
the person (later linked to `entities` through the canonical mentions):

* a name: itself;
* a role noun phrase ("Der US-Präsident"): the latest earlier name written
  with that role ("US-Präsident Donald Trump");
* a pronoun ("Er", "he", "-t-il"): the most recent speaker, else the
  subject of the previous sentence, else the nearest person named before,
  each only when its gender (`genders`: first names, "Frau", "-in" roles)
  fits the pronoun's; none that fits leaves the pronoun unresolved;
* a relative pronoun after "Name,": the name;
* a proper name no entity covers ("Jansen weiß:", German words HanTa tags
  as proper nouns; English capitalised words next to the cue): itself, as
  its own anchor (no entity is linked to it);
* any other subject noun phrase ("Nordkorea-Experten", "officials"): kept
  as speaker text, with no person.

A side clause between subject and cue ("Die Behörde, wo Rheinmetall seinen
Hauptsitz hat, sagte") is skipped; prepositional phrases and adverbs between
cue and an inverted subject ("erklärt auf Nachfrage Martin Rölen") too. A
speaker carried over to a report without its own never crosses a paragraph.
"""

from dataclasses import dataclass

from transforms.nlp.boundaries import is_proper_noun
from transforms.nlp.german import NOT_NAMES
from transforms.quotes.genders import PRONOUN_GENDER, gender_of, genders_by_surname
from transforms.quotes.language import WORDS, LanguageWords
from transforms.quotes.text_view import DocView, Person, Segment, Word

# Rule confidence of each way of finding a speaker (documented in the quotes table comment).
CONFIDENCE = {
    "name": 0.95,
    "proper": 0.8,
    "relative": 0.85,
    "role": 0.85,
    "pronoun": 0.75,
    "noun": 0.7,
    "inherited": 0.6,
    "role_guess": 0.6,
}
MAX_LEFT_WORDS = 30
MAX_RIGHT_WORDS = 3
MAX_RIGHT_SKIPPED = 4  # "erklärt auf Nachfrage Martin Rölen", "führte damals Stadtsprecherin … aus"
SIDE_CLAUSE_OPENERS = frozenset(
    "wo der die das dem den deren dessen welche welcher welches weil als wenn nachdem obwohl da "
    "who which where whose when while".split()
)
MAX_NOUN_WORDS = 3
WORDS_DE = WORDS["de"]
MAX_ADJECTIVES = 2  # "der japanische Regierungschef"
TIME_NOUNS = frozenset(NOT_NAMES)
NOT_SUBJECTS = frozenset("dies das dieses diese es man dazu daher dann so auch this that it there".split())
POSSESSIVE_MARKS = frozenset({"'s", "’s", "'", "’"})
APPOSITION_OPENERS = frozenset("a an the who which former its his her their".split())
MAX_CLAUSE_SUBJECT_WORDS = 6
POSSESSIVES_DE = frozenset("ihr ihre sein seine".split())
INDEFINITE = frozenset({"ein", "eine", "einer", "a", "an", "un", "une"})


@dataclass(frozen=True)
class Speaker:
    text: str
    how: str  # a CONFIDENCE key
    anchor: tuple[int, int] | None  # char span of the name mention, None for non-persons
    position: int  # char offset where the speaker is written (for "most recent")

    @property
    def confidence(self) -> float:
        return CONFIDENCE[self.how]


class SpeakerResolver:
    def __init__(self, view: DocView, words: LanguageWords, roles: frozenset[str]):
        self.view = view
        self.words = words
        self.roles = roles
        self.recent: Speaker | None = None  # the most recent speaker with a person anchor
        self._surname_genders: dict[str, str] | None = None  # built on the first pronoun

    def remember(self, speaker: Speaker | None) -> None:
        if speaker is not None and speaker.anchor is not None:
            self.recent = speaker

    def at_cue(self, segment: Segment, cue_first: int, cue_last: int, right: bool) -> Speaker | None:
        found = self._right(segment, cue_last) if right else None
        if found is not None and found.how == "noun":  # "lobte die Gespräche": an object unless no subject precedes
            left = self._left(segment, cue_first)
            return left if left is not None else found  # the subject opens the clause: "Das Ministerium nannte …"
        return found or self._left(segment, cue_first)

    def pronoun(self, word: Word, segment: Segment) -> Speaker | None:
        """The most recent speaker, else the previous sentence's subject, else the nearest earlier person,
        each only when its gender fits the pronoun's ("sagte sie" is never "Olaf Scholz")."""
        gender = PRONOUN_GENDER.get(word.lower) or self._singular_sie(word)
        candidates = [self.recent.anchor if self.recent else None, self._previous_subject(segment)]
        anchor = next((a for a in candidates if a is not None and self._fits(a, gender)), None)
        if anchor is None and gender is not None:
            earlier = [p for p in self.view.persons if p.end <= word.start and self._fits((p.start, p.end), gender)]
            anchor = (earlier[-1].start, earlier[-1].end) if earlier else None
        if anchor is None and gender is None and candidates[0] is None:
            anchor = candidates[1]
        return (
            Speaker(word.text, "pronoun", anchor, word.start)
            if anchor
            else Speaker(word.text, "noun", None, word.start)
        )

    def _singular_sie(self, word: Word) -> str | None:
        """German "sie" next to a singular verb ("sagte sie", "sie erklärt") is "she"; otherwise it may be "they"."""
        if self.words is not WORDS_DE or word.text != "sie" and word.text != "Sie" or word.i == 0:
            return None
        words = self.view.words
        neighbours = [words[i] for i in (word.i - 1, word.i + 1) if 0 <= i < len(words)]
        singular = any(w.text.islower() and w.text.endswith(("te", "t")) and w.text.isalpha() for w in neighbours)
        return "f" if singular else None

    def _fits(self, anchor: tuple[int, int], gender: str | None) -> bool:
        """Does the person at `anchor` have `gender` (or an unknown one)?"""
        if gender is None:
            return True
        text = self.view.text[anchor[0] : anchor[1]].split()
        if not text:
            return True
        known = self._genders().get(text[-1]) or gender_of(text[0], None)
        return known is None or known == gender

    def _genders(self) -> dict[str, str]:
        if self._surname_genders is None:
            view = self.view
            self._surname_genders = genders_by_surname(
                (view.text[p.start : p.end], view.words[p.first - 1].text if p.first > 0 else None)
                for p in view.persons
            )
        return self._surname_genders

    def inherited(self, position: int) -> Speaker | None:
        """The latest person speaking, carried over to a report without its own speaker."""
        latest = self.recent
        if latest is None or "\n\n" in self.view.text[latest.position : position]:
            return None
        return Speaker(self.view.text[latest.anchor[0] : latest.anchor[1]], "inherited", latest.anchor, position)

    def subject_of(self, segment: Segment) -> Speaker | None:
        """The subject of a sentence without a cue: a leading pronoun, else none."""
        outside = self.view.outside(segment)
        for word in outside[:3]:
            if word.lower in self.words.personal:
                return self.pronoun(word, segment)
        return None

    def previous_subject_speaker(self, segment: Segment, position: int) -> Speaker | None:
        anchor = self._previous_subject(segment)
        if anchor is None or "\n\n" in self.view.text[anchor[0] : position]:
            return None
        return Speaker(self.view.text[anchor[0] : anchor[1]], "inherited", anchor, position)

    def in_phrase(self, segment: Segment, first: int, last: int) -> Speaker | None:
        """The speaker named by the noun phrase at words [first, last] (a frame's source, a parsed subject)."""
        view = self.view
        words = view.words[first : last + 1]
        if not words:
            return None
        for i in range(first, last + 1):
            person = view.person_at(i)
            if person is not None:
                return self._named(person)
        if len(words) == 1 and words[0].lower in self.words.personal:
            return self.pronoun(words[0], segment)
        if len(words) == 1 and words[0].lower in self.words.other_persons:
            return None
        role = next((i for i in range(last, first - 1, -1) if view.words[i].lower in self.roles), None)
        if role is not None and view.words[first].lower in self.words.nominative_determiners | {"der", "des", "dem"}:
            return self._role(first, role, segment)
        name = self._proper_name(last)
        if name is not None and name[0] == first:  # the whole phrase is a name, not "A spokeswoman for Janney"
            return self._proper(name[0], name[1])
        return Speaker(view.text[words[0].start : words[-1].end], "noun", None, words[0].start)

    def main_subject(self, segment: Segment, before: int) -> Speaker | None:
        """The subject of the sentence's main clause, for a participle cue (", saying …", ", adding …"):
        a person or pronoun among its first words, else the noun phrase that opens it."""
        view = self.view
        words = view.words[segment.first : before]
        if not words or words[0].quote >= 0:
            return None
        if words[0].lower in self.words.personal:
            return self.pronoun(words[0], segment)
        end = 0
        while end < min(len(words), MAX_CLAUSE_SUBJECT_WORDS) and not _ends_subject(words[end]):
            end += 1
        if end == 0:
            return None
        return self.in_phrase(segment, segment.first, segment.first + end - 1)

    def after_cue(self, segment: Segment, cue_last: int) -> Speaker | None:
        """The inverted subject right after a cue that closes a report (", sagte die Polizeichefin")."""
        return self._right(segment, cue_last)

    def source_after(self, segment: Segment, cue_last: int) -> Speaker | None:
        """ "hieß es aus dem Ministerium": the noun phrase after "aus"/"von", else nobody."""
        view = self.view
        i = cue_last + 1
        if i >= segment.last or view.words[i].lower not in {"aus", "von", "vom"}:
            return None
        end = i + 1
        while end < segment.last and view.words[end].text not in {",", ".", ":", ";"} and end - i <= MAX_NOUN_WORDS + 1:
            end += 1
        return self.in_phrase(segment, i + 1, end - 1) if end > i + 1 else None

    def label(self, segment: Segment, colon: int) -> Speaker | None:
        """Interview style "Weber: „…“": one to three name words alone before the colon."""
        view = self.view
        before = view.words[segment.first : colon]
        if not 1 <= len(before) <= 3 or any(not w.text[:1].isupper() or w.quote >= 0 for w in before):
            return None
        person = view.person_at(colon - 1)
        if person is not None:
            return self._named(person)
        name = self._proper_name(colon - 1)
        return self._proper(*name) if name is not None and name[0] == segment.first else None

    # -- search around the cue --------------------------------------------------------

    def _right(self, segment: Segment, cue_last: int) -> Speaker | None:
        view = self.view
        i = cue_last + 1
        limit = min(segment.last, i + MAX_RIGHT_WORDS)
        while i < limit:
            word = view.words[i]
            if word.quote >= 0 or word.text in {",", ":", ";"}:
                return None  # "teilte mit, der Minister habe …": the words after the comma are the content
            skipped = self._skip_adjunct(segment, i)
            if skipped > i:  # "auf Nachfrage", "am Samstag", "damals"
                limit = min(segment.last, limit + (skipped - i), cue_last + 1 + MAX_RIGHT_WORDS + MAX_RIGHT_SKIPPED)
                i = skipped
                continue
            person = view.person_at(i)
            if person is not None:
                return self._named(person)
            if word.lower in self.words.personal:
                return self.pronoun(word, segment)
            if word.lower in self.words.nominative_determiners or (
                self.words is WORDS_DE and word.lower in POSSESSIVES_DE
            ):  # "sagte der japanische Regierungschef", "teilte ihr Management mit"
                return self._right_noun_phrase(i, segment)
            if word.lower in self.roles:  # "sagte US-Präsident Trump" (the name follows) or a bare role
                if view.person_at(i + 1) is None:
                    return self._role(i, i, segment)
                i += 1
                continue
            if word.text[:1].isupper() and view.person_at(i + 1) is not None:  # "Stadtsprecherin Marion …"
                i += 1
                continue
            if word.text[:1].isupper() and word.text.isalpha():
                name = self._proper_name_forward(i, segment)
                if name is not None:  # "said Brazile", "erklärt Martin Rölen" (a name the KB lacks)
                    return self._proper(*name)
            if self.words is WORDS_DE and word.text[:1].isupper() and word.text.replace(".", "").isalpha():
                first = i  # "warnt Lueftner," (a name the KB lacks), "bestätigten … vertraute Personen"
                while first - 1 > cue_last and view.words[first - 1].text.islower() and view.words[first - 1].lower.endswith(("e", "en")):
                    first -= 1
                return Speaker(view.text[view.words[first].start : word.end], "noun", None, view.words[first].start)
            if self.words is WORDS_DE and word.lower in {"ver.di", "verdi"}:
                return Speaker(word.text, "noun", None, word.start)
            return None
        return None

    def _skip_adjunct(self, segment: Segment, i: int) -> int:
        """Index after a German adverb or prepositional phrase at word i (i itself when there is none)."""
        view = self.view
        word = view.words[i]
        if self.words is not WORDS_DE:
            return i
        if word.lower in self.words.prepositions and word.lower not in {"laut"}:
            j = i + 1
            while j < segment.last and j - i <= 3 and view.words[j].quote < 0:
                if view.words[j].text[:1].isupper() or view.words[j].text[:1].isdigit():
                    return j + 1 if view.person_at(j) is None else i
                j += 1
            return i
        if word.text.isalpha() and word.text.islower() and word.lower not in self.words.nominative_determiners | POSSESSIVES_DE:
            if word.lower not in self.words.personal and word.lower not in self.roles and word.lower not in INDEFINITE:
                return i + 1  # "damals", "weiter", "schließlich"
        return i

    def _proper_name(self, last: int) -> tuple[int, int] | None:
        """Words [first, last] of a name ending at word `last` that no entity covers, else None.

        German: words HanTa tags as proper nouns ("Jansen", "Hape Kerkeling"); English: capitalised
        words that are not the sentence's first word unless a quote or comma precedes."""
        view = self.view
        if last < 0 or not self._name_word(last):
            return None
        first = last
        while first - 1 >= 0 and last - first < 2 and self._name_word(first - 1):
            first -= 1
        if self.words is WORDS_DE:
            return (first, last) if is_proper_noun(view.words[last].text) else None
        return (first, last)

    def _proper_name_forward(self, first: int, segment: Segment) -> tuple[int, int] | None:
        last = first
        while last + 1 < segment.last and last - first < 2 and self._name_word(last + 1):
            last += 1
        if self.words is WORDS_DE and not is_proper_noun(self.view.words[last].text):
            return None
        return (first, last) if self._name_word(first) else None

    def _name_word(self, i: int) -> bool:
        word = self.view.words[i]
        text = word.text
        return (
            word.quote < 0
            and len(text) > 1
            and text[:1].isupper()
            and text.replace("-", "").replace(".", "").isalpha()
            and word.lower not in self.roles
            and word.lower not in self.words.nominative_determiners
            and word.lower not in self.words.personal
            and word.lower not in self.words.other_persons
            and word.lower not in self.words.prepositions
            and not (self.words is not WORDS_DE and i > 0 and self.view.words[i - 1].text in {".", "!", "?"})
        )

    def _proper(self, first: int, last: int) -> Speaker:
        view = self.view
        start, end = view.words[first].start, view.words[last].end
        if any(i in view.non_person_words for i in range(first, last + 1)):  # "the White House": no person
            return Speaker(view.text[start:end], "noun", None, start)
        return Speaker(view.text[start:end], "proper", (start, end), start)

    def _right_noun_phrase(self, first: int, segment: Segment) -> Speaker | None:
        """Determiner, adjectives, noun after the cue: a role (resolved), a name, or another subject
        ("teilte die Polizei mit"). "der" + an "-en" adjective is dative/genitive ("erklärt der jungen Frau")."""
        view = self.view
        j = first + 1
        while (
            j < min(segment.last, first + 1 + MAX_ADJECTIVES)
            and view.words[j].text.islower()
            and view.words[j].lower not in self.roles
        ):
            if view.words[first].lower == "der" and view.words[j].lower.endswith("en") and self.words is WORDS_DE:
                return None
            j += 1
        if j >= segment.last or view.words[j].quote >= 0:
            return None
        person = view.person_at(j) or view.person_at(j + 1)
        if person is not None:
            return self._named(person)
        if view.words[j].lower in self.roles:
            return self._role(first, j, segment)
        if view.words[j].text[:1].isalpha() and (view.words[j].text[:1].isupper() or self.words is not WORDS_DE):
            return Speaker(
                view.text[view.words[first].start : view.words[j].end], "noun", None, view.words[first].start
            )
        return None

    def _left(self, segment: Segment, cue_first: int) -> Speaker | None:
        view = self.view
        stop = max(segment.first, cue_first - MAX_LEFT_WORDS)
        i = cue_first - 1
        subject_end = cue_first
        if self._content_before(segment, cue_first):  # "…, teilte die Polizei mit": the left is what was said
            return None
        while i >= stop:
            word = view.words[i]
            if word.text == "," and word.quote < 0:
                opening = self._side_clause_start(segment, i)
                if opening is None and self.words is not WORDS_DE:
                    opening = self._apposition_start(segment, i)
                if opening is not None:  # "Die Behörde NRW, wo Rheinmetall seinen Hauptsitz hat, sagte"
                    i = subject_end = opening
                    i -= 1
                    continue
                if self.words is not WORDS_DE:  # English subjects stand in the cue's clause
                    break
            if word.quote >= 0:
                # a quote that ends a clause ("„…“, sagte") ends the search; one inside the clause is skipped
                if i + 1 < len(view.words) and view.words[i + 1].quote < 0 and view.words[i + 1].text in {",", ":"}:
                    return None
                i -= 1
                continue
            person = view.person_at(i)
            if person is not None:
                if person.last + 1 < len(view.words) and view.words[person.last + 1].lower in POSSESSIVE_MARKS:
                    return self._possessed(person, cue_first)  # "Clinton’s campaign said"
                if not self._governed(person.first):
                    return self._named(person)
                i = person.first - 1
                continue
            lower = word.lower
            if (
                self.words is WORDS_DE
                and i == cue_first - 1
                and i > segment.first
                and word.text[:1].isupper()
                and word.text.isalpha()
                and view.words[i - 1].lower in {",", "wie"}
                and lower not in self.roles
            ):
                return Speaker(word.text, "noun", None, word.start)  # ", wie Fink meinte" (a name the KB lacks)
            if lower in self.words.personal:
                return self.pronoun(word, segment)
            if i == subject_end - 1 or (i == cue_first - 2 and view.words[cue_first - 1].text == ","):
                name = self._proper_name(i)  # "Jansen weiß:", "Hape Kerkeling konstatiert:", "Maier, erklärte"
                if name is not None and not self._governed(name[0]):
                    return self._proper(*name)
            if lower in self.words.relatives and i > 0 and view.words[i - 1].text == ",":
                antecedent = view.person_at(i - 2)
                if antecedent is not None:
                    return Speaker(
                        view.text[antecedent.start : antecedent.end],
                        "relative",
                        (antecedent.start, antecedent.end),
                        antecedent.start,
                    )
            if lower in self.roles and not self._governed(i):
                determiner = view.words[i - 1].lower if i > segment.first else ""
                if determiner in self.words.nominative_determiners or i == segment.first:
                    return self._role(i - 1 if determiner else i, i, segment)
            i -= 1
        found = self._noun_subject(segment, subject_end) or self._clause_subject(segment, subject_end)
        return found or (self._opening_noun_phrase(segment, cue_first) if self.words is WORDS_DE else None)

    def _opening_noun_phrase(self, segment: Segment, cue_first: int) -> Speaker | None:
        """German verb-second: the noun phrase that opens the sentence right before its finite verb
        ("Die Wiener Grünen warnten am Freitag davor, dass …", "Das Innenministerium hatte … erklärt")."""
        view = self.view
        i = segment.first
        if i < cue_first and view.words[i].lower in self.words.nominative_determiners | {"die", "das"}:
            i += 1
        while i < cue_first and view.words[i].text.isalpha() and view.words[i].text.islower() and i - segment.first < 3:
            i += 1  # adjectives
        nouns = i
        while i < cue_first and view.words[i].text[:1].isupper() and view.words[i].quote < 0 and i - nouns < 3:
            i += 1
        if i == nouns or i >= cue_first or not view.words[i].text.isalpha() or not view.words[i].text.islower():
            return None
        if view.words[segment.first].lower in self.words.prepositions | NOT_SUBJECTS:
            return None
        if any(w.lower in TIME_NOUNS for w in view.words[segment.first : i]):
            return None  # "Ende April hatte das Duo angekündigt"
        return self.in_phrase(segment, segment.first, i - 1)

    def _possessed(self, person: Person, cue_first: int) -> Speaker:
        """ "Clinton’s campaign", "Sanders's campaign manager": not the person, the phrase up to the cue."""
        view = self.view
        start, end = view.words[person.first].start, view.words[cue_first - 1].end
        return Speaker(view.text[start:end], "noun", None, start)

    def _apposition_start(self, segment: Segment, comma: int) -> int | None:
        """English: the comma opening ", a former adviser," between a name and the cue, else None."""
        view = self.view
        j = self._opening_comma(segment, comma)
        if j is None:
            return None
        first = view.words[j + 1]
        named = view.person_at(j - 1) is not None or self._name_word(j - 1)  # "Matdos Santos, legal director …,"
        apposition = first.lower in APPOSITION_OPENERS or first.lower in self.roles or named
        return j if apposition and comma - j <= 12 else None

    def _clause_subject(self, segment: Segment, cue_first: int) -> Speaker | None:
        """A noun phrase between a quote (or comma) and the cue: '"…," the email said'."""
        view = self.view
        start = cue_first
        while start - 1 >= segment.first and view.words[start - 1].quote < 0 and view.words[start - 1].text != ",":
            start -= 1
        words = view.words[start:cue_first]
        if not 1 <= len(words) <= MAX_CLAUSE_SUBJECT_WORDS or start == segment.first:
            return None
        first = words[0]
        if not (first.lower in self.words.nominative_determiners or first.text[:1].isupper() or first.text[:1].isdigit()):
            return None
        if any(not w.text[:1].isalnum() and w.text not in {"'s", "’s", "-", "."} for w in words):
            return None
        return self.in_phrase(segment, start, cue_first - 1)

    def _content_before(self, segment: Segment, cue_first: int) -> bool:
        """Is the cue right after a comma that ends a clause of its own (not a side clause, not an
        apposition like ", Rechtsanwalt Maier,")? Then the words before are the content."""
        view = self.view
        comma = cue_first - 1
        if comma <= segment.first or view.words[comma].text != "," or view.words[comma].quote >= 0:
            return False
        if self._side_clause_start(segment, comma) is not None:
            return False
        if self.words is not WORDS_DE and self._apposition_start(segment, comma) is not None:
            return False
        j = comma - 1
        while j > segment.first and view.words[j].text != "," and view.words[j].quote < 0:
            j -= 1
        chunk = view.words[j + 1 : comma] if view.words[j].text == "," else view.words[j:comma]
        apposition = len(chunk) <= 4 and all(w.text[:1].isupper() or w.lower in self.roles for w in chunk)
        return not apposition and any(w.quote >= 0 for w in chunk) is False

    def subject_before_side_clause(self, segment: Segment, comma: int) -> bool:
        """Does the comma at word `comma` close a side clause that follows the sentence's subject
        ("Der 51-Jährige, der … gerettet hatte, erklärte")? Then the cue after it has that subject."""
        opening = self._side_clause_start(segment, comma)
        if opening is None or opening - segment.first > MAX_NOUN_WORDS + 1:
            return False
        before = self.view.words[opening - 1].text  # a German noun or name, not "Ich habe entschieden, das … zu verlassen,"
        return self.words is not WORDS_DE or not (before.isalpha() and before.islower())

    def _side_clause_start(self, segment: Segment, comma: int) -> int | None:
        """Index of the comma opening a side clause that ends at `comma` (", wo …,", ", who …,"), else None."""
        j = self._opening_comma(segment, comma)
        return j if j is not None and self.view.words[j + 1].lower in SIDE_CLAUSE_OPENERS else None

    def _opening_comma(self, segment: Segment, comma: int) -> int | None:
        """Index of the comma before the one at `comma`, with words between them, else None."""
        view = self.view
        j = comma - 1
        while j > segment.first and view.words[j].text != ",":
            j -= 1
        if j <= segment.first or view.words[j].text != "," or j + 1 >= comma:
            return None
        return j

    def _noun_subject(self, segment: Segment, cue_first: int) -> Speaker | None:
        """A subject that names no person: up to three words opening the clause ("Nordkorea-Experten")."""
        view = self.view
        before = view.words[segment.first : cue_first]
        if not before or len(before) > MAX_NOUN_WORDS or any(w.quote >= 0 or not w.text[:1].isalpha() for w in before):
            return None
        first = before[0].lower
        if first in self.words.other_persons or first in self.words.prepositions or first in self.words.relatives:
            return None
        article = self.words is WORDS_DE and len(before) > 1 and before[1].text[:1].isupper()  # "Das Ministerium …"
        if first in NOT_SUBJECTS and not article:  # "Dies sagte Abwerzger": the speaker is after the cue
            return None
        return Speaker(view.text[before[0].start : before[-1].end], "noun", None, before[0].start)

    # -- resolution -----------------------------------------------------------------

    def _named(self, person: Person) -> Speaker:
        return Speaker(self.view.text[person.start : person.end], "name", (person.start, person.end), person.start)

    def _role(self, first: int, last: int, segment: Segment) -> Speaker | None:
        """A role phrase: the latest name written with that role; with a definite article and no such
        name, the speaker so far, else the latest person named before ("der japanische Regierungschef")."""
        view = self.view
        role = view.words[last].lower
        start = view.words[first].start
        text = view.text[start : view.words[last].end]
        if view.words[first].lower in INDEFINITE:  # "ein Sprecher" is somebody else
            return Speaker(text, "noun", None, start)
        candidates = [p for p in view.persons if p.end <= start and p.role and _same_role(p.role, role)]
        if candidates:
            person = candidates[-1]
            return Speaker(text, "role", (person.start, person.end), start)
        if self.recent is not None:
            return Speaker(text, "role_guess", self.recent.anchor, start)
        earlier = [
            p for p in view.persons if p.end <= start and view.words[p.first].quote < 0 and not self._governed(p.first)
        ]
        if earlier:
            return Speaker(text, "role_guess", (earlier[-1].start, earlier[-1].end), start)
        return Speaker(text, "noun", None, start)

    def _governed(self, first: int) -> bool:
        """Is the name (or role word) at word `first` inside a prepositional or object phrase?"""
        view = self.view
        i = first - 1
        for _ in range(3):
            if i < 0:
                return False
            lower = view.words[i].lower
            if lower in self.words.prepositions or lower in self.words.oblique_determiners:
                return True
            if lower in self.roles or (view.words[i].text[:1].isupper() and lower.endswith("s")):
                i -= 1  # skip "Machthaber", "Nordkoreas" in "mit Nordkoreas Machthaber Kim"
                continue
            return False
        return False

    def _previous_subject(self, segment: Segment) -> tuple[int, int] | None:
        """The first ungoverned person of the sentence before `segment`."""
        earlier = [s for s in self.view.segments if s.end <= segment.start]
        if not earlier:
            return None
        previous = earlier[-1]
        for person in self.view.persons:
            inside = previous.first <= person.first < previous.last and self.view.words[person.first].quote < 0
            if inside and not self._governed(person.first):
                return (person.start, person.end)
        return None


def _same_role(a: str, b: str) -> bool:
    """ "US-Präsidenten" and "US-Präsident" are the same role."""
    a, b = a.rstrip("sn"), b.rstrip("sn")
    return len(a) >= 4 and (a.startswith(b) or b.startswith(a))


ENGLISH_PREDICATE_STARTS = frozenset(
    "also has had have is was are were will would could can did does do declined said says told on in at "
    "then later again still".split()
)


def _ends_subject(word: Word) -> bool:
    """Does an English subject noun phrase end before this word (a verb, an adverb, a comma)?"""
    lower = word.lower
    return (
        word.quote >= 0
        or not word.text[:1].isalnum()
        or lower in ENGLISH_PREDICATE_STARTS
        or (word.text.islower() and lower.endswith(("ed", "ly")))
    )
