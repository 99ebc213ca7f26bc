"""The label set the matcher is built from: every label and alternative label of the target classes.

A ``LabelEntry`` is one name of one entity in one language. They come from the graph (the Skill nodes
of the community taxonomy, ESCO and whatever else is loaded: ``labels_from_graph``), from records
(``labels_from_records``, for tests and for sources not yet loaded), or from review decisions (an
accepted term becomes an alternative label). The hash of the sorted set is the cache key of the built
pipeline, so a changed taxonomy rebuilds it.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ieic_kg.nlp.text import has_cjk

if TYPE_CHECKING:
    from ieic_kg.graph import GraphStore
    from ieic_kg.records import Record

LANGS = ("zh", "en")

#: Entity type (the spaCy label of a mention) of each ontology class that documents mention.
ENTITY_TYPES = {
    "Skill": "SKILL",
    "Occupation": "OCCUPATION",
    "Industry": "INDUSTRY",
    "Standard": "STANDARD",
    "OccupationalSkillStandard": "STANDARD",
    "Certificate": "STANDARD",
    "CurriculumStandard": "STANDARD",
    "TeachingStandard": "STANDARD",
}


@dataclass(frozen=True, slots=True, order=True)
class LabelEntry:
    """One name of one entity: ``kind`` is ``"label"`` (preferred) or ``"altLabel"``; ``cls`` its class.

    ``source`` (optional) is the dataset that stated the name (``gdimp-curriculum-design``,
    ``esco-1.1.1``, ``review``); the linker uses it only to break ties.
    """

    iri: str
    text: str
    lang: str
    kind: str = "label"
    cls: str = "Skill"
    source: str | None = None

    @property
    def entity_type(self) -> str:
        return ENTITY_TYPES.get(self.cls, self.cls.upper())


def label_set_hash(labels: Iterable[LabelEntry], *extra: Any) -> str:
    """SHA-256 of the sorted label set (and of ``extra`` build options): the cache key of a pipeline."""
    h = hashlib.sha256()
    for e in sorted(set(labels)):
        h.update("\x1f".join((e.iri, e.text, e.lang, e.kind, e.cls, e.source or "")).encode("utf-8"))
        h.update(b"\x1e")
    for x in extra:
        h.update(repr(x).encode("utf-8"))
    return h.hexdigest()


def _entries(iri: str, cls: str, props: dict[str, Any], source: str | None) -> Iterable[LabelEntry]:
    for lang in LANGS:
        for kind in ("label", "altLabel"):
            values = props.get(f"{kind}_{lang}")
            for v in values if isinstance(values, list | tuple) else [values]:
                if isinstance(v, str) and v.strip():
                    yield LabelEntry(iri, v.strip(), lang, kind, cls, source)


_GRAPH_LABELS = """
MATCH (n:Entity)
WHERE any(l IN labels(n) WHERE l IN $classes) AND coalesce(n.deprecated, false) = false
RETURN n.iri AS iri, [l IN labels(n) WHERE l IN $classes] AS classes, n.source AS source,
       n.label_zh AS label_zh, n.label_en AS label_en, n.altLabel_zh AS altLabel_zh, n.altLabel_en AS altLabel_en
"""


def labels_from_graph(store: GraphStore, classes: Iterable[str] = ("Skill",)) -> list[LabelEntry]:
    """Every label and alternative label (zh and en) of the nodes of ``classes`` in the graph.

    Deprecated nodes are left out. A node's class is its most specific class among ``classes``.
    """
    wanted = list(classes)
    out: list[LabelEntry] = []
    for row in store.read(_GRAPH_LABELS, {"classes": wanted}):
        found = row["classes"] or wanted[:1]
        cls = found[-1]
        sources = row.get("source") or []
        out.extend(_entries(row["iri"], cls, row, sources[0] if sources else None))
    return sorted(set(out))


def labels_from_records(
    records: Iterable[Record], *, classes: Iterable[str] = ("Skill",), id_base: str = "https://w3id.org/ieic-kg/id/"
) -> list[LabelEntry]:
    """The labels stated by loader records (``NodeRecord``s of ``classes``) — no Neo4j needed.

    IRIs are the record's own IRI or the one the ingest engine would mint from its key (for classes
    without an ieic superclass, as Skill, Occupation, Industry and Standard's root are).
    """
    from urllib.parse import quote

    from ieic_kg.ontology import class_slug
    from ieic_kg.records import NodeRecord

    wanted = set(classes)
    out: list[LabelEntry] = []
    for r in records:
        if not isinstance(r, NodeRecord) or r.cls not in wanted:
            continue
        root = "Standard" if ENTITY_TYPES.get(r.cls) == "STANDARD" else r.cls
        iri = r.iri or f"{id_base}{class_slug(root)}/{quote(r.key or '', safe='-._~:')}"
        out.extend(_entries(iri, r.cls, dict(r.properties), None))
    return sorted(set(out))


def labels_from_table(
    rows: Iterable[dict[str, Any]],
    *,
    iri: str,
    columns: dict[str, tuple[str, str]],
    cls: str = "Skill",
    split: str | None = None,
    source: str | None = None,
) -> list[LabelEntry]:
    """Labels from plain rows: ``columns`` maps a column to (lang, kind); ``iri`` names the IRI column.

    E.g. ESCO's skills_en.csv: ``columns={"preferredLabel": ("en", "label"), "altLabels": ("en", "altLabel")}``
    with ``split="\\n"``.
    """
    out: list[LabelEntry] = []
    for row in rows:
        for column, (lang, kind) in columns.items():
            value = row.get(column)
            if not value:
                continue
            for v in str(value).split(split) if split else [str(value)]:
                if v.strip():
                    out.append(LabelEntry(str(row[iri]), v.strip(), lang, kind, cls, source))
    return out


def guess_lang(text: str) -> str:
    return "zh" if has_cjk(text) else "en"


# -- task phrases of a skill's definition ---------------------------------------------------------------

_DESC_SPLIT = re.compile(r"[，,；;。：:、（）()/]|以及|并且|并|和|与|及|或")
_DESC_LEAD = re.compile(
    r"^(?:能够|能|会|掌握|了解|理解|熟悉|正确|合理|按照?|根据|依据|基于|通过|用|使用|在|对|完成|进行|实现|选用|选择|"
    r"[^，。、]{0,12}?(?:中|上|下|后|要求|工艺|规范|周期|特征|对象|图纸|软件|标准)(?=完成|进行|实现|选用|绘制|编写|标定|配置|设置))+"
)
_DESC_TRAIL = re.compile(
    r"(?:等常用传感器|等现场总线通信|等精益工具|等技术文档|等操作|等协议|等量具|等|的?知识|的?应用|相关能力的总称)+$"
)
#: A task phrase ends with what is done; the object before it must say more than a generic noun.
_DESC_TASKS = (
    "更换|校准|标定|校正|布线|接线|安装|调试|联调|设置|整定|配置|检测|检验|测量|识别|诊断|排除|示教|编程|编写|建模|生成|规划|"
    "优化|加工|装配|装调|调整|验证|管理|换模|监控|部署|选型|绘图|维修|保养|点检|切换|操纵|下达|查询|分配|输出"
)
_DESC_TASK = re.compile(rf"^(?P<obj>.{{2,8}}?)(?P<act>{_DESC_TASKS})$")
#: A Chinese phrase that ends with a task (…选型, …安装调整): what is done, not only a thing.
TASK_END = re.compile(rf"(?:{_DESC_TASKS})$")
_DESC_GENERIC = frozenset(
    ["参数", "数据", "故障", "精度", "部件", "设备", "信号", "程序", "系统", "记录", "通信", "仿真"]
)


def description_phrases(description: str) -> list[str]:
    """The task phrases a Chinese skill definition lists, as alternative names of the skill: "能按保养周期完成
    润滑油更换、电池更换、零点校准…" → 润滑油更换, 电池更换, 零点校准. A phrase is an object of 2–8 characters
    and the task done on it (更换, 标定, 调试 …), the lead words (能, 完成, 根据…) and trailing generic words (等,
    知识) left out; generic objects (参数设置, 故障诊断) and phrases with Latin letters are dropped."""
    out: list[str] = []
    for piece in _DESC_SPLIT.split(description or ""):
        p = piece.strip()
        for _ in range(3):
            p2 = _DESC_LEAD.sub("", p)
            p2 = _DESC_TRAIL.sub("", p2)
            if p2 == p:
                break
            p = p2
        task = _DESC_TASK.match(p)
        if task and task.group("obj") not in _DESC_GENERIC and p.isalpha() and not re.search(r"[A-Za-z]", p):
            out.append(p)
    return out


def description_labels(entries: Iterable[LabelEntry], descriptions: dict[str, str], source: str | None = None
                       ) -> list[LabelEntry]:  # fmt: skip
    """Hidden labels (kind ``hiddenLabel``) from the task phrases of each concept's Chinese definition
    (``descriptions``: IRI → description_zh; ``source`` by default the concept's own). A phrase stated by two
    definitions, or that is already a label of
    another concept, says nothing about which concept is meant and is left out."""
    known: dict[str, set[str]] = defaultdict(set)
    classes: dict[str, str] = {}
    sources: dict[str, str | None] = {}
    for e in entries:
        known[e.text].add(e.iri)
        classes.setdefault(e.iri, e.cls)
        sources.setdefault(e.iri, e.source)
    by_phrase: dict[str, set[str]] = defaultdict(set)
    for iri, text in descriptions.items():
        if "总称" in (text or ""):
            continue  # the definition of a group ("…相关能力的总称") lists its members, not its tasks
        for p in description_phrases(text):
            by_phrase[p].add(iri)
    out = []
    for phrase, iris in sorted(by_phrase.items()):
        if len(iris) != 1:
            continue
        iri = next(iter(iris))
        if known.get(phrase, {iri}) != {iri} or phrase in known:
            continue
        out.append(LabelEntry(iri, phrase, "zh", "hiddenLabel", classes.get(iri, "Skill"), source or sources.get(iri)))
    return out
