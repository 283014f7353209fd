// The API keys page: create a key (its secret is shown once, here), list the keys, revoke them.

import { api, errorText, session } from "../api.js";
import { copyText, field, h, replace } from "../dom.js";
import { formatDate, formatDateTime, has, t } from "../i18n.js";

const EXPIRY_DAYS = [7, 30, 90, 365];
const DEFAULT_DAYS = 30;
// the key just created, kept across re-renders (language switch) until "done" or leaving the page
let created = null;

/** Fill the keys page; the cleanup forgets the new key once the user leaves or signs out. */
export function render(root, ctx) {
  if (created && created.owner !== ctx.user.username) created = null;
  const state = { alive: true };
  const status = h("p", { id: "keys-status", class: "ok", role: "status" });
  const body = h("tbody", {}, messageRow(t("app.loading")));
  const reveal = h("div", { id: "new-key-slot" });
  const reload = () => load(body, status, state, reload);
  root.append(
    h("h1", { tabindex: "-1" }, t("keys.title")),
    h("p", {}, t("keys.intro")),
    h("p", { class: "hint" }, t("keys.header_hint")),
    reveal,
    createCard(ctx.user, reveal, reload),
    h("h2", { id: "keys-list-title" }, t("keys.list")),
    status,
    h("div", { class: "table-wrap" }, table(body)),
  );
  showCreated(reveal);
  reload();
  return () => {
    state.alive = false;
    if (location.pathname !== "/keys" || !session.user) created = null;
  };
}

function scopeText(scope) {
  return has(`account.scope.${scope}`) ? t(`account.scope.${scope}`) : scope;
}

function createCard(user, reveal, reload) {
  const name = h("input", { id: "key-name", name: "name", type: "text", maxlength: 100, autocomplete: "off" });
  const boxes = user.scopes.map((scope) =>
    h("input", { id: `key-scope-${scope}`, type: "checkbox", value: scope, checked: scope === "translate" }),
  );
  const scopes = h(
    "fieldset",
    { id: "key-scopes" },
    h("legend", {}, t("keys.scopes")),
    boxes.map((box) =>
      h(
        "label",
        { class: "check", for: box.id },
        box,
        h("span", {}, h("strong", {}, box.value), " — ", scopeText(box.value)),
      ),
    ),
  );
  const expiry = h(
    "select",
    { id: "key-expiry", name: "expiry" },
    EXPIRY_DAYS.map((days) => h("option", { value: days, selected: days === DEFAULT_DAYS }, t("keys.days", { n: days }))),
  );
  const submit = h("button", { id: "key-submit", type: "submit", class: "primary" }, t("keys.create"));
  const alert = h("p", { id: "key-error", class: "error", role: "alert" });
  const form = h(
    "form",
    { id: "key-form", novalidate: true, "aria-labelledby": "key-form-title" },
    field(t("keys.name"), name, t("keys.name_hint")),
    scopes,
    field(t("keys.expiry"), expiry),
    alert,
    h("div", { class: "actions" }, submit),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    replace(alert);
    const chosen = boxes.filter((box) => box.checked).map((box) => box.value);
    if (!name.value.trim()) {
      name.focus();
      replace(alert, t("keys.name_needed"));
      return;
    }
    if (!chosen.length) {
      boxes[0].focus();
      replace(alert, t("keys.scope_needed"));
      return;
    }
    submit.disabled = true;
    try {
      const key = await api.post("/api/v1/keys", {
        name: name.value.trim(),
        scopes: chosen,
        expires_in_days: Number(expiry.value),
      });
      created = { owner: user.username, key: key.key, name: key.name };
      name.value = "";
      showCreated(reveal);
      reload();
    } catch (error) {
      replace(alert, errorText(error));
    } finally {
      submit.disabled = false;
    }
  });
  return h("div", { class: "card" }, h("h2", { id: "key-form-title" }, t("keys.new")), form);
}

function showCreated(slot) {
  if (!created) {
    replace(slot);
    return;
  }
  const copied = h("span", { class: "ok", role: "status" });
  const copy = h("button", { id: "copy-key", type: "button", class: "primary" }, t("app.copy"));
  const done = h("button", { id: "key-done", type: "button" }, t("keys.done"));
  copy.addEventListener("click", async () => {
    const ok = await copyText(created.key);
    copied.className = ok ? "ok" : "error";
    replace(copied, ok ? t("app.copied") : t("app.copy_failed"));
  });
  done.addEventListener("click", () => {
    created = null;
    replace(slot);
    document.getElementById("key-name")?.focus();
  });
  replace(
    slot,
    h(
      "section",
      { id: "new-key", class: "card", "aria-labelledby": "new-key-title" },
      h("h2", { id: "new-key-title" }, t("keys.created", { name: created.name })),
      h("p", { class: "notice", role: "alert" }, t("keys.once")),
      h("p", { class: "secret", id: "new-key-value", tabindex: "0" }, created.key),
      h("div", { class: "actions" }, copy, done, copied),
    ),
  );
  slot.querySelector("#copy-key").focus();
}

const COLUMNS = ["name", "prefix", "scopes", "created", "last_used", "expires", "status", "action"];

function table(body) {
  const el = h(
    "table",
    { id: "keys-table", class: "data", "aria-labelledby": "keys-list-title" },
    h("thead", {}, h("tr", {}, COLUMNS.map((column) => h("th", { scope: "col" }, t(`keys.col.${column}`))))),
    body,
  );
  return el;
}

function messageRow(text) {
  return h("tr", {}, h("td", { colspan: COLUMNS.length, class: "muted" }, text));
}

function stateOf(key) {
  if (key.revoked_at) return "revoked";
  if (!key.active || (key.expires_at && new Date(key.expires_at) <= new Date())) return "expired";
  return "active";
}

const BADGE = { active: "good", expired: "fair", revoked: "poor" };

async function load(body, status, state, reload) {
  let keys;
  try {
    keys = await api.get("/api/v1/keys");
  } catch (error) {
    if (state.alive) replace(body, messageRow(errorText(error)));
    return;
  }
  if (!state.alive) return;
  replace(body, keys.length ? keys.map((key) => row(key, status, reload)) : messageRow(t("keys.none")));
}

function row(key, status, reload) {
  const current = stateOf(key);
  const action = h("td", { class: "key-action" });
  if (current === "active") revokeButton(action, key, status, reload);
  return h(
    "tr",
    { dataset: { keyId: key.id, state: current } },
    h("td", { class: "key-name" }, key.name),
    h("td", {}, h("code", {}, key.prefix)),
    h("td", {}, key.scopes.join(", ")),
    h("td", {}, formatDate(key.created_at)),
    h("td", {}, key.last_used_at ? formatDateTime(key.last_used_at) : t("keys.never")),
    h("td", {}, formatDate(key.expires_at)),
    h("td", {}, h("span", { class: ["badge", BADGE[current]] }, t(`keys.state.${current}`))),
    action,
  );
}

/** Revoking takes two clicks: the button turns into "confirm" and "cancel". */
function revokeButton(cell, key, status, reload) {
  const revoke = h(
    "button",
    { type: "button", class: "danger revoke", "aria-label": t("keys.revoke_named", { name: key.name }) },
    t("keys.revoke"),
  );
  revoke.addEventListener("click", () => {
    const confirm = h(
      "button",
      { type: "button", class: "danger confirm-revoke", "aria-label": t("keys.confirm_named", { name: key.name }) },
      t("keys.confirm"),
    );
    const cancel = h("button", { type: "button", class: "link" }, t("app.cancel"));
    const error = h("span", { class: "error", role: "alert" });
    confirm.addEventListener("click", async () => {
      confirm.disabled = true;
      try {
        await api.del(`/api/v1/keys/${encodeURIComponent(key.id)}`);
        replace(status, t("keys.revoked", { name: key.name }));
        reload();
      } catch (failure) {
        confirm.disabled = false;
        replace(error, errorText(failure));
      }
    });
    cancel.addEventListener("click", () => {
      revokeButton(cell, key, status, reload);
      cell.querySelector("button").focus();
    });
    replace(cell, h("div", { class: "actions" }, confirm, cancel), error);
    confirm.focus();
  });
  replace(cell, revoke);
}
