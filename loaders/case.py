"""1EdTech CASE packages (Competencies and Academic Standards Exchange, v1.0 and v1.1) as a standard and its skills.

**Reads** one ``CFPackage`` JSON file (SOURCE) as a CASE service returns it from ``getCFPackage``: an
object with ``CFDocument`` (required), ``CFItems``, ``CFAssociations`` and ``CFDefinitions``. Both
versions are read by the same rules; a package is CASE 1.1 when its ``CFDocument.caseVersion`` is
``"1.1"``. The loader takes no ``--mapping`` and no ``--table``: the package is loaded as published.

**Makes**

- The ``CFDocument`` → one ``Standard`` node. Its class is ``Standard`` unless the CASE 1.1
  ``frameworkType`` names a kind of standard of the ontology (matched case-insensitively, first rule
  wins): "curriculum"/"course"/"课程" → ``CurriculumStandard``; "teaching standard"/"教学标准" →
  ``TeachingStandard``; "occupational"/"occupation"/"职业技能标准" → ``OccupationalSkillStandard``;
  "certificate"/"certification"/"credential"/"证书" → ``Certificate``. CASE 1.0 has no
  ``frameworkType``, so a 1.0 document is a ``Standard``.
  IRI = the document's ``uri`` (published URIs are kept). ``code`` = ``identifier``; ``label_<lang>`` =
  ``title``; ``description_<lang>`` = ``description``; ``url`` = ``officialSourceURL``. Dates follow
  ``adoptionStatus``: "Adopted" → ``issuedDate`` = ``statusStartDate`` and ``validUntil`` =
  ``statusEndDate``; "Deprecated" → ``validUntil`` = ``statusStartDate``; any other status (Draft, …)
  gives no date. A date-time is cut to its date.
- Each ``CFItem`` → a ``Skill`` node (a competency, skill, knowledge element or a grouping of them).
  IRI = the item's ``uri``. ``code`` = ``humanCodingScheme``, else the CASE ``identifier``. The label
  is the short text: ``label_<lang>`` = ``abbreviatedStatement`` if given, and then the
  ``fullStatement`` becomes ``definition_<lang>``; without an abbreviated statement the
  ``fullStatement`` is the label. ``alternativeLabel`` → ``altLabel_<lang>``. ``skillType`` comes
  from the item type (``CFItemType``, else the title of ``CFItemTypeURI``, else the ``CFItemTypes``
  definition it names), compared case-insensitively: Competency, Competence, Skill, Ability, 能力,
  技能 → ``"skill"``; Knowledge, 知识, 知识点 → ``"knowledge"``; Attitude, Disposition, 素质, 态度 →
  ``"attitude"`` (plurals too). Any other type (Domain, Cluster, 工作领域, 工作任务, …) gives no
  ``skillType``: like an ESCO skill group, such an item groups skills.
- **Language.** The ontology keeps Chinese and English text. An item's text is in its ``language``,
  else the document's ``language``; when neither says, text with Chinese characters is ``zh`` and any
  other text ``en``. Tags are read by their primary subtag (``zh-CN``, ``zh-Hans`` → zh; ``en-US`` → en).
  An item in another language is rejected (its text would be mislabelled); a document in another
  language is a ``SourceError``.
- ``CFAssociations``, origin → destination:

  ====================  ==============================================================================
  associationType       relationship
  ====================  ==============================================================================
  isChildOf, isPartOf   item → item: ``broader`` (child → parent, part → whole); item → the
                        CFDocument: ``specifiesSkill`` (document → item), so the document specifies
                        its top-level items and the rest hang below them by ``broader``
  exactMatchOf          ``exactMatch`` (origin → destination)
  isTranslationOf       ``exactMatch`` (1.1: the same statement in another language)
  isRelatedTo, isPeerOf ``relatedSkill`` with ``evidence`` "CASE association <type>" (a peer is a
                        related skill of the same standing, not a near-synonym: hence not
                        ``closeMatch``; not ``relationType``, which says essential or optional)
  precedes              rejected "unsupported association": a learning sequence between skills has
                        no relation in the ontology (``hasPrerequisite`` is for courses)
  replacedBy            rejected "unsupported association": the ontology does not version skills
  exemplar              rejected "unsupported association": examples are not modelled
  hasSkillLevel         rejected "unsupported association": levels are integers (``level``), not nodes
  ext:…                 rejected "unsupported association": a 1.1 extension type has no agreed meaning
  anything else         rejected "unknown association type"
  ====================  ==============================================================================

  Every relationship carries ``method: "taxonomy"``. An end is found in the package by its
  ``identifier``, then by its ``uri``; an end outside the package (another framework, ESCO) is
  referred to by its ``uri`` alone, and the ingest engine rejects the relationship as a broken
  reference unless a node with that IRI is already in the graph (it checks that the node exists, not
  its class). An association naming a rejected item is rejected with that reason; so is one whose end
  has neither a known identifier nor a ``uri``, one from a node to itself, and ``relatedSkill`` or
  ``broader`` with the CFDocument at the wrong end.

**Not loaded**: ``educationLevel``, ``conceptKeywords``, ``subject``, ``notes``, ``listEnumeration``,
item status dates, ``sequenceNumber``, licences, ``creator``/``publisher`` (free text: no Actor to link
without guessing), the other ``CFDefinitions`` (CFConcepts, CFSubjects, CFLicenses,
CFAssociationGroupings), ``CFRubrics`` and all 1.1 ``extensions``.

**Rejects** name the file and a JSON pointer such as ``CFItems[12]`` or ``CFAssociations[3]``: an item
or association that is not an object, an item without ``identifier`` or ``uri`` (CASE requires both)
or without any statement, and the associations above. Malformed JSON (with line and column), a file
that is not UTF-8, a package that is not an object, or a missing or unusable ``CFDocument`` raise
``SourceError``. Duplicate IRIs are left to the ingest engine.

**Dataset**: ``case-{CFDocument identifier}``. **Keys**: the published CASE URIs, kept as IRIs.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ieic_kg.errors import SourceError
from ieic_kg.records import EdgeRecord, NodeRecord, Origin, Record, Ref, Reject

PACKAGE_HINT = (
    "a CASE package is the JSON of getCFPackage: an object with CFDocument, CFItems, CFAssociations and "
    "CFDefinitions (1EdTech CASE 1.0 or 1.1)"
)

#: frameworkType (CASE 1.1) → ontology class of the document; the first matching pattern wins
FRAMEWORK_CLASSES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"curricul|course|课程"), "CurriculumStandard"),
    (re.compile(r"teaching standard|教学标准"), "TeachingStandard"),
    (re.compile(r"occupation|职业技能标准"), "OccupationalSkillStandard"),
    (re.compile(r"certificat|credential|证书"), "Certificate"),
)

#: item type (case-folded) → the ontology's skillType; other types give none
SKILL_TYPES: Mapping[str, str] = MappingProxyType(
    {
        **dict.fromkeys(
            ("competency", "competencies", "competence", "competences", "skill", "skills", "ability", "abilities"),
            "skill",
        ),
        **dict.fromkeys(("能力", "技能"), "skill"),
        **dict.fromkeys(("knowledge", "知识", "知识点"), "knowledge"),
        **dict.fromkeys(("attitude", "attitudes", "disposition", "dispositions", "素质", "态度"), "attitude"),
    }
)

#: the associationType values of CASE 1.0 and 1.1
ASSOCIATION_TYPES = frozenset(
    {
        "isChildOf",
        "isPeerOf",
        "isPartOf",
        "exactMatchOf",
        "precedes",
        "isRelatedTo",
        "replacedBy",
        "exemplar",
        "hasSkillLevel",
        "isTranslationOf",
    }
)

#: association types the ontology cannot express, with the reason given in the reject
UNSUPPORTED: Mapping[str, str] = MappingProxyType(
    {
        "precedes": "a learning sequence between skills has no relation in the ontology "
        "(hasPrerequisite links courses)",
        "replacedBy": "the ontology does not version skills; load the framework that replaces this one",
        "exemplar": "examples of a competency are not modelled",
        "hasSkillLevel": "proficiency levels are integers (ieic:level) in the ontology, not nodes",
    }
)

_TAXONOMY = MappingProxyType({"method": "taxonomy"})
#: the CASE association type of a relatedSkill is kept as evidence: ieic:relationType says how much a related
#: skill matters (essential/optional), which isRelatedTo and isPeerOf do not
_RELATED = {
    t: MappingProxyType({"method": "taxonomy", "evidence": f"CASE association {t}"})
    for t in ("isRelatedTo", "isPeerOf")
}
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_SIMPLE = re.compile(r"[^A-Za-z0-9._-]+")


class _Problem(Exception):
    def __init__(self, reason: str, field: str = "", value: Any = "") -> None:
        super().__init__(reason)
        self.reason, self.field, self.value = reason, field, "" if value is None else str(value)


@dataclass(frozen=True, slots=True)
class _Node:
    """A node of this package that associations may name."""

    ref: Ref
    is_document: bool


class CaseLoader:
    """Reads a CASE CFPackage JSON file; see the module docstring."""

    name = "case"
    version = "1"

    def __init__(self, source: Path) -> None:
        self.path = Path(source)
        self.package = read_package(self.path)
        document = self.package["CFDocument"]
        try:
            self.identifier = _text(document, "identifier")
            self.uri = _text(document, "uri")
            self.title = _text(document, "title")
        except _Problem as problem:
            raise SourceError(problem.reason, file=str(self.path), field=f"CFDocument.{problem.field}") from None
        for field, value in (("identifier", self.identifier), ("uri", self.uri)):
            if value is None:
                raise SourceError(
                    f"the CFDocument has no {field}",
                    file=str(self.path),
                    field=f"CFDocument.{field}",
                    hint=PACKAGE_HINT,
                )
        self.case_version = "1.1" if document.get("caseVersion") == "1.1" else "1.0"
        self.document_class = _document_class(document.get("frameworkType"))
        declared = document.get("language")
        self.language = _language(declared) if isinstance(declared, str) and declared.strip() else None
        if isinstance(declared, str) and declared.strip() and self.language is None:
            raise SourceError(
                f"the CFDocument's language {declared!r} is neither Chinese nor English",
                file=str(self.path),
                field="CFDocument.language",
                hint="the graph keeps zh and en text only",
            )
        for name in ("CFItems", "CFAssociations"):
            if not isinstance(self.package.get(name, []), list):
                raise SourceError(f"{name} must be a list", file=str(self.path), field=name, hint=PACKAGE_HINT)

    @property
    def dataset(self) -> str:
        assert self.identifier is not None
        return "case-" + (_SIMPLE.sub("-", self.identifier).strip("-") or "document")

    def source_paths(self) -> list[Path]:
        return [self.path.resolve()]

    def records(self) -> Iterator[Record]:
        nodes: dict[str, _Node] = {}  # identifier or uri → node of this package
        rejected: dict[str, str] = {}  # identifier or uri of a rejected item → its pointer
        yield from self._document(nodes)
        yield from self._items(nodes, rejected)
        yield from self._associations(nodes, rejected)

    # -- nodes ------------------------------------------------------------------------------------------

    def _origin(self, pointer: str) -> Origin:
        return Origin(str(self.path), pointer=pointer)

    def _document(self, nodes: dict[str, _Node]) -> Iterator[Record]:
        document = self.package["CFDocument"]
        assert self.identifier is not None and self.uri is not None
        origin = self._origin("CFDocument")
        try:
            description = _text(document, "description")
            url = _text(document, "officialSourceURL")
            status = (_text(document, "adoptionStatus") or "").casefold()
            start, end = _date(document.get("statusStartDate")), _date(document.get("statusEndDate"))
        except _Problem as problem:
            raise SourceError(problem.reason, file=str(self.path), field=f"CFDocument.{problem.field}") from None
        lang = self.language or _guess_language(self.title or description or "")
        props: dict[str, Any] = {"code": self.identifier}
        _put(props, f"label_{lang}", self.title)
        _put(props, f"description_{lang}", description)
        _put(props, "url", url)
        if status == "adopted":
            _put(props, "issuedDate", start)
            _put(props, "validUntil", end)
        elif status == "deprecated":
            _put(props, "validUntil", start)
        node = NodeRecord(cls=self.document_class, key=None, properties=props, origin=origin, iri=self.uri)
        known = _Node(node.ref, is_document=True)
        nodes[self.identifier] = nodes[self.uri] = known
        yield node

    def _items(self, nodes: dict[str, _Node], rejected: dict[str, str]) -> Iterator[Record]:
        item_types = self._item_types()
        for index, item in enumerate(self.package.get("CFItems", [])):
            pointer = f"CFItems[{index}]"
            origin = self._origin(pointer)
            if not isinstance(item, dict):
                yield Reject(origin, "a CFItem must be a JSON object", value=_preview(item))
                continue
            try:
                node = self._item(item, origin, item_types)
            except _Problem as problem:
                for name in ("identifier", "uri"):
                    value = item.get(name)
                    if isinstance(value, str) and value.strip() and value.strip() not in nodes:
                        rejected[value.strip()] = pointer
                yield Reject(origin, problem.reason, field=problem.field, value=problem.value, record=item)
                continue
            assert node.iri is not None
            known = _Node(node.ref, is_document=False)
            for handle in (_text(item, "identifier"), node.iri):
                if handle is not None:
                    nodes.setdefault(handle, known)
            yield node

    def _item(self, item: Mapping[str, Any], origin: Origin, item_types: Mapping[str, str]) -> NodeRecord:
        identifier, uri = _text(item, "identifier"), _text(item, "uri")
        for field, value in (("identifier", identifier), ("uri", uri)):
            if value is None:
                raise _Problem(f"the CFItem has no {field} (CASE requires identifier and uri)", field)
        assert identifier is not None and uri is not None
        full, short = _text(item, "fullStatement"), _text(item, "abbreviatedStatement")
        if full is None and short is None:
            raise _Problem("the CFItem has no fullStatement", "fullStatement")
        declared = _text(item, "language")
        if declared is not None:
            lang = _language(declared)
            if lang is None:
                raise _Problem(
                    f"language {declared!r} is neither Chinese nor English: the graph keeps zh and en text only",
                    "language",
                    declared,
                )
        else:
            lang = self.language or _guess_language(full or short or "")
        props: dict[str, Any] = {"code": _text(item, "humanCodingScheme") or identifier}
        _put(props, f"label_{lang}", short or full)
        if short is not None and full is not None and full != short:
            props[f"definition_{lang}"] = full
        alternative = _text(item, "alternativeLabel")
        if alternative is not None:
            props[f"altLabel_{lang}"] = [alternative]
        skill_type = SKILL_TYPES.get(_fold(self._item_type(item, item_types)))
        _put(props, "skillType", skill_type)
        return NodeRecord(cls="Skill", key=None, properties=props, origin=origin, iri=uri)

    def _item_types(self) -> dict[str, str]:
        """CFItemTypes of CFDefinitions: identifier and uri → title."""
        definitions = self.package.get("CFDefinitions")
        types = definitions.get("CFItemTypes") if isinstance(definitions, dict) else None
        titles: dict[str, str] = {}
        for entry in types if isinstance(types, list) else []:
            if isinstance(entry, dict) and isinstance(entry.get("title"), str):
                for key in ("identifier", "uri"):
                    if isinstance(entry.get(key), str):
                        titles[entry[key]] = entry["title"]
        return titles

    @staticmethod
    def _item_type(item: Mapping[str, Any], item_types: Mapping[str, str]) -> str:
        named = item.get("CFItemType")
        if isinstance(named, str) and named.strip():
            return named
        link = item.get("CFItemTypeURI")
        if isinstance(link, dict):
            if isinstance(link.get("title"), str) and link["title"].strip():
                return str(link["title"])
            for key in ("identifier", "uri"):
                if isinstance(link.get(key), str) and link[key] in item_types:
                    return item_types[link[key]]
        return ""

    # -- associations -----------------------------------------------------------------------------------

    def _associations(self, nodes: Mapping[str, _Node], rejected: Mapping[str, str]) -> Iterator[Record]:
        for index, association in enumerate(self.package.get("CFAssociations", [])):
            origin = self._origin(f"CFAssociations[{index}]")
            if not isinstance(association, dict):
                yield Reject(origin, "a CFAssociation must be a JSON object", value=_preview(association))
                continue
            try:
                yield self._association(association, origin, nodes, rejected)
            except _Problem as problem:
                yield Reject(origin, problem.reason, field=problem.field, value=problem.value, record=association)

    def _association(
        self, association: Mapping[str, Any], origin: Origin, nodes: Mapping[str, _Node], rejected: Mapping[str, str]
    ) -> EdgeRecord:
        kind = association.get("associationType")
        if not isinstance(kind, str) or not kind.strip():
            raise _Problem("the CFAssociation has no associationType", "associationType", _preview(kind))
        kind = kind.strip()
        if kind in UNSUPPORTED:
            raise _Problem(f"unsupported association: {kind} — {UNSUPPORTED[kind]}", "associationType", kind)
        if kind.startswith("ext:"):
            raise _Problem(
                f"unsupported association: extension type {kind} has no agreed meaning", "associationType", kind
            )
        if kind not in ASSOCIATION_TYPES:
            raise _Problem(
                f"unknown association type {kind!r} (CASE defines {', '.join(sorted(ASSOCIATION_TYPES))})",
                "associationType",
                kind,
            )
        source = self._end(association, "originNodeURI", nodes, rejected)
        target = self._end(association, "destinationNodeURI", nodes, rejected)
        if source.ref.iri == target.ref.iri:
            raise _Problem("the association links a node to itself", "destinationNodeURI", target.ref.iri)
        if kind in ("isChildOf", "isPartOf"):
            if source.is_document:
                raise _Problem(
                    f"unsupported association: the CFDocument {kind} another node; a standard has no broader node",
                    "originNodeURI",
                    source.ref.iri,
                )
            if target.is_document:
                return EdgeRecord("specifiesSkill", target.ref, source.ref, _TAXONOMY, origin)
            return EdgeRecord("broader", source.ref, target.ref, _TAXONOMY, origin)
        if kind in ("exactMatchOf", "isTranslationOf"):
            return EdgeRecord("exactMatch", source.ref, target.ref, _TAXONOMY, origin)
        # isRelatedTo, isPeerOf
        for field, end in (("originNodeURI", source), ("destinationNodeURI", target)):
            if end.is_document:
                raise _Problem(
                    f"unsupported association: {kind} with the CFDocument (relatedSkill links skills)",
                    field,
                    end.ref.iri,
                )
        return EdgeRecord("relatedSkill", source.ref, target.ref, _RELATED[kind], origin)

    @staticmethod
    def _end(
        association: Mapping[str, Any], field: str, nodes: Mapping[str, _Node], rejected: Mapping[str, str]
    ) -> _Node:
        link = association.get(field)
        if not isinstance(link, dict):
            raise _Problem(f"the CFAssociation has no {field}", field, _preview(link))
        identifier, uri = _text(link, "identifier"), _text(link, "uri")
        for key in (identifier, uri):
            if key is not None and key in nodes:
                return nodes[key]
        for key in (identifier, uri):
            if key is not None and key in rejected:
                raise _Problem(f"not loaded: the item it names was rejected at {rejected[key]}", field, key)
        if uri is None:
            raise _Problem("names no node: no uri, and its identifier is not in the package", field, identifier or "")
        return _Node(Ref(iri=uri), is_document=False)


def read_package(path: Path) -> dict[str, Any]:
    """The CFPackage object of ``path``; ``SourceError`` (with line and column) if it cannot be one."""
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise SourceError("CASE package not found", file=str(path), hint=PACKAGE_HINT) from None
    except OSError as exc:
        raise SourceError(f"cannot read the CASE package: {exc.strerror or exc}", file=str(path)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(
            f"not UTF-8 (byte {exc.start}): JSON is UTF-8", file=str(path), hint="re-export the package as UTF-8"
        ) from None
    try:
        package = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceError(
            f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}",
            file=str(path),
            line=exc.lineno,
            hint=PACKAGE_HINT,
        ) from None
    if not isinstance(package, dict):
        raise SourceError(
            f"a CASE package is a JSON object, not {_json_kind(package)}", file=str(path), hint=PACKAGE_HINT
        )
    if "CFDocument" not in package:
        raise SourceError(
            "no CFDocument: this is not a CASE package", file=str(path), field="CFDocument", hint=PACKAGE_HINT
        )
    if not isinstance(package["CFDocument"], dict):
        raise SourceError("CFDocument must be a JSON object", file=str(path), field="CFDocument", hint=PACKAGE_HINT)
    return package


def case_factory(source: Path, mapping: Path | None = None, table: str | None = None) -> CaseLoader:
    """The ``case`` kind of ``ieic-kg load``: SOURCE is the CFPackage JSON file, read as published."""
    if mapping is not None:
        raise SourceError("the case loader reads a CASE package as published: it takes no --mapping")
    if table is not None:
        raise SourceError("the case loader loads the whole package: it takes no --table")
    return CaseLoader(source)


# -- values ---------------------------------------------------------------------------------------------


def _text(obj: Mapping[str, Any], key: str) -> str | None:
    """``obj[key]`` as stripped text; None when absent or empty. Numbers are text; lists and objects are not."""
    value = obj.get(key)
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return str(value)
    if not isinstance(value, str):
        raise _Problem(f"{key} must be text, not {_json_kind(value)}", key, _preview(value))
    return value.strip() or None


def _put(props: dict[str, Any], name: str, value: Any) -> None:
    if value is not None and value != "":
        props[name] = value


def _date(value: Any) -> str | None:
    """A CASE date (1.0 also allows a date-time) as ``YYYY-MM-DD``; other text is passed on to be checked."""
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    match = _DATE.match(value)
    return match.group(0) if match else value


def _language(tag: str) -> str | None:
    """``zh`` or ``en`` for a language tag whose primary subtag is Chinese or English; else None."""
    primary = tag.strip().replace("_", "-").split("-")[0].casefold()
    if primary in ("zh", "chi", "zho", "cmn"):
        return "zh"
    if primary in ("en", "eng"):
        return "en"
    return None


def _guess_language(text: str) -> str:
    return "zh" if _HAN.search(text) else "en"


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _document_class(framework_type: Any) -> str:
    if isinstance(framework_type, str):
        folded = _fold(framework_type)
        for pattern, cls in FRAMEWORK_CLASSES:
            if pattern.search(folded):
                return cls
    return "Standard"


def _json_kind(value: Any) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    return "a number"


def _preview(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 80 else text[:77] + "…"
