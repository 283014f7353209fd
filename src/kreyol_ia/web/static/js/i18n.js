// Interface strings from the message catalogues (ht, fr, en); the choice is kept in a cookie.

export const LANGUAGES = ["ht", "fr", "en"];
const COOKIE = "kreyol_lang";
const LOCALES = { ht: "fr-HT", fr: "fr-FR", en: "en-GB" }; // numbers and dates: dd/mm/yyyy
const listeners = new Set();
let current = LANGUAGES.includes(document.documentElement.lang) ? document.documentElement.lang : "ht";
let strings = {};
let switches = 0;

async function load(code) {
  const response = await fetch(new URL(`../i18n/${code}.json`, import.meta.url));
  if (!response.ok) throw new Error(`catalogue ${code}: HTTP ${response.status}`);
  return response.json();
}

/** Load the page's language (the server chose it from the cookie or Accept-Language). */
export async function start() {
  strings = await load(current);
}

/** The interface language now. */
export function lang() {
  return current;
}

/** Switch language, remember it for a year, and tell every listener to re-render. */
export async function setLang(code) {
  if (!LANGUAGES.includes(code)) return;
  const ticket = ++switches;
  const loaded = await load(code);
  if (ticket !== switches) return; // a later choice won while this one loaded
  strings = loaded;
  current = code;
  document.documentElement.lang = code;
  document.cookie = `${COOKIE}=${code}; Path=/; Max-Age=31536000; SameSite=Lax`;
  for (const listener of listeners) listener(code);
}

/** Call fn(code) after every language switch. */
export function onLangChange(fn) {
  listeners.add(fn);
}

/** The string for key, {placeholders} filled from vars; the key itself when missing. */
export function t(key, vars) {
  const template = Object.hasOwn(strings, key) ? strings[key] : key;
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name) =>
    Object.hasOwn(vars, name) ? String(vars[name]) : whole,
  );
}

/** key.one for 1, key.other otherwise, with {n} set. */
export function tn(key, n, vars) {
  return t(`${key}.${n === 1 ? "one" : "other"}`, { n: formatNumber(n), ...vars });
}

/** True when the catalogue has this key (error codes the page knows how to explain). */
export function has(key) {
  return Object.hasOwn(strings, key);
}

export function formatNumber(n) {
  return new Intl.NumberFormat(LOCALES[current]).format(n);
}

export function formatPercent(fraction) {
  return new Intl.NumberFormat(LOCALES[current], { style: "percent" }).format(fraction);
}

export function formatDate(iso) {
  if (!iso) return "—";
  const options = { year: "numeric", month: "2-digit", day: "2-digit", timeZone: "UTC" };
  return new Intl.DateTimeFormat(LOCALES[current], options).format(new Date(iso));
}

export function formatDateTime(iso) {
  if (!iso) return "—";
  const options = {
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
  };
  return new Intl.DateTimeFormat(LOCALES[current], options).format(new Date(iso));
}

/** A clock time with seconds ("last updated 14:03:27"). */
export function formatTime(date) {
  return new Intl.DateTimeFormat(LOCALES[current], { timeStyle: "medium" }).format(date);
}

export function formatBytes(n) {
  if (n < 1024) return t("unit.bytes", { n: formatNumber(n) });
  if (n < 1024 * 1024) return t("unit.kib", { n: formatNumber(Math.round(n / 1024)) });
  return t("unit.mib", { n: formatNumber(Math.round((n / 1048576) * 10) / 10) });
}

/** A language's name in the interface language (ht → "Kreyòl", "Créole haïtien", ...). */
export function languageName(code) {
  return t(`language.${code}`);
}
