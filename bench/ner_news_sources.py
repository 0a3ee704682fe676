"""English entities on real news without NER gold: named sources of PolNeAR found as entities.

    python -m bench.ner_news_sources [--split dev]

PolNeAR (`../shared/corpora/polnear_train_dev`, Newell, Margolin, Ruths, LREC
2018) has no entity gold, but every attribution has a Source span. A Source
whose first word is capitalised and not a pronoun or determiner ("Trump",
"Sen. Bernie Sanders", "the Clinton campaign" is left out) names a person or an
organisation. The figure: the share of such named sources that overlap a PER or
ORG mention of newsflow's English pipeline (a recall proxy on news text), and
how many articles have at least one person, as the entities issue counted for
BBC news. Only the train and dev splits are read; the texts are not copied.
"""

import argparse
from collections import Counter

import polars as pl

from bench.public_quote_gold import polnear_documents
from newsflow.settings import load_settings
from transforms.entities import extract_entities
from transforms.normalize import unify_quotes
from transforms.nlp.kb import load_kb
from transforms.nlp.pipelines import build_pipeline

NOT_NAMES = set("I He She It We They You This That These Those The A An His Her Their Its Our My Some Many Most".split())


def named_sources(documents: list[dict]) -> list[tuple[str, str]]:
    """(article id, source text) of every source that starts with a capitalised word that is no pronoun."""
    named = []
    for document in documents:
        for quote in document["quotes"]:
            source = (quote["source"] or "").strip()
            first = source.split()[0] if source else ""
            if first[:1].isupper() and first not in NOT_NAMES:
                named.append((document["id"], source))
    return named


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["train", "dev"], default="dev")
    args = parser.parse_args()
    documents = polnear_documents(args.split)
    settings = load_settings()
    kb = load_kb(settings.nlp.kb_path)
    choice = settings.nlp.pipelines["en"]
    nlp, description = build_pipeline("en", choice.models, choice.fallback, kb, settings.nlp.ner_models_path, keep=choice.keep)
    articles = pl.DataFrame(
        {"article_id": [d["id"] for d in documents], "text": [d["text"] for d in documents], "language": "en"}
    ).with_columns(match_text=unify_quotes(pl.col("text")))
    mentions, entities = extract_entities(articles, lambda _: nlp, kb, settings.nlp.pipe_batch_size)
    texts = {d["id"]: d["text"] for d in documents}
    people_orgs = mentions.filter(pl.col("label").is_in(["PER", "ORG"]))
    names_by_article: dict[str, list[str]] = {}
    for row in people_orgs.select("article_id", "text").iter_rows():
        names_by_article.setdefault(row[0], []).append(row[1])
    named = named_sources(documents)
    found = sum(any(name in source or source in name for name in names_by_article.get(a, [])) for a, source in named)
    with_person = mentions.filter(pl.col("label") == "PER")["article_id"].n_unique()
    top = Counter(
        mentions.filter(pl.col("label") == "PER").join(entities, on="entity_id").get_column("canonical_name")
    ).most_common(8)
    print(f"pipeline: {description}; PolNeAR {args.split}: {len(texts)} articles")
    print(f"named sources found as PER/ORG mentions: {found}/{len(named)} = {found / max(len(named), 1):.3f}")
    print(f"articles with at least one person: {with_person}/{len(texts)} = {with_person / len(texts):.3f}")
    print("most mentioned people: " + ", ".join(f"{name} ({count})" for name, count in top))


if __name__ == "__main__":
    main()
