// The site's frame: header, navigation, language switch, the signed-in user, and the router that
// loads each page's module on first visit and re-renders it when the language or user changes.

import { api, errorText, session } from "./api.js";
import { clear, h, replace } from "./dom.js";
import { LANGUAGES, lang, onLangChange, setLang, start, t } from "./i18n.js";

const ROUTES = {
  "/": "translate",
  "/documents": "documents",
  "/account": "account",
  "/keys": "keys",
  "/usage": "usage",
  "/admin": "admin",
};
const NAV = ["translate", "documents", "keys", "usage", "account", "admin"];
const main = document.getElementById("main");
let service = null;
let cleanup = null;
let rendering = 0;

function pathOf(name) {
  return Object.keys(ROUTES).find((path) => ROUTES[path] === name);
}

function isAdmin(user) {
  return Boolean(user && user.role === "admin");
}

/** Who may open a page: null (anyone), "user" (signed in) or "admin". */
function needs(name) {
  if (name === "account") return null;
  if (name === "admin") return "admin";
  if (name === "translate") return service && service.allow_anonymous ? null : "user";
  return "user";
}

function visible(name, user) {
  const need = needs(name);
  if (name === "translate" || name === "account") return true;
  return need === "admin" ? isAdmin(user) : Boolean(user);
}

function header(current) {
  const user = session.user;
  const links = NAV.filter((name) => visible(name, user)).map((name) =>
    h(
      "a",
      {
        href: pathOf(name),
        dataset: { page: name },
        "aria-current": name === current ? "page" : null,
      },
      t(`nav.${name}`),
    ),
  );
  const picker = h(
    "select",
    { id: "ui-lang", on: { change: (event) => setLang(event.target.value) } },
    LANGUAGES.map((code) => h("option", { value: code, selected: code === lang() }, t(`endonym.${code}`))),
  );
  const who = h("span", { id: "whoami", class: "whoami" }, user ? user.username : "");
  const out = user
    ? h("button", { id: "signout", type: "button", class: "link", on: { click: signOut } }, t("app.sign_out"))
    : null;
  replace(
    document.getElementById("top"),
    h(
      "div",
      { class: "bar" },
      h("a", { href: "/", class: "brand" }, h("span", { class: "mark", "aria-hidden": "true" }, "K"), "Kreyòl IA"),
      h("div", { class: "tools" }, h("label", { for: "ui-lang", class: "lang-label" }, t("app.language")), picker),
      h("div", { class: "user" }, user ? [h("span", { class: "sr-only" }, t("app.signed_in_as")), who, out] : who),
    ),
    h("nav", { id: "nav", "aria-label": t("app.navigation") }, links),
  );
  document.getElementById("skip-link").textContent = t("shell.skip");
}

function footer() {
  const version = service ? service.version : "";
  replace(
    document.getElementById("bottom"),
    h(
      "p",
      {},
      t("app.footer", { version }),
      " · ",
      h("a", { href: "/docs" }, t("app.api_docs")),
      " · ",
      h("a", { href: "/redoc" }, t("app.redoc")),
    ),
  );
}

function gate(root, need) {
  const message = need === "admin" ? t("app.admin_only") : t("app.sign_in_needed");
  root.append(
    h("h1", { tabindex: "-1" }, t("app.restricted")),
    h("p", { class: "notice" }, message),
    session.user ? null : h("p", {}, h("a", { href: "/account", class: "button" }, t("app.go_sign_in"))),
  );
}

async function render(focus) {
  const ticket = ++rendering;
  const name = ROUTES[location.pathname] || "translate";
  if (cleanup) cleanup();
  cleanup = null;
  header(name);
  footer();
  document.title = `${t(`nav.${name}`)} — Kreyòl IA`;
  const root = h("section", { dataset: { page: name }, class: "page" });
  main.removeAttribute("data-ready");
  const need = needs(name);
  const user = session.user;
  const allowed = need === null || (need === "user" && user) || (need === "admin" && isAdmin(user));
  try {
    if (!allowed) {
      gate(root, need);
    } else {
      const module = await import(`./pages/${name}.js`);
      if (ticket !== rendering) return;
      const done = module.render(root, { service, user, navigate, refresh: () => render(false) });
      cleanup = typeof done === "function" ? done : null;
    }
  } catch (error) {
    root.append(h("p", { class: "error", role: "alert" }, errorText(error)));
  }
  if (ticket !== rendering) return;
  replace(main, root);
  main.dataset.ready = name;
  if (focus) (root.querySelector("h1") || main).focus();
}

/** Go to one of the site's pages without reloading. */
export function navigate(path) {
  if (location.pathname !== path) history.pushState(null, "", path);
  render(true);
}

async function signOut() {
  try {
    await session.signOut();
  } finally {
    navigate("/account");
  }
}

document.addEventListener("click", (event) => {
  const link = event.target.closest("a[href]");
  if (!link || link.target || link.hasAttribute("download") || event.ctrlKey || event.metaKey) return;
  const url = new URL(link.href, location.href);
  if (url.origin === location.origin && Object.hasOwn(ROUTES, url.pathname)) {
    event.preventDefault();
    navigate(url.pathname);
  }
});
window.addEventListener("popstate", () => render(true));
onLangChange(() => render(false));
session.onChange(() => render(false));

async function boot() {
  try {
    await start();
    [service] = await Promise.all([api.get("/api/v1/service"), session.ready]);
  } catch (error) {
    clear(main).append(h("p", { class: "error", role: "alert" }, String(error.message || error)));
    return;
  }
  render(false);
}

boot();
