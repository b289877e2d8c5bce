"""The bundled database in standards/: where records live, what they are named, and that each names a source."""

from __future__ import annotations

from collections import Counter

import pytest
from support import AS_OF, BUNDLED_DB

from generator.load import load_records
from generator.numbers import LEVELS, slug
from generator.pipeline import load_catalog
from generator.vocab import load_vocabulary

LEVEL_KEYS = {level.key for level in LEVELS}


@pytest.fixture(scope="module")
def catalog():
    catalog, problems = load_catalog(BUNDLED_DB, AS_OF)
    assert all(p.severity.value == "提示" for p in problems)
    return catalog


def test_every_record_file_is_one_standard_of_the_catalogue(catalog) -> None:
    record_files = sorted(BUNDLED_DB.glob("*/*.yaml"))
    record_files = [p for p in record_files if p.parent.name in LEVEL_KEYS]
    assert len(record_files) > 200  # the bundled database, not an empty or partial copy
    assert len(catalog.standards) == len(record_files)
    assert len({s.number for s in catalog.standards}) == len(record_files)


def test_no_file_outside_the_level_folders_and_vocabularies() -> None:
    stray = []
    for path in BUNDLED_DB.rglob("*"):
        if path.is_dir():
            continue
        relative = path.relative_to(BUNDLED_DB)
        top = relative.parts[0]
        if top == "vocabularies":
            continue
        if not (len(relative.parts) == 2 and top in LEVEL_KEYS and path.suffix == ".yaml"):
            stray.append(str(relative))
    assert stray == []


def test_every_record_is_loaded(catalog) -> None:
    raws, problems = load_records(BUNDLED_DB)
    assert problems == []
    assert {raw.path for raw in raws} == {s.path for s in catalog.standards}


def test_every_file_name_follows_the_number_and_folder_the_level(catalog) -> None:
    wrong = [(s.path.relative_to(BUNDLED_DB).as_posix(), s.number) for s in catalog.standards
             if s.path.name != f"{slug(s.number)}.yaml" or s.path.parent.name != s.level.key]
    assert wrong == []


def test_every_record_names_its_source(catalog) -> None:
    without = [s.number for s in catalog.standards if not any(src.url or src.note for src in s.sources)]
    assert without == []


def test_every_record_has_a_title(catalog) -> None:
    assert [s.number for s in catalog.standards if not s.display_title.strip()] == []


def test_each_level_and_status_is_represented(catalog) -> None:
    levels = Counter(s.level.key for s in catalog.standards)
    assert set(levels) == LEVEL_KEYS
    assert sum(levels.values()) == len(catalog.standards)
    statuses = Counter(status.label for status in catalog.status.values())
    assert statuses["现行"] > 0


def test_local_standards_resolve_to_known_regions(catalog) -> None:
    local = [s for s in catalog.standards if s.level.key == "local"]
    assert local
    assert [s.number for s in local if s.region not in catalog.vocab.regions] == []
    assert all(catalog.vocab.region_chain(s.region)[0].rank == "province" for s in local)


def test_vocabulary_counts() -> None:
    vocab, problems = load_vocabulary(BUNDLED_DB)
    assert problems == []
    assert len(vocab.domains) == 10 and vocab.domains[0].name == "基础通用"
    assert sorted(c.number for d in vocab.domains for c in d.categories) == list(range(1, 23))
    assert len(vocab.regions) == 3213 + 1  # the MCA list and regions-extra.txt (河北雄安新区)
    assert len(vocab.slots) == 10
