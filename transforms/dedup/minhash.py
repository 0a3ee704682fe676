"""MinHash signatures and LSH band keys of word shingles, vectorised in numpy.

Every hash here is defined by this module (a polynomial hash of the UTF-8
bytes of a word, splitmix64 mixing, multiply-add-shift permutations seeded by
splitmix64), never by Python's or Polars' `hash`, which change between runs
and versions: signatures and band keys are persisted in the warehouse and must
match the ones a later run computes. `SCHEME_VERSION` changes whenever the
numbers computed for the same text would change.

Broder (1997), "On the resemblance and containment of documents": the share of
equal MinHash slots estimates the Jaccard similarity of the shingle sets.
Leskovec, Rajaraman, Ullman, "Mining of Massive Datasets", ch. 3.4: `bands` x
`rows` LSH makes a pair a candidate with probability 1 - (1 - J^rows)^bands.
"""

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

SCHEME_VERSION = 1
EMPTY_SLOT = np.uint32(0xFFFFFFFF)  # the slot value of a document without shingles
_U64 = np.uint64
_WORD_BASE = _U64(0x100000001B3)  # FNV prime: the base of the polynomial word hash
_SHINGLE_BASE = _U64(0x9E3779B97F4A7C15)
_CELLS_PER_CHUNK = 4_000_000  # shingles x permutations held at once (32 MB of uint64)


@dataclass(frozen=True)
class MinHashScheme:
    """Parameters that decide the numbers; `key` is stored with every signature."""

    shingle_size: int
    num_perm: int
    bands: int
    rows: int
    seed: int

    def __post_init__(self) -> None:
        if self.bands * self.rows != self.num_perm:
            raise ValueError(f"bands x rows ({self.bands} x {self.rows}) must equal num_perm ({self.num_perm})")
        if self.shingle_size < 1 or self.num_perm < 1:
            raise ValueError("shingle_size and num_perm must be positive")

    @property
    def key(self) -> str:
        return f"v{SCHEME_VERSION}-w{self.shingle_size}-p{self.num_perm}-b{self.bands}x{self.rows}-s{self.seed}"

    def permutations(self) -> tuple[np.ndarray, np.ndarray]:
        """(a, b) of the num_perm hash functions h(x) = (a*x + b) >> 32 mod 2^64; a odd."""
        counter = np.arange(2 * self.num_perm, dtype=_U64) + _U64(self.seed) * _U64(2 * self.num_perm + 1)
        values = splitmix64(counter)
        return values[: self.num_perm] | _U64(1), values[self.num_perm :]


def splitmix64(x: np.ndarray) -> np.ndarray:
    """Vigna's splitmix64 finaliser, elementwise (wrapping uint64 arithmetic)."""
    with np.errstate(over="ignore"):
        x = np.asarray(x, dtype=_U64) + _U64(0x9E3779B97F4A7C15)
        x = (x ^ (x >> _U64(30))) * _U64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> _U64(27))) * _U64(0x94D049BB133111EB)
        return x ^ (x >> _U64(31))


def word_hashes(words: pa.Array) -> np.ndarray:
    """uint64 hash of each (non-empty) string: polynomial over its UTF-8 bytes, then mixed."""
    words = pc.cast(words, pa.large_string())
    if isinstance(words, pa.ChunkedArray):
        words = words.combine_chunks()
    if len(words) == 0:
        return np.zeros(0, dtype=_U64)
    _, offsets_buffer, data_buffer = words.buffers()
    offsets = np.frombuffer(offsets_buffer, dtype=np.int64)[words.offset : words.offset + len(words) + 1]
    data = np.frombuffer(data_buffer, dtype=np.uint8)[offsets[0] : offsets[-1]]
    offsets = offsets - offsets[0]
    lengths = np.diff(offsets)
    # byte i of a word of length L is weighted BASE^(L-1-i)
    exponent = np.repeat(offsets[1:] - 1, lengths) - np.arange(len(data), dtype=np.int64)
    with np.errstate(over="ignore"):
        powers = _powers(_WORD_BASE, int(lengths.max()))
        weighted = data.astype(_U64) * powers[exponent]
    return splitmix64(np.add.reduceat(weighted, offsets[:-1]) ^ lengths.astype(_U64))


def _powers(base: np.uint64, count: int) -> np.ndarray:
    out = np.empty(count, dtype=_U64)
    value = _U64(1)
    with np.errstate(over="ignore"):
        for i in range(count):
            out[i] = value
            value = value * base
    return out


def shingle_hashes(words: np.ndarray, doc_words: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Hashes of the runs of `size` consecutive words of each document.

    `words` holds the word hashes of all documents back to back, `doc_words`
    how many belong to each. A document shorter than `size` words gets one
    shingle of all its words; one without words gets none. Returns (shingle
    hashes back to back, shingles per document).
    """
    n = len(words)
    doc_words = doc_words.astype(np.int64)
    counts = np.where(doc_words > 0, np.maximum(doc_words - size + 1, 1), 0)
    if n == 0:
        return np.zeros(0, dtype=_U64), counts
    starts = np.concatenate(([0], np.cumsum(doc_words)[:-1]))
    doc_of = np.repeat(np.arange(len(doc_words)), doc_words)
    position = np.arange(n) - starts[doc_of]
    remaining = doc_words[doc_of] - position  # words from here to the end of the document
    combined = words.copy()
    with np.errstate(over="ignore"):
        for offset in range(1, size):
            following = np.zeros(n, dtype=_U64)
            following[: max(n - offset, 0)] = words[offset:]  # fewer words than the shingle: none follow
            combined = splitmix64(combined * _SHINGLE_BASE + np.where(remaining > offset, following, _U64(0)))
    keep = position < counts[doc_of]
    return combined[keep], counts


def minhash_signatures(shingles: np.ndarray, counts: np.ndarray, scheme: MinHashScheme) -> np.ndarray:
    """(documents x num_perm) uint32 minimum of each permutation over each document's shingles."""
    a, b = scheme.permutations()
    signatures = np.full((len(counts), scheme.num_perm), EMPTY_SLOT, dtype=np.uint32)
    keys = (shingles ^ (shingles >> _U64(32))) & _U64(0xFFFFFFFF)  # 32-bit keys for multiply-add-shift
    ends = np.cumsum(counts)
    per_chunk = max(1, _CELLS_PER_CHUNK // scheme.num_perm)
    largest = int(counts.max(initial=0))
    buffer = np.empty((max(per_chunk, largest), scheme.num_perm), dtype=_U64)  # reused: no allocation per chunk
    hashed = np.empty(buffer.shape, dtype=np.uint32)
    shift = _U64(32)
    doc = 0
    while doc < len(counts):
        if counts[doc] == 0:
            doc += 1
            continue
        first_shingle = ends[doc] - counts[doc]
        # the documents whose shingles fit in the chunk (at least one document)
        last = max(doc + 1, int(np.searchsorted(ends, first_shingle + per_chunk, side="right")))
        chunk_counts = counts[doc:last]
        block = keys[first_shingle : ends[last - 1]]
        rows = len(block)
        with np.errstate(over="ignore"):
            np.multiply(block[:, None], a[None, :], out=buffer[:rows])
            np.add(buffer[:rows], b[None, :], out=buffer[:rows])
        np.right_shift(buffer[:rows], shift, out=buffer[:rows])
        np.copyto(hashed[:rows], buffer[:rows], casting="unsafe")
        nonempty = np.flatnonzero(chunk_counts)
        local_starts = (np.cumsum(chunk_counts) - chunk_counts)[nonempty]
        signatures[doc + nonempty] = np.minimum.reduceat(hashed[:rows], local_starts, axis=0)
        doc = last
    return signatures


def band_keys(signatures: np.ndarray, scheme: MinHashScheme) -> np.ndarray:
    """(documents x bands) int64 key of each band of `rows` slots."""
    grouped = signatures.reshape(len(signatures), scheme.bands, scheme.rows).astype(_U64)
    keys = np.full(grouped.shape[:2], _U64(scheme.seed), dtype=_U64)
    for row in range(scheme.rows):
        keys = splitmix64(keys ^ grouped[:, :, row])
    return keys.view(np.int64)


def sequence_hash(words: np.ndarray, doc_words: np.ndarray) -> np.ndarray:
    """int64 order-sensitive hash of each document's word sequence (0 for a document without words)."""
    doc_words = doc_words.astype(np.int64)
    out = np.zeros(len(doc_words), dtype=_U64)
    nonempty = np.flatnonzero(doc_words)
    if len(words):
        starts = np.concatenate(([0], np.cumsum(doc_words)[:-1]))
        position = np.arange(len(words)) - np.repeat(starts, doc_words)
        with np.errstate(over="ignore"):
            weights = splitmix64(position.astype(_U64))
            out[nonempty] = splitmix64(np.add.reduceat(words * weights, starts[nonempty]) ^ doc_words[nonempty].astype(_U64))
    return out.view(np.int64)


def estimated_jaccard(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Share of equal slots of row-aligned signatures; 0 where either document had no shingles."""
    equal = (left == right).mean(axis=1)
    empty = (left == EMPTY_SLOT).all(axis=1) | (right == EMPTY_SLOT).all(axis=1)
    return np.where(empty, 0.0, equal)
