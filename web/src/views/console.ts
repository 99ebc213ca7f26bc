// Query console: a named query with a form built from its header's parameters, SPARQL (when the server
// has /sparql), or read-only Cypher (with an API key); results as a table or a graph, as CSV or JSON.
import { api, apiKey, ApiError, cached, type CypherResult, type GraphOut, type ParamInfo, type QueryInfo, type QueryResult, type Row } from "../api";
import { busy, download, errorBox, h, isIri, nextId, replace, rowsTable, selectField, toCsv } from "../dom";
import type { GEdge, GNode } from "../graph";
import { t } from "../i18n";
import { selection } from "../state";
import type { View } from "./view";

type Mode = "named" | "sparql" | "cypher";

interface Result {
  name: string; // for the file names
  columns: string[];
  rows: Row[];
  truncated: boolean;
  graph: () => Promise<{ nodes: GNode[]; edges: GEdge[] }>;
}

const SPARQL_EXAMPLE = `PREFIX ieic: <https://w3id.org/ieic-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?course ?label WHERE {
  ?course a ieic:Course ; rdfs:label ?label .
  FILTER(lang(?label) = "zh")
} ORDER BY ?course LIMIT 20`;

const CYPHER_EXAMPLE = `MATCH (c:Course)-[t:TEACHES_SKILL]->(s:Skill)
WHERE c.code = $code
RETURN c, t, s`;

/** A graph of the entities in rows: each row links its first IRI to the row's other IRIs. */
export function rowsGraph(columns: string[], rows: Row[]): { nodes: GNode[]; edges: GEdge[] } {
  const nodes = new Map<string, GNode>();
  const edges = new Map<string, GEdge>();
  const labelFor = (col: string, row: Row, iri: string) => {
    const base = col === "iri" ? "" : col;
    for (const c of [`${base}_zh`, `${base}_en`, `${base}Label`, "label", "label_zh", "label_en"]) {
      const v = row[c];
      if (typeof v === "string" && v) return v;
    }
    if (col === "iri") {
      const zh = columns.find((c) => c.endsWith("_zh"));
      if (zh && typeof row[zh] === "string") return row[zh] as string;
    }
    return iri.split("/").pop() ?? iri;
  };
  for (const row of rows) {
    const iris = columns.filter((c) => isIri(row[c])).map((c) => ({ col: c, iri: row[c] as string }));
    for (const { col, iri } of iris) if (!nodes.has(iri)) nodes.set(iri, { id: iri, label: labelFor(col, row, iri), kind: "entity" });
    for (const other of iris.slice(1)) {
      const id = `${iris[0].iri}|${other.col}|${other.iri}`;
      edges.set(id, { id, source: iris[0].iri, target: other.iri, label: other.col, type: other.col });
    }
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}

function cypherGraph(g: GraphOut): { nodes: GNode[]; edges: GEdge[] } {
  const label = (p: Record<string, unknown>, fallback: string) => String(p.label_zh ?? p.label_en ?? p.code ?? fallback);
  return {
    nodes: g.nodes.map((n) => ({ id: n.id, label: label(n.properties, n.labels.join(":")), kind: "entity" })),
    edges: g.relationships.filter((r) => r.start && r.end).map((r) => ({ id: r.id, source: r.start!, target: r.end!, label: r.type, type: r.type })),
  };
}

function paramInput(p: ParamInfo, id: string): HTMLInputElement {
  const preset = (selection as unknown as Record<string, string | null>)[p.name] ?? null;
  const value = preset ?? (p.default === null || p.default === undefined ? "" : Array.isArray(p.default) ? p.default.join(",") : String(p.default));
  const common = { id, name: p.name, required: p.required, "data-param": p.name, "aria-describedby": `${id}-doc` };
  switch (p.type) {
    case "integer":
      return h("input", { ...common, type: "number", step: 1, value });
    case "float":
      return h("input", { ...common, type: "number", step: "any", value });
    case "boolean":
      return h("input", { ...common, type: "checkbox", checked: p.default === true, required: false });
    default:
      return h("input", { ...common, type: "text", value, autocomplete: "off", spellcheck: false });
  }
}

function paramValue(p: ParamInfo, input: HTMLInputElement): unknown {
  if (p.type === "boolean") return input.checked;
  const raw = input.value.trim();
  if (raw === "") return undefined;
  if (p.type === "integer") return Number.parseInt(raw, 10);
  if (p.type === "float") return Number(raw);
  if (p.type === "list[string]") return raw.split(",").map((x) => x.trim()).filter(Boolean);
  return raw;
}

function showResult(region: HTMLElement, r: Result): void {
  const tableId = nextId("tab");
  const graphId = nextId("tab");
  const tableBtn = h("button", { type: "button", role: "tab", id: tableId, "aria-selected": "true", "data-testid": "result-table-tab" }, t("table"));
  const graphBtn = h("button", { type: "button", role: "tab", id: graphId, "aria-selected": "false", "data-testid": "result-graph-tab" }, t("graph"));
  const tablePanel = h("div", { role: "tabpanel", "aria-labelledby": tableId, "data-testid": "result-table" }, rowsTable(r.columns, r.rows, `${r.name}: ${r.rows.length} ${t("rows")}`));
  const graphPanel = h("div", { role: "tabpanel", "aria-labelledby": graphId, hidden: true });
  const stem = r.name.replace(/[^\w.-]+/g, "_");
  const showGraph = async () => {
    tableBtn.setAttribute("aria-selected", "false");
    graphBtn.setAttribute("aria-selected", "true");
    tablePanel.hidden = true;
    graphPanel.hidden = false;
    replace(graphPanel);
    await busy(graphPanel, async () => {
      const g = await r.graph();
      if (!g.nodes.length) {
        replace(graphPanel, h("p", {}, t("noGraph")));
        return;
      }
      const box = h("div", { class: "graph", "data-graph": "console", role: "img", "aria-label": t("graph") });
      replace(graphPanel, box);
      (await import("../graph")).drawGraph(box, g.nodes, g.edges, () => undefined, "cose"); // Cytoscape.js, loaded when first needed
    });
  };
  tableBtn.addEventListener("click", () => {
    tableBtn.setAttribute("aria-selected", "true");
    graphBtn.setAttribute("aria-selected", "false");
    tablePanel.hidden = false;
    graphPanel.hidden = true;
  });
  graphBtn.addEventListener("click", () => void showGraph());
  replace(
    region,
    h(
      "div",
      { class: "result-bar" },
      h("span", { "data-testid": "row-count" }, `${r.rows.length} ${t("rows")}`),
      r.truncated ? h("span", { class: "badge" }, t("truncated")) : null,
      h("div", { role: "tablist", class: "mini-tabs", "aria-label": t("results") }, tableBtn, graphBtn),
      h("button", { type: "button", "data-testid": "download-csv", onclick: () => download(`${stem}.csv`, toCsv(r.columns, r.rows), "text/csv;charset=utf-8") }, t("downloadCsv")),
      h("button", { type: "button", "data-testid": "download-json", onclick: () => download(`${stem}.json`, JSON.stringify({ columns: r.columns, rows: r.rows }, null, 2), "application/json") }, t("downloadJson")),
    ),
    tablePanel,
    graphPanel,
  );
}

export function consoleView(signIn: () => void): View {
  let mode: Mode = "named";
  let queryName = "gap_partners";

  return {
    id: "queries",
    title: "tabQueries",
    async render(panel: HTMLElement) {
      const modes: Mode[] = ["named", "sparql", "cypher"];
      const modeNames: Record<Mode, string> = { named: t("namedQuery"), sparql: t("sparql"), cypher: t("cypher") };
      const modeBar = h(
        "div",
        { class: "segmented", role: "radiogroup", "aria-label": t("query") },
        modes.map((m) =>
          h("label", {}, h("input", { type: "radio", name: "console-mode", value: m, checked: m === mode, "data-testid": `mode-${m}` }), " ", modeNames[m]),
        ),
      );
      const form = h("div", { class: "console-form" });
      const results = h("div", { class: "results", "aria-live": "polite", "data-testid": "console-results" });
      replace(panel, modeBar, form, results);
      modeBar.addEventListener("change", (e) => {
        mode = (e.target as HTMLInputElement).value as Mode;
        replace(results);
        void drawForm();
      });

      async function drawForm() {
        replace(form);
        if (mode === "named") await namedForm();
        else if (mode === "sparql") sparqlForm();
        else cypherForm();
      }

      async function namedForm() {
        const list = await busy(form, () => cached<QueryInfo[]>("/v1/queries"));
        if (!list) return;
        const runnable = list.filter((q) => q.language === "cypher");
        if (!runnable.some((q) => q.name === queryName)) queryName = runnable[0]?.name ?? "";
        const [qField, qSelect] = selectField(t("namedQuery"), runnable.map((q) => ({ value: q.name, text: `${q.name} — ${q.title}` })), queryName, { "data-testid": "query-select" });
        const params = h("fieldset", { class: "params" });
        const twinBox = h("input", { type: "checkbox", id: "sparql-twin", "data-testid": "sparql-twin" });
        const twin = h("div", { class: "field check" }, twinBox, h("label", { for: "sparql-twin" }, t("sparqlTwin")));
        const run = h("button", { type: "submit", class: "primary", "data-testid": "run-query" }, t("run"));
        const f = h("form", { class: "query-form" }, qField, params, twin, run);
        const twins = new Set(list.filter((q) => q.language === "sparql").map((q) => q.name));
        replace(form, f);
        let inputs: [ParamInfo, HTMLInputElement][] = [];
        const drawParams = () => {
          const q = runnable.find((x) => x.name === qSelect.value)!;
          queryName = q.name;
          twin.hidden = !twins.has(q.name);
          (twinBox as HTMLInputElement).checked = false;
          inputs = q.params.map((p) => [p, paramInput(p, nextId("param"))]);
          replace(
            params,
            h("legend", {}, t("parameters")),
            h("p", { class: "help query-description" }, q.description),
            inputs.length
              ? inputs.map(([p, input]) =>
                  h(
                    "div",
                    { class: "field" + (p.type === "boolean" ? " check" : "") },
                    h("label", { for: input.id }, h("code", {}, p.name), ` (${p.type}${p.required ? ", " + t("required") : ""})`),
                    input,
                    h("small", { id: `${input.id}-doc`, class: "muted" }, p.doc + (p.type === "list[string]" ? ` — ${t("listHelp")}` : "")),
                  ),
                )
              : h("p", { class: "muted" }, t("none")),
          );
        };
        qSelect.addEventListener("change", () => {
          replace(results);
          drawParams();
        });
        drawParams();
        f.addEventListener("submit", (e) => {
          e.preventDefault();
          const parameters: Record<string, unknown> = {};
          for (const [p, input] of inputs) {
            const v = paramValue(p, input);
            if (v !== undefined) parameters[p.name] = v;
          }
          replace(results);
          void busy(results, async () => {
            const language = (twinBox as HTMLInputElement).checked ? "sparql" : "cypher";
            const r = await api.post<QueryResult>(`/v1/queries/${encodeURIComponent(queryName)}/run`, { parameters }, { language });
            showResult(results, { name: r.query, columns: r.columns, rows: r.rows, truncated: r.truncated, graph: async () => rowsGraph(r.columns, r.rows) });
          });
        });
      }

      function sparqlForm() {
        const id = nextId("sparql");
        const text = h("textarea", { id, rows: 8, spellcheck: false, "data-testid": "sparql-text" }, SPARQL_EXAMPLE);
        const f = h("form", { class: "query-form" }, h("div", { class: "field" }, h("label", { for: id }, "SPARQL 1.1"), text), h("button", { type: "submit", class: "primary" }, t("run")));
        replace(form, f);
        f.addEventListener("submit", (e) => {
          e.preventDefault();
          replace(results);
          void busy(results, async () => {
            let out: { head: { vars?: string[] }; boolean?: boolean; results?: { bindings: Record<string, { value: string }>[] } };
            try {
              out = await api.sparql(text.value);
            } catch (exc) {
              if (exc instanceof ApiError && (exc.status === 404 || exc.status === 405)) {
                replace(results, h("p", { role: "alert" }, t("sparqlUnavailable")));
                return;
              }
              throw exc;
            }
            const columns = out.boolean !== undefined ? ["boolean"] : (out.head.vars ?? []);
            const rows = out.boolean !== undefined ? [{ boolean: out.boolean }] : (out.results?.bindings ?? []).map((b) => Object.fromEntries(columns.map((c) => [c, b[c]?.value ?? null])));
            showResult(results, { name: "sparql", columns, rows, truncated: false, graph: async () => rowsGraph(columns, rows) });
          });
        });
      }

      function cypherForm() {
        if (!apiKey()) {
          replace(form, h("p", { role: "note" }, t("cypherNeedsKey"), " ", h("button", { type: "button", onclick: signIn }, t("signIn"))));
          return;
        }
        const id = nextId("cypher");
        const pid = nextId("cypher-params");
        const text = h("textarea", { id, rows: 6, spellcheck: false, "data-testid": "cypher-text" }, CYPHER_EXAMPLE);
        const params = h("textarea", { id: pid, rows: 2, spellcheck: false }, '{"code": "GR3001"}');
        const f = h(
          "form",
          { class: "query-form" },
          h("div", { class: "field" }, h("label", { for: id }, "Cypher"), text),
          h("div", { class: "field" }, h("label", { for: pid }, `${t("parameters")} (JSON)`), params),
          h("button", { type: "submit", class: "primary", "data-testid": "run-cypher" }, t("run")),
        );
        replace(form, f);
        f.addEventListener("submit", (e) => {
          e.preventDefault();
          replace(results);
          void busy(results, async () => {
            let parameters: unknown;
            try {
              parameters = params.value.trim() ? JSON.parse(params.value) : {};
            } catch (exc) {
              throw new ApiError(0, `${t("parameters")} (JSON)`, String(exc), '{"name": "value"}');
            }
            const body = { query: text.value, parameters };
            const r = await api.post<CypherResult>("/v1/cypher", { ...body, format: "rows" });
            const rows = r.rows ?? [];
            showResult(results, {
              name: "cypher",
              columns: r.columns,
              rows,
              truncated: r.truncated,
              graph: async () => cypherGraph((await api.post<CypherResult>("/v1/cypher", { ...body, format: "graph" })).graph ?? { nodes: [], relationships: [] }),
            });
          });
        });
      }

      try {
        await drawForm();
      } catch (exc) {
        replace(form, errorBox(exc));
      }
    },
  };
}
