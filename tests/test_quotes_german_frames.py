"""German reporting frames and speakers found on the tune part of the 10kGNAD quote gold (issue #19
follow-up), each as a small article through the real entity step and quote component."""

from tests.quote_support import coverage_of


def quotes(text: str) -> list[tuple]:
    found = coverage_of(text, "de")["quotes"].sort("start_char")
    return [(r["kind"], r["text"], r["speaker_text"]) for r in found.iter_rows(named=True)]


def test_a_closing_cue_after_a_frame_names_the_speaker_and_the_frame_stays_content():
    text = "Die Züge sollen laut Informationen aus Ungarn nicht vor dem Abend an der Grenze eintreffen, so Pangl."
    assert quotes(text) == [
        ("indirect", "Die Züge sollen laut Informationen aus Ungarn nicht vor dem Abend an der Grenze eintreffen", "Pangl")
    ]


def test_zu_bedenken_geben_is_a_cue_of_saying_and_beats_a_frame_behind_it():
    text = (
        "Wir haben Menschen, die kaum Luft zum Atmen haben, gab Stöger laut einer Aussendung der AK-NÖ zu bedenken. "
        "Angesichts der Arbeitslosen brauche man neue Wege."
    )
    assert quotes(text) == [
        ("indirect", "Wir haben Menschen, die kaum Luft zum Atmen haben", "Stöger"),
        ("indirect", "Angesichts der Arbeitslosen brauche man neue Wege", "Stöger"),
    ]


def test_a_frame_alone_still_names_its_source():
    assert quotes("Laut Polizei wurden drei Menschen verletzt.") == [
        ("indirect", "wurden drei Menschen verletzt", "Polizei")
    ]


def test_an_article_with_a_noun_opens_a_subject_not_a_demonstrative():
    text = "Das Ministerium nannte nur seine Initialen. Der Mann sei als Kämpfer ausgebildet worden."
    assert quotes(text) == [("indirect", "Der Mann sei als Kämpfer ausgebildet worden", "Das Ministerium")]
    assert quotes("Das sagte Abwerzger am Montag.") == []


def test_a_weekday_after_heute_keeps_the_wie_frame_together():
    text = "Die Bestellungen sanken um 1,8 Prozent zum Vormonat, wie das Wirtschaftsministerium heute, Dienstag mitteilte."
    assert quotes(text) == [("indirect", "Die Bestellungen sanken um 1,8 Prozent zum Vormonat", "das Wirtschaftsministerium")]


def test_nach_frames_with_a_named_source():
    assert quotes("Nach Erkenntnissen der Ermittler sollen sie mit manipulierten Anrufen Codes erbeutet haben.") == [
        ("indirect", "sollen sie mit manipulierten Anrufen Codes erbeutet haben", "der Ermittler")
    ]
    assert quotes("Nach dpa-Informationen gibt es ein entsprechendes Projekt der RTL-Tochter.") == [
        ("indirect", "gibt es ein entsprechendes Projekt der RTL-Tochter", "dpa-Informationen")
    ]
    [(kind, _, speaker)] = quotes("Die Beziehungen sind nach Andrejews Worten auf dem schlechtesten Stand seit 1945.")
    assert kind == "indirect" and speaker.startswith("Andrejews")


def test_nach_diesen_angaben_continues_the_report_before_and_unnamed_frames_are_no_quotes():
    text = (
        "Der Minister sagte, drei Männer seien festgenommen worden. "
        "Insgesamt stellte die Polizei nach diesen Angaben vergangenes Jahr 13.846 Straftaten fest."
    )
    found = quotes(text)
    assert found[-1] == (
        "indirect", "Insgesamt stellte die Polizei nach diesen Angaben vergangenes Jahr 13.846 Straftaten fest", "Der Minister"
    )
    assert quotes("Nokta erscheint nach eigenen Angaben mit einer Auflage von 10.000 Exemplaren.") == []
    assert quotes("Er fuhr nach Wien und nach Graz, um dort Freunde zu treffen.") == []


def test_unmarked_speech_with_commas_before_a_closing_sagte():
    text = (
        "Für das Mädchen kam jede Hilfe zu spät, die Zehnjährige erlag noch an Ort und Stelle ihren Verletzungen, "
        "sagte Andreas Huber, Sprecher der Wiener Berufsrettung, der APA."
    )
    assert quotes(text) == [
        (
            "indirect",
            "Für das Mädchen kam jede Hilfe zu spät, die Zehnjährige erlag noch an Ort und Stelle ihren Verletzungen",
            "Andreas Huber",
        )
    ]
    [(kind, content, _)] = quotes("Ich habe entschieden, das politische Leben 2018 zu verlassen, sagte der 73-Jährige.")
    assert (kind, content) == ("indirect", "Ich habe entschieden, das politische Leben 2018 zu verlassen")
    assert quotes("Der 51-Jährige, der drei Menschen gerettet hatte, erklärte seinen Rücktritt.") == []


def test_a_name_in_apposition_after_a_role_names_the_speaker():
    text = "Wir haben einen Weg gefunden, dass Borowski bleiben kann, sagte der ausführende Produzent, Johannes Pollmann, der Deutschen Presse-Agentur."
    assert quotes(text) == [("indirect", "Wir haben einen Weg gefunden, dass Borowski bleiben kann", "Johannes Pollmann")]


def test_several_unmarked_first_person_sentences_before_one_sagte_are_one_quote():
    text = (
        "Holst übernimmt das Team. Ich habe lange hin und her überlegt. "
        "Ich bin 61 Jahre alt und hab mich nicht mehr auf Posten konzentriert. "
        "Es war eine sehr schwere Entscheidung, sagte Holst."
    )
    assert quotes(text) == [
        (
            "indirect",
            "Ich habe lange hin und her überlegt. Ich bin 61 Jahre alt und hab mich nicht mehr auf Posten "
            "konzentriert. Es war eine sehr schwere Entscheidung",
            "Holst",
        )
    ]
    assert quotes("Holst kam am Montag. Es war eine sehr schwere Entscheidung, sagte Holst.") == [
        ("indirect", "Es war eine sehr schwere Entscheidung", "Holst")
    ]


def test_a_name_in_apposition_after_a_role_also_closes_a_konjunktiv_report():
    text = "Russland habe die Sanktionen nicht begonnen, sagte der Sprecher von Präsident Wladimir Putin, Dmitri Peskow."
    assert quotes(text) == [("indirect", "Russland habe die Sanktionen nicht begonnen", "Dmitri Peskow")]


def test_an_article_less_source_ends_at_its_noun():
    text = "Bei Kämpfen in Syrien ist nach Angaben unabhängiger Experten Senfgas eingesetzt worden."
    assert quotes(text) == [
        ("indirect", "Bei Kämpfen in Syrien ist nach Angaben unabhängiger Experten Senfgas eingesetzt worden", "unabhängiger Experten")
    ]


def test_laut_eigenen_angaben_names_no_speaker_rather_than_a_wrong_one():
    assert quotes("Pick hat die Domain laut eigenen Angaben bereits im Frühjahr 2015 registriert.") == [
        ("indirect", "Pick hat die Domain laut eigenen Angaben bereits im Frühjahr 2015 registriert", None)
    ]
