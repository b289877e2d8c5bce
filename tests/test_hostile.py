"""The hostile corpus (tests/hostile/) passes check and reaches the typed records unchanged.

That it is then shown as text, with no script run and no outside request, is the browser tests' part.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from support import write_db

from generator.fields import FIELD_BY_KEY
from generator.load import load_records
from generator.pipeline import check
from generator.validate import validate
from generator.vocab import load_vocabulary

HOSTILE = Path(__file__).parent / "hostile" / "db"


def hostile_db(tmp_path: Path) -> Path:
    db = write_db(tmp_path / "standards", {})
    shutil.copytree(HOSTILE, db, dirs_exist_ok=True)
    return db


def test_the_hostile_corpus_passes_check(tmp_path: Path) -> None:
    assert check(hostile_db(tmp_path)) == []


def test_every_hostile_value_reaches_the_record_unchanged(tmp_path: Path) -> None:
    db = hostile_db(tmp_path)
    vocab, _ = load_vocabulary(db)
    raws, _ = load_records(db)
    standards, problems = validate(raws, vocab)

    assert problems == []
    assert len(standards) == len(raws) == len(list(HOSTILE.rglob("*.yaml")))
    by_path = {s.path: s for s in standards}
    compared = 0
    for raw in raws:
        standard = by_path[raw.path]
        for key, value in raw.parsed.data.items():
            field = FIELD_BY_KEY[key]
            if isinstance(value, str) and field.kind in ("text", "url"):
                assert getattr(standard, field.attr) == value.strip(), key
                compared += 1
            elif isinstance(value, list) and field.kind == "texts":
                assert list(getattr(standard, field.attr)) == [v.strip() for v in value], key
                compared += 1
    assert compared >= 20
    payloads = " ".join(str(s) for s in standards)
    for needle in ("</title><script>", "onerror=", "javascript:alert", "{{ 7*7 }}", "{% raw %}", "data:text/html"):
        assert needle in payloads
