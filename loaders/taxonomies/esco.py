"""ESCO (European Skills, Competences, Qualifications and Occupations) as skills, occupations and relations.

**Reads** the two CSV downloads of one ESCO version, English, inside a folder (SOURCE), each read inside
its zip archive (nothing is extracted):

- ``esco-v1.1.1-classification-en-csv.zip``: ``ISCOGroups_en.csv``, ``occupations_en.csv``,
  ``skillsHierarchy_en.csv``, ``skillGroups_en.csv``, ``skills_en.csv`` (the collections are not read:
  they repeat concepts of these files);
- ``esco-v1.1.1-relations-csv.zip``: ``broaderRelationsOccPillar.csv``,
  ``broaderRelationsSkillPillar.csv``, ``occupationSkillRelations.csv``, ``skillSkillRelations.csv``.

**Makes**

- ``Skill`` for each skill or knowledge concept: ESCO's URI kept as the IRI; ``label_en``,
  ``altLabel_en`` (the newline-separated altLabels), ``definition_en`` (the description), ``skillType``
  ``"skill"`` for ESCO's skill/competence and ``"knowledge"`` for knowledge (the ontology's words;
  6 concepts without a type in ESCO get none). Hidden labels (misspellings kept for text mining),
  reuse level, scope notes and status are not loaded.
- ``Skill`` for each skill group of the skills hierarchy (skillGroups_en.csv, plus the 7 groups that
  only skillsHierarchy_en.csv lists): URI kept, labels and description as above, ``code`` (ESCO's
  hierarchy code such as ``S1.2.3``; the ISCED-F groups have none), ``level`` (the hierarchy level ESCO
  gives, 0 = pillar … 3) and ``levelName_en`` (``"skills pillar"`` or ``"skill group"``). A skill group
  has no ``skillType``: the ontology (and its SHACL shape) allows only skill, knowledge or attitude, and
  a group is none of them — so *a skill group is an ESCO Skill with a ``level`` and no ``skillType``*.
- ``Occupation`` for each ESCO occupation: URI kept; ``code`` (ESCO code, e.g. ``2654.1.7``),
  ``label_en``, ``altLabel_en``, ``definition_en`` (the description).
- ``Occupation`` for each ISCO-08 group, keyed ``ISCO08:{code}`` (so that other sources citing an
  ISCO-08 code meet the same node); ``code``, ``label_en``, ``altLabel_en``, ``definition_en``,
  ``level`` 1–4 with ``levelName_en`` (major, sub-major, minor, unit group) and ``url`` = ESCO's URI.
- ``broader`` between occupations and ISCO groups (broaderRelationsOccPillar.csv: an ESCO occupation
  → its ISCO unit group or its broader ESCO occupation; ISCO group → ISCO group), and between skills
  and skill groups (broaderRelationsSkillPillar.csv, and skillsHierarchy_en.csv for any group–group
  link the former lacks — in v1.1.1 none).
- ``requiresSkill`` occupation → skill for each occupationSkillRelations.csv row: ``relationType``
  essential|optional, ``weight`` 1.0|0.5, ``method`` "taxonomy".
- ``relatedSkill`` original skill → related skill for each skillSkillRelations.csv row, with
  ``relationType`` essential|optional (ESCO: the related skill is essential/optional for the original
  one) and ``method`` "taxonomy".

Every relationship carries ``method: "taxonomy"``. Relations naming a concept that the classification
files do not contain are rejected with that reason — in v1.1.1 exactly 68 rows, all naming the
occupation ``a9e54177-a185-404d-b6e6-15663d31137e`` that occupations_en.csv lacks (67 skill relations
and 1 broader relation).

**Keys**: ESCO URIs as IRIs (skills, skill groups, occupations); ``ISCO08:{code}`` for ISCO-08 groups.
**Dataset**: ``esco-{version}`` from the archive names, e.g. ``esco-1.1.1``.

**Licence**: ESCO © European Union, reused under the Commission's reuse policy (Commission Decision
2011/833/EU): reuse is allowed with attribution — "This service uses the ESCO classification of the
European Commission." ISCO-08 is the International Standard Classification of Occupations of the ILO.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ieic_kg.errors import SourceError
from ieic_kg.records import EdgeRecord, NodeRecord, Origin, Record, Ref, Reject

from ._common import DATA_HINT, Table, lines, open_zip, require_dir, require_file

CLASSIFICATION_MEMBERS = (
    "ISCOGroups_en.csv",
    "occupations_en.csv",
    "skillsHierarchy_en.csv",
    "skillGroups_en.csv",
    "skills_en.csv",
)
RELATION_MEMBERS = (
    "broaderRelationsOccPillar.csv",
    "broaderRelationsSkillPillar.csv",
    "occupationSkillRelations.csv",
    "skillSkillRelations.csv",
)

#: ESCO skillType → the ontology's ieic:skillType
SKILL_TYPES = {"skill/competence": "skill", "knowledge": "knowledge"}
#: demand weight of an occupation–skill relation (docs/scoring.md)
WEIGHTS = {"essential": 1.0, "optional": 0.5}
ISCO_LEVELS = {1: "major group", 2: "sub-major group", 3: "minor group", 4: "unit group"}
HIERARCHY_LEVELS = {0: "skills pillar", 1: "skill group", 2: "skill group", 3: "skill group"}

_TAXONOMY = MappingProxyType({"method": "taxonomy"})
_REQUIRES = {t: MappingProxyType({"relationType": t, "weight": w, "method": "taxonomy"}) for t, w in WEIGHTS.items()}
_RELATED = {t: MappingProxyType({"relationType": t, "method": "taxonomy"}) for t in WEIGHTS}
_ISCO_CODE = re.compile(r"\d{1,4}")
_ARCHIVE = re.compile(r"esco-v(?P<version>.+)-classification-en-csv\.zip")


@dataclass
class _Concept:
    """What skillsHierarchy_en.csv says of one concept."""

    label: str
    code: str
    level: int
    description: str
    origin: Origin
    own_row: bool


@dataclass
class _State:
    """What the later files are checked against: the concepts read so far."""

    isco: dict[str, str] = field(default_factory=dict)  # ISCO group URI → ISCO08:{code} key
    occupations: set[str] = field(default_factory=set)  # ESCO occupation URIs
    skills: set[str] = field(default_factory=set)  # skill and skill group URIs
    hierarchy: dict[str, _Concept] = field(default_factory=dict)
    group_links: dict[tuple[str, str], Origin] = field(default_factory=dict)  # (narrower, broader) → origin


class EscoLoader:
    """Reads ESCO's classification and relations archives; see the module docstring."""

    name = "esco"
    version = "1"

    def __init__(self, folder: Path) -> None:
        self.folder = require_dir(folder, "ESCO folder (holding esco-v<version>-*-en-csv.zip)")
        found = sorted(p for p in self.folder.iterdir() if _ARCHIVE.fullmatch(p.name))
        if not found:
            raise SourceError(
                "no ESCO classification archive esco-v<version>-classification-en-csv.zip in the folder",
                file=str(self.folder),
                hint=DATA_HINT,
            )
        if len(found) > 1:
            raise SourceError(
                f"several ESCO versions in the folder: {', '.join(p.name for p in found)}",
                file=str(self.folder),
                hint="point SOURCE at a folder holding one version",
            )
        self.classification = found[0]
        match = _ARCHIVE.fullmatch(found[0].name)
        assert match is not None
        self.esco_version = match["version"]
        self.relations = require_file(
            self.folder / f"esco-v{self.esco_version}-relations-csv.zip", "ESCO relations archive"
        )
        for archive, members in ((self.classification, CLASSIFICATION_MEMBERS), (self.relations, RELATION_MEMBERS)):
            with open_zip(archive) as zf:
                missing = [m for m in members if m not in zf.namelist()]
            if missing:
                raise SourceError(
                    f"the archive lacks {', '.join(missing)}",
                    file=str(archive),
                    hint="use ESCO's CSV download in English (classification and relations); " + DATA_HINT,
                )

    @property
    def dataset(self) -> str:
        return f"esco-{self.esco_version}"

    def source_paths(self) -> list[Path]:
        return [self.classification, self.relations]

    def records(self) -> Iterator[Record]:
        state = _State()
        with open_zip(self.classification) as cz, open_zip(self.relations) as rz:
            yield from self._isco_groups(cz, state)
            yield from self._occupations(cz, state)
            yield from self._skill_groups(cz, state)
            yield from self._skills(cz, state)
            yield from self._occupation_broader(rz, state)
            yield from self._skill_broader(rz, state)
            yield from self._occupation_skills(rz, state)
            yield from self._skill_skills(rz, state)

    # -- classification ---------------------------------------------------------------------------------

    def _table(self, archive: zipfile.ZipFile, member: str, **options: Any) -> Table:
        return Table(Path(archive.filename or ""), member, **options)

    def _isco_groups(self, zf: zipfile.ZipFile, state: _State) -> Iterator[Record]:
        cols = ("conceptUri", "code", "preferredLabel", "altLabels", "description")
        for origin, row in self._table(zf, "ISCOGroups_en.csv").rows(cols, zf):
            if isinstance(row, Reject):
                yield row
                continue
            uri, code, label = row["conceptUri"], row["code"], row["preferredLabel"]
            problem = _missing(row, "conceptUri", "code", "preferredLabel")
            if problem is None and not _ISCO_CODE.fullmatch(code):
                problem = ("code", "not an ISCO-08 code (1 to 4 digits)")
            if problem is not None:
                yield Reject(origin, problem[1], field=problem[0], value=row.get(problem[0], ""), record=row)
                continue
            key = f"ISCO08:{code}"
            props: dict[str, Any] = {
                "code": code,
                "label_en": label,
                "level": len(code),
                "levelName_en": ISCO_LEVELS[len(code)],
                "url": uri,
            }
            _texts(props, row["altLabels"], row["description"])
            state.isco[uri] = key
            yield NodeRecord("Occupation", key, props, origin)

    def _occupations(self, zf: zipfile.ZipFile, state: _State) -> Iterator[Record]:
        cols = ("conceptUri", "preferredLabel", "altLabels", "definition", "description", "code")
        for origin, row in self._table(zf, "occupations_en.csv").rows(cols, zf):
            if isinstance(row, Reject):
                yield row
                continue
            problem = _missing(row, "conceptUri", "preferredLabel") or _not_iri(row["conceptUri"])
            if problem is not None:
                yield Reject(origin, problem[1], field=problem[0], value=row.get(problem[0], ""), record=row)
                continue
            props: dict[str, Any] = {"label_en": row["preferredLabel"]}
            if row["code"]:
                props["code"] = row["code"]
            _texts(props, row["altLabels"], row["description"] or row["definition"])
            state.occupations.add(row["conceptUri"])
            yield NodeRecord("Occupation", None, props, origin, iri=row["conceptUri"])

    def _skill_groups(self, zf: zipfile.ZipFile, state: _State) -> Iterator[Record]:
        yield from self._hierarchy(zf, state)
        cols = ("conceptUri", "preferredLabel", "altLabels", "description", "code")
        for origin, row in self._table(zf, "skillGroups_en.csv").rows(cols, zf):
            if isinstance(row, Reject):
                yield row
                continue
            uri = row["conceptUri"]
            problem = _missing(row, "conceptUri", "preferredLabel") or _not_iri(uri)
            if problem is not None:
                yield Reject(origin, problem[1], field=problem[0], value=row.get(problem[0], ""), record=row)
                continue
            concept = state.hierarchy.get(uri)
            props: dict[str, Any] = {"label_en": row["preferredLabel"]}
            code = row["code"] or (concept.code if concept else "")
            if code:
                props["code"] = code
            if concept is not None:
                props["level"] = concept.level
                props["levelName_en"] = HIERARCHY_LEVELS[concept.level]
            _texts(props, row["altLabels"], row["description"] or (concept.description if concept else ""))
            state.skills.add(uri)
            yield NodeRecord("Skill", None, props, origin, iri=uri)
        for uri, concept in state.hierarchy.items():  # groups that only the hierarchy lists
            if uri in state.skills:
                continue
            props = {"label_en": concept.label, "level": concept.level, "levelName_en": HIERARCHY_LEVELS[concept.level]}
            if concept.code:
                props["code"] = concept.code
            if concept.description:
                props["definition_en"] = concept.description
            state.skills.add(uri)
            yield NodeRecord("Skill", None, props, concept.origin, iri=uri)

    def _hierarchy(self, zf: zipfile.ZipFile, state: _State) -> Iterator[Record]:
        """Reads skillsHierarchy_en.csv into ``state`` (codes, levels, group–group links); yields rejects."""
        cols = [f"Level {i} {what}" for i in range(4) for what in ("URI", "preferred term", "code")]
        cols.append("Description")
        for origin, row in self._table(zf, "skillsHierarchy_en.csv", ragged=True).rows(cols, zf):
            if isinstance(row, Reject):
                yield row
                continue
            path = [(i, row[f"Level {i} URI"]) for i in range(4) if row[f"Level {i} URI"]]
            levels = [i for i, _ in path]
            if not path or levels != list(range(len(path))):
                yield Reject(origin, "the row does not name a concept at consecutive levels from Level 0", record=row)
                continue
            bad = next(((i, uri) for i, uri in path if _not_iri(uri)), None)
            if bad is not None:
                yield Reject(
                    origin, f"not an http(s) URI: {bad[1]!r}", field=f"Level {bad[0]} URI", value=bad[1], record=row
                )
                continue
            deepest = len(path) - 1
            for i, uri in path:
                own = i == deepest
                known = state.hierarchy.get(uri)
                if known is None or (own and not known.own_row):
                    state.hierarchy[uri] = _Concept(
                        label=row[f"Level {i} preferred term"] or (known.label if known else ""),
                        code=row[f"Level {i} code"],
                        level=i,
                        description=row["Description"] if own else "",
                        origin=origin,
                        own_row=own,
                    )
                if i:
                    state.group_links.setdefault((uri, path[i - 1][1]), origin)
        for uri, concept in list(state.hierarchy.items()):
            if not concept.label:
                yield Reject(concept.origin, "a concept of the skills hierarchy has no preferred term", value=uri)
                del state.hierarchy[uri]

    def _skills(self, zf: zipfile.ZipFile, state: _State) -> Iterator[Record]:
        cols = ("conceptUri", "skillType", "preferredLabel", "altLabels", "definition", "description")
        for origin, row in self._table(zf, "skills_en.csv").rows(cols, zf):
            if isinstance(row, Reject):
                yield row
                continue
            uri = row["conceptUri"]
            problem = _missing(row, "conceptUri", "preferredLabel") or _not_iri(uri)
            if problem is not None:
                yield Reject(origin, problem[1], field=problem[0], value=row.get(problem[0], ""), record=row)
                continue
            props: dict[str, Any] = {"label_en": row["preferredLabel"]}
            skill_type = SKILL_TYPES.get(row["skillType"])
            if skill_type:
                props["skillType"] = skill_type
            _texts(props, row["altLabels"], row["description"] or row["definition"])
            state.skills.add(uri)
            yield NodeRecord("Skill", None, props, origin, iri=uri)

    # -- relations --------------------------------------------------------------------------------------

    def _occupation_broader(self, zf: zipfile.ZipFile, state: _State) -> Iterator[Record]:
        cols = ("conceptType", "conceptUri", "broaderType", "broaderUri")
        for origin, row in self._table(zf, "broaderRelationsOccPillar.csv").rows(cols, zf):
            if isinstance(row, Reject):
                yield row
                continue
            ends = []
            for type_col, uri_col in (("conceptType", "conceptUri"), ("broaderType", "broaderUri")):
                uri = row[uri_col]
                if row[type_col] == "ISCOGroup" and uri in state.isco:
                    ends.append(Ref("Occupation", key=state.isco[uri]))
                elif row[type_col] != "ISCOGroup" and uri in state.occupations:
                    ends.append(Ref("Occupation", iri=uri))
                else:
                    where = "ISCOGroups_en.csv" if row[type_col] == "ISCOGroup" else "occupations_en.csv"
                    yield Reject(
                        origin, f"{uri or 'an empty URI'} is not in {where}", field=uri_col, value=uri, record=row
                    )
                    break
            else:
                yield EdgeRecord("broader", ends[0], ends[1], _TAXONOMY, origin)

    def _skill_broader(self, zf: zipfile.ZipFile, state: _State) -> Iterator[Record]:
        cols = ("conceptUri", "broaderUri")
        skills = state.skills
        for origin, row in self._table(zf, "broaderRelationsSkillPillar.csv").rows(cols, zf):
            if isinstance(row, Reject):
                yield row
                continue
            narrower, broader = row["conceptUri"], row["broaderUri"]
            unknown = next((c for c in ("conceptUri", "broaderUri") if row[c] not in skills), None)
            if unknown is not None:
                yield _unknown_skill(origin, row, unknown)
                continue
            state.group_links.pop((narrower, broader), None)
            yield EdgeRecord("broader", Ref("Skill", iri=narrower), Ref("Skill", iri=broader), _TAXONOMY, origin)
        for (narrower, broader), origin in state.group_links.items():  # links only the hierarchy states
            if narrower in skills and broader in skills:
                yield EdgeRecord("broader", Ref("Skill", iri=narrower), Ref("Skill", iri=broader), _TAXONOMY, origin)
        state.group_links.clear()

    def _occupation_skills(self, zf: zipfile.ZipFile, state: _State) -> Iterator[Record]:
        cols = ("occupationUri", "relationType", "skillUri")
        occupations, skills = state.occupations, state.skills
        for origin, row in self._table(zf, "occupationSkillRelations.csv").rows(cols, zf):
            if isinstance(row, Reject):
                yield row
                continue
            occupation, skill = row["occupationUri"], row["skillUri"]
            props = _REQUIRES.get(row["relationType"])
            if props is None:
                yield _bad_relation_type(origin, row)
            elif occupation not in occupations:
                yield Reject(
                    origin,
                    f"occupation {occupation or '(empty)'} is not in occupations_en.csv",
                    field="occupationUri",
                    value=occupation,
                    record=row,
                )
            elif skill not in skills:
                yield _unknown_skill(origin, row, "skillUri")
            else:
                yield EdgeRecord(
                    "requiresSkill", Ref("Occupation", iri=occupation), Ref("Skill", iri=skill), props, origin
                )

    def _skill_skills(self, zf: zipfile.ZipFile, state: _State) -> Iterator[Record]:
        cols = ("originalSkillUri", "relationType", "relatedSkillUri")
        skills = state.skills
        for origin, row in self._table(zf, "skillSkillRelations.csv").rows(cols, zf):
            if isinstance(row, Reject):
                yield row
                continue
            props = _RELATED.get(row["relationType"])
            unknown = next((c for c in ("originalSkillUri", "relatedSkillUri") if row[c] not in skills), None)
            if props is None:
                yield _bad_relation_type(origin, row)
            elif unknown is not None:
                yield _unknown_skill(origin, row, unknown)
            else:
                yield EdgeRecord(
                    "relatedSkill",
                    Ref("Skill", iri=row["originalSkillUri"]),
                    Ref("Skill", iri=row["relatedSkillUri"]),
                    props,
                    origin,
                )


def _missing(row: dict[str, str], *columns: str) -> tuple[str, str] | None:
    empty = next((c for c in columns if not row[c]), None)
    return (empty, f"{empty} is empty") if empty else None


def _not_iri(uri: str, column: str = "conceptUri") -> tuple[str, str] | None:
    if uri.startswith(("http://", "https://")) and " " not in uri:
        return None
    return (column, f"not an http(s) URI: {uri!r}")


def _texts(props: dict[str, Any], alt_labels: str, definition: str) -> None:
    alt = [a for a in lines(alt_labels) if a != props.get("label_en")]
    if alt:
        props["altLabel_en"] = alt
    if definition:
        props["definition_en"] = definition


def _unknown_skill(origin: Origin, row: dict[str, str], column: str) -> Reject:
    uri = row[column]
    return Reject(
        origin,
        f"skill {uri or '(empty)'} is not in skills_en.csv, skillGroups_en.csv or skillsHierarchy_en.csv",
        field=column,
        value=uri,
        record=row,
    )


def _bad_relation_type(origin: Origin, row: dict[str, str]) -> Reject:
    return Reject(
        origin,
        f"relationType is {row['relationType']!r}, not essential or optional",
        field="relationType",
        value=row["relationType"],
        record=row,
    )
