// The page shell: header, language toggle, API key, tabs; each tab is a view (src/views/*).
import "./style.css";
import { api, ApiError, apiKey, setApiKey } from "./api";
import { errorBox, h, replace } from "./dom";
import { lang, onLangChange, setLang, t } from "./i18n";
import { loadOntology, readHash, VIEWS, writeHash, type ViewId } from "./state";
import { communityView } from "./views/community";
import { consoleView } from "./views/console";
import { pathsView } from "./views/paths";
import { programView } from "./views/program";
import { trendsView } from "./views/trends";
import type { View } from "./views/view";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const views: Record<ViewId, View> = {
  program: programView((v) => void show(v)),
  paths: pathsView(),
  trends: trendsView(),
  queries: consoleView(() => openKeyDialog()),
  community: communityView(),
};
const panels = new Map<ViewId, HTMLElement>();
const tabs = new Map<ViewId, HTMLButtonElement>();
let active: ViewId = readHash();

function buildTabs(): void {
  const nav = $("tabs");
  for (const id of VIEWS) {
    const tab = h("button", { type: "button", role: "tab", id: `tab-${id}`, "aria-controls": `panel-${id}`, "data-view": id, onclick: () => void show(id) });
    const panel = h("section", { role: "tabpanel", id: `panel-${id}`, "aria-labelledby": `tab-${id}`, hidden: true, class: "panel" });
    tabs.set(id, tab);
    panels.set(id, panel);
    nav.append(tab);
    $("main").append(panel);
  }
  // arrow keys move between tabs (WAI-ARIA tabs pattern); Home/End to the ends
  nav.addEventListener("keydown", (e) => {
    const i = VIEWS.indexOf(active);
    const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: VIEWS.length - 1 }[e.key];
    if (next === undefined) return;
    e.preventDefault();
    const id = VIEWS[(next + VIEWS.length) % VIEWS.length];
    void show(id).then(() => tabs.get(id)!.focus());
  });
}

function texts(): void {
  document.title = `${t("title")} · ${lang() === "zh" ? "IEIC-KG Explorer" : "产教融合知识图谱浏览器"}`;
  $("app-title").textContent = t("title");
  $("app-subtitle").textContent = t("subtitle");
  $("skip-link").textContent = t("skip");
  const toggle = $("lang-button");
  toggle.textContent = t("langToggle");
  toggle.setAttribute("lang", lang() === "zh" ? "en" : "zh-CN");
  toggle.setAttribute("aria-label", t("langToggleLabel"));
  for (const [id, tab] of tabs) tab.textContent = t(views[id].title);
  $("key-dialog-title").textContent = t("signIn");
  $("key-label").textContent = t("keyLabel");
  $("key-help").textContent = t("keyHelp");
  $("key-save").textContent = t("save");
  $("key-cancel").textContent = t("cancel");
  void who();
}

async function who(): Promise<void> {
  const el = $("who");
  const button = $("key-button");
  if (!apiKey()) {
    el.textContent = "";
    button.textContent = t("signIn");
    return;
  }
  try {
    const me = await api.get<{ principal: string; role: string | null }>("/v1/me");
    el.textContent = `${t("signedInAs")}${me.role ?? "—"} (${me.principal})`;
    button.textContent = t("signOut");
  } catch {
    setApiKey(null);
    el.textContent = "";
    button.textContent = t("signIn");
  }
}

function openKeyDialog(): void {
  const dialog = $<HTMLDialogElement>("key-dialog");
  $<HTMLInputElement>("key-input").value = "";
  $("key-error").hidden = true;
  dialog.showModal();
}

function setupKeyDialog(): void {
  const dialog = $<HTMLDialogElement>("key-dialog");
  $("key-button").addEventListener("click", () => {
    if (apiKey()) {
      setApiKey(null);
      void who();
      void show(active, true);
    } else {
      openKeyDialog();
    }
  });
  $("key-cancel").addEventListener("click", () => dialog.close());
  $("key-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const key = $<HTMLInputElement>("key-input").value.trim();
    try {
      await api.get("/v1/me", {}, key);
    } catch (exc) {
      const err = $("key-error");
      err.textContent = `${t("keyRejected")}: ${exc instanceof ApiError ? exc.detail : String(exc)}`;
      err.hidden = false;
      return;
    }
    setApiKey(key);
    dialog.close();
    // the ontology's labels may have needed the key (IEIC_API_OPEN_READS=false)
    if (document.getElementById("ontology-error")) {
      await loadOntology()
        .then(() => document.getElementById("ontology-error")?.remove())
        .catch(() => undefined);
    }
    await who();
    await show(active, true);
  });
}

async function show(id: ViewId, force = false): Promise<void> {
  const changed = active !== id;
  active = id;
  for (const [vid, tab] of tabs) {
    const on = vid === id;
    tab.setAttribute("aria-selected", String(on));
    tab.tabIndex = on ? 0 : -1;
    panels.get(vid)!.hidden = !on;
  }
  writeHash(id);
  const panel = panels.get(id)!;
  if (changed || force || !panel.hasChildNodes()) {
    try {
      await views[id].render(panel, () => writeHash(active));
    } catch (exc) {
      replace(panel, errorBox(exc));
    }
  }
}

async function start(): Promise<void> {
  document.documentElement.lang = lang() === "zh" ? "zh-CN" : "en";
  buildTabs();
  setupKeyDialog();
  texts();
  $("lang-button").addEventListener("click", () => setLang(lang() === "zh" ? "en" : "zh"));
  onLangChange(() => {
    texts();
    for (const [id, panel] of panels) if (id !== active) panel.replaceChildren();
    void show(active, true);
  });
  // the ontology's labels (classes, relations) load beside the first view, which need not wait for them
  const ontology = loadOntology().catch((exc) => {
    const box = errorBox(exc);
    box.id = "ontology-error";
    $("main").prepend(box);
  });
  window.addEventListener("hashchange", () => void show(readHash(), true));
  await Promise.all([ontology, show(active, true)]);
  document.body.dataset.ready = "true";
}

void start();
