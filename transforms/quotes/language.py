"""Per-language words that quote attribution reads: pronouns, determiners,
prepositions, relative pronouns, mood markers and title nouns.

These are closed-class grammar words, not settings; speech verbs (open
class, extendable) live in `configs/speech_verbs/<lang>.txt`.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class LanguageWords:
    personal: frozenset[str]  # 3rd-person subject pronouns that can name a speaker
    other_persons: frozenset[str]  # 1st/2nd person and impersonal pronouns: never a quoted speaker
    nominative_determiners: frozenset[str]  # may start a subject noun phrase ("Der US-Präsident")
    oblique_determiners: frozenset[str]  # start an object ("den Diktator"): not a subject
    prepositions: frozenset[str]  # a name governed by one is not the subject
    relatives: frozenset[str]  # after "Name," they refer back to the name
    complementizers: frozenset[str]  # "dass", "that", "que": start reported content
    after_quote_cues: frozenset[str]  # only after a quote: „…“, so Trump
    subjunctive_ii: frozenset[str]  # Konjunktiv II forms that report speech after a quote
    subjunctive_i: frozenset[str]  # irregular Konjunktiv I forms
    title_nouns: frozenset[str]  # a quote right after one is a title or name, not speech


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


WORDS: dict[str, LanguageWords] = {
    "de": LanguageWords(
        personal=_words("er sie"),
        other_persons=_words("ich wir du ihr es man"),
        nominative_determiners=_words("der die das ein eine"),
        oblique_determiners=_words("den dem des einen einem einer eines"),
        prepositions=_words(
            "mit von vom zu zum zur für gegen über bei beim nach aus an am auf in im um unter vor hinter "
            "neben zwischen durch ohne seit wegen trotz gegenüber laut dank"
        ),
        relatives=_words("der die welcher welche"),
        complementizers=_words("dass daß ob"),
        after_quote_cues=_words("so"),
        subjunctive_ii=_words(
            "könnte könnten würde würden wäre wären hätte hätten müsste müssten sollte sollten dürfte dürften"
        ),
        subjunctive_i=_words("sei seien habe werde könne müsse solle wolle dürfe möge wisse gebe"),
        title_nouns=_words(
            "Buch Buches Roman Film Films Zeitung Zeitschrift Magazin Sendung Serie Schiff Schiffes Operation "
            "Programm Projekt Album Lied Song Titel Motto Slogan Hashtag Stück Aktion Partei Bewegung Initiative"
        ),
    ),
    "en": LanguageWords(
        personal=_words("he she"),
        other_persons=_words("i we you it they one"),
        nominative_determiners=_words("the a an"),
        oblique_determiners=frozenset(),
        prepositions=_words("with of to for against about at after from on in by under before behind between"),
        relatives=_words("who"),
        complementizers=_words("that whether"),
        after_quote_cues=frozenset(),
        subjunctive_ii=frozenset(),
        subjunctive_i=frozenset(),
        title_nouns=_words(
            "book novel film movie newspaper magazine show series ship vessel operation program programme "
            "album song title motto slogan hashtag"
        ),
    ),
    "fr": LanguageWords(
        personal=_words("il elle -il -elle -t-il -t-elle"),
        other_persons=_words("je nous tu vous on ils elles"),
        nominative_determiners=_words("le la l' l’ un une"),
        oblique_determiners=frozenset(),
        prepositions=_words("avec de du des à au aux pour contre sur dans par sous chez avant après entre"),
        relatives=_words("qui"),
        complementizers=_words("que qu' qu’"),
        after_quote_cues=frozenset(),
        subjunctive_ii=frozenset(),
        subjunctive_i=frozenset(),
        title_nouns=_words(
            "livre roman film journal quotidien magazine émission série navire bateau opération programme "
            "album chanson titre slogan"
        ),
    ),
}


def words_for(language: str) -> LanguageWords:
    """The tables of `language`; other languages use the English ones (cues still come from their list)."""
    return WORDS.get(language, WORDS["en"])
