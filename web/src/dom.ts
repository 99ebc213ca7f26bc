// A few DOM helpers: the page is plain TypeScript, no framework.
import { ApiError } from "./api";
import { t } from "./i18n";

type Child = Node | string | number | null | undefined | false | Child[];
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

/** An element with attributes (on* are listeners; false/null/undefined are left out) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = String(v);
    else if (v === true) el.setAttribute(k, "");
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

function append(el: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.appendChild(typeof c === "string" || typeof c === "number" ? document.createTextNode(String(c)) : c);
  }
}

export function replace(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}

/** A problem+json error (or any other) as an alert with its hint. */
export function errorBox(exc: unknown): HTMLElement {
  const box = h("div", { class: "error", role: "alert" }, h("strong", {}, t("error")), " ");
  if (exc instanceof ApiError) {
    box.append(`${exc.status ? exc.status + " " : ""}${exc.title}: ${exc.detail}`);
    if (exc.hint) box.append(h("div", { class: "hint" }, t("hint"), exc.hint));
  } else {
    box.append(String(exc));
  }
  return box;
}

/** Run `work` with the region marked busy; an error replaces the region's content with an alert. */
export async function busy<T>(region: HTMLElement, work: () => Promise<T>): Promise<T | undefined> {
  region.setAttribute("aria-busy", "true");
  const note = h("p", { class: "loading", role: "status" }, t("loading"));
  region.prepend(note);
  try {
    return await work();
  } catch (exc) {
    replace(region, errorBox(exc));
    console.error(exc);
    return undefined;
  } finally {
    note.remove();
    region.removeAttribute("aria-busy");
  }
}

export function download(filename: string, text: string, type: string): void {
  const blob = new Blob([text], { type });
  const a = h("a", { href: URL.createObjectURL(blob), download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return "";
  const s = typeof v === "object" ? JSON.stringify(v) : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** RFC 4180 CSV with a header row, UTF-8 with a BOM so that spreadsheet programs read Chinese right. */
export function toCsv(columns: string[], rows: Record<string, unknown>[]): string {
  const lines = [columns.map(csvCell).join(",")];
  for (const r of rows) lines.push(columns.map((c) => csvCell(r[c])).join(","));
  return "\ufeff" + lines.join("\r\n") + "\r\n";
}

export function isIri(v: unknown): v is string {
  return typeof v === "string" && /^https?:\/\/\S+$/.test(v);
}

/** A plain table of rows (values as text, lists joined, IRIs shortened with the full one in the title). */
export function rowsTable(columns: string[], rows: Record<string, unknown>[], caption?: string): HTMLElement {
  const cell = (v: unknown) => {
    if (v === null || v === undefined) return h("td", { class: "null" }, "—");
    if (isIri(v)) return h("td", { class: "iri", title: v }, v.replace(/^https:\/\/w3id\.org\/ieic-kg\/id\//, "…/"));
    if (Array.isArray(v)) return h("td", {}, v.map((x) => (typeof x === "object" ? JSON.stringify(x) : String(x))).join(", "));
    if (typeof v === "object") return h("td", {}, JSON.stringify(v));
    return h("td", { class: typeof v === "number" ? "num" : undefined }, String(v));
  };
  return h(
    "div",
    { class: "table-wrap", tabindex: 0, role: "region", "aria-label": caption ?? t("results") },
    h(
      "table",
      { class: "data" },
      caption ? h("caption", {}, caption) : null,
      h("thead", {}, h("tr", {}, columns.map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", {}, rows.map((r) => h("tr", {}, columns.map((c) => cell(r[c]))))),
    ),
  );
}

/** Only the newest of overlapping loads may draw: `const turn = next(); await …; if (!turn()) return;`
 * (a choice made while an earlier one is still loading must not be overwritten by the earlier answer). */
export function sequencer(): () => () => boolean {
  let newest = 0;
  return () => {
    const mine = ++newest;
    return () => mine === newest;
  };
}

let uid = 0;
export function nextId(prefix: string): string {
  uid += 1;
  return `${prefix}-${uid}`;
}

/** A labelled <select> with its options; returns [wrapper, select]. */
export function selectField(label: string, options: { value: string; text: string }[], value: string | null, attrs: Attrs = {}): [HTMLElement, HTMLSelectElement] {
  const id = nextId("sel");
  const select = h("select", { id, ...attrs }, options.map((o) => h("option", { value: o.value, selected: o.value === value }, o.text)));
  return [h("div", { class: "field" }, h("label", { for: id }, label), select), select];
}
