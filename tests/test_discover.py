import os

import polars as pl
import pytest

from newsflow.errors import ConfigError
from transforms.discover import discover_files, glob_regex, plan_changes
from transforms.discover import LEDGER_SCHEMA

INCLUDE = ("**/*.txt", "**/*.json")
EXCLUDE = ("**/.*", "**/.*/**", "**/*.meta.json")


@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("**/*.txt", "a.txt", True),
        ("**/*.txt", "x/y/a.txt", True),
        ("**/*.txt", "a.txt.gz", False),
        ("*.txt", "x/a.txt", False),
        ("**/.*", "x/.hidden", True),
        ("**/.*/**", ".git/config", True),
        ("**/*.meta.json", "a.meta.json", True),
        ("a?.json", "ab.json", True),
    ],
)
def test_glob_semantics(pattern, path, matches):
    assert bool(glob_regex(pattern).match(path)) is matches


def test_discover_filters_directories_but_takes_named_files(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / ".git").mkdir()
    for name in ("a.txt", "sub/b.json", "sub/b.meta.json", "c.pdf", ".git/x.txt", ".hidden.txt"):
        (tmp_path / name).write_text("x")
    found = discover_files([tmp_path], INCLUDE, EXCLUDE)
    assert [os.path.relpath(p, tmp_path) for p in found["path"]] == ["a.txt", "sub/b.json"]
    named = discover_files([tmp_path / "c.pdf"], INCLUDE, EXCLUDE)
    assert named["path"].to_list() == [str((tmp_path / "c.pdf").resolve())]


def test_discover_does_not_follow_directory_links_into_loops(tmp_path):
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
    assert discover_files([tmp_path], INCLUDE, EXCLUDE).height == 1


def test_missing_input_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        discover_files([tmp_path / "nope"], INCLUDE, EXCLUDE)


def test_plan_changes_uses_stat_then_hash():
    discovered = pl.DataFrame({"path": ["/new", "/same", "/touched", "/broken"], "size": [1, 2, 3, 4], "mtime_ns": [1, 2, 30, 4]})
    ledger = pl.DataFrame(
        {"path": ["/same", "/touched", "/broken"], "size": [2, 3, 4], "mtime_ns": [2, 3, 4], "content_hash": ["h2", "h3", ""]},
        schema=LEDGER_SCHEMA,
    )
    trusted = plan_changes(discovered, ledger, trust_mtime=True)
    assert dict(trusted.select("path", "action").iter_rows()) == {
        "/new": "new", "/same": "unchanged", "/touched": "stat_changed", "/broken": "new",
    }  # fmt: skip
    distrusted = plan_changes(discovered, ledger, trust_mtime=False)
    assert distrusted.filter(pl.col("path") == "/same")["action"].item() == "stat_changed"
    assert distrusted.filter(pl.col("path") == "/same")["known_hash"].item() == "h2"


def test_an_edited_sidecar_changes_the_files_stat(tmp_path):
    story, sidecar = tmp_path / "a.txt", tmp_path / "a.txt.meta.json"
    story.write_text("x")
    os.utime(story, ns=(1_000_000_000, 1_000_000_000))
    assert discover_files([tmp_path], INCLUDE, EXCLUDE)["mtime_ns"].item() == 1_000_000_000
    sidecar.write_text('{"outlet": "Der Standard"}')
    os.utime(sidecar, ns=(2_000_000_000, 2_000_000_000))
    found = discover_files([tmp_path], INCLUDE, EXCLUDE)
    assert found["path"].to_list() == [str(story.resolve())]  # the sidecar is not an input of its own
    assert found["mtime_ns"].item() == 2_000_000_000
