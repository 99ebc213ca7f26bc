"""Span rules: where a matched label's mention really starts and ends, and matches that name no skill.

The matcher finds labels; the annotation guidelines of eval/README.md say what a skill *mention* is, and
these rules follow them (they are written from the guidelines and the taxonomy, not from the answers of
the evaluation set):

**Extension.** A specific action verb belongs to the mention together with its object ("read electrical
schematics", "configure an HMI", 操作数控车床, 看懂电气原理图); a generic one does not (use, apply, perform,
使用, 进行, 完成). Words that narrow the skill belong to it: a brand or a model before it (Siemens S7-1500,
ABB RAPID programming, 西门子S7-1200 PLC编程), an activity noun after it (HMI programming, drive
commissioning, 触摸屏编程, 变频器参数设置, 伺服系统调试), a protocol variant after it (Modbus RTU, PROFIBUS DP).
Coordinated modifiers of one head make one mention (四轴、五轴加工, "4- and 5-axis machining"). An extension
never swallows another mention and never crosses a clause boundary.

**Not a skill.** A label inside a name: a course title (《机器视觉应用》), an organisation, a room or a
place (PLC实训室, 精益制造有限公司, "Robotics Lab", "Shunde Robotics Park"), a job title (PLC工程师,
"Robot Maintenance Technician:", 招聘装配钳工), a certificate's name (…1+X证书); and a tool named only as
the means of a skill mentioned just before it in the same clause ("2D drafting in AutoCAD",
在RobotStudio中完成离线编程 — the guidelines' "means and steps"): only when the tool's concept is the skill's
("PLC programming in Structured Text" names two skills).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

# -- English ---------------------------------------------------------------------------------------------

#: Verbs specific enough to belong to the skill they govern (base form; -s, -ing and -ed forms follow).
EN_VERBS = (
    "read|interpret|wire|configure|commission|install|program|write|operate|calibrate|maintain|deploy|design|"
    "set up|select|diagnose|troubleshoot|assemble|repair|produce|draw|create|generate|plan|integrate|tune|"
    "inspect|measure|simulate|build|solder|test|weld|detect|correct|acquire|replace|analy[sz]e|service|"
    "overhaul|adjust|align|machine|model|program|script|debug|size|specify|document|estimate|monitor|"
    "optimi[sz]e|parameteri[sz]e|network|upgrade|retrofit|dismantle|disassemble|fabricate|cut|grind|turn|mill|"
    "drill|bend|paint|coat|clean|lubricate|load|unload|pack|sort|label|sketch|draft|annotate|dimension"
)
_EN_VERB_FORMS = rf"(?:{EN_VERBS})(?:s|es|ed|d|ing)?"
_EN_FILLER = r"(?:a|an|the|all|new|existing|basic|simple|complex|small|large|multiple|several|industrial|typical)"
#: "read a ", "configure an ", "select and wire ", "set up a " — a verb (or two joined by and/or) and at most
#: one determiner or common adjective before the match.
_EN_VERB_BEFORE = re.compile(
    rf"(?<![\w-])(?P<verb>(?:{_EN_VERB_FORMS}\s+(?:and|or|&)\s+)?(?P<last>{_EN_VERB_FORMS}))\s+(?:{_EN_FILLER}\s+)?$",
    re.IGNORECASE,
)
#: The words that may come before two coordinated verbs ("to select and wire", "you will design and integrate"):
#: after any other word the first of the two is a noun ("an industrial Ethernet network and configure").
_EN_BEFORE_VERB_PAIR = frozenset(
    "to will can must should shall may also then and or please you we they i students learners able".split()  # noqa: SIM905 - a word list reads best as words
)


def _en_verb_pair_starts(text: str, clause: int, pos: int) -> bool:
    """Whether a verb pair at ``pos`` starts a predicate: nothing before it in its clause but a modal or a lead."""
    before = text[clause:pos].split()
    return not before or before[-1].lower() in _EN_BEFORE_VERB_PAIR


#: Nouns of activity (or of the system as a whole) that make a label the name of a skill.
EN_HEADS = (
    "programming|commissioning|configuration|setup|set-up|design|tuning|integration|installation|maintenance|"
    "troubleshooting|diagnostics|calibration|operation|networking|wiring|modell?ing|simulation|scripting|scripts|"
    "programs|audits?|systems?|cells?|lines?|workcells?|stations?|master|interfacing|interface|documentation|"
    "configuration|parameteri[sz]ation|development|repair"
)
_EN_HEAD_AFTER = re.compile(rf"^(?:\s+|-)(?:{EN_HEADS})\b", re.IGNORECASE)
#: Variants written after a protocol or a standard's name: Modbus RTU, PROFIBUS DP, Modbus TCP.
_EN_VARIANT_AFTER = re.compile(r"^[ -](?:RTU|TCP|DP|PA|IO|ASCII|RT|IRT|FD|UA|V\d+(?:\.\d+)?)\b")
_EN_BRAND_BEFORE = re.compile(
    r"(?<![\w-])(?P<brand>(?:Siemens|SINAMICS|SIMATIC|ABB|KUKA|FANUC|Fanuc|Yaskawa|Motoman|Kawasaki|Epson|Staubli|"
    r"Mitsubishi|Omron|Beckhoff|Rockwell|Allen-Bradley|Schneider|Delta|Inovance|Cognex|Keyence|Heidenhain|"
    r"Mazak|Haas|Okuma|Hexagon|Zeiss|Renishaw|Dassault|Autodesk|PTC|Festo|SMC|Bosch Rexroth|Rexroth|Universal "
    r"Robots|UR|Lenze|Danfoss|B&R|Phoenix Contact|Pilz|SICK|Balluff|Pepperl\+Fuchs|IFM|Parker|Hydac)"
    r"(?:\s+(?:or|and|/)\s+[A-Z][\w&+-]*)?)\s+$"
)
#: A model or product code right before the match: S7-1500, G120, V90, 828D, "S7-1200/1500".
_MODEL_BEFORE = re.compile(r"(?<![A-Za-z0-9-])(?P<model>[A-Z]{1,4}\d[\w.-]*(?:/\d[\w.-]*)?)\s*$")
#: "4- and 5-axis machining": a coordinated modifier whose head is the match's first word.
_EN_COORD_BEFORE = re.compile(r"(?<![\w-])(?P<mod>[\w.+]+-?)\s*(?:,|and|or|&)\s*$", re.IGNORECASE)

#: Words that make a capitalised stretch a name: organisations, places, rooms, job titles.
EN_NAME_HEADS = (
    "Lab|Labs|Laboratory|Club|Centre|Center|Park|Factory|Workshop|Institute|Academy|School|College|University|"
    "Department|Company|Co|Ltd|Inc|GmbH|Group|Association|Society|Engineer|Engineers|Technician|Technicians|"
    "Operator|Programmer|Instructor|Specialist|Manager|Officer|Lead|Designer|Mechanic|Electrician|Assembler|"
    "Worker|Apprentice|Supervisor|Architect|Developer|Consultant|Intern|Trainee|Inspector|Planner|Machinist|"
    "Fitter|Welder|Draftsperson|Scientist|Analyst|Coordinator|Director|Head|Team|Expo|Fair|Award|Journal"
)
_EN_NAME_AFTER = re.compile(rf"^(?:[ -](?:[A-Z][\w&.-]*|of|and|&))*?[ -](?:{EN_NAME_HEADS})\b")
_EN_MEANS_BEFORE = re.compile(
    r"(?<![\w-])(?:in|using|via|over|through|within|on|against)\s+(?:(?:its|their|a|an|the)\s+)?$", re.IGNORECASE
)

# -- Chinese ---------------------------------------------------------------------------------------------

ZH_VERBS = (
    "操作|识读|看懂|读懂|绘制|编写|撰写|编制|设计|安装|选用|选择|配置|调试|维修|维护|保养|装配|测量|检测|标定|部署|确定"
)
_ZH_VERB_BEFORE = re.compile(rf"(?P<verb>{ZH_VERBS})$")
ZH_HEADS = (
    "安装调试|参数设置|参数调试|程序调试|程序编写|系统调试|系统集成|画面组态|组态|编程|调试|设置|安装|配置|操作|技术|"
    "系统|通讯|通信|设计|建模|联调|维修保养|维护保养|维修|保养|检验|测量|检测|标定|选型|接线|集成|应用|开发|仿真"
)
#: Drawings and documents named after what they show (液压原理图, 电气接线图): the object of a reading verb.
ZH_DRAWINGS = "原理图|接线图|装配图|零件图|布置图|系统图|回路图|图纸"
_ZH_HEAD_AFTER = re.compile(rf"^(?:{ZH_HEADS}|{ZH_DRAWINGS})")
_ZH_HEAD_END = re.compile(rf"(?:{ZH_HEADS})$")
_ZH_BRAND_BEFORE = re.compile(
    r"(?P<brand>(?:西门子|三菱|欧姆龙|施耐德|汇川|信捷|台达|倍福|罗克韦尔|安川|发那科|库卡|川崎|爱普生|埃斯顿|埃夫特|新松|"
    r"康耐视|基恩士|海德汉|马扎克|哈斯|华中数控|广州数控|广数|海克斯康|蔡司|雷尼绍|费斯托|力士乐|博世力士乐|"
    r"ABB|KUKA|FANUC|Fanuc|Siemens|Yaskawa|Epson|Omron|Mitsubishi|Cognex|Keyence)"
    r"(?:(?:或|和|与|、|/)(?:[A-Za-z]+|[\u4e00-\u9fff]{2,4}))?)\s*(?:工业机器人|机器人|数控系统|伺服|变频器)?$"
)
_ZH_QUALIFIER_BEFORE = re.compile(r"(?P<q>工业|机器人|交流|直流|三相|多|单|双)$")
_ZH_COORD_BEFORE = re.compile(
    r"(?<![^\s，,；;。：:、和与及或的])(?P<mod>[^\s，,；;。：:、和与及或的]{1,6})[、和与及或]$"
)
_ZH_NAME_AFTER = re.compile(
    r"^[\u4e00-\u9fffA-Za-z0-9]{0,4}?(?:实训室|实训中心|实验室|车间|有限公司|股份公司|公司|工厂|学院|学校|协会|研究院|"
    r"工程师|技术员|操作工|操作员|学徒|技师|专员|主管|经理|专业|课程|证书|大赛|竞赛)"
)
_ZH_JOB_AFTER = re.compile(r"^工(?=[：:，,。；;（(\s]|$)")
_ZH_TITLE_BEFORE = re.compile(r"(?:招聘|诚聘|急聘)$")
_ZH_MEANS = re.compile(r"(?:在|用|使用|利用|通过|基于|借助)$")
_ZH_MEANS_AFTER = re.compile(r"^(?:中|上|软件中|软件)?(?:完成|绘制|实现|进行|建立|编写|生成|搭建|开展)")

#: Words after which a clause's object starts (a generic verb, a degree word, a conjunction or a clause stop).
_ZH_OBJECT_LEAD = (
    "负责|熟悉|掌握|精通|了解|熟练|会|能|有|具备|具有|完成|进行|开展|从事|参与|实现|推进|执行|[，,；;。：:、和与及或]"
)
#: A noun modifier of two characters (设备, 产线, 工装) or a short Latin name (SW) right after such a word and
#: before a match of four or more characters: it narrows the skill and belongs to the mention (设备风险评估,
#: 工装夹具设计 — the guidelines: modifiers that narrow the skill are inside).
_ZH_MODIFIER_BEFORE = re.compile(rf"(?:^|{_ZH_OBJECT_LEAD})(?P<mod>[\u4e00-\u9fff]{{2}}|[A-Za-z]{{2,4}})$")
_ZH_NOT_MODIFIERS = frozenset(
    "负责 熟悉 掌握 精通 了解 熟练 具备 具有 完成 进行 开展 从事 参与 "  # noqa: SIM905 - a word list reads best as words
    "实现 推进 执行 使用 运用 利用 能够 独立 相关 一定 基本 良好 较强 "
    "常用 常见 简单 基础 各种 各类 主要 能力 经验 以及 或者 并且 同时 "
    "学生 学员 要求 优先 可以 需要 现场 客户 公司".split()
)


@lru_cache(maxsize=4096)
def zh_noun(word: str) -> bool:
    """True when jieba's part-of-speech dictionary (shipped with jieba, nothing downloaded) reads ``word`` as one
    noun (n, nz, vn: 设备, 工装, 产线) or a Latin name (eng: SW), not as a verb or a preposition (协助, 根据)."""
    if word.isascii():
        return word.isalpha()
    import jieba.posseg

    pairs = jieba.posseg.lcut(word, HMM=False)
    return len(pairs) == 1 and pairs[0].flag in ("n", "nz", "vn")


_ZH_CONJ_AFTER = re.compile(r"^\s*[和与及、或]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_TOOL_NAME = re.compile(r"[A-Za-z][\w .+#/-]*")
_CLAUSE_STOP = re.compile(r"[，,；;。：:！？!?\n()（）《》]")


def _in_book_title(text: str, start: int, end: int) -> bool:
    """True inside 《…》 (a course or book title)."""
    before = text[max(0, start - 30) : start]
    open_at = before.rfind("《")
    return open_at >= 0 and "》" not in before[open_at:] and "》" in text[end : end + 30]


class Clauses:
    """Where the clauses of a text start and end (computed once per text, looked up by bisection)."""

    def __init__(self, text: str) -> None:
        self.stops = [m.start() for m in _CLAUSE_STOP.finditer(text)]
        self.length = len(text)

    def start(self, pos: int) -> int:
        """The first offset of the clause holding the character before ``pos``."""
        i = bisect.bisect_left(self.stops, pos)
        return self.stops[i - 1] + 1 if i else 0

    def end(self, pos: int) -> int:
        """The offset of the first clause stop at or after ``pos`` (the length of the text if none)."""
        i = bisect.bisect_left(self.stops, pos)
        return self.stops[i] if i < len(self.stops) else self.length


def is_name_part(
    text: str, start: int, end: int, lang: str, others: Sequence[tuple[int, int]], clauses: Clauses | None = None
) -> bool:
    """True when the match [start, end) is part of a name (title, organisation, place, job) or is only the
    means of the same skill mentioned next to it in its clause (``others``: the other matches that may
    name the same concept)."""
    surface = text[start:end]
    after = text[end : end + 40]
    before = text[max(0, start - 40) : start]
    if _in_book_title(text, start, end):
        return True
    if _CJK.search(surface) or (lang == "zh" and not surface.isascii()):
        if _ZH_NAME_AFTER.match(after) or _ZH_JOB_AFTER.match(after) or _ZH_TITLE_BEFORE.search(before):
            return True
    elif lang == "zh" and (_ZH_NAME_AFTER.match(after) or _ZH_TITLE_BEFORE.search(before)):
        return True
    if surface[:1].isupper() and _EN_NAME_AFTER.match(after):
        return True
    return bool(others) and _means_only(text, start, end, lang, others, clauses or Clauses(text))


def _means_only(
    text: str, start: int, end: int, lang: str, others: Sequence[tuple[int, int]], clauses: Clauses
) -> bool:
    """A named tool after "in/using/via …" (在…中/用…完成) with a skill mentioned before it in its clause."""
    surface = text[start:end]
    if not _TOOL_NAME.fullmatch(surface):
        return False
    clause = clauses.start(start)
    before_in_clause = any(clause <= s and e <= start for s, e in others)
    if lang == "zh" or _CJK.search(text, clause, start):
        stop = clauses.end(end)
        after_in_clause = any(end <= s and e <= stop for s, e in others)
        return bool(
            after_in_clause and _ZH_MEANS.search(text[clause:start]) and _ZH_MEANS_AFTER.match(text[end : end + 8])
        )
    return before_in_clause and _EN_MEANS_BEFORE.search(text[clause:start]) is not None


def extend(
    text: str, start: int, end: int, lang: str, limit: tuple[int, int], clauses: Clauses | None = None
) -> tuple[int, int]:
    """The bounds of the mention around the match [start, end), never beyond ``limit`` (the end of the
    previous mention, the start of the next one) nor across a clause boundary."""
    lo, hi = limit
    clauses = clauses or Clauses(text)
    # the rules look at most 48 characters back: a window, not the whole clause, is searched
    clause = max(clauses.start(start), lo, start - 48)
    right = min(clauses.end(end), hi, end + 48)
    zh = _CJK.search(text, max(0, start - 1), end + 1) is not None
    after: tuple[re.Pattern[str], ...]
    if zh:
        after, brand, coord, verb = (_ZH_HEAD_AFTER,), _ZH_BRAND_BEFORE, _ZH_COORD_BEFORE, _ZH_VERB_BEFORE
    else:
        after, brand, coord, verb = (
            (_EN_VARIANT_AFTER, _EN_HEAD_AFTER),
            _EN_BRAND_BEFORE,
            _EN_COORD_BEFORE,
            _EN_VERB_BEFORE,
        )
    s, e = start, end
    for pattern in after:
        m = pattern.match(text[e:right])
        if m and not (zh and _ZH_HEAD_END.search(text[s:e])):  # 伺服系统调试 takes no second activity noun
            e += m.end()
    # a brand, a model, or a brand and a model before the match
    for pattern in (brand, _MODEL_BEFORE, brand):
        m = pattern.search(text[clause:s]) if zh or _may_match(pattern, _last_words(text, clause, s)) else None
        if m:
            s = clause + m.start()
    m = _ZH_QUALIFIER_BEFORE.search(text[clause:s]) if zh else None
    if m and not text[s:e].startswith(m.group("q")):
        s -= len(m.group("q"))
    m = coord.search(text[clause:s]) if zh or _may_match(coord, _last_words(text, clause, s)) else None
    if m and (_shares_head if zh else _en_coord_modifier)(m.group("mod"), text[s:e]):
        s = clause + m.start()
    if zh and len(text[s:e]) >= 4 and s == start:
        m = _ZH_MODIFIER_BEFORE.search(text[clause:s])
        if m and m.group("mod") not in _ZH_NOT_MODIFIERS and zh_noun(m.group("mod")):
            s = clause + m.start("mod")
    m = verb.search(text[clause:s]) if zh or _may_match(verb, _last_words(text, clause, s)) else None
    # a Chinese verb shared by coordinated objects stays out (配置Modbus RTU和CC-Link通信)
    if m and not (zh and _ZH_CONJ_AFTER.match(text[e:right])):
        pair = not zh and m.start("last") != m.start("verb")
        first_is_noun = pair and not _en_verb_pair_starts(text, clauses.start(start), clause + m.start())
        s = clause + (m.start("last") if first_is_noun else m.start())
    if not zh:
        # a mention that starts with its verb takes a verb coordinated with it ("design and integrate robotic
        # workcells", "select and wire sensors"): the object is shared
        first = text[s:e].split(maxsplit=1)
        if first and _EN_VERB_WORD.fullmatch(first[0]) and _may_match(_EN_VERB_BEFORE, _last_words(text, clause, s)):
            m = _EN_VERB_AND.search(text[clause:s])
            if m and _en_verb_pair_starts(text, clauses.start(start), clause + m.start()):
                s = clause + m.start()
    return s, e


_EN_VERB_WORD = re.compile(
    rf"(?:{'|'.join(sorted({v.split()[0] for v in EN_VERBS.split('|')}))})(?:s|es|ed|d|ing)?", re.IGNORECASE
)


_EN_VERB_AND = re.compile(rf"(?<![\w-])(?:{_EN_VERB_FORMS})\s+(?:and|or|&)\s+$", re.IGNORECASE)


@lru_cache(maxsize=64)
def _last_words_of(before: str) -> tuple[str, ...]:
    return tuple(before.split()[-4:])


def _last_words(text: str, clause: int, s: int) -> tuple[str, ...]:
    """The last four words before offset ``s`` in its clause (cached: ``extend`` asks up to five times)."""
    return _last_words_of(text[max(clause, s - 48) : s])


def _may_match(pattern: re.Pattern[str], last: tuple[str, ...]) -> bool:
    """A quick test on the last words before an English match: False when ``pattern`` cannot match there (the
    searches of the long alternations are the slow part of ``extend``)."""
    if not last:
        return False
    if pattern is _EN_BRAND_BEFORE:
        return any(w[:1].isupper() for w in last)
    if pattern is _MODEL_BEFORE:
        return any(c.isdigit() for c in last[-1])
    if pattern is _EN_COORD_BEFORE:
        return last[-1].lower() in ("and", "or", "&") or last[-1].endswith(",")
    if pattern is _EN_VERB_BEFORE:
        return any(_EN_VERB_WORD.fullmatch(w) for w in last)
    return True


def _shares_head(mod: str, match: str) -> bool:
    """四轴 before 五轴加工, 尺寸公差 before 几何公差: the modifier ends as the match's first part ends."""
    if len(mod) < 2 or not match:
        return False
    k = len(mod)
    return mod[-1] == match[min(k, len(match)) - 1] or (len(match) >= 2 and mod[-2:] == match[-2:])


#: Words before "and"/"or" that are not a noun modifying the match's head.
_EN_NOT_NOUN_MODIFIERS = frozenset(
    "a an the of in on for to with by at from as is are be will can must should that which this it "  # noqa: SIM905 - a word list reads best as words
    "its their our your you we they experience skills knowledge basic good strong solid safe safely "
    "well plus also both either required preferred desirable essential".split()
)


def _en_coord_modifier(mod: str, match: str) -> bool:
    """ "4- and 5-axis machining": a number or a hyphen-ended modifier of the same kind as the match's first word."""
    first = match.split()[0] if match.split() else ""
    if mod.endswith("-"):
        return True
    words = match.split()
    if (
        len(words) >= 2
        and not _EN_VERB_WORD.fullmatch(words[0])
        and _EN_HEAD_AFTER.match(" " + words[-1]) is not None
        and mod.isalpha()
        and mod.islower()
        and not _EN_VERB_WORD.fullmatch(mod)
        and mod not in _EN_NOT_NOUN_MODIFIERS
    ):
        return True  # "jig and fixture design": a noun modifying the match's activity noun as its first word does
    return bool(re.fullmatch(r"\d+", mod)) and bool(re.match(r"\d", first))


def refine(
    text: str, lang: str, found: list[tuple[int, int, Any]], keep: Callable[[int], bool] = lambda offset: False
) -> list[tuple[int, int, Any]]:
    """The matches of ``found`` (start, end, options: the linker's (entry, method, confidence) candidates) that
    name a skill, with the bounds of their mentions.
    A match at an offset where ``keep`` is true is kept even inside a name (the title of a posting names the
    job, and the loader reads the skills of the title: "岗位：PLC电气工程师")."""
    spans = sorted(found, key=lambda f: f[0])
    iris = [{o[0].iri for o in f[2]} for f in spans]

    clauses = Clauses(text)

    by_iri: dict[str, list[int]] = {}
    for j, js in enumerate(iris):
        for iri in js:
            by_iri.setdefault(iri, []).append(j)

    def same_concept(i: int) -> list[tuple[int, int]]:
        others = sorted({j for iri in iris[i] for j in by_iri[iri] if j != i})
        return [(spans[j][0], spans[j][1]) for j in others]

    kept = [
        f
        for i, f in enumerate(spans)
        if keep(f[0]) or not is_name_part(text, f[0], f[1], lang, same_concept(i), clauses)
    ]
    out: list[tuple[int, int, Any]] = []
    for i, (s, e, payload) in enumerate(kept):
        lo = out[-1][1] if out else 0
        hi = kept[i + 1][0] if i + 1 < len(kept) else len(text)
        ns, ne = extend(text, s, e, lang, (lo, hi), clauses)
        out.append((ns, ne, payload))
    return out
