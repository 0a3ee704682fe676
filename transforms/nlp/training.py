"""Train newsflow's small German statistical NER (CPU, no word vectors).

The model is spaCy's transition-based NER with its own small tok2vec: hashed
embeddings of NORM, PREFIX, SUFFIX and SHAPE and a 4-layer CNN of width 96
(`MultiHashEmbed` + `MaxoutWindowEncoder`), so it needs no pretrained
vectors and runs at tens of thousands of words per second on one core. It is
trained on GermEval 2014 (`transforms.nlp.conll`); `bench/train_de_ner.py`
cross-validates it inside the full embedded pipeline and writes the shipped
artifact. Training is deterministic for a given seed and data.
"""

import random
from collections.abc import Sequence
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.util import compounding, fix_random_seed, minibatch

from transforms.nlp.conll import TYPES, GoldSentence, gold_example

NER_CONFIG = {
    "model": {
        "@architectures": "spacy.TransitionBasedParser.v2",
        "state_type": "ner",
        "extra_state_tokens": False,
        "hidden_width": 64,
        "maxout_pieces": 2,
        "use_upper": True,
        "tok2vec": {
            "@architectures": "spacy.Tok2Vec.v2",
            "embed": {
                "@architectures": "spacy.MultiHashEmbed.v2",
                "width": 96,
                "attrs": ["NORM", "PREFIX", "SUFFIX", "SHAPE"],
                "rows": [5000, 1000, 2500, 2500],
                "include_static_vectors": False,
            },
            "encode": {
                "@architectures": "spacy.MaxoutWindowEncoder.v2",
                "width": 96,
                "depth": 4,
                "window_size": 1,
                "maxout_pieces": 3,
            },
        },
    }
}
DEFAULT_EPOCHS = 6
DROPOUT = 0.2
SEED = 13


def blank_ner(lang: str = "de") -> Language:
    """A blank pipeline with an untrained NER of the architecture above."""
    nlp = spacy.blank(lang)
    ner = nlp.add_pipe("ner", config=NER_CONFIG)
    for label in TYPES:
        ner.add_label(label)
    return nlp


def train_ner(
    sentences: Sequence[GoldSentence], epochs: int = DEFAULT_EPOCHS, seed: int = SEED, log=None
) -> Language:
    """Train on `sentences` for a fixed number of epochs; the last model (no early stopping on held-out data)."""
    fix_random_seed(seed)
    nlp = blank_ner()
    examples = [gold_example(nlp.vocab, sentence) for sentence in sentences]
    optimizer = nlp.initialize(lambda: examples)
    rng = random.Random(seed)
    for epoch in range(epochs):
        rng.shuffle(examples)
        losses: dict[str, float] = {}
        for batch in minibatch(examples, size=compounding(8.0, 32.0, 1.001)):
            nlp.update(batch, drop=DROPOUT, sgd=optimizer, losses=losses)
        if log is not None:
            log(f"  epoch {epoch + 1}/{epochs}: loss {losses.get('ner', 0.0):.1f}")
    return nlp


def save_model(nlp: Language, path: Path, meta: dict) -> None:
    nlp.meta.update(meta)
    nlp.to_disk(path)

