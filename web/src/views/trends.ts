// Demand trends: how many dated job postings of an industry ask for each skill, per time window
// (`GET /v1/alignment/trends`), as a line chart and the same figures as a table with each skill's change.
import type { Chart } from "chart.js";
import { api, type DemandTrend } from "../api";
import { busy, h, replace, selectField, sequencer } from "../dom";
import { pick, t } from "../i18n";
import { selection } from "../state";
import { industryOptions, loadChoices } from "./program";
import type { View } from "./view";

/** Chart.js with what a line chart needs, loaded when the first chart is drawn. */
async function chartJs(): Promise<typeof Chart> {
  const m = await import("chart.js");
  m.Chart.register(m.LineController, m.LineElement, m.PointElement, m.LinearScale, m.CategoryScale, m.Legend, m.Tooltip);
  return m.Chart;
}

// Okabe–Ito and Tableau colours: told apart with common colour-vision deficiencies
const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#8c564b", "#F0E442", "#7f7f7f", "#17becf", "#bcbd22", "#1f77b4"];

export function trendsView(): View {
  let window_ = "year";
  let top = 8;
  let chart: Chart | null = null;
  const next = sequencer();

  return {
    id: "trends",
    title: "tabTrends",
    async render(panel: HTMLElement, changed: () => void) {
      await busy(panel, loadChoices);
      const [iField, iSelect] = selectField(t("industry"), industryOptions(), selection.industry, { "data-testid": "trend-industry" });
      const windows = ["year", "6", "quarter", "month"].map((w) => ({ value: w, text: t(`window_${w}` as "window_year") }));
      const [wField, wSelect] = selectField(t("window"), windows, window_, { "data-testid": "trend-window" });
      const [nField, nSelect] = selectField(t("topSkills"), [5, 8, 12].map((n) => ({ value: String(n), text: String(n) })), String(top));
      const body = h("div", { class: "results", "data-testid": "trend-results" });
      replace(panel, h("form", { class: "pickers", onsubmit: (e: Event) => e.preventDefault() }, iField, wField, nField), body);

      const draw = async () => {
        const turn = next();
        chart?.destroy();
        chart = null;
        replace(body);
        await busy(body, async () => {
          const d = await api.get<DemandTrend>("/v1/alignment/trends", { industry: selection.industry, window: window_ });
          if (!turn()) return;
          if (!d.skills.length) {
            replace(body, h("p", {}, t("noTrend")));
            return;
          }
          const periods = d.periods;
          const ranked = [...d.skills].sort((a, b) => b.total - a.total || a.skill.localeCompare(b.skill));
          const shown = ranked.slice(0, top);
          const label = (s: DemandTrend["skills"][number]) => pick(s.skill_zh, s.skill_en, s.skill);
          const canvas = h("canvas", { "aria-label": t("trendChart"), role: "img" });
          const table = h(
            "div",
            { class: "table-wrap", tabindex: 0, role: "region", "aria-label": t("trendChart") },
            h(
              "table",
              { class: "data", "data-testid": "trend-table" },
              h("caption", {}, t("trendChart")),
              h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("skill")), periods.map((p) => h("th", { scope: "col" }, p)), h("th", { scope: "col" }, t("trend")))),
              h(
                "tbody",
                {},
                ranked.map((s) =>
                  h(
                    "tr",
                    { "data-skill": s.skill },
                    h("th", { scope: "row" }, label(s)),
                    s.counts.map((n) => h("td", { class: "num" }, String(n))),
                    h("td", { class: `num trend ${s.trend === "rising" ? "up" : s.trend === "falling" ? "down" : "flat"}`, title: t("changeHelp") }, `${s.change > 0 ? "↑+" : s.change < 0 ? "↓" : "→"}${s.change}`),
                  ),
                ),
              ),
            ),
          );
          replace(body, h("section", { class: "card" }, h("h3", {}, t("trendChart")), h("div", { class: "chart-box" }, canvas)), h("section", { class: "card" }, table));
          const ChartJs = await chartJs();
          if (!turn()) return;
          chart = new ChartJs(canvas, {
            type: "line",
            data: {
              labels: periods,
              datasets: shown.map((s, i) => ({
                label: label(s),
                data: s.counts,
                borderColor: PALETTE[i % PALETTE.length],
                backgroundColor: PALETTE[i % PALETTE.length],
                tension: 0,
              })),
            },
            options: {
              responsive: true,
              maintainAspectRatio: false,
              animation: false,
              scales: { y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: t("postings") } }, x: { title: { display: true, text: t("period") } } },
              plugins: { legend: { position: "bottom" } },
            },
          });
        });
      };
      iSelect.addEventListener("change", () => {
        selection.industry = iSelect.value;
        changed();
        void draw();
      });
      wSelect.addEventListener("change", () => {
        window_ = wSelect.value;
        void draw();
      });
      nSelect.addEventListener("change", () => {
        top = Number(nSelect.value);
        void draw();
      });
      await draw();
    },
  };
}
