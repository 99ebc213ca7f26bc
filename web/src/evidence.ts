// The evidence of one relationship: its qualifiers, the document excerpt with the matched span highlighted,
// the datasets that state it and the load run that last saw it; all from /v1/entities/neighbours,
// /v1/entities and /v1/loads.
import { api, cached, type Entity, type LoadRun, type Neighbour, type NeighbourPage } from "./api";
import { h, replace, errorBox } from "./dom";
import { fmtNumber, labelOf, t, type TextKey } from "./i18n";
import { relationLabel } from "./state";

/** How to find an end of an edge: an IRI, or a code of a type (looked up by /v1/entities/{type}/{code}). */
export type EndRef = { iri: string } | { type: string; code: string } | { resolve: () => Promise<string> };

export interface EdgeRef {
  type: string; // relationship type, start → end
  start: EndRef;
  end: EndRef;
  startLabel: string;
  endLabel: string;
  /** Instead of looking the relationship up: a relationship the path only implies (broader/narrower hops). */
  derived?: string;
}

export async function iriOf(ref: EndRef): Promise<string> {
  if ("iri" in ref) return ref.iri;
  if ("resolve" in ref) return ref.resolve();
  const e = await cached<Entity>(`/v1/entities/${encodeURIComponent(ref.type)}/${encodeURIComponent(ref.code)}`);
  return e.iri;
}

/** Every neighbour of ``iri`` over ``rel`` in ``direction`` (all pages). */
export async function neighbours(iri: string, rel: string, direction: "out" | "in" = "out"): Promise<Neighbour[]> {
  const items: Neighbour[] = [];
  let offset: number | null = 0;
  while (offset !== null) {
    const page: NeighbourPage = await cached<NeighbourPage>("/v1/entities/neighbours", { iri, rel, direction, limit: 200, offset });
    items.push(...page.items);
    offset = page.nextOffset;
  }
  return items;
}

/** The relationship ``ref`` in the graph: its neighbour entry seen from the start. A symmetric relation
 * (EXACT_MATCH) may be stored the other way round: then it is the entry pointing in. */
export async function findRelationship(ref: EdgeRef): Promise<Neighbour | null> {
  const [start, end] = await Promise.all([iriOf(ref.start), iriOf(ref.end)]);
  const out = (await neighbours(start, ref.type, "out")).find((n) => n.node.iri === end);
  return out ?? (await neighbours(start, ref.type, "in")).find((n) => n.node.iri === end) ?? null;
}

const SHOWN_ELSEWHERE = new Set(["evidence", "evidenceDocument", "matchedText", "spanStart", "spanEnd", "source", "loadRun", "firstSeen", "lastSeen", "confidence", "method"]);

function excerpt(text: string, matched: string | undefined): HTMLElement {
  const q = h("blockquote", { class: "excerpt", "data-testid": "evidence-excerpt" });
  const at = matched ? text.indexOf(matched) : -1;
  if (at < 0 || !matched) {
    q.append(text);
  } else {
    q.append(text.slice(0, at), h("mark", {}, matched), text.slice(at + matched.length));
  }
  return q;
}

const QUALIFIERS: Record<string, TextKey> = {
  strength: "q_strength",
  masteryLevel: "q_masteryLevel",
  weight: "q_weight",
  relationType: "q_relationType",
  level: "q_level",
  role: "q_role",
};

function qualifierLabel(key: string): string {
  return QUALIFIERS[key] ? `${t(QUALIFIERS[key])} (${key})` : key;
}

function runId(iri: string): string {
  return iri.split("/").pop() ?? iri;
}

function dl(pairs: [string, Node | string | null | undefined][]): HTMLElement {
  return h("dl", { class: "props" }, pairs.filter(([, v]) => v !== null && v !== undefined && v !== "").map(([k, v]) => [h("dt", {}, k), h("dd", {}, v!)]));
}

function value(v: unknown): string {
  if (typeof v === "number") return fmtNumber(v, 3);
  if (Array.isArray(v)) return v.join(", ");
  return String(v);
}

/** Fill ``panel`` with the evidence of ``ref``. */
export async function showEvidence(panel: HTMLElement, ref: EdgeRef): Promise<void> {
  const title = h("h3", { id: "evidence-title" }, t("evidence"), ": ", h("span", { class: "edge-title" }, `${ref.startLabel} —${relationLabel(ref.type)}→ ${ref.endLabel}`));
  replace(panel, title, h("p", { class: "loading", role: "status" }, t("loading")));
  panel.setAttribute("aria-busy", "true");
  try {
    if (ref.derived) {
      replace(panel, title, h("p", { "data-testid": "evidence-derived" }, t("derived"), ": ", ref.derived));
      return;
    }
    const rel = await findRelationship(ref);
    if (!rel) {
      replace(panel, title, h("p", { role: "alert" }, `${relationLabel(ref.type)}: ${t("notFound")}`));
      return;
    }
    const p = rel.relationship.properties;
    const body: Node[] = [];
    const qualifiers = Object.entries(p).filter(([k]) => !SHOWN_ELSEWHERE.has(k));
    body.push(
      dl([
        [t("confidence"), p.confidence !== undefined ? h("span", { "data-testid": "evidence-confidence" }, fmtNumber(Number(p.confidence), 2)) : null],
        [t("method"), p.method !== undefined ? String(p.method) : null],
        ...qualifiers.map(([k, v]): [string, string] => [qualifierLabel(k), value(v)]),
      ]),
    );
    body.push(h("h4", {}, t("excerpt")));
    if (typeof p.evidence === "string") {
      body.push(excerpt(p.evidence, typeof p.matchedText === "string" ? p.matchedText : undefined));
      if (typeof p.evidenceDocument === "string") {
        const doc = await cached<Entity>("/v1/entities", { iri: p.evidenceDocument }).catch(() => null);
        body.push(
          dl([
            [t("document"), h("span", { "data-testid": "evidence-document", title: p.evidenceDocument }, doc ? labelOf(doc.label, p.evidenceDocument) : p.evidenceDocument)],
            ["", doc && doc.properties.documentType ? `${doc.properties.documentType} · ${doc.properties.language ?? ""}` : null],
          ]),
        );
      }
    } else {
      body.push(h("p", { class: "muted" }, t("noExcerpt")));
    }
    body.push(dl([[t("sources"), h("span", { "data-testid": "evidence-sources" }, value(p.source ?? []))]]));
    if (typeof p.loadRun === "string") {
      const run = await api.get<LoadRun>(`/v1/loads/${encodeURIComponent(runId(p.loadRun))}`).catch(() => null);
      body.push(h("h4", {}, t("loadRun")));
      body.push(
        run
          ? dl([
              [t("loadRun"), h("code", { "data-testid": "evidence-run" }, run.runId ?? run.iri)],
              [t("dataset"), run.dataset],
              [t("loader"), run.loader],
              [t("status"), run.status],
              [t("startedAt"), run.startedAt ? new Date(run.startedAt).toLocaleString() : null],
              [t("checksums"), run.checksums.length ? h("code", { class: "wrap" }, run.checksums.map((c) => c.slice(0, 16) + "…").join(" ")) : null],
            ])
          : h("code", { "data-testid": "evidence-run" }, runId(p.loadRun)),
      );
    }
    replace(panel, title, body);
  } catch (exc) {
    replace(panel, title, errorBox(exc));
  } finally {
    panel.removeAttribute("aria-busy");
  }
}
