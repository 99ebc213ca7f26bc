// The public HTTP API of ieic-kg (docs/api.md), same origin. Errors are problem+json: ApiError carries them.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly hint: string | null,
  ) {
    super(`${status} ${title}: ${detail}`);
  }
}

const KEY_STORE = "ieic-api-key";

export function apiKey(): string | null {
  return sessionStorage.getItem(KEY_STORE);
}

export function setApiKey(key: string | null): void {
  if (key) sessionStorage.setItem(KEY_STORE, key);
  else sessionStorage.removeItem(KEY_STORE);
}

type Params = Record<string, string | number | boolean | null | undefined | string[]>;

export function url(path: string, params: Params = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === null || v === undefined) continue;
    if (Array.isArray(v)) for (const x of v) q.append(k, x);
    else q.append(k, String(v));
  }
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

async function request<T>(method: string, path: string, init: { params?: Params; body?: unknown; accept?: string; key?: string | null; contentType?: string } = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: init.accept ?? "application/json" };
  const key = init.key === undefined ? apiKey() : init.key;
  if (key) headers.Authorization = `Bearer ${key}`;
  let body: BodyInit | undefined;
  if (init.body !== undefined) {
    if (typeof init.body === "string") {
      headers["Content-Type"] = init.contentType ?? "text/plain;charset=UTF-8";
      body = init.body;
    } else {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(init.body);
    }
  }
  let response: Response;
  try {
    response = await fetch(url(path, init.params), { method, headers, body });
  } catch (exc) {
    throw new ApiError(0, "network", String(exc), "is `ieic-kg serve` still running?");
  }
  const type = response.headers.get("content-type") ?? "";
  if (!response.ok) {
    if (type.includes("json")) {
      const p = (await response.json()) as { title?: string; detail?: string; hint?: string | null };
      throw new ApiError(response.status, p.title ?? response.statusText, p.detail ?? "", p.hint ?? null);
    }
    throw new ApiError(response.status, response.statusText, (await response.text()).slice(0, 300), null);
  }
  return (type.includes("json") ? response.json() : response.text()) as Promise<T>;
}

export const api = {
  get: <T>(path: string, params?: Params, key?: string | null) => request<T>("GET", path, { params, key }),
  post: <T>(path: string, body: unknown, params?: Params) => request<T>("POST", path, { body, params }),
  /** A SPARQL query to the SPARQL 1.1 Protocol endpoint, answered as SPARQL results JSON. */
  sparql: <T>(query: string) => request<T>("POST", "/sparql", { body: query, contentType: "application/sparql-query", accept: "application/sparql-results+json" }),
};

// -- shapes (api/models.py) ----------------------------------------------------------------------------

export interface Labels {
  zh: string | null;
  en: string | null;
}

export interface EntitySummary {
  iri: string;
  type: string;
  types: string[];
  code: string | null;
  label: Labels;
}

export interface Entity extends EntitySummary {
  properties: Record<string, unknown>;
  provenance: { sources: string[]; loadRun: string | null; firstSeen: string | null; lastSeen: string | null };
}

export interface Neighbour {
  relationship: { type: string; direction: "out" | "in"; label: Labels; properties: Record<string, unknown> };
  node: EntitySummary;
}

export interface NeighbourPage {
  entity: EntitySummary;
  items: Neighbour[];
  total: number;
  nextOffset: number | null;
}

export interface LoadRun {
  iri: string;
  runId: string | null;
  dataset: string | null;
  loader: string | null;
  status: string | null;
  startedAt: string | null;
  endedAt: string | null;
  checksums: string[];
  sourcePaths: string[] | null;
}

export interface Ref {
  iri: string;
  code: string | null;
  label_zh: string | null;
  label_en: string | null;
}

export interface OccupationDemand {
  code: string | null;
  label_zh: string | null;
  label_en: string | null;
  weight: number;
  relationType: string | null;
  industry: string | null;
  source: string[] | null;
  loadRun: string | null;
}

export interface PostingDemand {
  code: string | null;
  label_zh: string | null;
  label_en: string | null;
  date: string | null;
  enterprise_zh: string | null;
  enterprise_en: string | null;
  weight: number;
  relationType: string | null;
}

export interface Supply {
  course_code: string;
  course_zh: string | null;
  course_en: string | null;
  taught_zh: string | null;
  taught_en: string | null;
  strength: number;
  level: string | null;
  hops: number;
  relation: string;
  source: string[];
  load_run: string | null;
  score: number;
}

export interface Partner {
  skill: string;
  kind: string;
  helper: string;
  helper_zh: string | null;
  helper_en: string | null;
  host_zh: string | null;
  host_en: string | null;
  evidence: number;
}

export interface SkillAlignment {
  skill: string;
  code: string | null;
  label_zh: string | null;
  label_en: string | null;
  demandWeight: number;
  taxonomyWeight: number;
  postingWeight: number;
  trend: number;
  supply: number;
  occupations: OccupationDemand[];
  postings: PostingDemand[];
  supplies: Supply[];
  partners: Partner[];
}

export interface AlignmentPath {
  score: number;
  skill: string;
  skill_zh: string | null;
  skill_en: string | null;
  course: Supply;
  occupation: OccupationDemand;
}

export interface Alignment {
  program: Ref;
  kind: "industry" | "occupation";
  industry: Ref | null;
  occupation: Ref | null;
  coverage: number;
  postingsTotal: number;
  gaps: string[];
  paths: AlignmentPath[];
  skills: SkillAlignment[];
}

export interface CourseSkillMatrix {
  program: Ref;
  kind: "industry" | "occupation";
  target: Ref;
  coverage: number;
  courses: { iri: string; code: string; label_zh: string | null; label_en: string | null; semester: number | null; skills: number }[];
  skills: { iri: string; code: string | null; label_zh: string | null; label_en: string | null; demandWeight: number; supply: number; gap: boolean }[];
  values: number[][];
  cells: { course: number; skill: number; strength: number; match: number; score: number; weighted: number; level: string | null; taught_zh: string | null; taught_en: string | null; hops: number; relation: string }[];
  truncated: boolean;
}

export interface CoverageCell {
  program: string | null;
  occupation: string | null;
  occupation_iri: string;
  occupation_zh: string | null;
  occupation_en: string | null;
  coverage: number;
  demanded: number;
  missing: number;
}

export interface DemandTrend {
  industry: Ref;
  window: string;
  periods: string[];
  latest: string | null;
  previous: string | null;
  skills: { skill: string; skill_zh: string | null; skill_en: string | null; counts: number[]; total: number; latest: number; previous: number; change: number; trend: "rising" | "falling" | "steady" }[];
}

export interface Partners {
  gaps: string[];
  enterprises: {
    enterprise: string;
    enterprise_zh: string | null;
    enterprise_en: string | null;
    postings: number;
    demanded: number;
    overlap: number;
    overlapShare: number;
    resources: number;
    gapSkills: number;
    hosts: { resource: string; kind: string; label_zh: string | null; label_en: string | null; skills: { skill: string; skill_zh: string | null; skill_en: string | null; gap: boolean }[] }[];
  }[];
}

export interface ParamInfo {
  name: string;
  type: "string" | "integer" | "float" | "boolean" | "list[string]";
  required: boolean;
  default: unknown;
  doc: string;
}

export interface QueryInfo {
  name: string;
  language: "cypher" | "sparql";
  title: string;
  description: string;
  params: ParamInfo[];
  returns: string;
}

export type Row = Record<string, unknown>;

export interface QueryResult {
  query: string;
  parameters: Record<string, unknown>;
  columns: string[];
  rows: Row[];
  rowCount: number;
  truncated: boolean;
}

export interface GraphOut {
  nodes: { id: string; labels: string[]; iri: string | null; properties: Record<string, unknown> }[];
  relationships: { id: string; type: string; start: string | null; end: string | null; properties: Record<string, unknown> }[];
}

export interface CypherResult {
  columns: string[];
  rows: Row[] | null;
  graph: GraphOut | null;
  rowCount: number;
  truncated: boolean;
  elapsedMs: number;
}

export interface TypeInfo {
  name: string;
  label: Labels;
}

export interface RelationInfo {
  type: string;
  label: Labels;
}

/** Rows of a named query (GET, parameters in the query string). */
export async function runQuery(name: string, params: Params = {}): Promise<Row[]> {
  return (await api.get<QueryResult>(`/v1/queries/${encodeURIComponent(name)}/run`, params)).rows;
}

const cache = new Map<string, Promise<unknown>>();

/** A GET answered once per page load (lists and ontology labels that do not change while the page is open). */
export function cached<T>(path: string, params: Params = {}): Promise<T> {
  const k = url(path, params);
  let p = cache.get(k) as Promise<T> | undefined;
  if (!p) {
    p = api.get<T>(path, params);
    p.catch(() => cache.delete(k));
    cache.set(k, p);
  }
  return p;
}
