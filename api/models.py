"""The public models of the API: what clients see, separate from Neo4j records and rdflib terms.

Field names follow the CLI's JSON (camelCase; ``label_zh``/``label_en`` where the alignment report and the
named queries use them). Each top-level model carries an example taken from the demo graph
(``ieic-kg demo``), shown at /docs.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue


def _example(example: dict[str, Any]) -> ConfigDict:
    return ConfigDict(json_schema_extra={"examples": [example]})


# -- system ---------------------------------------------------------------------------------------------


class Health(BaseModel):
    model_config = _example({"status": "up", "version": "0.1.0"})

    status: Literal["up"] = Field(description="The API process answers (it says nothing about the stores).")
    version: str


class StoreReport(BaseModel):
    name: str = Field(description="neo4j (the system of record) or rdf (the RDF store behind /sparql).")
    state: Literal["up", "down", "not-configured"]
    detail: str
    latencyMs: float | None = Field(None, description="Time of a trivial query, when up.")


class Readiness(BaseModel):
    model_config = _example(
        {
            "status": "ready",
            "stores": [
                {"name": "neo4j", "state": "up", "detail": "Neo4j answers (database neo4j)", "latencyMs": 1.9},
                {
                    "name": "rdf",
                    "state": "up",
                    "detail": "Oxigraph snapshot 00000007 of /var/lib/ieic-kg/rdf "
                    "(published 2026-11-29T16:02:11+00:00), 2 query workers",
                    "latencyMs": 0.9,
                },
            ],
        }
    )

    status: Literal["ready", "not-ready"] = Field(description="ready when every configured store is up.")
    stores: list[StoreReport]


class Me(BaseModel):
    model_config = _example(
        {"principal": "key:454349e4", "role": "reader", "openReads": True, "rateLimit": 20.0, "rateBurst": 40}
    )

    principal: str = Field(description="anonymous, or key: and the first 8 hex digits of the key's SHA-256.")
    role: Literal["reader", "steward", "admin"] | None
    openReads: bool = Field(description="Whether requests without a key may read the public data.")
    rateLimit: float = Field(description="Requests per second per key (0: no limit), per server process.")
    rateBurst: int


# -- ontology -------------------------------------------------------------------------------------------


class Labels(BaseModel):
    zh: str | None = None
    en: str | None = None


class LabelLists(BaseModel):
    zh: list[str] = Field(default_factory=list)
    en: list[str] = Field(default_factory=list)


class TypeInfo(BaseModel):
    model_config = _example(
        {
            "name": "Enterprise",
            "iri": "https://w3id.org/ieic-kg/ontology#Enterprise",
            "label": {"zh": "企业", "en": "Enterprise"},
            "definition": "A for-profit organisation that produces goods or services, of any ownership type or size. …",
            "parents": ["Actor"],
            "ancestors": ["Actor"],
        }
    )

    name: str = Field(description="The type name the API uses (the ontology class's local name).")
    iri: str
    label: Labels
    definition: str
    parents: list[str]
    ancestors: list[str] = Field(description="Every superclass, nearest first; a search for one finds these too.")


class RelationInfo(BaseModel):
    model_config = _example(
        {
            "type": "TEACHES_SKILL",
            "property": "teachesSkill",
            "iri": "https://w3id.org/ieic-kg/ontology#teachesSkill",
            "label": {"zh": "培养技能", "en": "teaches skill"},
            "definition": "The course develops the skill or knowledge in its students. …",
            "domain": ["Course"],
            "range": ["Skill"],
        }
    )

    type: str = Field(description="The relationship type in the graph and in the API's filters.")
    property: str = Field(description="The ontology's object property.")
    iri: str
    label: Labels
    definition: str
    domain: list[str]
    range: list[str]


# -- entities -------------------------------------------------------------------------------------------


class EntitySummary(BaseModel):
    iri: str
    type: str = Field(description="The most specific ontology class of the entity.")
    types: list[str] = Field(description="All its classes, the most general first.")
    code: str | None
    label: Labels


class EntityProvenance(BaseModel):
    sources: list[str] = Field(description="The datasets that state this entity.")
    loadRun: str | None = Field(description="IRI of the last load run that saw it (see /v1/loads).")
    firstSeen: dt.datetime | None
    lastSeen: dt.datetime | None


_COURSE = {
    "iri": "https://w3id.org/ieic-kg/id/course/GDIMP:GR1001",
    "type": "Course",
    "types": ["Course"],
    "code": "GR1001",
    "label": {"zh": "劳动教育与职业素养", "en": "Labour Education and Professional Literacy"},
}


class Entity(EntitySummary):
    model_config = _example(
        {
            **_COURSE,
            "altLabel": {"zh": [], "en": []},
            "definition": {"zh": None, "en": None},
            "properties": {
                "courseType": "public-foundation",
                "credits": 2.0,
                "hours": 32,
                "semester": 1,
                "description": {"zh": "结合实训车间劳动实践开展劳动教育，培养学生的安全意识……"},
                "learningOutcome": {"en": ["Keep a workshop station in order according to 6S rules."]},
            },
            "provenance": {
                "sources": ["gdimp-academic-affairs"],
                "loadRun": "https://w3id.org/ieic-kg/id/load-run/20261129T143303Z-102fbe",
                "firstSeen": "2026-11-29T14:33:03.710037Z",
                "lastSeen": "2026-11-29T14:33:03.710037Z",
            },
        }
    )

    altLabel: LabelLists
    definition: Labels
    properties: dict[str, JsonValue] = Field(
        description="The other properties; language-tagged ones as {zh: …, en: …} (lists where repeated)."
    )
    provenance: EntityProvenance


class SearchHit(EntitySummary):
    score: float = Field(description="Full-text relevance (higher is better).")


class Page(BaseModel):
    total: int = Field(description="How many items match in all.")
    limit: int
    offset: int
    nextOffset: int | None = Field(description="The offset of the next page; null on the last page.")


class SearchPage(Page):
    model_config = _example(
        {
            "query": "焊接",
            "type": "Skill",
            "items": [
                {
                    "iri": "https://w3id.org/ieic-kg/id/skill/SK-ROB-INT-WELD",
                    "type": "Skill",
                    "types": ["Skill"],
                    "code": "SK-ROB-INT-WELD",
                    "label": {"zh": "焊接机器人工作站调试", "en": "Robotic welding cell commissioning"},
                    "score": 3.8297,
                }
            ],
            "total": 1,
            "limit": 20,
            "offset": 0,
            "nextOffset": None,
        }
    )

    query: str
    type: str | None
    items: list[SearchHit]


class RelationshipOut(BaseModel):
    type: str = Field(description="Relationship type (TEACHES_SKILL…).")
    direction: Literal["out", "in"] = Field(description="out: the entity is its start; in: its end.")
    label: Labels = Field(description="The ontology's label of the relation.")
    properties: dict[str, JsonValue] = Field(description="Qualifiers (weight, strength…) and provenance.")


class Neighbour(BaseModel):
    relationship: RelationshipOut
    node: EntitySummary


class NeighbourPage(Page):
    model_config = _example(
        {
            "entity": _COURSE,
            "items": [
                {
                    "relationship": {
                        "type": "TEACHES_SKILL",
                        "direction": "out",
                        "label": {"zh": "培养技能", "en": "teaches skill"},
                        "properties": {
                            "firstSeen": "2026-11-29T14:33:06.711527000+00:00",
                            "lastSeen": "2026-11-29T14:33:06.711527000+00:00",
                            "loadRun": "https://w3id.org/ieic-kg/id/load-run/20261129T143306Z-1b06c0",
                            "masteryLevel": "I",
                            "method": "declared",
                            "source": ["gdimp-curriculum-design"],
                            "strength": 0.4,
                        },
                    },
                    "node": {
                        "iri": "https://w3id.org/ieic-kg/id/skill/SK-QS-SAFE",
                        "type": "Skill",
                        "types": ["Skill"],
                        "code": "SK-QS-SAFE",
                        "label": {"zh": "安全生产", "en": "Manufacturing safety"},
                    },
                }
            ],
            "total": 4,
            "limit": 1,
            "offset": 0,
            "nextOffset": None,
        }
    )

    entity: EntitySummary
    items: list[Neighbour]


# -- provenance -----------------------------------------------------------------------------------------


class LoadRunOut(BaseModel):
    model_config = _example(
        {
            "iri": "https://w3id.org/ieic-kg/id/load-run/20261129T143251Z-1e9eac",
            "runId": "20261129T143251Z-1e9eac",
            "dataset": "esco-1.1.1-subset",
            "loader": "mapping/1",
            "status": "completed",
            "startedAt": "2026-11-29T14:32:53.236526Z",
            "endedAt": "2026-11-29T14:32:56.596307Z",
            "recordsRead": 21,
            "created": 21,
            "updated": 0,
            "unchanged": 0,
            "rejected": 0,
            "stale": 0,
            "pruned": 0,
            "checksums": [
                "73455a0d3d666480ec7bbefcad061fcc6d8a5a18d48a0d263f2806f43bf01821",
                "5907271bbb68ff5078a84970448866d74965f3b6bba146e95e61bcb2b752a64a",
            ],
            "sourcePaths": None,
            "agent": None,
            "host": None,
            "processId": None,
        }
    )

    iri: str
    runId: str | None
    dataset: str | None = Field(description="The dataset the run loaded.")
    loader: str | None
    status: str | None = Field(description="running, completed, failed or interrupted.")
    startedAt: dt.datetime | None
    endedAt: dt.datetime | None
    recordsRead: int | None
    created: int | None
    updated: int | None
    unchanged: int | None
    rejected: int | None
    stale: int | None
    pruned: int | None
    checksums: list[str] = Field(description="SHA-256 of each source file read.")
    sourcePaths: list[str] | None = Field(description="Files read (steward and admin keys only).")
    agent: str | None = Field(description="Who ran it (steward and admin keys only).")
    host: str | None = Field(description="Where it ran (steward and admin keys only).")
    processId: int | None = Field(description="Its process id (steward and admin keys only).")


class LoadRunPage(Page):
    model_config = _example(
        {
            "items": [LoadRunOut.model_config["json_schema_extra"]["examples"][0]],  # type: ignore[index]
            "total": 9,
            "limit": 1,
            "offset": 0,
            "nextOffset": 1,
        }
    )

    items: list[LoadRunOut]


class NodeProvenance(BaseModel):
    model_config = _example(
        {
            "entity": _COURSE,
            "sources": ["gdimp-academic-affairs"],
            "firstSeen": "2026-11-29T14:33:03.710037Z",
            "lastSeen": "2026-11-29T14:33:03.710037Z",
            "loadRun": LoadRunOut.model_config["json_schema_extra"]["examples"][0],  # type: ignore[index]
        }
    )

    entity: EntitySummary
    sources: list[str]
    firstSeen: dt.datetime | None
    lastSeen: dt.datetime | None
    loadRun: LoadRunOut | None = Field(description="The last load run that saw the entity.")


# -- alignment ------------------------------------------------------------------------------------------


class EntityRef(BaseModel):
    iri: str
    code: str | None
    label_zh: str | None
    label_en: str | None


class OccupationDemand(BaseModel):
    code: str | None
    label_zh: str | None
    label_en: str | None
    weight: float = Field(description="Demand weight w(o, s): essential 1.0, optional 0.5, or a rating.")
    relationType: str | None
    industry: str | None = Field(description="The (sub-)industry code of the occupation.")
    source: list[str] | None
    loadRun: str | None


class PostingDemand(BaseModel):
    code: str | None
    label_zh: str | None
    label_en: str | None
    date: str | None
    enterprise_zh: str | None
    enterprise_en: str | None
    weight: float
    relationType: str | None


class SupplyOut(BaseModel):
    course_code: str
    course_zh: str | None
    course_en: str | None
    taught_zh: str | None
    taught_en: str | None
    strength: float = Field(description="Teaching strength t(c, s′).")
    level: str | None
    hops: int = Field(description="Broader/narrower hops between the taught and the demanded skill.")
    relation: str
    source: list[str]
    load_run: str | None
    score: float = Field(description="t · 0.5^hops")


class PartnerOut(BaseModel):
    skill: str
    skill_zh: str | None
    skill_en: str | None
    kind: str = Field(description="training-base, internship or employer.")
    helper: str
    helper_zh: str | None
    helper_en: str | None
    host_zh: str | None
    host_en: str | None
    evidence: int


class SkillAlignmentOut(BaseModel):
    skill: str
    code: str | None
    label_zh: str | None
    label_en: str | None
    demandWeight: float
    taxonomyWeight: float
    postingWeight: float
    trend: int
    supply: float
    occupations: list[OccupationDemand]
    postings: list[PostingDemand]
    supplies: list[SupplyOut]
    partners: list[PartnerOut]


class AlignmentPathOut(BaseModel):
    score: float = Field(description="t · m · w of the path.")
    skill: str
    skill_zh: str | None
    skill_en: str | None
    course: SupplyOut
    occupation: OccupationDemand


_REF_PROGRAM = {
    "iri": "https://w3id.org/ieic-kg/id/program/GDIMP:460305",
    "code": "460305",
    "label_zh": "工业机器人技术",
    "label_en": "Industrial Robotics Technology",
}
_REF_INDUSTRY = {
    "iri": "https://w3id.org/ieic-kg/id/industry/GB4754:3491",
    "code": "3491",
    "label_zh": "工业机器人制造",
    "label_en": "Industrial robot manufacturing",
}


class AlignmentOut(BaseModel):
    model_config = _example(
        {
            "program": _REF_PROGRAM,
            "kind": "industry",
            "industry": _REF_INDUSTRY,
            "occupation": None,
            "coverage": 0.5959,
            "postingsTotal": 33,
            "gaps": ["https://w3id.org/ieic-kg/id/skill/SK-ROB-COBOT", "https://w3id.org/ieic-kg/id/skill/SK-SW-PY"],
            "paths": [],
            "skills": [],
        }
    )

    program: EntityRef
    kind: Literal["industry", "occupation"] = Field(description="What the program is aligned with.")
    industry: EntityRef | None = Field(None, description="The target industry (kind industry).")
    occupation: EntityRef | None = Field(None, description="The target occupation (kind occupation).")
    coverage: float = Field(description="Σ w(s)·supply(s) / Σ w(s), in [0, 1] (docs/scoring.md).")
    postingsTotal: int
    gaps: list[str] = Field(description="IRIs of the demanded skills no course teaches, most demanded first.")
    paths: list[AlignmentPathOut] = Field(description="The best Course → Skill ← Occupation (→ Industry) paths.")
    skills: list[SkillAlignmentOut]


class CoursePath(BaseModel):
    courseCode: str | None
    course_zh: str | None
    course_en: str | None
    strength: float
    level: str | None
    taught_zh: str | None
    taught_en: str | None
    hops: int
    relation: str
    skill: str
    skill_zh: str | None
    skill_en: str | None
    weight: float
    occupationCode: str | None
    occupation_zh: str | None
    occupation_en: str | None
    industryCode: str | None
    industry_zh: str | None
    score: float


class CoursePaths(BaseModel):
    model_config = _example(
        {
            "program": "460305",
            "industry": "3491",
            "paths": [
                {
                    "courseCode": "GR3001",
                    "course_zh": "工业机器人现场编程",
                    "course_en": "Industrial Robot On-site Programming",
                    "strength": 1.0,
                    "level": "M",
                    "taught_zh": "工业机器人操作",
                    "taught_en": "Industrial robot operation",
                    "hops": 0,
                    "relation": "same",
                    "skill": "https://w3id.org/ieic-kg/id/skill/SK-ROB-OPS",
                    "skill_zh": "工业机器人操作",
                    "skill_en": "Industrial robot operation",
                    "weight": 1.0,
                    "occupationCode": "6-31-07-00",
                    "occupation_zh": "工业机器人操作运维人员",
                    "occupation_en": "Industrial robot operation and maintenance personnel",
                    "industryCode": "3491",
                    "industry_zh": "工业机器人制造",
                    "score": 1.0,
                }
            ],
        }
    )

    program: str
    industry: str
    paths: list[CoursePath]


# -- named queries --------------------------------------------------------------------------------------


class ParamInfo(BaseModel):
    name: str
    type: Literal["string", "integer", "float", "boolean", "list[string]"]
    required: bool
    default: JsonValue = None
    doc: str


class NamedQueryInfo(BaseModel):
    model_config = _example(
        {
            "name": "alignment_paths",
            "language": "cypher",
            "title": "课程—行业对接路径 / Course-to-industry alignment paths",
            "description": "Paths Course → Skill (→ broader/narrower Skill) ← Occupation → Industry from the "
            "courses of a program to an industry, each with its edge weights and its score: …",
            "params": [
                {
                    "name": "program",
                    "type": "string",
                    "required": True,
                    "default": None,
                    "doc": "program code (e.g. 460305) or IRI",
                },
                {
                    "name": "industry",
                    "type": "string",
                    "required": True,
                    "default": None,
                    "doc": "GB/T 4754 code (e.g. 3491) or IRI",
                },
                {
                    "name": "limit",
                    "type": "integer",
                    "required": False,
                    "default": 50,
                    "doc": "at most this many paths, best first",
                },
            ],
            "returns": "one row per path",
        }
    )

    name: str
    language: Literal["cypher", "sparql"]
    title: str
    description: str
    params: list[ParamInfo]
    returns: str


class QueryRunRequest(BaseModel):
    model_config = _example({"parameters": {"program": "460305", "industry": "3491", "limit": 5}})

    parameters: dict[str, JsonValue] = Field(
        default_factory=dict, description="Values by parameter name, of the types the query's header declares."
    )


class QueryResult(BaseModel):
    model_config = _example(
        {
            "query": "programs",
            "parameters": {},
            "columns": ["code", "program_zh", "program_en", "college_zh", "courses", "occupations", "iri"],
            "rows": [
                {
                    "code": "460305",
                    "program_zh": "工业机器人技术",
                    "program_en": "Industrial Robotics Technology",
                    "college_zh": "广东智造职业技术学院",
                    "courses": 16,
                    "occupations": ["6-31-07-03"],
                    "iri": "https://w3id.org/ieic-kg/id/program/GDIMP:460305",
                }
            ],
            "rowCount": 1,
            "truncated": False,
        }
    )

    query: str
    parameters: dict[str, JsonValue] = Field(description="The values bound, defaults included.")
    columns: list[str]
    rows: list[dict[str, JsonValue]]
    rowCount: int
    truncated: bool = Field(description="True when the row cap (IEIC_API_ROW_CAP) cut the result.")


# -- Cypher ---------------------------------------------------------------------------------------------


class CypherRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "query": "MATCH (c:Course)-[t:TEACHES_SKILL]->(s:Skill) WHERE c.code = $code "
                    "RETURN s.label_zh AS skill, t.strength AS strength",
                    "parameters": {"code": "GR3003"},
                    "format": "rows",
                }
            ]
        },
    )

    query: str = Field(min_length=1, max_length=20_000, description="One read-only Cypher statement.")
    parameters: dict[str, JsonValue] = Field(
        default_factory=dict, max_length=100, description="Bound as $name; never formatted into the query."
    )
    format: Literal["rows", "graph"] = Field("rows", description="rows, or graph: {nodes, relationships}.")
    limit: int | None = Field(None, ge=1, description="Fewer rows than the row cap (IEIC_API_ROW_CAP).")
    timeout: float | None = Field(None, gt=0, description="Fewer seconds than IEIC_API_CYPHER_TIMEOUT.")


class GraphNode(BaseModel):
    id: str = Field(description="Neo4j element id (stable only within one transaction).")
    labels: list[str]
    iri: str | None
    properties: dict[str, JsonValue]


class GraphRelationship(BaseModel):
    id: str
    type: str
    start: str | None
    end: str | None
    properties: dict[str, JsonValue]


class GraphOut(BaseModel):
    nodes: list[GraphNode]
    relationships: list[GraphRelationship]


class CypherResult(BaseModel):
    model_config = _example(
        {
            "columns": ["skill", "strength"],
            "rows": [
                {"skill": "触摸屏组态", "strength": 0.7},
                {"skill": "梯形图编程", "strength": 1.0},
                {"skill": "PLC编程与调试", "strength": 1.0},
                {"skill": "现场总线通信", "strength": 0.4},
            ],
            "graph": None,
            "rowCount": 4,
            "truncated": False,
            "elapsedMs": 6.42,
        }
    )

    columns: list[str]
    rows: list[dict[str, JsonValue]] | None = Field(description="format rows: one object per record.")
    graph: GraphOut | None = Field(description="format graph: the nodes and relationships in the records.")
    rowCount: int
    truncated: bool = Field(description="True when the row cap or the request's limit cut the result.")
    elapsedMs: float
