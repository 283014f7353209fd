// Administration: the translation cache — its statistics, and clearing it.

import { api, errorText } from "../api.js";
import { h, replace } from "../dom.js";
import { formatNumber, formatPercent, has, t, tn } from "../i18n.js";
import { ADMIN, alertBox, button, say, section, statusBox } from "./parts.js";

function statValue(name, value) {
  if (name === "hit_rate") return formatPercent(value);
  if (typeof value === "number") return formatNumber(value);
  const key = `admin.cache.backend.${value}`;
  if (name === "backend" && has(key)) return t(key);
  return String(value);
}

export function cacheSection() {
  const body = h("tbody", {});
  const problem = alertBox("cache-error");
  const result = statusBox("cache-result");
  const clear = button(t("admin.cache.clear"), { class: "danger", id: "cache-clear" });
  const yes = button(t("app.confirm"), { class: "danger", id: "cache-clear-confirm" });
  const no = button(t("app.cancel"), { id: "cache-clear-cancel" });
  const asking = h(
    "div",
    {
      class: "notice hidden",
      id: "cache-confirm",
      role: "group",
      "aria-labelledby": "cache-confirm-text",
    },
    h("p", { id: "cache-confirm-text" }, t("admin.cache.confirm")),
    h("div", { class: "actions" }, yes, no),
  );
  const refresh = button(t("admin.cache.refresh"), { id: "cache-refresh" });

  async function load() {
    try {
      const stats = await api.get(`${ADMIN}/cache/stats`);
      replace(
        body,
        Object.entries(stats).map(([name, value]) =>
          h(
            "tr",
            { dataset: { stat: name } },
            h("th", { scope: "row" }, has(`admin.cache.${name}`) ? t(`admin.cache.${name}`) : name),
            h("td", {}, statValue(name, value)),
          ),
        ),
      );
    } catch (error) {
      say(problem, errorText(error));
    }
  }

  const ask = (open) => {
    asking.classList.toggle("hidden", !open);
    clear.classList.toggle("hidden", open);
    (open ? no : clear).focus();
  };
  clear.addEventListener("click", () => {
    say(result, "");
    ask(true);
  });
  no.addEventListener("click", () => ask(false));
  yes.addEventListener("click", async () => {
    say(problem, "");
    yes.disabled = true;
    try {
      const answer = await api.del(`${ADMIN}/cache`);
      say(result, tn("admin.cache.removed", answer.removed));
      await load();
    } catch (error) {
      say(problem, errorText(error));
    } finally {
      yes.disabled = false;
      ask(false);
    }
  });
  refresh.addEventListener("click", () => {
    say(problem, "");
    load();
  });
  load();
  return section(
    "admin-cache",
    t("admin.cache.title"),
    h(
      "div",
      { class: "table-wrap" },
      h(
        "table",
        { class: "data", id: "cache-stats" },
        h("caption", { class: "sr-only" }, t("admin.cache.title")),
        body,
      ),
    ),
    h("div", { class: "actions" }, refresh, clear),
    asking,
    problem,
    result,
  );
}

// ---- imports -----------------------------------------------------------------------------
