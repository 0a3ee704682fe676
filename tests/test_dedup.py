"""MinHash, LSH and clustering as pure functions: stable numbers, sound estimates, roles."""

import dataclasses
import json
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsflow.settings import load_settings
from transforms.agencies import load_agencies
from transforms.dedup import minhash_scheme, scheme_key, syndication_children
from transforms.dedup.cluster import assign_roles, connected_components
from transforms.dedup.minhash import (
    MinHashScheme,
    band_keys,
    estimated_jaccard,
    minhash_signatures,
    shingle_hashes,
    word_hashes,
)
from transforms.dedup.boilerplate import load_boilerplate
from transforms.dedup.signatures import article_signatures, decode_signatures

HANOI = Path(__file__).parent / "fixtures" / "dedup" / "hanoi_articles.json"
SCHEME = MinHashScheme(shingle_size=5, num_perm=128, bands=32, rows=4, seed=2019)
BOILERPLATE = load_boilerplate(load_settings().dedup.boilerplate_path)


def signatures_of(texts: list[str], scheme: MinHashScheme = SCHEME) -> np.ndarray:
    frame = pl.DataFrame({"article_id": [f"a{i}" for i in range(len(texts))], "text": texts})
    rows, _ = article_signatures(frame, scheme, load_agencies(), BOILERPLATE)
    return decode_signatures(rows["signature"].to_arrow(), scheme.num_perm)


def hanoi() -> list[dict]:
    return json.loads(HANOI.read_text(encoding="utf-8"))


def test_word_hashes_are_pinned():
    """Persisted signatures must match future runs: a change here needs a new SCHEME_VERSION."""
    words = pl.Series(["gipfel", "hanoi", "über", "a"]).to_arrow()
    assert [int(h) % 1_000_003 for h in word_hashes(words)] == PINNED_WORD_HASHES
    signature = signatures_of(["Trump und Kim treffen sich in Hanoi zu ihrem zweiten Gipfel."])[0]
    assert signature[:4].tolist() == PINNED_SIGNATURE_HEAD


PINNED_WORD_HASHES = [591901, 148917, 793010, 579840]
PINNED_SIGNATURE_HEAD = [1045885181, 377862272, 1172979662, 137542230]


def test_shingles_stay_inside_their_document():
    words = np.arange(1, 8, dtype=np.uint64)  # documents of 4, 1, 0 and 2 words
    shingles, counts = shingle_hashes(words, np.array([4, 1, 0, 2]), size=3)
    assert counts.tolist() == [2, 1, 0, 1]
    assert len(shingles) == 4
    alone, _ = shingle_hashes(np.array([6, 7], dtype=np.uint64), np.array([2]), size=3)
    assert shingles[3] == alone[0]  # the last document's shingle ignores the words before it


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 400), st.integers(1, 400), st.integers(0, 400))
def test_estimate_is_close_to_true_jaccard(shared, only_left, only_right):
    rng = np.random.default_rng(shared * 1000 + only_left)
    pool = rng.choice(2**62, size=shared + only_left + only_right, replace=False).astype(np.uint64)
    left = np.concatenate([pool[:shared], pool[shared : shared + only_left]])
    right = np.concatenate([pool[:shared], pool[shared + only_left :]])
    if len(right) == 0:
        return
    shingles = np.concatenate([left, right])
    signatures = minhash_signatures(shingles, np.array([len(left), len(right)]), SCHEME)
    truth = shared / (shared + only_left + only_right)
    estimate = estimated_jaccard(signatures[:1], signatures[1:])[0]
    assert abs(estimate - truth) < 5 * np.sqrt(max(truth * (1 - truth), 0.01) / SCHEME.num_perm)


def test_bands_of_identical_signatures_are_identical_and_differ_by_band():
    signatures = signatures_of(["Kim reist mit dem Zug nach Vietnam und trifft dort Trump."] * 2)
    keys = band_keys(signatures, SCHEME)
    assert keys.shape == (2, SCHEME.bands)
    assert (keys[0] == keys[1]).all()
    assert len(set(keys[0].tolist())) == SCHEME.bands


def test_document_without_words_has_no_bands():
    frame = pl.DataFrame({"article_id": ["empty", "full"], "text": ["– … –", "Ein Satz mit genug Wörtern für Schindeln."]})
    rows, bands = article_signatures(frame, SCHEME, load_agencies(), BOILERPLATE)
    assert rows["n_shingles"].to_list() == [0, 3]  # 7 words: 3 runs of 5
    assert set(bands["article_id"]) == {"full"}


def test_scheme_rejects_bands_that_do_not_cover_the_signature():
    with pytest.raises(ValueError, match="must equal num_perm"):
        MinHashScheme(shingle_size=5, num_perm=128, bands=30, rows=4, seed=1)


def test_syndication_children_match_the_settings():
    settings = load_settings().dedup
    articles = pl.DataFrame(
        {"article_id": ["x"], "text": ["Hanoi (dpa) – Trump und Kim treffen sich zum zweiten Mal."], "author": [None]},
        schema_overrides={"author": pl.String},
    )
    children = syndication_children(articles, settings)
    assert children["dedup_signatures"]["scheme"][0].startswith(minhash_scheme(settings).key)
    assert children["dedup_bands"].height == settings.bands
    assert children["article_agencies"]["agency"].to_list() == ["dpa"]


def similarity_to_original(variant_id: str) -> float:
    articles = {a["id"]: a["text"] for a in hanoi()}
    signatures = signatures_of([articles["dpa-original"], articles[variant_id]])
    return float(estimated_jaccard(signatures[:1], signatures[1:])[0])


@pytest.mark.parametrize(
    ("variant", "low", "high"),
    [
        ("sn-copy", 1.0, 1.0),
        ("kleine-new-headline", 1.0, 1.0),
        ("standard-trailer", 1.0, 1.0),  # dateline and trailer are not compared
        ("presse-changed-paragraph", 0.5, 0.95),
        ("kurier-shortened", 0.65, 0.99),
        ("reuters-breakdown", 0.0, 0.1),  # same event, shares one sentence
        ("yonhap-seoul", 0.0, 0.05),
        ("afp-vietnam-host", 0.0, 0.05),
        ("kcna-report", 0.0, 0.05),
    ],
)
def test_similarity_of_hanoi_variants(variant, low, high):
    assert low <= similarity_to_original(variant) <= high


def test_components_match_a_plain_graph_search():
    rng = np.random.default_rng(7)
    n = 300
    left, right = rng.integers(0, n, 200), rng.integers(0, n, 200)
    labels = connected_components(n, left, right)
    neighbours: dict[int, set[int]] = {i: set() for i in range(n)}
    for a, b in zip(left.tolist(), right.tolist(), strict=True):
        neighbours[a].add(b)
        neighbours[b].add(a)
    for start in range(n):
        seen, todo = {start}, [start]
        while todo:
            for nxt in neighbours[todo.pop()] - seen:
                seen.add(nxt)
                todo.append(nxt)
        assert labels[start] == min(seen)


def members_frame(rows: list[tuple[str, datetime | None, int, int]]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "article_id": [r[0] for r in rows],
            "published_at": [r[1] for r in rows],
            "body_hash": [r[2] for r in rows],
            "n_words": [r[3] for r in rows],
        },
        schema={"article_id": pl.String, "published_at": pl.Datetime("us", "UTC"), "body_hash": pl.Int64, "n_words": pl.Int32},
    ).with_row_index("row")


def test_earliest_is_original_undated_come_last_and_ties_go_to_smaller_id():
    day = datetime(2019, 2, 27, 12, tzinfo=UTC)
    members = members_frame([("b", day, 1, 100), ("a", day, 1, 100), ("c", None, 2, 90), ("d", datetime(2019, 2, 26, tzinfo=UTC), 1, 100)])
    signatures = np.tile(np.arange(SCHEME.num_perm, dtype=np.uint32), (4, 1))
    signatures[2, :32] += 1000  # c differs in a quarter of its slots
    pairs = pl.DataFrame({"left_id": ["a", "a", "b"], "right_id": ["b", "c", "d"]})
    clusters = assign_roles(members, pairs, signatures).sort("article_id")
    assert clusters["cluster_id"].unique().to_list() == ["d"]  # the earliest, though loaded last
    assert dict(zip(clusters["article_id"], clusters["role"], strict=True)) == {
        "a": "copy", "b": "copy", "c": "update", "d": "original",
    }  # fmt: skip
    update = clusters.filter(pl.col("article_id") == "c").row(0, named=True)
    assert update["similarity"] == pytest.approx(0.75)
    assert update["changed_share"] == pytest.approx(0.25)
    assert update["words_delta"] == -10
    assert clusters["cluster_size"].unique().to_list() == [4]

    undated = members_frame([("y", None, 5, 10), ("x", None, 6, 12)])
    both = assign_roles(undated, pl.DataFrame({"left_id": ["x"], "right_id": ["y"]}), signatures[:2]).sort("article_id")
    assert both["role"].to_list() == ["original", "update"]  # undated tie: the smaller article_id


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"dedup.bands": 40}, "must equal dedup.num_perm"),
        ({"dedup.threshold": 0.0}, "dedup.threshold"),
        ({"dedup.shingle_size": 0}, "must be positive"),
    ],
)
def test_dedup_settings_are_checked(overrides, message):
    from newsflow.errors import ConfigError

    with pytest.raises(ConfigError, match=message):
        load_settings(environ={}, overrides=overrides)


def test_publisher_notices_are_not_compared_and_their_list_is_part_of_the_scheme(tmp_path):
    notice = "Der Volltext dieses auf Agenturmeldungen basierenden Artikels steht aus rechtlichen Gründen nicht mehr zur Verfügung."
    stubs = [f"Privater Besuch ohne Öffentlichkeit. {notice}", f"Explosion auf der Einkaufsstraße: 40 Verletzte. {notice}"]
    frame = pl.DataFrame({"article_id": ["a", "b"], "text": stubs})
    rows, _ = article_signatures(frame, SCHEME, load_agencies(), BOILERPLATE)
    signatures = decode_signatures(rows["signature"].to_arrow(), SCHEME.num_perm)
    assert estimated_jaccard(signatures[:1], signatures[1:])[0] == 0.0  # only the teasers are compared
    assert rows["n_words"].to_list() == [4, 6]

    empty = tmp_path / "none.txt"
    empty.write_text("# nothing\n", encoding="utf-8")
    dedup = load_settings().dedup
    without = dataclasses.replace(dedup, boilerplate_file=str(empty))
    assert scheme_key(without) != scheme_key(dedup)  # a new list re-signs the stored articles
    rows, _ = article_signatures(frame, SCHEME, load_agencies(), load_boilerplate(empty))
    signatures = decode_signatures(rows["signature"].to_arrow(), SCHEME.num_perm)
    assert estimated_jaccard(signatures[:1], signatures[1:])[0] > 0.3


@pytest.mark.parametrize(("content", "message"), [(None, "cannot read the boilerplate list"), ("Volltext (\n", "pattern 1")])
def test_boilerplate_list_errors_name_the_file(tmp_path, content, message):
    from newsflow.errors import ConfigError

    path = tmp_path / "boilerplate.txt"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_boilerplate(path)
