// Pieces every section of the administration page shares.

import { h } from "../dom.js";

export const ADMIN = "/api/v1/admin";

export const alertBox = (id) => h("p", { class: "error", role: "alert", id });
export const statusBox = (id) => h("p", { class: "ok", role: "status", id });

export function section(id, title, ...children) {
  return h(
    "section",
    { class: "card", id, "aria-labelledby": `${id}-title` },
    h("h2", { id: `${id}-title` }, title),
    children,
  );
}

export function options(values, chosen, label) {
  return values.map((value) => h("option", { value, selected: value === chosen }, label(value)));
}

export function button(label, attrs) {
  return h("button", { type: "button", ...attrs }, label);
}

export function say(target, message) {
  target.textContent = message;
}
