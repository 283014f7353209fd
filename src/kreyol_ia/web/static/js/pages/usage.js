// Usage: the limits of the account's tier now (minute, hour, day), today's and this month's
// totals, and the last 30 days as two bar charts with the same numbers in a table.

import { api, errorText } from "../api.js";
import { barChart } from "../chart.js";
import { h, replace } from "../dom.js";
import { formatDate, formatDateTime, formatNumber, has, t, tn } from "../i18n.js";

const DAYS = 30;
const REFRESH_MS = 30_000; // the windows move by themselves; the totals only on a new request
const WINDOWS = ["minute", "hour", "day"];
const METRICS = ["requests", "characters"];

/** A short y-axis number: 12 k, 3 M (full numbers are in each bar's title and the table). */
function tick(n) {
  if (n >= 1e6) return t("usage.chart.millions", { n: formatNumber(n / 1e6) });
  if (n >= 1e4) return t("usage.chart.thousands", { n: formatNumber(n / 1e3) });
  return formatNumber(n);
}

function windowRow(name, window) {
  const resets =
    window.used > 0
      ? t("usage.window.resets", { time: formatDateTime(window.resets_at) })
      : t("usage.window.fresh");
  return h(
    "div",
    {
      class: "field",
      dataset: { window: name, used: String(window.used), limit: String(window.limit) },
    },
    h("span", { class: "legend", id: `usage-window-${name}` }, t(`usage.window.${name}`)),
    h("meter", {
      min: 0,
      max: window.limit,
      high: window.limit * 0.8,
      optimum: 0,
      value: window.used,
      "aria-labelledby": `usage-window-${name}`,
      "aria-describedby": `usage-window-${name}-text`,
    }),
    h(
      "p",
      { class: "hint", id: `usage-window-${name}-text` },
      t("usage.window.used", {
        used: formatNumber(window.used),
        limit: formatNumber(window.limit),
      }),
      " · ",
      resets,
    ),
  );
}

function windowsCard(data) {
  const rows = WINDOWS.filter((name) => data.windows[name]).map((name) =>
    windowRow(name, data.windows[name]),
  );
  return [
    h("h2", {}, t("usage.windows.title")),
    rows,
    h(
      "p",
      { class: "hint" },
      t("usage.windows.hint", { n: formatNumber(data.max_request_characters) }),
    ),
  ];
}

function totalsTable(data) {
  const row = (period) =>
    h(
      "tr",
      {
        dataset: {
          period,
          requests: String(data[period].requests),
          characters: String(data[period].characters),
        },
      },
      h("th", { scope: "row" }, t(`usage.totals.${period}`)),
      h(
        "td",
        {},
        tn("usage.chart.requests", data[period].requests),
        " · ",
        tn("usage.chart.characters", data[period].characters),
      ),
    );
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      { class: "data", id: "usage-totals" },
      h("caption", { class: "sr-only" }, t("usage.totals.title")),
      h("tbody", {}, row("today"), row("month")),
    ),
  );
}

function chartFor(metric, days) {
  const points = days.map((day) => ({
    key: day.date,
    value: day[metric],
    title: `${formatDate(day.date)}: ${tn(`usage.chart.${metric}`, day[metric])}`,
  }));
  return h(
    "div",
    { dataset: { metric } },
    h("p", { class: "legend" }, t(`usage.chart.title_${metric}`, { n: DAYS })),
    barChart(points, {
      label: t(`usage.chart.title_${metric}`, { n: DAYS }),
      className: `bar-${metric}`,
      tick,
      axisLabel: formatDate,
    }),
  );
}

function dailyTable(days) {
  return h(
    "details",
    { id: "usage-table" },
    h("summary", {}, t("usage.chart.table")),
    h(
      "div",
      { class: "table-wrap" },
      h(
        "table",
        { class: "data" },
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            h("th", { scope: "col" }, t("usage.chart.date")),
            METRICS.map((metric) => h("th", { scope: "col" }, t(`usage.metric.${metric}`))),
          ),
        ),
        h(
          "tbody",
          {},
          [...days].reverse().map((day) =>
            h(
              "tr",
              { dataset: { date: day.date } },
              h("th", { scope: "row" }, formatDate(day.date)),
              METRICS.map((metric) => h("td", {}, formatNumber(day[metric]))),
            ),
          ),
        ),
      ),
    ),
  );
}

function failure(error) {
  return h("p", { class: "error", role: "alert" }, errorText(error));
}

async function load(tier, windows, totals, daily) {
  const [now, history] = await Promise.allSettled([
    api.get("/api/v1/usage"),
    api.get(`/api/v1/usage/daily?days=${DAYS}`),
  ]);
  if (now.status === "fulfilled") {
    tier.dataset.tier = now.value.tier;
    tier.textContent = tierName(now.value.tier);
    replace(windows, windowsCard(now.value));
    replace(totals, h("h2", {}, t("usage.totals.title")), totalsTable(now.value));
  } else {
    replace(windows, failure(now.reason));
    totals.remove();
  }
  if (history.status === "fulfilled") {
    replace(
      daily,
      h("h2", {}, t("usage.chart.heading", { n: DAYS })),
      h(
        "div",
        { class: "grid2", id: "usage-chart" },
        METRICS.map((metric) => chartFor(metric, history.value.days)),
      ),
      dailyTable(history.value.days),
    );
  } else {
    replace(daily, failure(history.reason));
  }
}

/** A tier's name in the interface language; an operator's own tier keeps its code. */
export function tierName(code) {
  return has(`account.tier.${code}`) ? t(`account.tier.${code}`) : code;
}

export function render(root) {
  const tier = h("strong", { id: "usage-tier" });
  const windows = h("section", { class: "card", id: "usage-windows", "aria-live": "polite" });
  const totals = h("section", { class: "card" });
  const daily = h("section", { class: "card" });
  windows.append(h("p", { class: "muted" }, t("app.loading")));
  root.append(
    h("h1", { tabindex: "-1" }, t("usage.title")),
    h("p", {}, t("usage.tier"), " ", tier),
    windows,
    totals,
    daily,
  );
  load(tier, windows, totals, daily);
  const timer = setInterval(async () => {
    try {
      replace(windows, windowsCard(await api.get("/api/v1/usage")));
    } catch {
      // keep the last numbers; the next tick tries again
    }
  }, REFRESH_MS);
  return () => clearInterval(timer);
}
