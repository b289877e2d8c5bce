"""One definition per field kind: how a value of each `Field.kind` is checked, described in the JSON Schema,
read from a spreadsheet cell, written into a record file, compared and exported.

The checker (generator.validate), the schema (generator.schema), `stdportal import` (generator.importer),
the record writer (generator.scaffold) and the exports (generator.export) all ask `kind_of(field)`; none of
them states a rule of a kind itself.
"""

from __future__ import annotations

from ..fields import Field
from ..vocab import Vocabulary
from .base import (
    CELL_UNITS,
    CellError,
    Context,
    Kind,
    cell_overflow,
    cell_str,
    guard_formula,
    is_empty,
    quote,
    string,
    unguard_formula,
    unwrapped,
    width_note,
)
from .lists import CCS, ICS, NUMBER, Codes, Numbers, Texts, VocabList
from .nested import Feedbacks, Sources, source_key
from .scalars import Choice, Date, Memo, Region, Slot, SourceNumber, Text, Title, Url

__all__ = ["CELL_UNITS", "KINDS", "NUMBER", "CellError", "Context", "Kind", "cell_overflow", "cell_str",
           "guard_formula", "is_empty", "kind_of", "quote", "source_key", "string", "unguard_formula", "unwrapped",
           "width_note"]

KINDS: dict[str, Kind] = {
    "text": Text(),
    "title": Title(),
    "chinese_title": Title(chinese=True),
    "texts": Texts(),
    "date": Date(),
    "choice": Choice(),
    "numbers": Numbers(),
    "url": Url(),
    "ccs": Codes(CCS, "A12"),
    "ics": Codes(ICS, "03.080.30"),
    "domains": VocabList(Vocabulary.domain, "领域"),
    "categories": VocabList(Vocabulary.category, "大类"),
    "items": VocabList(Vocabulary.item, "服务项目"),
    "slot": Slot(),
    "region": Region(),
    "sources": Sources(),
    "feedback": Feedbacks(),
    "source_number": SourceNumber(),
    "memo": Memo(),
}


def kind_of(field: Field) -> Kind:
    return KINDS[field.kind]
