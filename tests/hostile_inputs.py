"""The inputs of issue #15 that each stopped or stalled a whole run, written next to good articles.

`write_hostile_inbox` returns, per file it wrote, the reject reasons that file
must end with (an empty set: it must load as an article).
"""

import io
import json
import os
import tarfile
import zipfile
from pathlib import Path

GOOD_TEXT = (
    "Der Gipfel von Hanoi endete ohne Einigung. Donald Trump und Kim Jong Un reisten vorzeitig ab, "
    "die Gespräche über Atomwaffen sollen aber weitergehen, sagte ein Sprecher in Washington."
)
NOT_TEXT_CODECS = ("rot13", "zlib", "base64", "hex", "bz2", "uu", "quopri", "undefined")


def good_article(n: int) -> str:
    return f"Titel: Gipfelbericht {n}\n\n{GOOD_TEXT} Meldung Nummer {n}."


def _tar_with_latin1_member() -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.GNU_FORMAT, encoding="latin-1") as archive:
        data = good_article(900).encode()
        info = tarfile.TarInfo("Gipfel-Pjöngjang.txt")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def _feed_with_surrogates() -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Feed</title>'
        "<item><title>Gipfel &#55357;&#56832; und &#xD800; Hanoi</title>"
        f"<description>{GOOD_TEXT} Aus dem Feed.</description></item></channel></rss>"
    )


def _big_json_array(items: int) -> bytes:
    """The issue's shape: a 10 MB array of 5 M small items (here numbers: each item is no article)."""
    return ("[" + ",".join(["0"] * items) + "]").encode()


def write_hostile_inbox(inbox: Path, *, goods: int = 3, array_items: int = 5_000_000) -> dict[bytes, set[str]]:
    """Good articles and every hostile input; file path (bytes) -> the reject reasons expected of it."""
    inbox.mkdir(parents=True, exist_ok=True)
    expected: dict[bytes, set[str]] = {}

    def put(name: str | bytes, data: bytes | str, reasons: set[str]) -> None:
        path = os.path.join(os.fsencode(inbox), os.fsencode(name))
        with open(path, "wb") as handle:
            handle.write(data.encode() if isinstance(data, str) else data)
        expected[path] = reasons

    for n in range(goods):
        put(f"good-{n}.txt", good_article(n), set())
    put(b"caf\xe9.txt", good_article(100), {"bad_file_name"})
    put("latin1-member.tar", _tar_with_latin1_member(), set())  # the member loads, under a bytes-safe name
    put("surrogates.rss", _feed_with_surrogates(), set())
    put("sidecar.txt", good_article(101), {"invalid_metadata"})
    put("sidecar.txt.meta.json", '{"title": "\\ud800 Gipfel"}', set())
    expected.pop(os.path.join(os.fsencode(inbox), b"sidecar.txt.meta.json"))  # read with sidecar.txt
    put("long-number.json", '{"text": "' + GOOD_TEXT + '", "n": ' + "9" * 5000 + "}", {"invalid_json"})
    for codec in NOT_TEXT_CODECS:
        put(f"charset-{codec}.html", f'<html><head><meta charset="{codec}"></head><body><p>{GOOD_TEXT} \xff</p></body></html>'.encode("latin-1"), set())
    put("huge.txt", ("Gipfel in Hanoi. " * 70_000), {"text_truncated"})  # 1.19 M characters
    with zipfile.ZipFile(inbox / "a.zip", "w") as archive:
        archive.writestr("m.txt", good_article(102))
    expected[os.fsencode(inbox / "a.zip")] = set()
    put("a.zip!m.txt", good_article(103), {"bad_file_name"})
    put("spaces.txt", "Titel: a" + " " * 200_000 + "b\n\n" + GOOD_TEXT, set())
    put("many-items.json", _big_json_array(array_items), {"too_many_items", "no_text", "more_rejects"})
    outside = inbox.parent / "outside-secret.txt"
    outside.write_text(good_article(104))
    os.symlink(outside, inbox / "link-out.txt")
    expected[os.fsencode(inbox / "link-out.txt")] = {"link_outside_inputs"}
    return expected
