// Administration: accounts — role, tier, permissions, disable, limits and lock-outs.

import { api, errorText, session } from "../api.js";
import { field, h } from "../dom.js";
import { formatDateTime, t } from "../i18n.js";
import { tierName } from "../pages/usage.js";
import { ADMIN, alertBox, button, options, say, section, statusBox } from "./parts.js";

const TIERS = ["free", "basic", "pro", "enterprise"];
const ROLES = ["user", "admin"];
const SCOPES = ["translate", "documents", "keys"]; // admin is the role, never a stored scope

/** One account as a <tbody data-user>: who it is, then its controls (they wrap on a phone). */
function userRows(account, index, ctx) {
  let current = account;
  const name = account.username;
  const role = h(
    "select",
    { id: `user-${index}-role`, class: "role", "aria-label": t("admin.users.role_for", { name }) },
    options(ROLES, account.role, (value) => t(`admin.role.${value}`)),
  );
  const tier = h(
    "select",
    { id: `user-${index}-tier`, class: "tier", "aria-label": t("admin.users.tier_for", { name }) },
    options(TIERS, account.tier, tierName),
  );
  const scopes = SCOPES.map((scope) =>
    h("input", {
      type: "checkbox",
      class: "scope",
      value: scope,
      checked: account.scopes.includes(scope),
    }),
  );
  const disabled = h("input", {
    type: "checkbox",
    class: "disabled",
    checked: account.disabled,
    "aria-label": t("admin.users.disabled_for", { name }),
  });
  const problem = alertBox(null);
  const done = statusBox(null);

  function changes() {
    const chosen = scopes.filter((box) => box.checked).map((box) => box.value);
    const before = SCOPES.filter((scope) => current.scopes.includes(scope));
    const patch = {};
    if (role.value !== current.role) patch.role = role.value;
    if (tier.value !== current.tier) patch.tier = tier.value;
    if (chosen.join(" ") !== before.join(" ")) patch.scopes = chosen;
    if (disabled.checked !== current.disabled) patch.disabled = disabled.checked;
    return patch;
  }

  async function act(button, work, success) {
    say(problem, "");
    say(done, "");
    button.disabled = true;
    try {
      await work();
      say(done, success);
    } catch (error) {
      say(problem, errorText(error));
    } finally {
      button.disabled = false;
    }
  }

  const path = `${ADMIN}/users/${encodeURIComponent(name)}`;
  const save = button(t("app.save"), { class: ["primary", "save"] });
  save.addEventListener("click", () => {
    const patch = changes();
    if (!Object.keys(patch).length) {
      say(problem, "");
      say(done, t("admin.users.unchanged"));
      return;
    }
    act(
      save,
      async () => {
        current = await api.patch(path, patch);
        if (ctx.user && current.username === ctx.user.username) await session.reload();
      },
      t("admin.users.saved"),
    );
  });
  const reset = button(t("admin.users.reset_limits"), { class: "reset" });
  reset.addEventListener("click", () =>
    act(reset, () => api.post(`${path}/limits/reset`), t("admin.users.limits_reset")),
  );
  const unlock = button(t("admin.users.unlock"), { class: "unlock" });
  unlock.addEventListener("click", () =>
    act(unlock, () => api.post(`${path}/unlock`), t("admin.users.unlocked")),
  );

  const signedIn = account.last_login ? formatDateTime(account.last_login) : t("admin.users.never");
  return h(
    "tbody",
    { dataset: { user: name } },
    h(
      "tr",
      {},
      h(
        "th",
        { scope: "row" },
        name,
        h("div", { class: "muted" }, account.email),
        account.full_name ? h("div", { class: "muted" }, account.full_name) : null,
      ),
      h("td", {}, signedIn),
    ),
    h(
      "tr",
      {},
      h(
        "td",
        { colspan: 2 },
        h(
          "div",
          { class: "row" },
          field(t("admin.users.role"), role),
          field(t("admin.users.tier"), tier),
          h(
            "fieldset",
            { "aria-label": t("admin.users.scopes_for", { name }) },
            h("legend", {}, t("admin.users.scopes")),
            h(
              "div",
              { class: "row" },
              scopes.map((box) =>
                h("label", { class: "check" }, box, t(`admin.scope.${box.value}`)),
              ),
            ),
          ),
          h("label", { class: "check" }, disabled, t("admin.users.disabled")),
        ),
        h("div", { class: "actions" }, save, reset, unlock),
        problem,
        done,
      ),
    ),
  );
}

export function usersSection(ctx) {
  const problem = alertBox("users-error");
  const table = h(
    "table",
    { class: "data", id: "users-table" },
    h("caption", { class: "sr-only" }, t("admin.users.title")),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("th", { scope: "col" }, t("admin.users.account")),
        h("th", { scope: "col" }, t("admin.users.last_login")),
      ),
    ),
  );
  api
    .get(`${ADMIN}/users?limit=500`)
    .then((accounts) =>
      table.append(...accounts.map((account, index) => userRows(account, index, ctx))),
    )
    .catch((error) => say(problem, errorText(error)));
  const wrap = h("div", { class: "table-wrap" }, table);
  return section("admin-users", t("admin.users.title"), problem, wrap);
}

// ---- invitations -------------------------------------------------------------------------
