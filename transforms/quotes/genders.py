"""Grammatical gender of a named person, for pronoun speakers ("sagte sie", "she said").

A person is female or male when the first word of one of the article's mentions of that name is in
the first-name lists below, or when a title or role word stands right before a mention ("Frau
Katzian", "Mr. Trump", "Ministerin Baerbock": a German role ending in "-in"). Anything else is
unknown, and an unknown person matches either pronoun. The lists hold the first names of
configs/kb/first_names.csv with a clear gender, plus common ones of the news.
"""

from collections.abc import Iterable

FEMALE = frozenset(
    """
    Alexandra Alice Alina Angela Angelika Anja Anke Ann Anna Anne Annegret Annette Astrid Barbara Beate
    Bettina Birgit Brigitte Carmen Caroline Catherine Charlotte Christa Christiane Christina Christine
    Claudia Cornelia Dagmar Daniela Doris Dorothea Edith Elisabeth Elke Ellen Emily Emma Erika Eva Evelyn
    Federica Franziska Françoise Frauke Gabriele Gertrud Gisela Hanna Hannah Hannelore Heidi Heike Helga
    Hillary Ilse Ina Ingrid Irene Irina Iris Isabel Ivanka Jana Jane Janet Jennifer Jessica Johanna Judith
    Julia Julie Juliane Jutta Kamala Karin Katarina Katharina Kathrin Katja Katrin Kerstin Kristina Laura
    Lena Leonie Lisa Luise Manuela Margarete Margit Maria Marianne Marie Marina Marine Marion Marta Martina
    Melania Michaela Michelle Miriam Monika Nadine Nancy Natalie Nicola Nicole Nikki Nina Olga Patricia
    Paula Petra Renate Ruth Sabine Sahra Sandra Sarah Silvia Simone Sophie Stefanie Stephanie Susanne
    Sylvia Tatjana Theresa Ulrike Ursula Ute Valérie Vera Veronika Viktoria Waltraud
    """.split()
)
MALE = frozenset(
    """
    Aaron Adam Adrian Ahmed Alain Alan Albert Alberto Alexander Alexandre Alexei Alfred Ali Andreas Andrew
    Andrzej André Anton Antoine Antonio António Armin Arnold Arthur Axel Barack Bashar Benedikt Benjamin
    Bernd Bernhard Bernie Bertrand Bill Bob Bodo Boris Bruno Burkhard Carl Carlos Carsten Cem Charles
    Christian Christoph Christophe Christopher Claus Clemens Daniel Dankwart David Dennis Detlef Dieter
    Dietmar Dirk Dmitri Dmitry Dominik Donald Eberhard Edmund Eduard Elmar Emil Emmanuel Enrico Erich
    Erwin Fabian Felix Ferdinand Florian Francesco Franco Frank Frank-Walter Franz François Fred Friedrich
    Fritz Gabriel Georg George Gerd Gerhard Gerhart Gernot Gert Giuseppe Gottfried Greg Gregor Guido Gunter
    Gustav Günter Günther Hannes Hans Hans-Dietrich Hans-Jürgen Hans-Peter Harald Harry Hartmut Hassan
    Heiko Heinrich Heinz Heinz-Christian Helmut Hendrik Henri Henry Herbert Hermann Horst Hubert Hugo Igor
    Ingo Ivan Jacques Jakob James Jan Jared Jean-Claude Jean-Yves Jeff Jens Jerzy Jim Joachim Jochen Joe
    Johann Johannes John Jonas Josef Joseph Julian Justin Jörg Jürgen Karl Karl-Heinz Karl-Theodor Karsten
    Kevin Klaus Konrad Kurt Lars Laurent Leo Leon Lothar Louis Luca Lucas Ludwig Luis Lukas Manfred Manuel
    Marc Marcel Marco Mario Mark Markus Martin Mathias Matteo Matthew Matthias Max Maximilian Michael
    Michel Mick Mike Mohammed Moritz Narendra Nelson Nicolas Niklas Nikolai Nikolaus Norbert Norman Olaf
    Oliver Olivier Otto Pascal Patrick Paul Peer Peter Philipp Philippe Pierre Rainer Ralf Ralph Recep
    Reiner Reinhard Rex Richard Robert Roberto Rodrigo Roger Roland Rolf Ronald Rudolf Rüdiger Sebastian
    Sergei Sergej Sergey Shinzo Simon Stefan Steffen Stephan Stephen Steve Steven Sven Taro Theo Thomas
    Thorsten Tim Timo Tobias Tom Tony Torsten Ulf Ulrich Uwe Valentin Viktor Vincent Vladimir Volker Walter
    Werner Wilhelm Willi William Willy Winfried Wladimir Wolf Wolfgang Xavier Yukiya Yves
    """.split()
)
FEMALE_TITLES = frozenset({"frau", "mrs.", "mrs", "ms.", "ms", "madame", "mme", "mme."})
MALE_TITLES = frozenset({"herr", "herrn", "mr.", "mr", "monsieur", "m."})
PRONOUN_GENDER = {"er": "m", "he": "m", "il": "m", "-il": "m", "-t-il": "m",
                  "she": "f", "elle": "f", "-elle": "f", "-t-elle": "f"}  # fmt: skip
# German "sie" is "she" and "they" alike: it names no gender here.


def gender_of(first_word: str, before: str | None) -> str | None:
    """ "f", "m" or None for a name mention starting with `first_word`, after the word `before`."""
    if first_word in FEMALE:
        return "f"
    if first_word in MALE:
        return "m"
    lower = (before or "").lower()
    if lower in FEMALE_TITLES or (len(lower) > 5 and lower.endswith("in") and before[:1].isupper()):
        return "f"  # "Frau Katzian", "Ministerin Baerbock"
    if lower in MALE_TITLES:
        return "m"
    return None


def genders_by_surname(mentions: Iterable[tuple[str, str | None]]) -> dict[str, str]:
    """Surname -> gender from the article's (mention text, word before) pairs: "Merkel" is female
    once "Angela Merkel" was written."""
    known: dict[str, str] = {}
    for text, before in mentions:
        words = text.split()
        gender = gender_of(words[0], before) if words else None
        if gender is not None:
            known.setdefault(words[-1], gender)
    return known
