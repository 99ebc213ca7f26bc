// Community overview: members, agreements, resources (training bases, internships), projects and funds of
// a community (named query community_summary) and what each member enterprise brings (community_enterprises).
import { runQuery, type Row } from "../api";
import { busy, h, replace, selectField, sequencer } from "../dom";
import { fmtNumber, pick, t, type TextKey } from "../i18n";
import { ontologyReady, selection, typeLabel } from "../state";
import type { View } from "./view";

const MEASURES = ["member", "agreement", "resource", "project", "fund"];

export function communityView(): View {
  let communities: Row[] = [];
  const next = sequencer();

  return {
    id: "community",
    title: "tabCommunity",
    async render(panel: HTMLElement, changed: () => void) {
      if (!communities.length) await busy(panel, async () => (communities = await runQuery("communities")));
      selection.community ??= (communities[0]?.code as string | undefined) ?? null;
      const [cField, cSelect] = selectField(
        t("community"),
        communities.map((c) => ({ value: String(c.code), text: `${pick(c.community_zh as string, c.community_en as string, String(c.code))} (${c.code})` })),
        selection.community,
        { "data-testid": "community-select" },
      );
      const body = h("div", { class: "results", "data-testid": "community-results" });
      replace(panel, h("form", { class: "pickers", onsubmit: (e: Event) => e.preventDefault() }, cField), body);

      const draw = async () => {
        const turn = next();
        replace(body);
        if (!selection.community) return;
        await busy(body, async () => {
          const [summary, members] = await Promise.all([
            runQuery("community_summary", { community: selection.community }),
            runQuery("community_enterprises", { community: selection.community }),
            ontologyReady(),
          ]);
          if (!turn()) return;
          const cards = MEASURES.map((m) => {
            const rows = summary.filter((r) => r.measure === m);
            const total = rows.reduce((n, r) => n + Number(r.count), 0);
            const amount = rows.reduce((n, r) => n + Number(r.amount ?? 0), 0);
            return h(
              "section",
              { class: "card measure", "data-measure": m },
              h("h3", {}, t(`measure_${m}` as TextKey), " ", h("span", { class: "figure-value" }, String(total))),
              m === "fund" && amount ? h("p", { class: "figure-sub" }, `${t("amount")}: ${fmtNumber(amount, 0)} ${t("yuan")}`) : null,
              h("ul", { class: "kinds" }, rows.map((r) => h("li", {}, h("span", {}, typeLabel(String(r.kind))), h("strong", {}, String(r.count))))),
            );
          });
          const cols: [string, TextKey][] = [
            ["role", "role"],
            ["postings", "postingsTotal"],
            ["internships", "internships"],
            ["trainingBases", "trainingBases"],
            ["agreements", "agreements"],
            ["projects", "projects"],
          ];
          const table = h(
            "section",
            { class: "card", "aria-labelledby": "members-title" },
            h("h3", { id: "members-title" }, t("memberEnterprises")),
            h(
              "div",
              { class: "table-wrap", tabindex: 0, role: "region", "aria-labelledby": "members-title" },
              h(
                "table",
                { class: "data", "data-testid": "member-table" },
                h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("enterprise")), cols.map(([, k]) => h("th", { scope: "col" }, t(k))))),
                h(
                  "tbody",
                  {},
                  members.map((r) =>
                    h("tr", {}, h("th", { scope: "row", title: String(r.enterprise) }, pick(r.enterprise_zh as string, r.enterprise_en as string)), cols.map(([c]) => h("td", { class: c === "role" ? undefined : "num" }, String(r[c] ?? "—")))),
                  ),
                ),
              ),
            ),
          );
          replace(body, h("div", { class: "measures" }, cards), table);
        });
      };
      cSelect.addEventListener("change", () => {
        selection.community = cSelect.value;
        changed();
        void draw();
      });
      await draw();
    },
  };
}
