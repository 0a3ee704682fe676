"""Quotes of one article, from the spaCy Doc the entity step made.

Per sentence (quotes never split a sentence, and no sentence runs over a
line break), in article order:

1. cues: speech verbs and phrases of the language's list, outside quotes
   (English: verbs only, `english.is_verb`); ", so X" at a sentence end;
2. indirect speech, the first that applies:
   * a reporting frame (`frames`): "laut X", "X zufolge", "nach Angaben
     von X", "according to X", "wie X mitteilte";
   * a German Konjunktiv I verb anywhere in the sentence, told from
     adjectives and imperatives by part of speech (`german_mood`), or a
     Konjunktiv II sentence that continues a report; its speaker is the
     cue's (after the verb: the subject that follows it), else that of the
     report in the sentence before (same paragraph), else the sentence's
     pronoun subject, else the most recent speaker, else the subject of the
     previous sentence;
   * a cue followed by "dass"/"daß"/"ob"/"that"/"whether"/"que" (not
     negated: "äußerte sich nicht dazu, ob");
   * unmarked words after a cue's colon or a German zu-infinitive ("warf …
     vor, … einzuhalten");
   * English: the clause of a speech verb without "that" (`english`), and
     in both languages a sentence without quote marks that ends in ", he
     said." / ", sagte Heino.";
   content spans exclude the frame and the complementizer;
3. each quote: `direct` when it stands as an utterance (after a colon, at the
   start of the sentence, or two or more words ending in their own
   punctuation), else `partial`. The speaker comes from the cue next to it
   (before a colon: the cue before; otherwise the nearest cue), from an
   interview label ("Weber: „…“"), from the indirect sentence it is part of,
   or (a stand-alone quote or a subjunctive sentence right after an
   attributed quote) from the previous quote. Quoted names, titles and
   abbreviations („Cz. Allg. Ztg.“, „Claudi“, “Face the Nation”) and a
   partial quote with none of these are kind `term`, attributed to nobody.
"""

import hashlib
import re
from spacy.tokens import Doc

from transforms.nlp.boundaries import is_proper_noun
from transforms.quotes import english, german_mood
from transforms.quotes.cues import CueLexicon
from transforms.quotes.frames import find_frame
from transforms.quotes.language import words_for
from transforms.quotes.speakers import Speaker, SpeakerResolver
from transforms.quotes.text_view import DocView, Segment, Word

KINDS = ("direct", "partial", "indirect", "term")
UNATTRIBUTED_DIRECT_CONFIDENCE = 0.3
TERM_CONFIDENCE = 0.0
SENTENCE_END = frozenset(".!?…")
UTTERANCE_END = SENTENCE_END | frozenset(",;")
FIRST_SECOND_PERSON = frozenset(
    "ich wir du ihr mich mir uns dich dir euch unser unsere unseren unserem unserer dein deine deinen euer eure".split()
)
FIRST_PERSON = frozenset("ich wir mich mir uns unser unsere unseren unserem unserer".split())
OWN = frozenset({"eigenen", "eigener"})  # "laut eigenen Angaben"
MAX_SPEECH_SENTENCES = 3  # unmarked sentences of speech before one "…, sagte X."
ABBREVIATION = re.compile(r"^([A-ZÄÖÜ][a-zäöüß]{0,5}\.)+$")  # "Cz.", "Allg.", "Ztg."
IMPERSONAL_CUES = frozenset({"hieß es", "heißt es"})
NAMING_CUES = frozenset("nannte nannten nennt genannt bezeichnete bezeichneten bezeichnet called calls call".split())
FRAME_CUES = frozenset({"laut", "zufolge", "according to", "nach angaben", "selon"})
NEGATIONS = frozenset("nicht kein keine nie not never".split())
ZU_INFIX = re.compile(r"^(an|auf|aus|ein|ab|bei|mit|nach|vor|zurück|weg|her|hin|fest|frei|los)zu\w+en$")
TITLE_SMALL_WORDS = frozenset("the of a an and in on to for at by with who me from or".split())
SO_FRAME_WORDS = 10  # ", so Foglar Freitagabend via Aussendung."
CONTENT_OPENER_WINDOW = 6  # words from a cue to the comma that opens its content
PERSON_WINDOW = 4  # words before a Konjunktiv verb in which "ich"/"wir" make it speech itself
TAIL_WORDS = 3  # ", wie Fink meinte": words from the comma to a trailing cue
AUXILIARY_WORDS = 3  # "», a-t-il déclaré": words between the quote and the cue
KONJUNKTIV_WINDOW = 6  # words: the finite verb of a German main clause comes early
COMPLEMENTIZER_WINDOW = 6  # words from the cue to "dass"/"that" ("verwiesen immer wieder darauf, dass")


def find_quotes(
    doc: Doc, article_id: str, text: str, language: str, lexicon: CueLexicon, roles: frozenset[str]
) -> list[dict]:
    """Quote rows (QUOTE_CANDIDATE_SCHEMA) of one article."""
    return with_ids(attribute_quotes(doc, text, language, lexicon, roles), article_id)


def attribute_quotes(doc: Doc, text: str, language: str, lexicon: CueLexicon, roles: frozenset[str]) -> list[dict]:
    """The article's quote rows without `quote_id` and `article_id` (what the `newsflow_quotes` component sets)."""
    return _Attribution(DocView(doc, text, roles), language, lexicon, roles).run()


def with_ids(quotes: list[dict], article_id: str) -> list[dict]:
    """QUOTE_CANDIDATE_SCHEMA rows: the quotes of one Doc with their article and stable ids."""
    return [
        {"quote_id": quote_id(article_id, q["kind"], q["start_char"], q["end_char"]), "article_id": article_id, **q}
        for q in quotes
    ]


class _Attribution:
    def __init__(self, view: DocView, language: str, lexicon: CueLexicon, roles: frozenset[str]):
        self.view = view
        self.language = language
        self.lexicon = lexicon
        self.words = words_for(language)
        self.resolver = SpeakerResolver(view, self.words, roles)
        self.rows: list[dict] = []
        self.last_quote_segment = -2  # index of the latest segment with an attributed quote
        self.indirect_cue: tuple[int, int] | None = None  # cue words of the current indirect sentence
        self.last_report: tuple[int, Speaker | None] = (-2, None)  # segment and speaker of the latest report
        self.index = 0  # the segment being attributed

    def run(self) -> list[dict]:
        for index, segment in enumerate(self.view.segments):
            self.index = index
            cues = self._cues(segment)
            indirect = self._indirect(index, segment, cues)
            attributed = self._quotes(index, segment, cues, indirect)
            if attributed:
                self.last_quote_segment = index
            elif indirect is None and cues:  # "…, sagt X." without quote marks: X is speaking from here on
                first, last, _ = cues[-1]
                speaker = self.resolver.at_cue(segment, first, last, right=self._right_allowed(cues[-1]))
                self.resolver.remember(speaker)
                if speaker is not None:  # "Das Ministerium nannte nur seine Initialen. Der Mann sei …"
                    self.last_report = (index, speaker)
        return sorted(self.rows, key=lambda row: (row["start_char"], row["kind"]))

    # -- cues ---------------------------------------------------------------------------

    def _cues(self, segment: Segment) -> list[tuple[int, int, str]]:
        """(first word, last word, cue label) of every cue in the sentence, outside quotes."""
        words = self.view.words
        outside = self.view.outside(segment)
        found = []
        taken: set[int] = set()
        for position, word in enumerate(outside):
            if word.i in taken:
                continue
            lower = _strip_clitic(word.lower)
            if lower in self.words.after_quote_cues and (self._after_quote(word) or self._so_frame(word, segment)):
                found.append((word.i, word.i, lower))  # „…“, so Trump / "…, so Foglar weiter."
                continue
            for cue in self.lexicon.starting_with(lower):
                last = word.i + len(cue.words) - 1
                if last >= segment.last or [_strip_clitic(w.lower) for w in words[word.i : last + 1]] != list(
                    cue.words
                ):
                    continue
                if cue.particle and cue.particle not in {w.lower for w in outside[position + 1 :]}:
                    continue
                if self.language == "en" and not english.is_verb(self.view, word.i, last):
                    continue  # "a swing state that …"
                found.append((word.i, last, cue.label))
                taken.update(range(word.i, last + 1))
                break
        return found

    def _so_frame(self, word: Word, segment: Segment) -> bool:
        """ ", so Foglar weiter." / ", so der Bischof am Montag": "so" after a comma, before a name or a
        noun phrase, near the end of the sentence."""
        words = self.view.words
        if word.i == 0 or words[word.i - 1].text != "," or segment.last - word.i > SO_FRAME_WORDS:
            return False
        after = words[word.i + 1] if word.i + 1 < segment.last else None
        if after is None:
            return False
        if after.lower in self.words.nominative_determiners and word.i + 2 < segment.last:
            after = words[word.i + 2]
        return after.text[:1].isupper() and after.text.isalpha()

    def _after_quote(self, word: Word) -> bool:
        """Is `word` right after „…“, (comma inside or outside the quote; French "a", "-t", "-il" between)?"""
        words = self.view.words
        i = word.i - 1
        while i >= 0 and word.i - i <= AUXILIARY_WORDS and words[i].quote < 0 and _auxiliary(words[i].text):
            i -= 1
        if i >= 0 and words[i].text == ",":
            i -= 1
        return i >= 0 and words[i].quote >= 0

    # -- indirect speech ----------------------------------------------------------------

    def _indirect(self, index: int, segment: Segment, cues: list[tuple[int, int, str]]) -> Speaker | None:
        outside = self.view.outside(segment)
        if not outside:
            return None
        frame = find_frame(self.view, segment, cues)
        if frame is not None:  # "Laut Scheuer könnten …", "…, according to a spokesman."
            if frame.source is not None and not self._own_account(frame.source):
                speaker = self.resolver.in_phrase(segment, *frame.source)
            else:  # "nach diesen Angaben": the report before; "nach bisherigen Erkenntnissen": nobody named
                speaker = self._report_goes_on(index, segment) if frame.refers_back else None
            start, end = frame.content
            cue_span = frame.cue
            closing = self._closing_cue(segment, cues, frame)
            if closing is not None:  # "Sie sollen laut Informationen aus Ungarn …, so Pangl": the frame is content
                speaker = self.resolver.after_cue(segment, closing[1]) or self._cue_speaker(segment, closing)
                start, end = outside[0].start, min(end, self._content_end(segment, closing))
                cue_span = (closing[0], closing[1])
            self._emit("indirect", start, end, cue_span, speaker)
            self.indirect_cue = cue_span
            return speaker
        verb = self._konjunktiv(outside)
        if verb is None and self._subjunctive_report(index, segment, outside):
            verb = next(w for w in _early_words(outside) if w.lower in self.words.subjunctive_ii)
        if verb is not None:
            tail = next((c for c in cues if c[0] > verb.i and self._tail_cue(c[0])), None)  # ", sagte Kim"
            before = [c for c in cues if c[1] < verb.i]  # "Putin betonte, …" (not "…, dass sie informiert worden sei")
            cue = tail or next((c for c in before if self._opens_content(c)), before[-1] if before else None)
            if cue is not None:
                after = self.resolver.after_cue(segment, cue[1]) if cue is tail and self.language == "de" else None
                speaker = after or self._cue_speaker(segment, cue)  # "…, sagte die Polizeichefin des Bezirks"
                if cue is tail and self.language == "de":
                    speaker = self._with_apposition(segment, cue[1], speaker)
                cue_span = (cue[0], cue[1])
            else:
                speaker = self._report_goes_on(index, segment)  # "Er sei mit … gekommen." after "…, teilte X mit"
                speaker = speaker or self.resolver.subject_of(segment) or self.resolver.inherited(verb.start)
                speaker = speaker or self.resolver.previous_subject_speaker(segment, verb.start)
                cue_span = (verb.i, verb.i)
            end_word = self._content_end(segment, cue if cue and cue[0] > verb.i else None)
            self._emit("indirect", self._content_start(outside, cue, verb), end_word, cue_span, speaker)
            self.indirect_cue = cue_span
            return speaker
        for first, last, label in cues:
            after = [w for w in outside if w.i > last][:COMPLEMENTIZER_WINDOW]
            complementizer = next((w for w in after if w.lower in self.words.complementizers), None)
            if complementizer is None or any(w.lower in NEGATIONS and w.i < complementizer.i for w in after):
                continue  # "äußerte sich nicht dazu, ob …": nothing was said
            start_word = next((w for w in outside if w.i > complementizer.i), None)
            if start_word is None:
                continue
            speaker = self._cue_speaker(segment, (first, last, label))
            self._emit("indirect", start_word.start, self._content_end(segment, None), (first, last), speaker)
            self.indirect_cue = (first, last)
            return speaker
        return self._after_cue_report(segment, cues) or self._reported_clause(segment, cues)

    def _own_account(self, source: tuple[int, int]) -> bool:
        """ "laut eigenen Angaben": the source is the sentence's subject, which no rule here finds (no speaker)."""
        return any(w.lower in OWN for w in self.view.words[source[0] : source[1] + 1])

    def _closing_cue(self, segment: Segment, cues: list[tuple[int, int, str]], frame) -> tuple[int, int, str] | None:
        """A German cue of saying after the frame that closes the sentence (", so Pangl", ", gab Stöger laut
        einer Aussendung zu bedenken"): its speaker said the whole sentence, frame included."""
        if self.language != "de":
            return None
        return next(
            (c for c in cues if c[2] not in FRAME_CUES and self._tail_cue(c[0])), None
        )

    def _after_cue_report(self, segment: Segment, cues: list[tuple[int, int, str]]) -> Speaker | None:
        """Unmarked words after a cue: "erklärte Mitterlehner auf Facebook: Müssen neue Akzente setzen" (a
        colon, no quote marks), "warf der Türkei vor, das Abkommen nicht einzuhalten" (a zu-infinitive)."""
        words = self.view.words
        for first, last, label in cues:
            if label in FRAME_CUES or label in NAMING_CUES:
                continue
            clause = [w for w in words[last + 1 : segment.last] if w.quote < 0]
            opener = next((w for w in clause[:CONTENT_OPENER_WINDOW] if w.text in {":", ","}), None)
            if opener is None or any(w.quote >= 0 for w in words[opener.i : segment.last]):
                continue
            content = [w for w in clause if w.i > opener.i]
            while content and content[-1].text in SENTENCE_END:
                content.pop()
            if len(content) < 2:
                continue
            infinitive = self.language == "de" and _zu_infinitive(content)
            if opener.text != ":" and not infinitive:
                continue
            speaker = self._cue_speaker(segment, (first, last, label))
            self._emit("indirect", content[0].start, content[-1].end, (first, last), speaker)
            self.indirect_cue = (first, last)
            return speaker
        return None

    def _reported_clause(self, segment: Segment, cues: list[tuple[int, int, str]]) -> Speaker | None:
        """English "Trump said he would accept the results": the cue verb's clause, "that" or not; in
        English and German a sentence without quote marks ending in ", he said." / ", sagte Heino."."""
        if self.language not in {"en", "de"}:
            return None
        for first, last, label in cues:
            if self._after_quote(self.view.words[first]) or label in FRAME_CUES:
                continue
            clause = english.reported_clause(self.view, segment, last) if self.language == "en" else None
            tail = english.tail_report(self.view, segment, first, self.language) if clause is None else None
            if tail is not None and self.resolver.subject_before_side_clause(segment, tail[1] + 1):
                tail = None  # "Der 51-Jährige, der … gerettet hatte, erklärte seinen Rücktritt"
            if tail is not None:  # "Around 70 people came, he said." / "…, said Mark Jones, a professor."
                if self.language == "de":
                    speaker = self._cue_speaker(segment, (first, last, label))
                    speaker = self._with_apposition(segment, last, speaker)
                else:
                    speaker = self._tail_report_speaker(segment, tail[1] + 1, first, last)
                words = self.view.words
                start = self._unmarked_speech_before(segment) if self.language == "de" else words[tail[0]].start
                self._emit("indirect", start, words[tail[1]].end, (first, last), speaker)
                self.indirect_cue = (first, last)
                return speaker
            if clause is None or any(self.view.words[i].quote >= 0 for i in (clause[0], first)):
                continue
            speaker = self._cue_speaker(segment, (first, last, label))
            words = self.view.words
            self._emit("indirect", words[clause[0]].start, words[clause[1]].end, (first, last), speaker)
            self.indirect_cue = (first, last)
            return speaker
        return None

    def _unmarked_speech_before(self, segment: Segment) -> int:
        """Start of the sentences of unmarked first-person speech right before "…, sagte X." in the same
        paragraph ("Ich habe lange überlegt. Ich bin 61 Jahre alt. Es war schwer, sagte Holst."): one quote."""
        view = self.view
        start = view.words[segment.first].start
        taken = max((row["end_char"] for row in self.rows), default=-1)
        for previous in reversed(view.segments[max(0, self.index - MAX_SPEECH_SENTENCES) : self.index]):
            words = view.words[previous.first : previous.last]
            if (
                not words
                or words[0].start < taken
                or "\n" in view.text[words[-1].end : start]
                or any(w.quote >= 0 for w in words)
                or not any(w.lower in FIRST_PERSON for w in words)
                or self._cues(previous)
            ):
                break
            start = words[0].start
        return start

    def _with_apposition(self, segment: Segment, cue_last: int, speaker: Speaker | None) -> Speaker | None:
        """A closing cue's speaker, or the person named in apposition after a role or noun ("…, sagte der
        Sprecher von Präsident Putin, Dmitri Peskow")."""
        if speaker is not None and speaker.how not in {"noun", "role", "role_guess"}:
            return speaker
        words = self.view.words
        comma = next((i for i in range(cue_last + 1, segment.last) if words[i].text == ","), None)
        if comma is None or comma + 1 >= segment.last:
            return speaker
        person = self.view.person_at(comma + 1)
        return self.resolver.in_phrase(segment, comma + 1, person.last) if person is not None else speaker

    def _tail_report_speaker(self, segment: Segment, comma: int, first: int, last: int) -> Speaker | None:
        """The speaker between the comma and the cue ("…, he said"), else right after it ("…, said Jones")."""
        if first - comma > 1:
            return self.resolver.in_phrase(segment, comma + 1, first - 1)
        words = self.view.words
        end = last + 1
        while end < segment.last and words[end].text not in {",", ".", ";", "!", "?"}:
            end += 1
        return self.resolver.in_phrase(segment, last + 1, end - 1) if end > last + 1 else None

    def _cue_speaker(self, segment: Segment, cue: tuple[int, int, str]) -> Speaker | None:
        """The cue's speaker: its parsed subject (English with a parse), else the rules around the cue;
        "hieß es" names nobody unless "aus dem Ministerium" follows."""
        if cue[2] in IMPERSONAL_CUES:
            return self.resolver.source_after(segment, cue[1])
        if self.language == "en":
            subject = english.subject(self.view, segment, cue[0])
            if subject is not None:
                return self.resolver.in_phrase(segment, *subject)
            if english.is_participle(self.view, cue[0]):  # "Trump …, saying …": the sentence's subject
                return self.resolver.main_subject(segment, cue[0] - 1)
        return self.resolver.at_cue(segment, cue[0], cue[1], right=self._right_allowed(cue))

    def _opens_content(self, cue: tuple[int, int, str]) -> bool:
        """Is the cue followed by a comma or colon within a few words ("sagte am Montag, …")?"""
        words = self.view.words[cue[1] + 1 : cue[1] + 1 + CONTENT_OPENER_WINDOW]
        return any(w.text in {",", ":"} and w.quote < 0 for w in words)

    def _report_goes_on(self, index: int, segment: Segment) -> Speaker | None:
        """The speaker of a report in the sentence before, in the same paragraph (persons or not:
        "teilte die Polizei mit. Die Angreifer seien …")."""
        report_index, speaker = self.last_report
        if speaker is None or report_index != index - 1:
            return None
        previous = self.view.segments[report_index]
        if "\n\n" in self.view.text[self.view.words[previous.last - 1].end : segment.start]:
            return None
        return speaker

    def _konjunktiv(self, outside: list[Word]) -> Word | None:
        """German Konjunktiv I finite verb (HanTa: a finite verb, not "die reiche Stadt"), 3rd person,
        in a sentence that is no imperative or question ("Unterstütze unsere Arbeit")."""
        if self.language != "de":
            return None
        texts = tuple(w.text for w in outside)
        positions = german_mood.candidates(texts)
        if not positions or german_mood.starts_with_finite_verb(texts):
            return None
        for position in positions:
            window = {w.lower for w in outside[max(0, position - PERSON_WINDOW) : position + 2]}
            if window & FIRST_SECOND_PERSON:  # "Wenn ich zurückblicke": speech itself, not a report
                continue
            neighbours = {w.lower for w in outside[max(0, position - 1) : position + 2]}
            if neighbours & self.words.other_persons - {"es", "man"}:
                continue
            if german_mood.is_konjunktiv(texts, position):
                return outside[position]
        return None

    def _subjunctive_report(self, index: int, segment: Segment, outside: list[Word]) -> bool:
        """A Konjunktiv II sentence right after an attributed quote (with a quote of its own) or right
        after a report ("Außerdem hätten Polizisten …", "Es würde auch noch Gespräche geben"): the
        report goes on."""
        subjunctive = any(w.lower in self.words.subjunctive_ii for w in _early_words(outside))
        if not subjunctive:
            return False
        has_quote = any(w.quote >= 0 for w in self.view.words[segment.first : segment.last])
        return (has_quote and self.last_quote_segment == index - 1) or self._report_goes_on(index, segment) is not None

    def _tail_cue(self, first: int) -> bool:
        """A cue that closes the report: ", sagte Kim", ", so Kim", ", wie Fink meinte" (not ", womit Apple
        gemeint sein dürfte")."""
        words = self.view.words
        comma = next((i for i in range(first - 1, max(-1, first - 1 - TAIL_WORDS), -1) if words[i].text == ","), None)
        if comma is None:
            return False
        between = words[comma + 1 : first]
        return not between or between[0].lower in {"wie", "so", "as"}

    def _after_comma(self, first: int) -> bool:
        """Does a comma stand at most TAIL_WORDS words before the cue (", sagte Kim", ", wie Fink meinte")?"""
        words = self.view.words
        return any(words[i].text == "," for i in range(max(0, first - TAIL_WORDS), first))

    def _content_start(self, outside: list[Word], cue: tuple[int, int, str] | None, verb: Word) -> int:
        """Start of reported content: after "Putin betonte," when the cue comes first, else the sentence
        start (also for a cue in commas: "Dennoch, warnt Lueftner, seien …")."""
        if cue is not None and cue[1] < verb.i:
            between = [w for w in outside if cue[1] < w.i < verb.i]
            opener = next((w for w in between if w.lower in self.words.complementizers), None)
            if opener is None and between and between[0].text in {",", ":"}:
                opener = between[0]  # "…, Rechtsanwalt Maier, erklärte, der Angeklagte habe"
            if opener is not None:
                return next(w for w in outside if w.i > opener.i).start
        if cue is not None and cue[1] < verb.i and not self._after_comma(cue[0]):
            comma = next((w for w in outside if cue[1] < w.i < verb.i and w.text in {",", ":"}), None)
            if comma is not None:
                return next(w for w in outside if w.i > comma.i).start
        return outside[0].start

    def _content_end(self, segment: Segment, cue: tuple[int, int, str] | None) -> int:
        """End char of reported content: before ", sagte Kim weiter", ", wie Fink meinte" or the final punctuation."""
        words = self.view.words
        if cue is not None:
            i = cue[0] - 1
            while i > segment.first and words[i].text != ",":
                i -= 1
            while i > segment.first and words[i].quote < 0 and words[i].text in {",", "so"}:
                i -= 1
            return words[i].end
        i = segment.last - 1
        while i > segment.first and words[i].quote < 0 and words[i].text in SENTENCE_END | {":"}:
            i -= 1
        return words[i].end

    # -- quotes -------------------------------------------------------------------------

    def _quotes(self, index: int, segment: Segment, cues: list[tuple[int, int, str]], indirect: Speaker | None) -> bool:
        view = self.view
        in_segment = sorted({w.quote for w in view.words[segment.first : segment.last] if w.quote >= 0})
        attributed = False
        for q in in_segment:
            quote = view.quotes[q]
            words = [w for w in view.words[segment.first : segment.last] if w.quote == q]
            before = self._outside_before(segment, words[0].i)
            if self._is_name(quote) or self._is_english_title(quote):  # „Cz. Allg. Ztg.“, „Claudi“, „3 nach 9“: names and titles, not speech
                self._emit("term", quote.start, quote.end, None, None, term=True)
                continue
            direct = self._is_direct(quote, before)
            if not direct and self._is_title(before):
                self._emit("term", quote.start, quote.end, None, None, term=True)
                continue
            cue = self._governing_cue(cues, words[0].i, words[-1].i, before)
            speaker = None
            if not direct and indirect is not None:
                speaker, cue = indirect, (*self.indirect_cue, "")
            elif cue is not None:
                speaker = self.resolver.at_cue(segment, cue[0], cue[1], right=self._right_allowed(cue))
            elif direct and before and before[-1].text == ":":  # interview style "Weber: „…“"
                speaker = self.resolver.label(segment, before[-1].i)
            elif direct:
                speaker = self._tail_speaker(index) or self._continued(index, segment)
            if speaker is None and not direct:
                self._emit("term", quote.start, quote.end, None, None, term=True)
                continue
            self._emit("direct" if direct else "partial", quote.start, quote.end, cue[:2] if cue else None, speaker)
            attributed = attributed or speaker is not None
        return attributed

    def _outside_before(self, segment: Segment, first: int) -> list[Word]:
        return [w for w in self.view.words[segment.first : first] if w.quote < 0]

    def _is_direct(self, quote, before: list[Word]) -> bool:
        if not before or before[-1].text == ":":
            return True
        inner = self.view.text[quote.start : quote.end].rstrip()
        if len(inner.split()) < 2:  # „Schneemann,“ is a word, not an utterance
            return False
        return inner[-1:] in UTTERANCE_END and before[-1].text not in {"als", "as", "comme", "wie"}

    def _is_name(self, quote) -> bool:
        """A quoted name, title or abbreviation: „Cz. Allg. Ztg.“, „3 nach 9“, German „Claudi“ (a proper
        noun to HanTa), English "Crooked Hillary" (two or three capitalised words, no punctuation)."""
        pieces = self.view.text[quote.start : quote.end].split()
        if not pieces or len(pieces) > 4:
            return False
        if all(ABBREVIATION.match(p) for p in pieces) or (pieces[0][:1].isdigit() and len(pieces) <= 3):
            return True
        words = [p.strip(",;:") for p in pieces]
        if not all(w[:1].isupper() and w.replace("-", "").isalpha() for w in words):
            return False
        if self.language == "de":
            return all(is_proper_noun(w) for w in words)
        return self.language == "en" and 2 <= len(words) <= 3 and words == pieces

    def _is_english_title(self, quote) -> bool:
        """“How the Grinch Stole Christmas,”, “Face the Nation,”: capitalised words and small title words."""
        pieces = [p.strip(",.;:!?") for p in self.view.text[quote.start : quote.end].split()]
        if self.language != "en" or not 2 <= len(pieces) <= 7 or not pieces[0][:1].isupper() or not pieces[-1][:1].isupper():
            return False
        return all(p[:1].isupper() or p[:1].isdigit() or p in TITLE_SMALL_WORDS for p in pieces)

    def _is_title(self, before: list[Word]) -> bool:
        if not before:
            return False
        previous = before[-1].text
        titles = self.words.title_nouns
        return previous in titles or previous.lower() in titles

    def _governing_cue(self, cues, first: int, last: int, before: list[Word]):
        if not cues:
            return None
        if before and before[-1].text == ":":
            earlier = [c for c in cues if c[1] < first]
            if earlier:
                return earlier[-1]
        after = [c for c in cues if c[0] > last]
        earlier = [c for c in cues if c[1] < first]
        nearest = sorted(
            [(c[0] - last, c) for c in after] + [(first - c[1], c) for c in earlier], key=lambda pair: pair[0]
        )
        return nearest[0][1]

    def _right_allowed(self, cue: tuple[int, int, str]) -> bool:
        """Inverted speaker after the cue: always in German, after a quote or with "according to"/"selon" elsewhere."""
        if self.language == "de":
            return cue[2] != "zufolge"
        word = self.view.words[cue[0]]
        return self._after_quote(word) or cue[2] in {"according to", "selon"}

    def _tail_speaker(self, index: int) -> Speaker | None:
        """English style `"Great!" Trump said.`: a short next sentence that only attributes."""
        segments = self.view.segments
        if index + 1 >= len(segments):
            return None
        tail = segments[index + 1]
        outside = self.view.outside(tail)
        if len(outside) > 5 or any(w.quote >= 0 for w in self.view.words[tail.first : tail.last]):
            return None
        cues = self._cues(tail)
        if not cues:
            return None
        return self.resolver.at_cue(tail, cues[0][0], cues[0][1], right=True)

    def _continued(self, index: int, segment: Segment) -> Speaker | None:
        """A quote standing alone right after an attributed quote continues it."""
        only_quote = all(w.quote >= 0 or w.text in SENTENCE_END for w in self.view.words[segment.first : segment.last])
        if only_quote and self.last_quote_segment == index - 1:
            return self.resolver.inherited(segment.start)
        return None

    # -- rows ---------------------------------------------------------------------------

    def _emit(
        self, kind: str, start: int, end: int, cue: tuple[int, int] | None, speaker: Speaker | None, term: bool = False
    ) -> None:
        text = self.view.text
        if start >= end or not text[start:end].strip():  # a cue with nothing said ("sagte, dass.") is no quote
            self.resolver.remember(speaker)
            return
        cue_start = self.view.words[cue[0]].start if cue else None
        cue_end = self.view.words[cue[1]].end if cue else None
        if term:
            confidence = TERM_CONFIDENCE
        elif speaker is None:
            confidence = UNATTRIBUTED_DIRECT_CONFIDENCE
        else:
            confidence = speaker.confidence
        if kind == "indirect":
            self.last_report = (self.index, speaker)
        self.rows.append(
            {
                "kind": kind,
                "text": text[start:end],
                "start_char": start,
                "end_char": end,
                "cue": text[cue_start:cue_end] if cue else None,
                "cue_start": cue_start,
                "cue_end": cue_end,
                "speaker_text": speaker.text if speaker else None,
                "speaker_start": speaker.anchor[0] if speaker and speaker.anchor else None,
                "speaker_end": speaker.anchor[1] if speaker and speaker.anchor else None,
                "confidence": confidence,
            }
        )
        self.resolver.remember(speaker)


def quote_id(article_id: str, kind: str, start: int, end: int) -> str:
    """Stable id: the same quote of the same article text gets the same id in every run."""
    return hashlib.blake2b(f"{article_id}:{kind}:{start}:{end}".encode(), digest_size=8).hexdigest()


def _strip_clitic(word: str) -> str:
    """French inverted subject written on the verb: "déclare-t-il" -> "déclare"."""
    for suffix in ("-t-il", "-t-elle", "-il", "-elle"):
        if word.endswith(suffix) and len(word) > len(suffix):
            return word[: -len(suffix)]
    return word


def _early_words(outside: list[Word]) -> list[Word]:
    """The first KONJUNKTIV_WINDOW words (punctuation not counted)."""
    return [w for w in outside if w.text[:1].isalnum()][:KONJUNKTIV_WINDOW]


def _auxiliary(word: str) -> bool:
    """Short auxiliary or clitic between a quote and its cue ("a", "-t", "-il", "has")."""
    return word.startswith("-") or (len(word) <= 3 and word.isalpha() and word.islower())


def _zu_infinitive(words: list[Word]) -> bool:
    """Does the clause end in a zu-infinitive ("… zu haben", "… einzuhalten", "… anzuzünden")?"""
    last = [w for w in words if w.text[:1].isalpha()][-2:]
    if len(last) < 2:
        return False
    return last[0].lower == "zu" or ZU_INFIX.match(last[1].lower) is not None
