// Program view: a program and a target industry → coverage, heatmap of courses × demanded skills, the gaps
// ranked by demand and trend with who could help close them, and the partner enterprises.
import { api, cached, runQuery, type Alignment, type CourseSkillMatrix, type CoverageCell, type Partners, type Row, type SkillAlignment, type Supply } from "../api";
import { busy, h, replace, selectField, sequencer } from "../dom";
import { fmtNumber, fmtPercent, labelOf, pick, t, type TextKey } from "../i18n";
import { alignment, matrix, selection, targetOf, type TargetKind } from "../state";
import type { View } from "./view";

let programs: Row[] = [];
let industries: Row[] = [];

export function programOptions(): { value: string; text: string }[] {
  return programs.map((p) => ({ value: String(p.code), text: `${p.code} ${pick(p.program_zh as string, p.program_en as string)}` }));
}

export function industryOptions(): { value: string; text: string }[] {
  return industries.map((i) => ({ value: String(i.code), text: `${i.code} ${pick(i.industry_zh as string, i.industry_en as string)}` }));
}

export function industryLabel(code: string): string {
  const i = industries.find((x) => x.code === code);
  return i ? pick(i.industry_zh as string, i.industry_en as string, code) : code;
}

/** The program and industry lists of the forms (named queries `programs` and `industries`), loaded once. */
export async function loadChoices(): Promise<void> {
  if (programs.length && industries.length) return;
  [programs, industries] = await Promise.all([runQuery("programs"), runQuery("industries")]);
  selection.program ??= programs.find((p) => p.code === "460305")?.code as string | undefined ?? (programs[0]?.code as string | undefined) ?? null;
  selection.industry ??= industries.find((i) => i.code === "3491")?.code as string | undefined ?? (industries[0]?.code as string | undefined) ?? null;
}

/** Occupations with demand, with the coverage the program reaches for each (`GET /v1/alignment/coverage`). */
export async function occupationOptions(program: string): Promise<{ value: string; text: string }[]> {
  const m = await cached<{ cells: CoverageCell[] }>("/v1/alignment/coverage", { program });
  return m.cells
    .filter((c) => c.demanded > 0)
    .map((c) => ({ value: String(c.occupation), text: `${c.occupation} ${pick(c.occupation_zh, c.occupation_en)} (${t("coverage")} ${fmtPercent(c.coverage)})` }));
}

/** Program and target pickers bound to the shared selection; `changed` runs after a choice. With
 * `industryOnly`, the target is an industry (views about an industry only). */
export async function targetForm(changed: () => void, industryOnly = false): Promise<HTMLElement> {
  if (industryOnly) selection.target = "industry";
  const [pField, pSelect] = selectField(t("program"), programOptions(), selection.program, { "data-testid": "program-select" });
  const kinds: TargetKind[] = ["industry", "occupation"];
  const kindBox = h(
    "div",
    { class: "field" },
    h("span", { class: "field-label", id: "target-kind-label" }, t("target")),
    h(
      "div",
      { class: "segmented", role: "radiogroup", "aria-labelledby": "target-kind-label" },
      kinds.map((k) =>
        h("label", {}, h("input", { type: "radio", name: "target-kind", value: k, checked: selection.target === k, "data-testid": `target-${k}` }), " ", t(k === "industry" ? "targetIndustry" : "targetOccupation")),
      ),
    ),
  );
  let targetField: HTMLElement = h("div", { class: "field" });
  let targetSelect: HTMLSelectElement | null = null;
  const update = () => {
    selection.program = pSelect.value;
    if (targetSelect) {
      if (selection.target === "occupation") selection.occupation = targetSelect.value;
      else selection.industry = targetSelect.value;
    }
    selection.skill = null;
    changed();
  };
  // the target's options: industries, or the occupations with the program's coverage of each
  const fillTarget = async () => {
    const occupation = selection.target === "occupation";
    const options = occupation ? await occupationOptions(pSelect.value) : industryOptions();
    const current = occupation ? selection.occupation : selection.industry;
    const value = options.some((o) => o.value === current) ? current : (options[0]?.value ?? null);
    if (occupation) selection.occupation = value;
    else selection.industry = value;
    const [field, select] = selectField(t(occupation ? "targetOccupation" : "targetIndustry"), options, value, {
      "data-testid": occupation ? "occupation-select" : "industry-select",
    });
    select.addEventListener("change", update);
    targetField.replaceWith(field);
    targetField = field;
    targetSelect = select;
  };
  pSelect.addEventListener("change", async () => {
    if (selection.target === "occupation") await fillTarget();
    update();
  });
  kindBox.addEventListener("change", async (e) => {
    selection.target = (e.target as HTMLInputElement).value as TargetKind;
    await fillTarget();
    update();
  });
  const form = h("form", { class: "pickers", onsubmit: (e: Event) => e.preventDefault() }, pField, industryOnly ? null : kindBox, targetField);
  await fillTarget();
  return form;
}

function cellColour(v: number): string {
  // 0 → near white, 1 → deep blue; text turns white on the dark end (contrast ≥ 4.5:1 both ways)
  return `hsl(212 72% ${Math.round(97 - v * 62)}%)`;
}

function trendBadge(n: number): HTMLElement {
  const cls = n > 0 ? "up" : n < 0 ? "down" : "flat";
  const arrow = n > 0 ? "↑" : n < 0 ? "↓" : "→";
  return h("span", { class: `trend ${cls}`, title: t("trendHelp") }, `${arrow}${n > 0 ? "+" : ""}${n}`);
}

function courseLabel(s: Supply): string {
  return pick(s.course_zh, s.course_en, s.course_code);
}

function summary(a: Alignment): HTMLElement {
  const gaps = a.gaps.length;
  const covered = a.skills.filter((s) => s.supply > 0).length;
  return h(
    "section",
    { class: "summary card", "aria-labelledby": "summary-title" },
    h("h2", { id: "summary-title" }, `${a.program.code} ${labelOf(a.program)} → ${targetOf(a).code} ${labelOf(targetOf(a))}`),
    h(
      "div",
      { class: "figures" },
      h(
        "div",
        { class: "figure big" },
        h("span", { class: "figure-label" }, t("coverage")),
        h("span", { class: "figure-value", "data-testid": "coverage", "data-value": a.coverage }, fmtPercent(a.coverage)),
        h("meter", { min: 0, max: 1, value: a.coverage, title: t("coverageHelp"), "aria-label": t("coverage") }),
      ),
      figure(t("demanded"), a.skills.length, "demanded"),
      figure(t("covered"), covered, "covered"),
      figure(t("gapsCount"), gaps, "gaps"),
      figure(t("postingsTotal"), a.postingsTotal, "postings"),
    ),
    h("p", { class: "help" }, t("coverageHelp")),
  );
}

function figure(label: string, value: number, id: string): HTMLElement {
  return h("div", { class: "figure" }, h("span", { class: "figure-label" }, label), h("span", { class: "figure-value", "data-testid": `count-${id}` }, value));
}

/** Best t·m of each course for each skill (a course may reach a skill through several taught skills). */
function strengths(s: SkillAlignment): Map<string, Supply> {
  const best = new Map<string, Supply>();
  for (const x of s.supplies) {
    const b = best.get(x.course_code);
    if (!b || x.score > b.score) best.set(x.course_code, x);
  }
  return best;
}

/** Demanded skills (rows, gaps marked) × the program's courses (columns), from `GET /v1/alignment/matrix`:
 * each cell the course's t·m for the skill, its colour t·m·w. */
function heatmap(m: CourseSkillMatrix, trends: Map<string, number>): HTMLElement {
  const cell = new Map(m.cells.map((c) => [`${c.skill}|${c.course}`, c]));
  const courseName = (i: number) => pick(m.courses[i].label_zh, m.courses[i].label_en, m.courses[i].code);
  const rows = m.skills.map((s, j) =>
    h(
      "tr",
      { class: s.gap ? "gap-row" : undefined, "data-skill": s.iri },
      h("th", { scope: "row", class: "skill-name" }, h("span", {}, labelOf(s, s.code ?? s.iri)), s.gap ? h("span", { class: "badge gap-badge" }, t("gap")) : null),
      m.courses.map((c, i) => {
        const x = cell.get(`${j}|${i}`);
        if (!x) return h("td", { class: "cell empty" }, "");
        const how = `${c.code} ${courseName(i)} · ${pick(x.taught_zh, x.taught_en)} (${x.relation}${x.hops ? ", " + x.hops : ""}) · t·m ${fmtNumber(x.score)} × w ${fmtNumber(s.demandWeight)}`;
        return h("td", { class: "cell" + (x.weighted > 0.55 ? " dark" : ""), style: `background:${cellColour(x.weighted)}`, title: how, "aria-label": how }, fmtNumber(x.score, 2));
      }),
      h("td", { class: "num" }, fmtNumber(s.demandWeight)),
      h("td", { class: "num" }, fmtPercent(s.supply)),
      h("td", { class: "num" }, trendBadge(trends.get(s.iri) ?? 0)),
    ),
  );
  return h(
    "section",
    { class: "card", "aria-labelledby": "heatmap-title" },
    h("h3", { id: "heatmap-title" }, t("heatmap")),
    h("p", { class: "help" }, t("heatmapHelp")),
    h(
      "div",
      { class: "table-wrap heatmap-wrap", tabindex: 0, role: "region", "aria-labelledby": "heatmap-title" },
      h(
        "table",
        { class: "heatmap", "data-testid": "heatmap" },
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            h("th", { scope: "col" }, t("skill")),
            m.courses.map((c, i) => h("th", { scope: "col", class: "course-col", title: courseName(i) }, h("abbr", { title: courseName(i) }, c.code))),
            h("th", { scope: "col" }, t("demandWeight")),
            h("th", { scope: "col" }, t("supply")),
            h("th", { scope: "col" }, t("trend")),
          ),
        ),
        h("tbody", {}, rows),
      ),
    ),
    h("dl", { class: "course-legend" }, m.courses.map((c, i) => [h("dt", {}, c.code), h("dd", {}, courseName(i))])),
  );
}

const KIND_KEYS: Record<string, TextKey> = {
  "training-base": "kind_training_base",
  internship: "kind_internship",
  employer: "kind_employer",
};

function helpers(s: SkillAlignment): HTMLElement {
  if (!s.partners.length) return h("p", { class: "muted" }, t("noHelper"));
  return h(
    "ul",
    { class: "helpers" },
    s.partners.map((p) =>
      h(
        "li",
        { "data-kind": p.kind },
        h("span", { class: `badge kind-${p.kind}` }, KIND_KEYS[p.kind] ? t(KIND_KEYS[p.kind]) : p.kind),
        " ",
        h("span", { class: "helper-name", title: p.helper }, pick(p.helper_zh, p.helper_en, p.helper)),
        p.host_zh || p.host_en ? [" ", h("span", { class: "muted" }, `${t("hostedBy")} ${pick(p.host_zh, p.host_en)}`)] : null,
        p.kind === "employer" ? h("span", { class: "muted" }, ` (${p.evidence} ${t("postingsAsk")})`) : null,
      ),
    ),
  );
}

/** Courses close to a gap (named query gap_courses): a syllabus mentions it, or a sibling skill is taught. */
function relatedCourses(rows: Row[]): HTMLElement {
  const byCourse = new Map<string, Row>();
  for (const r of rows) if (!byCourse.has(String(r.course))) byCourse.set(String(r.course), r);
  if (!byCourse.size) return h("p", { class: "muted" }, t("noCourse"));
  return h(
    "ul",
    { class: "courses" },
    [...byCourse.values()].slice(0, 5).map((r) =>
      h(
        "li",
        { "data-relation": String(r.relation) },
        h("strong", {}, String(r.course)),
        " ",
        pick(r.course_zh as string, r.course_en as string),
        r.relation === "mentioned"
          ? h("span", { class: "muted" }, ` · ${t("syllabusMentions")}: “${r.evidence}”`)
          : h("span", { class: "muted" }, ` · ${t("teachesSibling")} ${pick(r.via_zh as string, r.via_en as string)} (${fmtNumber(Number(r.strength))})`),
      ),
    ),
    byCourse.size > 5 ? h("li", { class: "muted" }, `+${byCourse.size - 5}`) : null,
  );
}

function partialCourses(s: SkillAlignment, related: Row[] | undefined): HTMLElement {
  const best = [...strengths(s).values()].sort((x, y) => y.score - x.score);
  if (!best.length) return relatedCourses(related ?? []);
  return h(
    "ul",
    { class: "courses" },
    best.map((x) =>
      h("li", {}, h("strong", {}, x.course_code), " ", courseLabel(x), h("span", { class: "muted" }, ` · ${pick(x.taught_zh, x.taught_en)} · ${fmtNumber(x.score)}`)),
    ),
  );
}

function skillItem(s: SkillAlignment, showPaths: (skill: string) => void, related?: Row[]): HTMLElement {
  return h(
    "li",
    { class: "gap-item", "data-skill": s.skill },
    h(
      "h4",
      {},
      h("span", { class: "skill-label" }, labelOf(s, s.code ?? s.skill)),
      " ",
      h("span", { class: "badge", title: t("demandWeight") }, `w ${fmtNumber(s.demandWeight)}`),
      " ",
      trendBadge(s.trend),
    ),
    h("p", { class: "muted" }, `${t("demandFrom")}: ${t("occupationsN")} ${s.occupations.length} · ${t("postingsN")} ${s.postings.length} · ${t("supply")} ${fmtPercent(s.supply)}`),
    h("div", { class: "two-col" }, h("div", {}, h("h5", {}, t("partlyCovered")), partialCourses(s, related)), h("div", {}, h("h5", {}, t("whoCanHelp")), helpers(s))),
    h("button", { type: "button", class: "link", onclick: () => showPaths(s.skill) }, t("showPaths"), " →"),
  );
}

function gapList(a: Alignment, related: Row[], showPaths: (skill: string) => void): HTMLElement {
  const by = new Map(a.skills.map((s) => [s.skill, s]));
  const gaps = a.gaps.map((g) => by.get(g)!).filter(Boolean);
  const weak = a.skills.filter((s) => s.supply > 0 && s.supply < 0.5).sort((x, y) => y.demandWeight * (1 - y.supply) - x.demandWeight * (1 - x.supply) || y.trend - x.trend);
  return h(
    "div",
    { class: "stack" },
    h(
      "section",
      { class: "card", "aria-labelledby": "gaps-title" },
      h("h3", { id: "gaps-title" }, t("gapList")),
      h("p", { class: "help" }, t("gapListHelp")),
      gaps.length ? h("ol", { class: "gap-list", "data-testid": "gap-list" }, gaps.map((s) => skillItem(s, showPaths, related.filter((r) => r.skill === s.skill)))) : h("p", {}, t("noGaps")),
    ),
    weak.length
      ? h(
          "section",
          { class: "card", "aria-labelledby": "weak-title" },
          h("h3", { id: "weak-title" }, t("weakList")),
          h("p", { class: "help" }, t("weakListHelp")),
          h("ol", { class: "gap-list weak", "data-testid": "weak-list" }, weak.map((s) => skillItem(s, showPaths))),
        )
      : null,
  );
}

/** The industry's enterprises ranked by overlap with what the program teaches (`GET /v1/alignment/partners`),
 * with the training bases and internships they host that cover gaps. */
function partnerTable(p: Partners): HTMLElement {
  return h(
    "section",
    { class: "card", "aria-labelledby": "partners-title" },
    h("h3", { id: "partners-title" }, t("partnerEnterprises")),
    h("p", { class: "help" }, t("partnerHelp")),
    h(
      "div",
      { class: "table-wrap", tabindex: 0, role: "region", "aria-labelledby": "partners-title" },
      h(
        "table",
        { class: "data", "data-testid": "partner-table" },
        h("thead", {}, h("tr", {}, [t("enterprise"), t("postingsTotal"), t("overlap"), t("gapResources")].map((c) => h("th", { scope: "col" }, c)))),
        h(
          "tbody",
          {},
          p.enterprises.map((e) =>
            h(
              "tr",
              {},
              h("th", { scope: "row", title: e.enterprise }, pick(e.enterprise_zh, e.enterprise_en)),
              h("td", { class: "num" }, String(e.postings)),
              h("td", { class: "num" }, `${e.overlap} / ${e.demanded} (${fmtPercent(e.overlapShare)})`),
              h(
                "td",
                {},
                e.hosts.filter((r) => r.skills.some((x) => x.gap)).map((r) =>
                  h(
                    "div",
                    { class: "resource" },
                    h("span", { class: `badge kind-${r.kind}` }, KIND_KEYS[r.kind] ? t(KIND_KEYS[r.kind]) : r.kind),
                    " ",
                    pick(r.label_zh, r.label_en, r.resource),
                    h("span", { class: "muted" }, ` → ${r.skills.filter((x) => x.gap).map((x) => pick(x.skill_zh, x.skill_en)).join(", ")}`),
                  ),
                ),
              ),
            ),
          ),
        ),
      ),
    ),
  );
}

export function programView(go: (view: "paths") => void): View {
  let results: HTMLElement;
  let shown = "";
  let data: { a: Alignment; m: CourseSkillMatrix; partners: Partners | null; related: Row[] } | null = null;

  const showPaths = (skill: string) => {
    selection.skill = skill;
    go("paths");
  };

  const draw = () => {
    if (!data) return;
    const trends = new Map(data.a.skills.map((s) => [s.skill, s.trend]));
    replace(results, summary(data.a), gapList(data.a, data.related, showPaths), heatmap(data.m, trends), data.partners ? partnerTable(data.partners) : null);
  };

  const key = () => `${selection.program}|${selection.target}|${selection.target === "industry" ? selection.industry : selection.occupation}`;

  const next = sequencer();
  const fetchAndDraw = async () => {
    const turn = next();
    data = null;
    shown = key();
    replace(results);
    await busy(results, async () => {
      const industry = selection.target === "industry" ? selection.industry : null;
      const [a, m, partners] = await Promise.all([
        alignment(),
        matrix(),
        industry ? api.get<Partners>("/v1/alignment/partners", { program: selection.program, industry }) : Promise.resolve(null),
      ]);
      const related = a.gaps.length ? await runQuery("gap_courses", { program: a.program.iri, skills: a.gaps.join(",") }) : [];
      if (!turn()) return;
      data = { a, m, partners, related };
      draw();
    });
  };

  return {
    id: "program",
    title: "tabProgram",
    async render(panel: HTMLElement, changed: () => void) {
      results = h("div", { class: "results", "aria-live": "polite", "data-testid": "program-results" });
      await busy(panel, loadChoices);
      const form = await targetForm(() => {
        changed();
        void fetchAndDraw();
      });
      replace(panel, form, results);
      changed();
      if (data && shown === key()) draw();
      else await fetchAndDraw();
    },
  };
}
