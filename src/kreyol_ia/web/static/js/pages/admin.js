// Administration: accounts (role, tier, permissions, disable, limits, lock-outs), invitations,
// the translation cache and imports of translation memories and glossaries.

import { api, errorText, session } from "../api.js";
import { copyText, field, h, replace } from "../dom.js";
import { formatDateTime, formatNumber, formatPercent, has, languageName, t, tn } from "../i18n.js";
import { tierName } from "./usage.js";

const TIERS = ["free", "basic", "pro", "enterprise"];
const ROLES = ["user", "admin"];
const SCOPES = ["translate", "documents", "keys"]; // admin is the role, never a stored scope
const LANGUAGES = ["ht", "fr", "en"];
const ADMIN = "/api/v1/admin";

const alertBox = (id) => h("p", { class: "error", role: "alert", id });
const statusBox = (id) => h("p", { class: "ok", role: "status", id });

function section(id, title, ...children) {
  return h(
    "section",
    { class: "card", id, "aria-labelledby": `${id}-title` },
    h("h2", { id: `${id}-title` }, title),
    children,
  );
}

function options(values, chosen, label) {
  return values.map((value) => h("option", { value, selected: value === chosen }, label(value)));
}

function button(label, attrs) {
  return h("button", { type: "button", ...attrs }, label);
}

function say(target, message) {
  target.textContent = message;
}

// ---- accounts ----------------------------------------------------------------------------

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

function usersSection(ctx) {
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

const INVITE_BADGE = { active: "good", used: "fair", expired: "poor" };

function invitesSection() {
  const days = h("input", { type: "number", id: "invite-days", min: 1, max: 90, value: 7 });
  const create = button(t("admin.invites.create"), {
    type: "submit",
    class: "primary",
    id: "invite-create",
  });
  const problem = alertBox("invite-error");
  const created = h("div", { id: "invite-created", "aria-live": "polite" });
  const body = h("tbody", {});
  const listProblem = alertBox("invites-error");

  async function load() {
    try {
      const invites = await api.get(`${ADMIN}/invites?limit=100`);
      replace(
        body,
        invites.length
          ? invites.map((invite) => inviteRow(invite, load, listProblem))
          : h("tr", {}, h("td", { colspan: 2, class: "muted" }, t("app.none"))),
      );
    } catch (error) {
      say(listProblem, errorText(error));
    }
  }

  const form = h(
    "form",
    { id: "invite-form", novalidate: true },
    h(
      "div",
      { class: "row" },
      field(t("admin.invites.days"), days, t("admin.invites.days_hint")),
      h("div", { class: "field" }, create),
    ),
    problem,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    say(problem, "");
    const wanted = Number(days.value);
    if (!Number.isInteger(wanted) || wanted < 1 || wanted > 90) {
      say(problem, t("admin.invites.days_invalid"));
      days.focus();
      return;
    }
    create.disabled = true;
    try {
      const invite = await api.post(`${ADMIN}/invites`, { days: wanted });
      replace(created, inviteCode(invite));
      await load();
    } catch (error) {
      say(problem, errorText(error));
    } finally {
      create.disabled = false;
    }
  });

  const heads = ["invite", "status"];
  const table = h(
    "table",
    { class: "data", id: "invites-table" },
    h("caption", { class: "sr-only" }, t("admin.invites.list")),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        heads.map((key) => h("th", { scope: "col" }, t(`admin.invites.${key}`))),
      ),
    ),
    body,
  );
  load();
  return section(
    "admin-invites",
    t("admin.invites.title"),
    form,
    created,
    h("h3", {}, t("admin.invites.list")),
    listProblem,
    h("div", { class: "table-wrap" }, table),
  );
}

function inviteCode(invite) {
  const copied = statusBox("invite-copied");
  const copy = button(t("app.copy"), { id: "invite-copy" });
  copy.addEventListener("click", async () =>
    say(copied, (await copyText(invite.code)) ? t("app.copied") : t("app.copy_failed")),
  );
  return h(
    "div",
    { class: "notice stack" },
    h("p", {}, t("admin.invites.once")),
    h("p", { class: "secret", id: "invite-code" }, invite.code),
    h("div", { class: "actions" }, copy, copied),
    h(
      "p",
      { class: "hint" },
      t("admin.invites.valid_until", { time: formatDateTime(invite.expires_at) }),
    ),
  );
}

function inviteRow(invite, reload, problem) {
  let revoke = null;
  if (invite.status !== "used") {
    revoke = button(t("admin.invites.revoke"), {
      class: ["danger", "revoke"],
      "aria-label": t("admin.invites.revoke_id", { id: invite.id }),
    });
    revoke.addEventListener("click", async () => {
      say(problem, "");
      revoke.disabled = true;
      try {
        await api.del(`${ADMIN}/invites/${encodeURIComponent(invite.id)}`);
        await reload();
      } catch (error) {
        say(problem, errorText(error));
        revoke.disabled = false;
      }
    });
  }
  const created = t("admin.invites.created_line", {
    name: invite.created_by || "—",
    time: formatDateTime(invite.created_at),
  });
  const state =
    invite.status === "used"
      ? t("admin.invites.used_line", {
          name: invite.used_by || "—",
          time: formatDateTime(invite.used_at),
        })
      : t("admin.invites.expires_line", { time: formatDateTime(invite.expires_at) });
  return h(
    "tr",
    { dataset: { invite: invite.id, status: invite.status } },
    h("th", { scope: "row" }, h("code", {}, invite.id), h("div", { class: "muted" }, created)),
    h(
      "td",
      {},
      h(
        "span",
        { class: ["badge", INVITE_BADGE[invite.status]] },
        t(`admin.invites.status.${invite.status}`),
      ),
      h("div", { class: "muted" }, state),
      revoke,
    ),
  );
}

// ---- cache -------------------------------------------------------------------------------

function statValue(name, value) {
  if (name === "hit_rate") return formatPercent(value);
  if (typeof value === "number") return formatNumber(value);
  const key = `admin.cache.backend.${value}`;
  if (name === "backend" && has(key)) return t(key);
  return String(value);
}

function cacheSection() {
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

function problemList(problems) {
  return h(
    "ul",
    { class: "segments", id: "import-problems" },
    problems.map((problem) => h("li", {}, h("strong", {}, problem.where), ": ", problem.message)),
  );
}

function languagePicker(id) {
  return h(
    "select",
    { id },
    h("option", { value: "" }, t("admin.import.from_header")),
    LANGUAGES.map((code) => h("option", { value: code }, languageName(code))),
  );
}

function importSection() {
  const file = h("input", { type: "file", id: "import-file", accept: ".tmx,.tsv,.csv,.txt" });
  const kind = h(
    "select",
    { id: "import-kind" },
    options(["tm", "glossary"], "tm", (value) => t(`admin.import.kind.${value}`)),
  );
  const source = languagePicker("import-source");
  const target = languagePicker("import-target");
  const submit = button(t("admin.import.submit"), {
    type: "submit",
    class: "primary",
    id: "import-submit",
  });
  const problem = alertBox("import-error");
  const report = h("div", { id: "import-report", "aria-live": "polite" });

  const form = h(
    "form",
    { id: "import-form", novalidate: true },
    field(t("admin.import.file"), file, t("admin.import.file_hint")),
    field(t("admin.import.kind"), kind),
    h(
      "fieldset",
      {},
      h("legend", {}, t("admin.import.columns")),
      h("p", { class: "hint" }, t("admin.import.columns_hint")),
      h(
        "div",
        { class: "grid2" },
        field(t("admin.import.source"), source),
        field(t("admin.import.target"), target),
      ),
    ),
    h("div", { class: "actions" }, submit),
    problem,
    report,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    say(problem, "");
    replace(report);
    if (!file.files.length) {
      say(problem, t("admin.import.no_file"));
      file.focus();
      return;
    }
    const data = new FormData();
    data.append("file", file.files[0]);
    data.append("kind", kind.value);
    if (source.value) data.append("source", source.value);
    if (target.value) data.append("target", target.value);
    submit.disabled = true;
    try {
      const answer = await api.form(`${ADMIN}/imports`, data);
      report.dataset.stored = String(answer.stored);
      report.dataset.rejected = String(answer.rejected);
      replace(
        report,
        h("p", { class: "ok" }, t("admin.import.stored", { n: formatNumber(answer.stored) })),
        answer.rejected
          ? [
              h("p", {}, t("admin.import.rejected", { n: formatNumber(answer.rejected) })),
              problemList(answer.problems),
              answer.problems.length < answer.rejected
                ? h(
                    "p",
                    { class: "hint" },
                    t("admin.import.more", { n: formatNumber(answer.problems.length) }),
                  )
                : null,
            ]
          : null,
      );
    } catch (error) {
      say(problem, errorText(error));
      const problems = Array.isArray(error.details) ? error.details : [];
      if (problems.length) replace(report, problemList(problems));
    } finally {
      submit.disabled = false;
    }
  });
  return section("admin-import", t("admin.import.title"), form);
}

export function render(root, ctx) {
  root.append(
    h("h1", { tabindex: "-1" }, t("admin.title")),
    usersSection(ctx),
    invitesSection(),
    cacheSection(),
    importSection(),
  );
}
