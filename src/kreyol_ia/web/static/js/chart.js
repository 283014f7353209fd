// A small bar chart drawn as SVG here (no library, no network): one bar per point, an axis with
// a few labels, and a <title> per bar; the caller supplies every string, so it stays translatable.

import { svg } from "./dom.js";

const WIDTH = 320; // viewBox units; the SVG scales to its box (CSS width 100%)
const HEIGHT = 170;
const LEFT = 40;
const RIGHT = 6;
const TOP = 8;
const BOTTOM = 22;
const GAP = 0.25; // share of each slot left empty between bars

/** The smallest 1, 2 or 5 × 10^k at or above max (1 for an empty chart). */
export function niceCeiling(max) {
  if (!(max > 0)) return 1;
  const step = 10 ** Math.floor(Math.log10(max));
  for (const factor of [1, 2, 5, 10]) {
    if (factor * step >= max) return factor * step;
  }
  return 10 * step;
}

function ticksFor(top) {
  const middle = top / 2;
  return Number.isInteger(middle) ? [0, middle, top] : [0, top];
}

/**
 * A bar chart as an <svg class="chart">.
 * points: [{key, value, title}] (key goes to data-date); options: {label, className, tick(n),
 * axisLabel(key)} where label names the chart for assistive technology, tick formats the y-axis
 * numbers and axisLabel the x-axis labels (first, middle and last point).
 */
export function barChart(points, { label, className, tick, axisLabel }) {
  const plotWidth = WIDTH - LEFT - RIGHT;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const top = niceCeiling(Math.max(0, ...points.map((point) => point.value)));
  const slot = plotWidth / Math.max(1, points.length);
  const y = (value) => TOP + plotHeight - (value / top) * plotHeight;

  const grid = ticksFor(top).map((value) => [
    svg("line", { class: "axis grid", x1: LEFT, x2: WIDTH - RIGHT, y1: y(value), y2: y(value) }),
    svg(
      "text",
      { x: LEFT - 4, y: y(value), "text-anchor": "end", "dominant-baseline": "middle" },
      tick(value),
    ),
  ]);
  const bars = points.map((point, index) => {
    const height = (point.value / top) * plotHeight;
    return svg(
      "rect",
      {
        class: ["bar", className],
        x: (LEFT + index * slot + (slot * GAP) / 2).toFixed(2),
        y: (TOP + plotHeight - height).toFixed(2),
        width: (slot * (1 - GAP)).toFixed(2),
        height: height.toFixed(2),
        dataset: { date: point.key, value: String(point.value) },
      },
      svg("title", {}, point.title),
    );
  });
  const marks = [0, Math.floor((points.length - 1) / 2), points.length - 1];
  const anchors = ["start", "middle", "end"];
  const labels = points.length
    ? [...new Set(marks)].map((index, position) =>
        svg(
          "text",
          {
            x: (LEFT + (index + 0.5) * slot).toFixed(2),
            y: HEIGHT - 6,
            "text-anchor": points.length < 3 ? "middle" : anchors[position],
          },
          axisLabel(points[index].key),
        ),
      )
    : [];
  return svg(
    "svg",
    {
      class: "chart",
      viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
      role: "img",
      "aria-label": label,
      preserveAspectRatio: "xMidYMid meet",
    },
    svg("title", {}, label),
    grid,
    svg("line", { class: "axis", x1: LEFT, x2: LEFT, y1: TOP, y2: TOP + plotHeight }),
    bars,
    labels,
  );
}
