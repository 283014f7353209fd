// The account page: sign in or register when signed out; the account, its password and its
// sessions when signed in. Passwords go to the server only; nothing here is stored in the browser.

import { api, errorText, session } from "../api.js";
import { field, h, replace } from "../dom.js";
import { formatDateTime, has, t } from "../i18n.js";

const DEFAULT_MIN_PASSWORD = 10; // config.py's password_min_length, when the service omits it
// a message for the next render (signing in or out re-renders the page from scratch)
let flash = null;

/** Fill the account page for a visitor or for the signed-in user. */
export function render(root, ctx) {
  root.append(h("h1", { tabindex: "-1" }, t("account.title")));
  if (flash) {
    root.append(h("p", { class: flash.kind, role: "status" }, t(flash.key)));
    flash = null;
  }
  if (ctx.user) {
    root.append(profile(ctx.user), passwordCard(ctx), sessionsCard(ctx));
  } else {
    root.append(h("div", { class: "grid2" }, signInCard(ctx), registerCard(ctx)));
  }
}

function minPassword(service) {
  return (service && service.password_min_length) || DEFAULT_MIN_PASSWORD;
}

function input(id, type, autocomplete, extra) {
  return h("input", { id, name: id, type, autocomplete, spellcheck: "false", ...extra });
}

function alertBox(id) {
  return h("p", { id, class: "error", role: "alert" });
}

/** Run a form's action with its button disabled; the alert shows what went wrong. */
async function busy(button, alert, action) {
  replace(alert);
  button.disabled = true;
  try {
    await action();
  } catch (error) {
    replace(alert, error instanceof Error && !("status" in error) ? error.message : errorText(error));
  } finally {
    button.disabled = false;
  }
}

function missing(...controls) {
  const empty = controls.find((control) => !control.value.trim());
  if (!empty) return false;
  empty.focus();
  return true;
}

function signInCard(ctx) {
  const username = input("signin-username", "text", "username", { autocapitalize: "none" });
  const password = input("signin-password", "password", "current-password");
  const submit = h("button", { id: "signin-submit", type: "submit", class: "primary" }, t("account.signin.submit"));
  const alert = alertBox("signin-error");
  const form = h(
    "form",
    { id: "signin-form", novalidate: true, "aria-labelledby": "signin-title" },
    field(t("account.username"), username),
    field(t("account.password"), password),
    alert,
    h("div", { class: "actions" }, submit),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    busy(submit, alert, async () => {
      if (missing(username, password)) throw new Error(t("account.required"));
      await session.signIn(username.value.trim(), password.value);
      ctx.navigate("/");
    });
  });
  return h("div", { class: "card" }, h("h2", { id: "signin-title" }, t("account.signin.title")), form);
}

function registerCard(ctx) {
  const mode = ctx.service ? ctx.service.registration : "closed";
  const title = h("h2", { id: "register-title" }, t("account.register.title"));
  if (mode !== "open" && mode !== "invite") {
    return h("div", { class: "card" }, title, h("p", { class: "notice" }, t("account.register.closed")));
  }
  const min = minPassword(ctx.service);
  const username = input("register-username", "text", "username", { autocapitalize: "none", maxlength: 64 });
  const email = input("register-email", "email", "email", { maxlength: 254 });
  const fullName = input("register-name", "text", "name", { maxlength: 200, spellcheck: "true" });
  const password = input("register-password", "password", "new-password", { maxlength: 128 });
  const invite = mode === "invite" ? input("register-invite", "text", "off", { maxlength: 100 }) : null;
  const submit = h("button", { id: "register-submit", type: "submit", class: "primary" }, t("account.register.submit"));
  const alert = alertBox("register-error");
  const form = h(
    "form",
    { id: "register-form", novalidate: true, "aria-labelledby": "register-title" },
    mode === "invite" ? h("p", { class: "hint" }, t("account.register.invite_needed")) : null,
    invite ? field(t("account.invite"), invite) : null,
    field(t("account.username"), username, t("account.username_hint")),
    field(t("account.email"), email),
    field(t("account.full_name"), fullName),
    field(t("account.password"), password, t("account.password_hint", { n: min })),
    alert,
    h("div", { class: "actions" }, submit),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    busy(submit, alert, async () => {
      if (missing(...[invite, username, email, password].filter(Boolean))) {
        throw new Error(t("account.required"));
      }
      if (password.value.length < min) {
        password.focus();
        throw new Error(t("account.password_short", { n: min }));
      }
      const body = { username: username.value.trim(), email: email.value.trim(), password: password.value };
      if (fullName.value.trim()) body.full_name = fullName.value.trim();
      if (invite) body.invite = invite.value.trim();
      try {
        await api.post("/api/v1/auth/register", body);
      } catch (error) {
        throw fieldError(error);
      }
      try {
        await session.signIn(body.username, body.password);
      } catch {
        throw new Error(t("account.register.no_signin"));
      }
      ctx.navigate("/");
    });
  });
  return h("div", { class: "card" }, title, form);
}

/** A validation error names the field it is about, when the catalogue can explain it. */
function fieldError(error) {
  const first = error.code === "validation_error" && Array.isArray(error.details) ? error.details[0] : null;
  const name = first && Array.isArray(first.loc) ? first.loc[first.loc.length - 1] : null;
  return name && has(`account.invalid.${name}`) ? new Error(t(`account.invalid.${name}`)) : error;
}

function label(prefix, value) {
  return has(`${prefix}.${value}`) ? t(`${prefix}.${value}`) : value;
}

function scopeList(scopes) {
  if (!scopes.length) return t("account.scope_none");
  return h(
    "ul",
    { class: "scopes" },
    scopes.map((scope) => h("li", {}, h("strong", {}, scope), " — ", label("account.scope", scope))),
  );
}

function profile(user) {
  const rows = [
    ["account.username", h("dd", {}, user.username)],
    user.full_name ? ["account.name", h("dd", {}, user.full_name)] : null,
    ["account.email", h("dd", {}, user.email)],
    ["account.role", h("dd", {}, label("account.role", user.role))],
    ["account.tier", h("dd", { id: "account-tier" }, label("account.tier", user.tier))],
    ["account.scopes", h("dd", { id: "account-scopes" }, scopeList(user.scopes))],
    ["account.created", h("dd", {}, formatDateTime(user.created_at))],
    ["account.last_login", h("dd", {}, formatDateTime(user.last_login))],
  ].filter(Boolean);
  return h(
    "div",
    { class: "card" },
    h("h2", {}, t("account.profile")),
    h(
      "dl",
      { id: "account-details", class: "details" },
      rows.map(([key, value]) => [h("dt", { class: "legend" }, t(key)), value]),
    ),
    h("p", { class: "hint" }, t("account.tier_hint")),
  );
}

function passwordCard(ctx) {
  const min = minPassword(ctx.service);
  const current = input("password-current", "password", "current-password", { maxlength: 128 });
  const fresh = input("password-new", "password", "new-password", { maxlength: 128 });
  const again = input("password-confirm", "password", "new-password", { maxlength: 128 });
  const submit = h("button", { id: "password-submit", type: "submit", class: "primary" }, t("account.password.submit"));
  const alert = alertBox("password-error");
  // the browser's password manager pairs the new password with this account
  const name = h("input", {
    type: "text",
    class: "hidden",
    autocomplete: "username",
    value: ctx.user.username,
    readonly: true,
  });
  const form = h(
    "form",
    { id: "password-form", novalidate: true, "aria-labelledby": "password-title" },
    name,
    field(t("account.password.current"), current),
    field(t("account.password.new"), fresh, t("account.password_hint", { n: min })),
    field(t("account.password.confirm"), again),
    h("p", { class: "hint" }, t("account.password.note")),
    alert,
    h("div", { class: "actions" }, submit),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    busy(submit, alert, async () => {
      if (missing(current, fresh, again)) throw new Error(t("account.required"));
      if (fresh.value.length < min) {
        fresh.focus();
        throw new Error(t("account.password_short", { n: min }));
      }
      if (fresh.value !== again.value) {
        again.focus();
        throw new Error(t("account.password.mismatch"));
      }
      try {
        await api.post("/api/v1/users/me/password", {
          current_password: current.value,
          new_password: fresh.value,
        });
      } catch (error) {
        // the server reports a wrong current password and a weak new one with the same code
        throw error.code === "weak_password" ? new Error(t("account.password.rejected", { n: min })) : error;
      }
      await renewSession(ctx.user.username, fresh.value);
    });
  });
  return h("div", { class: "card" }, h("h2", { id: "password-title" }, t("account.password.title")), form);
}

/** The change ended every session, this one too: sign in again with the new password. */
async function renewSession(username, password) {
  try {
    flash = { kind: "ok", key: "account.password.done" };
    await session.signIn(username, password);
  } catch {
    flash = { kind: "notice", key: "account.password.signin_again" };
    await session.signOut();
  }
}

function sessionsCard() {
  const alert = alertBox("sessions-error");
  const everywhere = h("button", { id: "signout-all", type: "button", class: "danger" }, t("account.sign_out_all"));
  const here = h("button", { id: "signout-here", type: "button" }, t("app.sign_out"));
  everywhere.addEventListener("click", () =>
    busy(everywhere, alert, async () => {
      await api.post("/api/v1/auth/logout/all");
      flash = { kind: "ok", key: "account.signed_out_all" };
      await session.signOut();
    }),
  );
  here.addEventListener("click", () =>
    busy(here, alert, async () => {
      flash = { kind: "ok", key: "account.signed_out" };
      await session.signOut();
    }),
  );
  return h(
    "div",
    { class: "card" },
    h("h2", {}, t("account.sessions.title")),
    h("p", {}, t("account.sessions.note")),
    alert,
    h("div", { class: "actions" }, here, everywhere),
  );
}
