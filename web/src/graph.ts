// Graphs drawn with Cytoscape.js: the path explorer's layered paths and the query console's results.
import cytoscape, { type Core, type ElementDefinition } from "cytoscape";

export interface GNode {
  id: string;
  label: string;
  kind: string; // course, taught, skill, gap, occupation, posting, enterprise, industry, entity
  column?: number; // layered layout: the column, left to right
}

export interface GEdge {
  id: string;
  source: string;
  target: string;
  label: string;
  type: string;
}

const COLOURS: Record<string, string> = {
  course: "#1f6fb2",
  taught: "#5b9bd5",
  skill: "#2e7d32",
  gap: "#c62828",
  occupation: "#8e44ad",
  posting: "#b35c00",
  enterprise: "#6d4c41",
  industry: "#37474f",
  entity: "#455a64",
};

const STYLE = [
  {
    selector: "node",
    style: {
      "background-color": (n: cytoscape.NodeSingular) => COLOURS[n.data("kind")] ?? COLOURS.entity,
      label: "data(label)",
      "font-size": 11,
      "font-family": "system-ui, sans-serif",
      color: "#1b1b1b",
      "text-wrap": "wrap",
      "text-max-width": "130px",
      "text-valign": "bottom",
      "text-margin-y": 4,
      width: 18,
      height: 18,
      "text-background-color": "#ffffff",
      "text-background-opacity": 0.85,
      "text-background-padding": "1px",
    },
  },
  { selector: "node[kind = 'gap']", style: { shape: "diamond", width: 22, height: 22 } },
  { selector: "node[kind = 'industry']", style: { shape: "round-rectangle", width: 26, height: 20 } },
  {
    selector: "edge",
    style: {
      width: 3,
      "line-color": "#9aa5b1",
      "target-arrow-color": "#9aa5b1",
      "target-arrow-shape": "triangle",
      "curve-style": "bezier",
      label: "",
      "overlay-padding": 6,
    },
  },
  {
    selector: "edge:selected, edge.selected",
    style: { width: 5, "line-color": "#e65100", "target-arrow-color": "#e65100", label: "data(label)", "font-size": 10, "text-background-color": "#fff", "text-background-opacity": 1 },
  },
  { selector: "node:selected", style: { "border-width": 3, "border-color": "#e65100" } },
] as unknown as cytoscape.StylesheetJson;

/** Vertical distance of the nodes of a column (model units). */
const ROW = 56;

/** A height for a layered drawing whose largest column has ``n`` nodes: its labels stay readable. */
export function layeredHeight(nodes: GNode[]): number {
  const counts = new Map<number, number>();
  for (const n of nodes) counts.set(n.column ?? 0, (counts.get(n.column ?? 0) ?? 0) + 1);
  const most = Math.max(0, ...counts.values());
  return Math.min(1600, Math.max(460, most * (ROW - 6) + 90));
}

/** Positions of a layered drawing: nodes by column (left to right), spread evenly top to bottom. */
function layered(nodes: GNode[], width: number): Record<string, { x: number; y: number }> {
  const columns = new Map<number, GNode[]>();
  for (const n of nodes) {
    const c = n.column ?? 0;
    if (!columns.has(c)) columns.set(c, []);
    columns.get(c)!.push(n);
  }
  const keys = [...columns.keys()].sort((a, b) => a - b);
  const step = Math.max(170, width / Math.max(1, keys.length));
  const pos: Record<string, { x: number; y: number }> = {};
  keys.forEach((k, i) => {
    const col = columns.get(k)!;
    col.forEach((n, j) => {
      pos[n.id] = { x: i * step, y: (j - (col.length - 1) / 2) * ROW };
    });
  });
  return pos;
}

export interface DrawnGraph {
  cy: Core;
  select(edgeId: string): void;
}

/** Draw ``nodes`` and ``edges`` into ``container``; ``onEdge`` runs when an edge is clicked or tapped. */
export function drawGraph(container: HTMLElement, nodes: GNode[], edges: GEdge[], onEdge: (id: string) => void, layout: "layered" | "cose" = "layered"): DrawnGraph {
  const elements: ElementDefinition[] = [
    ...nodes.map((n) => ({ group: "nodes" as const, data: { id: n.id, label: n.label, kind: n.kind } })),
    ...edges.map((e) => ({ group: "edges" as const, data: { id: e.id, source: e.source, target: e.target, label: e.label, type: e.type } })),
  ];
  const positions = layout === "layered" ? layered(nodes, container.clientWidth || 900) : undefined;
  const cy = cytoscape({
    container,
    elements,
    style: STYLE,
    layout: positions ? { name: "preset", positions, fit: true, padding: 40 } : { name: "cose", animate: false, fit: true, padding: 30 },
    minZoom: 0.2,
    maxZoom: 3,
    boxSelectionEnabled: false,
    selectionType: "single",
  });
  const select = (id: string) => {
    cy.elements().unselect().removeClass("selected");
    cy.getElementById(id).select().addClass("selected");
  };
  cy.on("tap", "edge", (evt) => {
    select(evt.target.id());
    onEdge(evt.target.id());
  });
  (window as unknown as { ieicExplorer: Record<string, unknown> }).ieicExplorer ??= {};
  (window as unknown as { ieicExplorer: Record<string, unknown> }).ieicExplorer[container.dataset.graph ?? "graph"] = cy;
  return { cy, select };
}
