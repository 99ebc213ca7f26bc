// What the views share: the chosen program, target and community, kept in the URL (#view?program=…),
// so that a view can be linked to and reloaded; and the alignment last fetched for them.
import { api, cached, type Alignment, type RelationInfo, type TypeInfo } from "./api";
import { labelOf } from "./i18n";

export type ViewId = "program" | "paths" | "trends" | "queries" | "community";
export const VIEWS: ViewId[] = ["program", "paths", "trends", "queries", "community"];

export interface Selection {
  program: string | null;
  industry: string | null;
  community: string | null;
  skill: string | null; // the path explorer's focus (a skill IRI), null for the best paths
}

export const selection: Selection = { program: null, industry: null, community: null, skill: null };

export function readHash(): ViewId {
  const [view, query] = location.hash.replace(/^#/, "").split("?", 2);
  const q = new URLSearchParams(query ?? "");
  for (const k of ["program", "industry", "community", "skill"] as const) {
    const v = q.get(k);
    if (v) selection[k] = v;
  }
  return (VIEWS as string[]).includes(view) ? (view as ViewId) : "program";
}

export function writeHash(view: ViewId): void {
  const q = new URLSearchParams();
  for (const k of ["program", "industry", "community", "skill"] as const) {
    const v = selection[k];
    if (v) q.set(k, v);
  }
  const s = q.toString();
  history.replaceState(null, "", `#${view}${s ? "?" + s : ""}`);
}

let alignmentKey = "";
let alignmentPromise: Promise<Alignment> | null = null;

/** The alignment of the chosen program and industry (fetched once per pair). */
export function alignment(): Promise<Alignment> {
  const key = `${selection.program}|${selection.industry}`;
  if (key !== alignmentKey || !alignmentPromise) {
    alignmentKey = key;
    alignmentPromise = api.get<Alignment>("/v1/alignment", { program: selection.program, industry: selection.industry, paths: 100 });
    alignmentPromise.catch(() => {
      alignmentKey = "";
    });
  }
  return alignmentPromise;
}

// -- ontology labels (classes and relationship types, in both languages) ---------------------------------

let types = new Map<string, TypeInfo>();
let relations = new Map<string, RelationInfo>();

export async function loadOntology(): Promise<void> {
  const [ts, rs] = await Promise.all([cached<TypeInfo[]>("/v1/types"), cached<RelationInfo[]>("/v1/relations")]);
  types = new Map(ts.map((x) => [x.name, x]));
  relations = new Map(rs.map((x) => [x.type, x]));
}

export function typeLabel(name: string): string {
  return labelOf(types.get(name)?.label, name);
}

export function relationLabel(type: string): string {
  return labelOf(relations.get(type)?.label, type);
}
