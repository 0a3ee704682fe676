"""Ingestion fidelity on what real pages and files hold (issue 20, items 1-10)."""

import json

from transforms.discover import discover_files
from transforms.readers import read_file


def test_jsonl_keeps_records_with_unicode_line_separators():
    records = [
        {"title": f"Record {n}", "text": f"Paragraph one\u2028still the same string {n}.\u2029More text."}
        for n in range(3)
    ]
    data = "\n".join(json.dumps(record, ensure_ascii=False) for record in records).encode()
    result = read_file("/in/records.jsonl", data)
    assert result.rejects == []
    assert result.articles["item"].to_list() == ["L1", "L2", "L3"]
    assert result.articles["title"].to_list() == ["Record 0", "Record 1", "Record 2"]


def test_jsonl_with_crlf_line_ends_still_loads():
    data = b'{"text": "one article here"}\r\n{"text": "another article"}\r\n'
    result = read_file("/in/records.jsonl", data)
    assert result.rejects == [] and result.articles.height == 2


def test_upper_case_extensions_are_discovered(tmp_path):
    for name in ("README.TXT", "story.Html", "lower.txt", "image.PNG"):
        (tmp_path / name).write_text("x")
    found = discover_files([tmp_path], ("**/*.txt", "**/*.html"), ("**/.*",))
    assert sorted(path.rsplit("/", 1)[1] for path in found["path"]) == ["README.TXT", "lower.txt", "story.Html"]
