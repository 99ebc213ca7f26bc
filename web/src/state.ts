// What the views share: the chosen program, target and community, kept in the URL (#view?program=…),
// so that a view can be linked to and reloaded; and the alignment last fetched for them.
import { cached, type Alignment, type CourseSkillMatrix, type Ref, type RelationInfo, type TypeInfo } from "./api";
import { labelOf, t } from "./i18n";

export type ViewId = "program" | "paths" | "trends" | "queries" | "community";
export const VIEWS: ViewId[] = ["program", "paths", "trends", "queries", "community"];

export type TargetKind = "industry" | "occupation";

export interface Selection {
  program: string | null;
  target: TargetKind;
  industry: string | null;
  occupation: string | null;
  community: string | null;
  skill: string | null; // the path explorer's focus (a skill IRI), null for the best paths
}

export const selection: Selection = { program: null, target: "industry", industry: null, occupation: null, community: null, skill: null };

const KEYS = ["program", "target", "industry", "occupation", "community", "skill"] as const;

export function readHash(): ViewId {
  const [view, query] = location.hash.replace(/^#/, "").split("?", 2);
  const q = new URLSearchParams(query ?? "");
  for (const k of KEYS) {
    const v = q.get(k);
    if (k === "target") selection.target = v === "occupation" ? "occupation" : "industry";
    else if (v) selection[k] = v;
  }
  return (VIEWS as string[]).includes(view) ? (view as ViewId) : "program";
}

export function writeHash(view: ViewId): void {
  const q = new URLSearchParams();
  for (const k of KEYS) {
    const v = selection[k];
    if (v && !(k === "target" && v === "industry")) q.set(k, v);
  }
  const s = q.toString();
  history.replaceState(null, "", `#${view}${s ? "?" + s : ""}`);
}

/** The target parameter of the alignment endpoints: industry=… or occupation=…. */
export function targetParams(): { program: string | null; industry?: string | null; occupation?: string | null } {
  return selection.target === "industry"
    ? { program: selection.program, industry: selection.industry }
    : { program: selection.program, occupation: selection.occupation };
}

/** The alignment of the chosen program and target (`GET /v1/alignment`, fetched once per choice). */
export function alignment(): Promise<Alignment> {
  return cached<Alignment>("/v1/alignment", { ...targetParams(), paths: 100 });
}

/** The courses × demanded skills matrix of the chosen program and target (`GET /v1/alignment/matrix`). */
export function matrix(): Promise<CourseSkillMatrix> {
  return cached<CourseSkillMatrix>("/v1/alignment/matrix", targetParams());
}

/** The alignment's target: the industry or the occupation. */
export function targetOf(a: Alignment): Ref {
  return (a.kind === "occupation" ? a.occupation : a.industry) ?? { iri: "", code: null, label_zh: null, label_en: null };
}

// -- ontology labels (classes and relationship types, in both languages) ---------------------------------

let types = new Map<string, TypeInfo>();
let relations = new Map<string, RelationInfo>();

let loading: Promise<void> | null = null;

/** Load the labels of the ontology's classes and relations (again, after a failure). */
export function loadOntology(): Promise<void> {
  loading = Promise.all([cached<TypeInfo[]>("/v1/types"), cached<RelationInfo[]>("/v1/relations")]).then(([ts, rs]) => {
    types = new Map(ts.map((x) => [x.name, x]));
    relations = new Map(rs.map((x) => [x.type, x]));
  });
  return loading;
}

/** Resolves when the labels are there (views that show class or relation names wait for it; a failure
 * leaves the names as they are in the graph). */
export function ontologyReady(): Promise<void> {
  return (loading ?? loadOntology()).catch(() => undefined);
}

export function typeLabel(name: string): string {
  return labelOf(types.get(name)?.label, name);
}

export function relationLabel(type: string): string {
  // NARROWER is BROADER read backwards: the path explorer draws it from the broader skill
  if (type === "NARROWER" && !relations.has(type)) return t("narrowerRel");
  return labelOf(relations.get(type)?.label, type);
}
