"""Syndication through the real `build_corpus` flow: files in, clusters and agency credits out."""

import json
from pathlib import Path

import duckdb
import pytest

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("prefect_harness")]

HANOI = Path(__file__).parent / "fixtures" / "dedup" / "hanoi_articles.json"


def write_articles(directory: Path, ids: set[str] | None = None) -> list[dict]:
    directory.mkdir(parents=True, exist_ok=True)
    articles = [a for a in json.loads(HANOI.read_text(encoding="utf-8")) if ids is None or a["id"] in ids]
    for article in articles:
        header = [f"Title: {article['title']}", f"Outlet: {article['outlet']}", f"Date: {article['published_at']}"]
        if article["author"]:
            header.append(f"Author: {article['author']}")
        (directory / f"{article['id']}.txt").write_text("\n".join(header) + "\n\n" + article["text"] + "\n", encoding="utf-8")
    return articles


def syndication(db_path: Path) -> dict[str, list]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return {
            "clusters": con.execute(
                "select a.item, a.source_path, c.role, (select source_path from articles where article_id = c.cluster_id)"
                " from clusters c join articles a using (article_id) order by all"
            ).fetchall(),
            "agencies": con.execute(
                "select a.source_path, g.agency, g.kind from article_agencies g join articles a using (article_id) order by all"
            ).fetchall(),
            "outlets": con.execute("select outlet, articles, distinct_stories from mart_outlet_story_counts order by outlet").fetchall(),
        }


def test_flow_clusters_syndicated_hanoi_coverage_and_reruns_change_nothing(tmp_path, db_path):
    from flows.build_corpus import build_corpus

    inbox = tmp_path / "inbox"
    articles = write_articles(inbox, {"dpa-original", "standard-trailer", "presse-changed-paragraph", "yonhap-seoul"})
    build_corpus(paths=[str(inbox)], db=str(db_path))
    first = syndication(db_path)
    roles = {Path(path).stem: (role, Path(original).stem) for _, path, role, original in first["clusters"]}
    assert roles == {
        "dpa-original": ("original", "dpa-original"),
        "standard-trailer": ("copy", "dpa-original"),
        "presse-changed-paragraph": ("update", "dpa-original"),
        "yonhap-seoul": ("original", "yonhap-seoul"),
    }
    agencies = {(Path(path).stem, agency, kind) for path, agency, kind in first["agencies"]}
    assert {("dpa-original", "dpa", "dateline"), ("standard-trailer", "APA", "trailer"),
            ("presse-changed-paragraph", "APA", "byline"), ("yonhap-seoul", "Yonhap", "dateline")} <= agencies  # fmt: skip
    assert len(articles) == 4

    build_corpus(paths=[str(inbox)], db=str(db_path))  # nothing new
    assert syndication(db_path) == first

    write_articles(inbox, {"kleine-new-headline"})  # a new copy meets the stored index
    build_corpus(paths=[str(inbox)], db=str(db_path))
    after = syndication(db_path)
    roles = {Path(path).stem: (role, Path(original).stem) for _, path, role, original in after["clusters"]}
    assert roles["kleine-new-headline"] == ("copy", "dpa-original")
    assert ("Kleine Zeitung", 1, 1) in after["outlets"]
