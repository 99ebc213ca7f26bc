// Path explorer: the alignment paths course → skill → occupation / posting → industry as a graph; an edge,
// clicked in the graph or picked in the list beside it, shows its evidence.
import { type Alignment, type SkillAlignment, type Supply } from "../api";
import { busy, h, replace, selectField, sequencer } from "../dom";
import { type EdgeRef, type EndRef, neighbours, iriOf } from "../evidence";
import { showEvidence } from "../evidence";
import type { DrawnGraph, GEdge, GNode } from "../graph";
import { labelOf, pick, t } from "../i18n";
import { alignment, ontologyReady, relationLabel, selection, targetOf } from "../state";
import { industryLabel, loadChoices, targetForm } from "./program";
import type { View } from "./view";

interface Model {
  nodes: GNode[];
  edges: (GEdge & { ref: EdgeRef })[];
}

const BEST = 20;

function build(a: Alignment, focus: string | null, withPostings: boolean): Model {
  const nodes = new Map<string, GNode>();
  const edges = new Map<string, GEdge & { ref: EdgeRef }>();
  const gapSet = new Set(a.gaps);
  const programIri = a.program.iri;
  const courseIri = (code: string) => async () => {
    const items = await neighbours(programIri, "HAS_COURSE", "out");
    const hit = items.find((n) => n.node.code === code);
    if (!hit) throw new Error(`course ${code} is not in program ${a.program.code}`);
    return hit.node.iri;
  };
  const node = (n: GNode) => {
    if (!nodes.has(n.id)) nodes.set(n.id, n);
    return n.id;
  };
  const edge = (source: string, target: string, type: string, ref: EdgeRef) => {
    const id = `${source}|${type}|${target}`;
    if (!edges.has(id)) edges.set(id, { id, source, target, type, label: relationLabel(type), ref });
  };
  const industry = (code: string) => node({ id: `ind:${code}`, label: `${code} ${industryLabel(code)}`, kind: "industry", column: 5 });
  const byOccupation = a.kind === "occupation";
  const goal = targetOf(a);
  // the right-most node: the industry, or the occupation itself
  const target = byOccupation ? node({ id: `occ:${goal.code}`, label: `${goal.code} ${labelOf(goal)}`, kind: "occupation", column: 5 }) : industry(goal.code ?? "");

  const skillNode = (s: SkillAlignment) => node({ id: `skill:${s.skill}`, label: labelOf(s, s.code ?? s.skill), kind: gapSet.has(s.skill) ? "gap" : "skill", column: 2 });

  const supplyPath = (s: SkillAlignment, x: Supply) => {
    const sid = skillNode(s);
    const cid = node({ id: `course:${x.course_code}`, label: `${x.course_code} ${pick(x.course_zh, x.course_en)}`, kind: "course", column: 0 });
    const course: EndRef = { resolve: courseIri(x.course_code) };
    const courseLabel = `${x.course_code} ${pick(x.course_zh, x.course_en)}`;
    const taughtLabel = pick(x.taught_zh, x.taught_en);
    const sameLabel = (x.taught_zh ?? null) === (s.label_zh ?? null) && (x.taught_en ?? null) === (s.label_en ?? null);
    if (x.hops === 0 && sameLabel) {
      edge(cid, sid, "TEACHES_SKILL", { type: "TEACHES_SKILL", start: course, end: { iri: s.skill }, startLabel: courseLabel, endLabel: labelOf(s) });
      return;
    }
    // the course teaches another skill: an exact match across taxonomies, or a broader/narrower one
    const taught: EndRef = {
      resolve: async () => {
        const items = await neighbours(await courseIri(x.course_code)(), "TEACHES_SKILL", "out");
        const hit = items.find((n) => n.node.label.zh === x.taught_zh && n.node.label.en === x.taught_en);
        if (!hit) throw new Error(`no TEACHES_SKILL from ${x.course_code} to ${taughtLabel}`);
        return hit.node.iri;
      },
    };
    const tid = node({ id: `taught:${x.taught_zh}|${x.taught_en}`, label: taughtLabel, kind: "taught", column: 1 });
    edge(cid, tid, "TEACHES_SKILL", { type: "TEACHES_SKILL", start: course, end: taught, startLabel: courseLabel, endLabel: taughtLabel });
    if (x.relation === "same") {
      edge(tid, sid, "EXACT_MATCH", { type: "EXACT_MATCH", start: taught, end: { iri: s.skill }, startLabel: taughtLabel, endLabel: labelOf(s) });
    } else {
      const how = `${taughtLabel} ${x.relation === "narrower" ? "⊂" : "⊃"} ${labelOf(s)} (${x.relation}, ${x.hops})`;
      // the taught skill is narrower (it has the demanded one as broader), or broader than the demanded one
      const type = x.relation === "narrower" ? "BROADER" : "NARROWER";
      edge(tid, sid, type, { type, start: taught, end: { iri: s.skill }, startLabel: taughtLabel, endLabel: labelOf(s), derived: how });
    }
  };

  const occupationPath = (s: SkillAlignment, o: SkillAlignment["occupations"][number]) => {
    const sid = skillNode(s);
    const code = o.code ?? "";
    const oid = node({ id: `occ:${code}`, label: `${code} ${labelOf(o)}`, kind: "occupation", column: 3 });
    const occ: EndRef = { type: "Occupation", code };
    edge(oid, sid, "REQUIRES_SKILL", { type: "REQUIRES_SKILL", start: occ, end: { iri: s.skill }, startLabel: `${code} ${labelOf(o)}`, endLabel: labelOf(s) });
    if (byOccupation) return;
    const ind = o.industry ?? goal.code ?? "";
    const iid = industry(ind);
    edge(oid, iid, "IN_INDUSTRY", { type: "IN_INDUSTRY", start: occ, end: { type: "Industry", code: ind }, startLabel: `${code} ${labelOf(o)}`, endLabel: `${ind} ${industryLabel(ind)}` });
    if (iid !== target) {
      edge(iid, target, "BROADER", { type: "BROADER", start: { type: "Industry", code: ind }, end: { iri: goal.iri }, startLabel: industryLabel(ind), endLabel: labelOf(goal) });
    }
  };

  const postingPath = (s: SkillAlignment, p: SkillAlignment["postings"][number]) => {
    const sid = skillNode(s);
    const code = p.code ?? "";
    const label = `${code} ${labelOf(p)}`;
    const pid = node({ id: `post:${code}`, label, kind: "posting", column: 3 });
    const post: EndRef = { type: "JobPosting", code };
    edge(pid, sid, "REQUIRES_SKILL", { type: "REQUIRES_SKILL", start: post, end: { iri: s.skill }, startLabel: label, endLabel: labelOf(s) });
    const entLabel = pick(p.enterprise_zh, p.enterprise_en);
    const employer: EndRef = {
      resolve: async () => {
        const items = await neighbours(await iriOf(post), "POSTED_BY", "out");
        if (!items.length) throw new Error(`posting ${code} names no enterprise`);
        return items[0].node.iri;
      },
    };
    const eid = node({ id: `ent:${p.enterprise_zh}|${p.enterprise_en}`, label: entLabel, kind: "enterprise", column: 4 });
    edge(pid, eid, "POSTED_BY", { type: "POSTED_BY", start: post, end: employer, startLabel: label, endLabel: entLabel });
    if (byOccupation) {
      edge(pid, target, "FOR_OCCUPATION", { type: "FOR_OCCUPATION", start: post, end: { iri: goal.iri }, startLabel: label, endLabel: `${goal.code} ${labelOf(goal)}` });
      return;
    }
    edge(eid, target, "IN_INDUSTRY", {
      type: "IN_INDUSTRY",
      start: employer,
      end: {
        resolve: async () => {
          const items = await neighbours(await iriOf(employer), "IN_INDUSTRY", "out");
          return items[0]?.node.iri ?? goal.iri;
        },
      },
      startLabel: entLabel,
      endLabel: labelOf(goal),
    });
  };

  const bySkill = new Map(a.skills.map((s) => [s.skill, s]));
  if (focus && bySkill.has(focus)) {
    const s = bySkill.get(focus)!;
    skillNode(s);
    const best = new Map<string, Supply>();
    for (const x of s.supplies) if (!best.has(x.course_code) || best.get(x.course_code)!.score < x.score) best.set(x.course_code, x);
    for (const x of best.values()) supplyPath(s, x);
    for (const o of s.occupations) occupationPath(s, o);
    if (withPostings) for (const p of s.postings) postingPath(s, p);
  } else {
    const shown = new Set<string>();
    for (const p of a.paths.slice(0, BEST)) {
      const s = bySkill.get(p.skill);
      if (!s) continue;
      supplyPath(s, p.course);
      occupationPath(s, p.occupation);
      shown.add(s.skill);
    }
    if (withPostings) for (const sk of shown) for (const p of bySkill.get(sk)!.postings) postingPath(bySkill.get(sk)!, p);
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}

export function pathsView(): View {
  let postingsChoice: boolean | null = null; // null: with postings for one skill, without for the best paths
  let current: { model: Model; graph: DrawnGraph | null } | null = null;
  let selectedEdge: string | null = null;
  const next = sequencer();

  return {
    id: "paths",
    title: "tabPaths",
    async render(panel: HTMLElement, changed: () => void) {
      await busy(panel, loadChoices);
      const body = h("div", { class: "results", "data-testid": "paths-results" });
      const form = await targetForm(() => {
        changed();
        void draw();
      });
      replace(panel, form, body);
      changed();

      async function draw() {
        const turn = next();
        replace(body);
        await busy(body, async () => {
          const [a] = await Promise.all([alignment(), ontologyReady()]);
          if (!turn()) return;
          const options = [
            { value: "", text: `${t("bestPaths")} (${Math.min(BEST, a.paths.length)})` },
            ...a.skills.map((s) => ({ value: s.skill, text: `${t("allOfSkill")}${labelOf(s, s.code ?? s.skill)}${a.gaps.includes(s.skill) ? ` (${t("gap")})` : ""}` })),
          ];
          const [focusField, focusSelect] = selectField(t("focus"), options, selection.skill ?? "", { "data-testid": "focus-select" });
          const withPostings = postingsChoice ?? selection.skill !== null;
          const postingsBox = h("input", { type: "checkbox", id: "with-postings", checked: withPostings, "data-testid": "with-postings" });
          const controls = h("div", { class: "pickers" }, focusField, h("div", { class: "field check" }, postingsBox, h("label", { for: "with-postings" }, t("showPostings"))));
          const graphBox = h("div", { class: "graph", "data-graph": "paths", "data-testid": "path-graph", role: "img", "aria-label": t("tabPaths") });
          const evidence = h("aside", { class: "card evidence", "aria-live": "polite", "aria-labelledby": "evidence-title", "data-testid": "evidence" }, h("h3", { id: "evidence-title" }, t("evidence")), h("p", { class: "muted" }, t("pickEdge")));
          const list = h("ul", { class: "edge-list", "data-testid": "edge-list" });
          replace(body, controls, h("p", { class: "help" }, t("graphHelp")), h("div", { class: "paths-layout" }, h("div", { class: "graph-col" }, graphBox, h("details", { class: "card", open: true }, h("summary", {}, t("edgeList")), list)), evidence));

          const model = build(a, selection.skill, withPostings);
          const pick = (id: string) => {
            const e = model.edges.find((x) => x.id === id);
            if (!e) return;
            selectedEdge = id;
            current?.graph?.select(id);
            for (const b of list.querySelectorAll("button")) b.setAttribute("aria-pressed", String(b.dataset.edge === id));
            void showEvidence(evidence, e.ref);
          };
          const nodeLabel = new Map(model.nodes.map((n) => [n.id, n.label]));
          replace(
            list,
            model.edges.map((e) =>
              h("li", {}, h("button", { type: "button", class: "edge-button", "data-edge": e.id, "data-type": e.type, "aria-pressed": "false", onclick: () => pick(e.id) }, `${nodeLabel.get(e.source)} —${e.label}→ ${nodeLabel.get(e.target)}`)),
            ),
          );
          if (!model.edges.length) list.append(h("li", {}, t("noPaths")));
          current = { model, graph: null };
          const { drawGraph, layeredHeight } = await import("../graph"); // Cytoscape.js, loaded when first needed
          if (!turn()) return;
          graphBox.style.height = `${layeredHeight(model.nodes)}px`;
          current.graph = drawGraph(graphBox, model.nodes, model.edges, pick);
          if (selectedEdge && model.edges.some((e) => e.id === selectedEdge)) pick(selectedEdge);
          focusSelect.addEventListener("change", () => {
            selection.skill = focusSelect.value || null;
            selectedEdge = null;
            changed();
            void draw();
          });
          postingsBox.addEventListener("change", () => {
            postingsChoice = (postingsBox as HTMLInputElement).checked;
            void draw();
          });
        });
      }
      await draw();
    },
  };
}
