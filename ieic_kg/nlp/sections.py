"""The layout of a document: sections, clauses, cues, levels and sentences, by rules.

**Sections.** A section starts at a Markdown heading, at a short line that is a known section name
(``任职要求：``, ``Requirements``, ``What we look for``), or inline at a known name followed by a colon
(``岗位职责：1. 负责…任职要求：…``, as job boards flatten postings). The name decides the category
(``SECTION_NAMES``); an unknown heading starts a ``body`` section and the first level-1 heading is the
``title``. Field lines (``先修课程：…``, ``Salary: …``, ``Position: …``) are sections of one line:
``meta``, or ``title`` for a job title.

**Cues** hold for one clause: Chinese clauses end at ，；。！？ and line ends, English ones at ; . ! ?
and line ends (not at commas, so "Experience with X, Y and Z is a plus" is one clause). A line that
starts with "Not covered:"/"不包括：" is negated whole. Negation wins over preference. Sections give the
default: ``requirements``/``responsibilities`` → required, ``preferred`` → preferred.

**Levels** (standards): a heading or short line naming a level sets the level of what follows, until
the next level or a heading of the same or higher rank: 五级/初级工 … 一级/高级技师 → 5 … 1 (the national
scale, a smaller number is higher); bare 初级/中级/高级 → 1/2/3 (the 1+X convention); "Level N" → N.

**Mastery** (syllabi): 初步了解/入门/演示/introduction to … → ``I``; 熟练掌握/独立完成/master … → ``M``;
otherwise ``R`` — the curriculum-map scale of ``masteryLevel``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

# -- section names ------------------------------------------------------------------------------------

SECTION_NAMES: dict[str, tuple[str, ...]] = {
    "objectives": (
        "课程目标",
        "教学目标",
        "培养目标",
        "课程目的",
        "course objectives",
        "objectives",
        "course aims",
        "aims",
        "goals",
    ),
    "outcomes": (
        "学习成果",
        "预期学习成果",
        "学习目标",
        "能力目标",
        "知识目标",
        "技能目标",
        "素质目标",
        "learning outcomes",
        "intended learning outcomes",
        "outcomes",
        "competencies",
    ),
    "content": (
        "教学内容",
        "课程内容",
        "学习内容",
        "教学项目",
        "项目设计",
        "教学安排",
        "content",
        "course content",
        "contents",
        "topics",
        "modules",
        "schedule",
    ),
    "assessment": ("考核方式", "考核与评价", "考核评价", "评价方式", "考核", "assessment", "evaluation", "grading"),
    "responsibilities": (
        "岗位职责",
        "工作职责",
        "工作内容",
        "职位描述",
        "岗位描述",
        "主要职责",
        "responsibilities",
        "key responsibilities",
        "duties",
        "what you will do",
        "what you'll do",
        "your tasks",
        "the role",
        "job description",
    ),
    "requirements": (
        "任职要求",
        "岗位要求",
        "任职资格",
        "职位要求",
        "应聘条件",
        "技能要求",
        "工作要求",
        "requirements",
        "qualifications",
        "what we look for",
        "what we are looking for",
        "who you are",
        "your profile",
        "must have",
        "required skills",
        "skill requirements",
    ),
    "preferred": (
        "加分项",
        "优先条件",
        "优先考虑",
        "nice to have",
        "nice-to-have",
        "preferred qualifications",
        "bonus points",
        "desirable",
        "pluses",
    ),
    "company": (
        "公司简介",
        "企业简介",
        "公司介绍",
        "企业介绍",
        "关于我们",
        "about us",
        "about the company",
        "company profile",
        "who we are",
    ),
    "benefits": ("福利待遇", "福利", "我们提供", "薪酬福利", "benefits", "we offer", "what we offer", "perks"),
    "notes": ("说明", "备注", "注", "note", "notes", "remarks"),
}

#: Field names whose line is metadata (not teaching or requirement content).
META_FIELDS = (
    "课程代码",
    "课程编号",
    "学分",
    "学时",
    "先修课程",
    "前修课程",
    "后续课程",
    "课程性质",
    "课程类型",
    "适用专业",
    "开设学期",
    "授课对象",
    "公司",
    "企业",
    "工作地点",
    "地点",
    "薪资",
    "薪酬",
    "发布日期",
    "招聘人数",
    "学历",
    "course code",
    "code",
    "posting id",
    "job id",
    "credits",
    "prerequisites",
    "prerequisite",
    "semester",
    "company",
    "employer",
    "location",
    "salary",
    "posted",
    "date posted",
    "department",
    "contact",
    "standard number",
    "issued by",
)

#: Field names whose value is the title of the posting (mentions there describe the job).
TITLE_FIELDS = ("岗位", "职位", "岗位名称", "职位名称", "招聘岗位", "position", "job title", "title", "role")

#: Section → the cue its mentions get when no cue word says otherwise.
SECTION_CUES = {"requirements": "required", "responsibilities": "required", "preferred": "preferred"}


def _alternation(names: tuple[str, ...] | list[str]) -> str:
    return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))


_ALL_SECTION_NAMES = {n: cat for cat, names in SECTION_NAMES.items() for n in names}
_NUM_PREFIX = (
    r"(?:[#>*\-\s]*)(?:(?:[一二三四五六七八九十]+|\d+(?:\.\d+)*|[（(][一二三四五六七八九十\d]+[)）])[、.．)）\s]\s*)?"
)
_HEADING_LINE = re.compile(
    rf"^{_NUM_PREFIX}(?P<name>{_alternation(list(_ALL_SECTION_NAMES))})\s*[:：]?\s*$", re.IGNORECASE | re.M
)
_INLINE_NAMES = [n for n in _ALL_SECTION_NAMES if len(n) >= 3 or not n.isascii()]
_INLINE_SECTION = re.compile(
    rf"(?:^|(?<=[\s。；;，,：:]))(?:\d+[.、]\s*)?(?P<name>{_alternation(_INLINE_NAMES)})\s*[:：]",
    re.IGNORECASE | re.M,
)
_MD_HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>.*?)\s*#*\s*$", re.M)
_FIELD = re.compile(
    rf"(?:^|(?<=[\s·|　]))(?P<name>{_alternation(list(META_FIELDS) + list(TITLE_FIELDS))})\s*[:：]",
    re.IGNORECASE | re.M,
)
_LINE_NEGATION = re.compile(
    r"^[\s\-*>#\d.、]*(?:not covered|not included|out of scope|excluded"
    r"|不包括|不包含|不含|不涉及|未涵盖|不在本课程范围)\s*[:：]",
    re.IGNORECASE,
)
_LINE_PREFERRED = re.compile(
    r"^[\s\-*>#\d.、]*(?:nice to have|nice-to-have|a plus|bonus|preferred|desirable"
    r"|加分项?|优先(?:条件|考虑)?)\s*[:：]",
    re.IGNORECASE,
)

# -- cue words ----------------------------------------------------------------------------------------

_NEGATION = re.compile(
    r"为后续[^，。；]{0,12}课程|后续课程|\b(?:later|subsequent|follow-up) courses?\b"
    r"|不要求|无需|无须|不需要|不需|不必|不作要求|非必须|尚未纳入|未纳入|不纳入|不包括|不包含|不涉及|不含|未涵盖|不作为"
    r"|\bnot (?:be )?(?:required|necessary|needed|covered|included|expected|part of)\b"
    r"|\b(?:do|does|did|will|shall|is|are)(?: not|n't) (?:cover|include|teach|address|deal with|go into)\b"
    r"|\bno need\b|\b(?:do|does|don't|doesn't) not? ?need\b|\bdon't need\b|\bnot a requirement\b"
    r"|\bno\b[^.;:!?\n]{0,60}\b(?:required|needed|necessary)\b|\bexclud(?:ed|ing)\b|\bout of scope\b",
    re.IGNORECASE,
)
_PREFERRED = re.compile(
    r"优先|加分|更佳|为佳|最好|\bis a plus\b|\ba plus\b|\bpreferred\b|\bpreferably\b|\bnice[- ]to[- ]have\b"
    r"|\bbonus\b|\bdesirable\b|\badvantage(?:ous)?\b|\bideally\b|\bwould be great\b",
    re.IGNORECASE,
)
_INTRO = re.compile(
    r"初步了解|初步认识|初步掌握|初步|入门|仅作演示|演示|简介|概述|了解"
    r"|\bintroduc(?:tion|tory|es|e|ing)\b|\boverview\b|\bawareness\b|\bbasic understanding\b|\bdemonstrat\w*\b"
    r"|\bfamiliari[sz]\w*\b|\bbasics of\b",
    re.IGNORECASE,
)
_MASTER = re.compile(
    r"熟练掌握|熟练|精通|独立完成|能独立|掌握|\bmaster\w*\b|\bproficien\w*\b|\bindependently\b|\bconfidently\b",
    re.IGNORECASE,
)

#: Words without which the cue expressions cannot match (lower case): a few substring tests decide which
#: of the four expressions to run on a clause.
_CUE_TRIGGERS = {
    "neg": ("后续", "later", "subsequent", "follow-up", "不", "无", "非", "未", "not", "n't", "no", "exclud",
            "out of scope"),
    "pref": ("优先", "加分", "佳", "最好", "plus", "prefer", "nice", "bonus", "desirab", "advantage", "ideally",
             "great"),
    "intro": ("初步", "入门", "演示", "简介", "概述", "了解", "introduc", "overview", "awareness", "basic",
              "demonstrat", "familiari"),
    "master": ("熟练", "精通", "独立", "掌握", "master", "proficien", "independently", "confidently"),
}  # fmt: skip


_ANY_TRIGGER = re.compile("|".join(re.escape(w) for words in _CUE_TRIGGERS.values() for w in words))


def clause_cues(clause: str) -> tuple[str | None, str | None]:
    """(cue, mastery) of one clause: negated over preferred, M over I (see the module docstring)."""
    low = clause.lower()
    if not _ANY_TRIGGER.search(low):
        return None, None
    found = {kind for kind, words in _CUE_TRIGGERS.items() if any(w in low for w in words)}
    if not found:
        return None, None
    cue = None
    if "neg" in found and _NEGATION.search(clause):
        cue = "negated"
    elif "pref" in found and _PREFERRED.search(clause):
        cue = "preferred"
    mastery = None
    if "master" in found and _MASTER.search(clause):
        mastery = "M"
    elif "intro" in found and _INTRO.search(clause):
        mastery = "I"
    return cue, mastery


# -- levels -------------------------------------------------------------------------------------------

_EDUCATION = re.compile(
    r"学历|专业|毕业|\bdegree\b|\bdiploma\b|\bbachelor|\bmaster's\b|\bassociate degree\b|\bmajor(?:ing)? in\b",
    re.IGNORECASE,
)

#: Substrings without which ``_EDUCATION`` cannot match (a quick test before the search).
_EDUCATION_WORDS = ("学历", "专业", "毕业", "degree", "diploma", "bachelor", "master's", "major")

_ZH_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5}
_NATIONAL_TITLES = (("高级技师", 1), ("技师", 2), ("高级工", 3), ("中级工", 4), ("初级工", 5))
_EN_TITLES = (
    ("senior technician", 1),
    ("technician", 2),
    ("senior worker", 3),
    ("intermediate worker", 4),
    ("junior worker", 5),
    ("entry-level worker", 5),
)
_LEVEL_LINE = re.compile(
    r"(?P<zh>[一二三四五])\s*级|(?P<num>[1-5])\s*级|\blevel\s*(?P<en>[1-5])\b"
    r"|(?P<title>高级技师|技师|高级工|中级工|初级工)"
    r"|(?P<entitle>senior technician|technician|senior worker|intermediate worker|junior worker)"
    r"|(?P<x>初级|中级|高级)",
    re.IGNORECASE,
)


def parse_level(text: str) -> int | None:
    """The level a heading names: 五级/初级工 → 5 … 一级/高级技师 → 1; 初级/中级/高级 → 1/2/3; Level N → N."""
    for m in _LEVEL_LINE.finditer(text):
        if m.group("zh"):
            return _ZH_DIGITS[m.group("zh")]
        if m.group("num"):
            return int(m.group("num"))
        if m.group("en"):
            return int(m.group("en"))
        if m.group("title"):
            return dict(_NATIONAL_TITLES)[m.group("title")]
        if m.group("entitle"):
            return dict(_EN_TITLES)[m.group("entitle").lower()]
        if m.group("x"):
            return {"初级": 1, "中级": 2, "高级": 3}[m.group("x")]
    return None


# -- the layout ---------------------------------------------------------------------------------------

_LIST_NUMBER = re.compile(r"(?:\d+[.、)]|[（(]\d+[)）])\s*")
_ZH_CLAUSE_END = re.compile(r"[，,；;。！？!?\n]")
_EN_CLAUSE_END = re.compile(r"[;!?\n]|\.(?=\s|$)")
_SENTENCE_END = re.compile(r"[。！？!?\n]|\.(?=\s|$)|；(?=\s*\n)")


@dataclass
class Layout:
    """Where sections, clauses, sentences and levels start in one text; answers per character offset."""

    text: str
    lang: str
    section_starts: list[int] = field(default_factory=list)
    section_names: list[str] = field(default_factory=list)
    fields: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, category) of field lines
    clause_ends: list[int] = field(default_factory=list)
    sentence_ends: list[int] = field(default_factory=list)
    level_starts: list[int] = field(default_factory=list)
    level_values: list[int | None] = field(default_factory=list)
    level_depths: list[int] = field(default_factory=list)
    line_starts: list[int] = field(default_factory=list)
    line_cues: dict[int, str] = field(default_factory=dict)  # line index → cue of the whole line
    headings: list[tuple[int, int]] = field(default_factory=list)  # spans of section-name headings
    _clause_cache: dict[int, tuple[str | None, str | None]] = field(default_factory=dict)
    _education_cache: dict[int, bool] = field(default_factory=dict)
    _section_cache: dict[int, str] = field(default_factory=dict)
    _sentence_cache: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)

    def section(self, offset: int) -> str:
        found = self._section_cache.get(offset)
        if found is None:
            found = self._section_cache[offset] = self._section(offset)
        return found

    def _section(self, offset: int) -> str:
        for start, end, category in self.fields:
            if start <= offset < end:
                return category
        i = bisect.bisect_right(self.section_starts, offset) - 1
        name = self.section_names[i] if i >= 0 else "body"
        if name in ("requirements", "responsibilities", "preferred", "body") and self._education(offset):
            return "education"
        return name

    def is_heading(self, offset: int) -> bool:
        """True inside a section heading or a field name (the words "任职要求", "Salary")."""
        return any(s <= offset < e for s, e in self.headings)

    def _education(self, offset: int) -> bool:
        i = bisect.bisect_right(self.clause_ends, offset)
        found = self._education_cache.get(i)
        if found is None:
            cs, ce = self._bounds(self.clause_ends, offset)
            clause = self.text[cs:ce]
            low = clause.lower()
            found = self._education_cache[i] = (
                any(w in low for w in _EDUCATION_WORDS) and _EDUCATION.search(clause) is not None
            )
        return found

    def level(self, offset: int) -> int | None:
        i = bisect.bisect_right(self.level_starts, offset) - 1
        return self.level_values[i] if i >= 0 else None

    def _bounds(self, ends: list[int], offset: int) -> tuple[int, int]:
        i = bisect.bisect_right(ends, offset)
        start = ends[i - 1] + 1 if i > 0 else 0
        end = ends[i] if i < len(ends) else len(self.text)
        return start, end

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        """Bounds of the sentence around [start, end), trimmed of spaces, bullets and list numbers."""
        key = (bisect.bisect_right(self.sentence_ends, start), bisect.bisect_right(self.sentence_ends, end - 1))
        found = self._sentence_cache.get(key)
        if found is None:
            found = self._sentence_cache[key] = self._sentence(start, end)
        return found

    def _sentence(self, start: int, end: int) -> tuple[int, int]:
        s, _ = self._bounds(self.sentence_ends, start)
        _, e = self._bounds(self.sentence_ends, max(start, end - 1))
        if e < len(self.text) and self.text[e] in "。！？!?.；":
            e += 1
        while s < start and (self.text[s].isspace() or self.text[s] in "-*>#|·•"):
            s += 1
        m = _LIST_NUMBER.match(self.text, s, start)
        if m:
            s += m.end()
        while e > end and self.text[e - 1].isspace():
            e -= 1
        return s, e

    def cues(self, start: int) -> tuple[str | None, str | None]:
        """(cue, mastery) of the clause around ``start``: cue ∈ negated/preferred/None, mastery ∈ I/M/None."""
        line = bisect.bisect_right(self.line_starts, start) - 1
        line_cue = self.line_cues.get(line)
        i = bisect.bisect_right(self.clause_ends, start)
        cached = self._clause_cache.get(i)
        if cached is None:
            cs, ce = self._bounds(self.clause_ends, start)
            cached = self._clause_cache[i] = clause_cues(self.text[cs:ce])
        cue, mastery = cached
        if line_cue == "negated" or cue == "negated":
            return "negated", mastery
        return cue or line_cue, mastery


def layout(text: str, lang: str) -> Layout:
    """The layout of ``text`` (the text as the extractor sees it, offsets unchanged)."""
    lay = Layout(text, lang)
    lay.line_starts = [0, *(m.end() for m in re.finditer(r"\n", text))]
    boundaries: list[tuple[int, str]] = []
    title_seen = False
    heading_levels: list[tuple[int, int]] = []  # (offset, markdown depth) of headings
    for m in _MD_HEADING.finditer(text):
        depth = len(m.group("hashes"))
        heading = m.group("text")
        category = _category(heading)
        if category is None:
            category = "title" if depth == 1 and not title_seen else "body"
        title_seen = title_seen or depth == 1
        boundaries.append((m.start(), category))
        heading_levels.append((m.start(), depth))
        if category == "title":
            boundaries.append((m.end(), "body"))  # the title is the heading line only
        else:
            lay.headings.append((m.start(), m.end()))
        _level_heading(lay, m.start(), heading, depth)
    for m in _HEADING_LINE.finditer(text):
        boundaries.append((m.start(), _ALL_SECTION_NAMES[m.group("name").lower()]))
        heading_levels.append((m.start(), 7))
        lay.headings.append((m.start(), m.end()))
    for m in _ending_at_colons(_INLINE_SECTION, text, _INLINE_ENDINGS):
        boundaries.append((m.start("name"), _ALL_SECTION_NAMES[m.group("name").lower()]))
        lay.headings.append((m.start("name"), m.end()))
    # short lines naming a level, outside Markdown headings (plain-text standards)
    for i, ls in enumerate(lay.line_starts):
        le = lay.line_starts[i + 1] - 1 if i + 1 < len(lay.line_starts) else len(text)
        line = text[ls:le].strip()
        if not line:
            continue
        if _LINE_NEGATION.match(line):
            lay.line_cues[i] = "negated"
        elif _LINE_PREFERRED.match(line):
            lay.line_cues[i] = "preferred"
        if not line.startswith("#") and len(line) <= 30 and parse_level(line) is not None and _looks_like_heading(line):
            _level_heading(lay, ls, line, 7)
    for m in _ending_at_colons(_FIELD, text, _FIELD_ENDINGS):
        name = m.group("name").lower()
        end = text.find("\n", m.start())
        end = len(text) if end < 0 else end
        category = "title" if name in TITLE_FIELDS else "meta"
        lay.headings.append((m.start(), m.end()))
        # a field runs to the end of its line (课程代码：GR3001　学分：4 … is metadata throughout)
        lay.fields.append((m.start(), end, category))
    lay.fields.sort()
    boundaries.sort()
    lay.section_starts = [b[0] for b in boundaries]
    lay.section_names = [b[1] for b in boundaries]
    # a heading of the same or higher rank than a level heading ends that level
    if lay.level_starts:
        _close_levels(lay, heading_levels)
    clause_re = _ZH_CLAUSE_END if lang == "zh" else _EN_CLAUSE_END
    lay.clause_ends = [m.start() for m in clause_re.finditer(text)]
    lay.sentence_ends = [m.start() for m in _SENTENCE_END.finditer(text)]
    return lay


_COLON = re.compile(r"[:：]")


_LAST_WORD = re.compile(r"(?:[A-Za-z]+|[^\sA-Za-z])\s*$")


def _ending(name: str) -> str:
    """The last word of a name (lower case), or its last character when that is not a Latin letter."""
    m = _LAST_WORD.search(name)
    return m.group(0).strip().lower() if m else ""


_INLINE_ENDINGS = frozenset(_ending(n) for n in _INLINE_NAMES)
_FIELD_ENDINGS = frozenset(_ending(n) for n in (*META_FIELDS, *TITLE_FIELDS))


def _ending_at_colons(pattern: re.Pattern[str], text: str, endings: frozenset[str]) -> list[re.Match[str]]:
    """``pattern.finditer(text)`` for a pattern that ends with a colon (a section or field name and its colon):
    searched only in the 64 characters before each colon, which is much faster than scanning every position
    of the text with a long alternation of names."""
    out = []
    for colon in _COLON.finditer(text):
        end = colon.end()
        last = _LAST_WORD.search(text, max(0, colon.start() - 24), colon.start())
        if last is None or last.group(0).strip().lower() not in endings:
            continue  # no name ends with the word before this colon
        for m in pattern.finditer(text, max(0, end - 64), end):
            if m.end() == end:
                out.append(m)
                break
    return out


def _category(heading: str) -> str | None:
    h = re.sub(r"^[\s\d.、一二三四五六七八九十()（）]*", "", heading).strip().rstrip(":：").lower()
    if h in _ALL_SECTION_NAMES:
        return _ALL_SECTION_NAMES[h]
    for name, category in sorted(_ALL_SECTION_NAMES.items(), key=lambda kv: -len(kv[0])):
        if len(name) >= 4 and name in h:
            return category
    return None


def _looks_like_heading(line: str) -> bool:
    return not re.search(r"[，。；,;]", line) or bool(re.match(r"^[\d.]+\s|^[一二三四五六七八九十]+、", line))


def _level_heading(lay: Layout, offset: int, heading: str, depth: int) -> None:
    level = parse_level(heading)
    if level is not None:
        lay.level_starts.append(offset)
        lay.level_values.append(level)
        lay.level_depths.append(depth)


def _close_levels(lay: Layout, headings: list[tuple[int, int]]) -> None:
    depths = lay.level_depths
    order = sorted(range(len(lay.level_starts)), key=lambda i: lay.level_starts[i])
    starts = [lay.level_starts[i] for i in order]
    values: list[int | None] = [lay.level_values[i] for i in order]
    depths = [depths[i] for i in order]
    extra: list[tuple[int, int | None]] = []
    for k, (start, depth) in enumerate(zip(starts, depths, strict=True)):
        stop = starts[k + 1] if k + 1 < len(starts) else None
        for offset, hdepth in headings:
            if offset > start and (stop is None or offset < stop) and hdepth <= depth:
                extra.append((offset, None))
                break
    merged = sorted([*zip(starts, values, strict=True), *extra], key=lambda kv: kv[0])
    lay.level_starts = [m[0] for m in merged]
    lay.level_values = [m[1] for m in merged]
