// The translate page: text in, translation out, with how each sentence matched and which words
// the service does not know marked in place. State lives here so a re-render keeps the work.

import { api, errorText } from "../api.js";
import { copyText, field, h, replace } from "../dom.js";
import { formatNumber, formatPercent, has, languageName, t } from "../i18n.js";

const PAIR_KEY = "kreyol.translate.pair";
const CODES = ["ht", "fr", "en"];
const GOOD = new Set(["exact", "glossary"]);
const FAIR = new Set(["fuzzy", "neural"]);
const BADGE_KINDS = ["exact", "glossary", "fuzzy", "neural", "gloss", "passthrough"];

const state = { text: "", ...storedPair(), result: null, error: null, busy: false, limits: {} };
let view = null; // the mounted page's update functions; null between renders

function storedPair() {
  try {
    const pair = JSON.parse(localStorage.getItem(PAIR_KEY) || "null");
    if (pair && typeof pair.source === "string" && typeof pair.target === "string") return pair;
  } catch {
    // storage refused or garbled: start from the default
  }
  return { source: "auto", target: "ht" };
}

function storePair() {
  try {
    localStorage.setItem(PAIR_KEY, JSON.stringify({ source: state.source, target: state.target }));
  } catch {
    // private mode: the choice just is not remembered
  }
}

/** Whether the service translates source → target (auto: whatever the detection finds). */
function valid(pairs, source, target) {
  if (source === "auto") return pairs.some((pair) => pair.target === target);
  return pairs.some((pair) => pair.source === source && pair.target === target);
}

/** The first of the preferred codes that makes a valid direction with the fixed side. */
function firstValid(pairs, preferred, ok) {
  return [...preferred, ...CODES].find(ok) || preferred[0];
}

/** Keep the pair valid after the user changed one side; the other side moves if it must. */
function settle(pairs, changed) {
  if (valid(pairs, state.source, state.target)) return;
  if (changed === "source") {
    state.target = firstValid(pairs, [state.target], (code) => valid(pairs, state.source, code));
  } else {
    state.source = firstValid(pairs, ["auto"], (code) => valid(pairs, code, state.target));
  }
}

function limitFor(ctx) {
  const user = ctx.user ? ctx.user.username : "";
  const own = state.limits[user];
  return Math.min(ctx.service.max_text_chars, typeof own === "number" ? own : Infinity);
}

/** Signed in: the account's per-request limit, when the server says it; else the service's. */
async function loadLimit(ctx) {
  if (!ctx.user || Object.hasOwn(state.limits, ctx.user.username)) return;
  try {
    const usage = await api.get("/api/v1/usage");
    state.limits[ctx.user.username] = usage.max_request_characters;
  } catch {
    state.limits[ctx.user.username] = null; // no usage endpoint or no answer: keep the default
  }
  if (view) view.count();
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The text with each whole-word, case-insensitive occurrence of an unknown word in a mark. */
function markUnknown(text, words) {
  const unique = [...new Set(words.filter(Boolean))].sort((a, b) => b.length - a.length);
  if (!unique.length) return [text];
  const edge = "[\\p{L}\\p{M}\\p{N}_]";
  const pattern = new RegExp(
    `(?<!${edge})(?:${unique.map(escapeRegExp).join("|")})(?!${edge})`,
    "giu",
  );
  const parts = [];
  let last = 0;
  for (const found of text.matchAll(pattern)) {
    if (found.index > last) parts.push(text.slice(last, found.index));
    parts.push(h("mark", { class: "unknown", title: t("translate.unknown_title") }, found[0]));
    last = found.index + found[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

function matchLabel(kind) {
  return has(`translate.match.${kind}`) ? t(`translate.match.${kind}`) : kind;
}

function matchHelp(kind) {
  return has(`translate.match_help.${kind}`)
    ? t(`translate.match_help.${kind}`)
    : t("translate.match_help.other");
}

function badge(kind) {
  const grade = GOOD.has(kind) ? "good" : FAIR.has(kind) ? "fair" : "poor";
  return h("span", { class: ["badge", grade], title: matchHelp(kind) }, matchLabel(kind));
}

function segmentItem(segment, outcome) {
  return h(
    "li",
    {},
    h("p", { class: "muted", lang: outcome.source }, segment.source),
    h("p", { lang: outcome.target }, markUnknown(segment.translation, segment.unknown_words)),
    h(
      "p",
      { class: "row" },
      badge(segment.match),
      h(
        "span",
        { class: "hint" },
        t("translate.confidence", { value: formatPercent(segment.score) }),
      ),
    ),
  );
}

function legend(outcome) {
  const kinds = [...new Set(outcome.segments.map((segment) => segment.match))];
  const known = BADGE_KINDS.filter((kind) => kinds.includes(kind));
  const other = kinds.filter((kind) => !BADGE_KINDS.includes(kind));
  return h(
    "details",
    {},
    h("summary", {}, t("translate.legend")),
    h(
      "dl",
      {},
      [...known, ...other].map((kind) => [h("dt", {}, badge(kind)), h("dd", {}, matchHelp(kind))]),
    ),
  );
}

function detectedLine(outcome) {
  const found = outcome.detected_source;
  if (!found) return null;
  const text = t("translate.detected", {
    language: languageName(found.language),
    confidence: formatPercent(found.confidence),
  });
  return h("p", { id: "detected" }, text);
}

// a list the reader should check, and what to do about it (same markup for each kind)
function checkNotice(id, listKey, values, explainKey) {
  return h(
    "div",
    { class: "notice" },
    h("p", { id }, t(listKey, values)),
    h("p", { class: "hint" }, t(explainKey)),
  );
}

function unknownList(outcome) {
  if (!outcome.unknown_words.length) return null;
  const words = outcome.unknown_words.join(", ");
  return checkNotice("unknown-words", "translate.unknown_list", { words }, "translate.unknown_explain");
}

function guessedList(outcome) {
  const guessed = outcome.guessed_words || [];
  if (!guessed.length) return null;
  const words = guessed.join(", ");
  return checkNotice("guessed-words", "translate.guessed_list", { words }, "translate.guessed_explain");
}

function uncertainList(outcome) {
  const sentences = outcome.uncertain_sentences || [];
  if (!sentences.length) return null;
  const values = { sentences: sentences.join(" ") };
  return checkNotice(
    "uncertain-sentences",
    "translate.uncertain_list",
    values,
    "translate.uncertain_explain",
  );
}

function engineName(name) {
  return has(`translate.engine_name.${name}`) ? t(`translate.engine_name.${name}`) : name;
}

function sameLanguage(outcome) {
  if (outcome.engine !== "none" || outcome.source !== outcome.target) return null;
  const language = languageName(outcome.target);
  return h("p", { class: "notice" }, t("translate.same_language", { language }));
}

function resultBody(outcome, status) {
  const copyButton = h(
    "button",
    { id: "copy-result", type: "button", on: { click: () => copy(outcome, status) } },
    t("app.copy"),
  );
  const engine = t("translate.engine", { name: engineName(outcome.engine) });
  const segments = outcome.segments.map((segment) => segmentItem(segment, outcome));
  return [
    h(
      "div",
      { id: "result-text", class: "output", lang: outcome.target },
      markUnknown(outcome.translation, outcome.unknown_words),
    ),
    h("div", { class: "actions" }, copyButton, status),
    sameLanguage(outcome),
    detectedLine(outcome),
    h("p", { id: "engine", class: "hint" }, engine),
    unknownList(outcome),
    guessedList(outcome),
    uncertainList(outcome),
    h("h2", {}, t("translate.segments")),
    h("ol", { class: "segments" }, segments),
    legend(outcome),
  ];
}

async function copy(outcome, status) {
  const done = await copyText(outcome.translation);
  status.className = done ? "ok" : "error";
  status.textContent = done ? t("app.copied") : t("app.copy_failed");
}

async function translate(ctx) {
  if (state.busy || !state.text.trim() || state.text.length > limitFor(ctx)) return;
  state.busy = true;
  state.error = null;
  if (view) view.update();
  try {
    const body = { text: state.text, source: state.source, target: state.target };
    const answer = await api.post("/api/v1/translate", body);
    state.result = answer.translations[0];
  } catch (error) {
    state.error = error;
  } finally {
    state.busy = false;
    if (view) view.update();
  }
}

/** The language the typed text is in: chosen, or asked of the server for auto. */
async function sourceLanguage() {
  if (state.source !== "auto") return state.source;
  if (!state.text.trim()) return null;
  try {
    return (await api.post("/api/v1/detect", { text: state.text })).language;
  } catch {
    return null;
  }
}

/** Turn the direction round; a result (its source resolved when detected) becomes the text. */
async function swap(ctx) {
  if (state.busy) return;
  const result = state.result;
  const from = result ? result.source : await sourceLanguage();
  const to = result ? result.target : state.target;
  state.source = to;
  state.target = from && from !== to ? from : to;
  settle(ctx.service.pairs, "source");
  if (result) {
    state.text = result.translation;
    state.result = null;
  }
  state.error = null;
  storePair();
  if (view) view.refill();
}

function languageSelect(id, codes, selected, onChange) {
  return h(
    "select",
    { id, on: { change: (event) => onChange(event.target.value) } },
    codes.map((code) =>
      h(
        "option",
        { value: code, selected: code === selected },
        code === "auto" ? t("language.auto") : languageName(code),
      ),
    ),
  );
}

/** Fill the section; the page state survives the language or user switches that re-render it. */
export function render(root, ctx) {
  const pairs = ctx.service.pairs;
  if (!valid(pairs, state.source, state.target)) settle(pairs, "source");
  const sourceCodes = ["auto", ...CODES.filter((c) => pairs.some((p) => p.source === c))];
  const targetCodes = CODES.filter((c) => pairs.some((p) => p.target === c));

  const source = languageSelect("source-lang", sourceCodes, state.source, (code) => {
    state.source = code;
    settle(pairs, "source");
    storePair();
    target.value = state.target;
    textLang();
  });
  const target = languageSelect("target-lang", targetCodes, state.target, (code) => {
    state.target = code;
    settle(pairs, "target");
    storePair();
    source.value = state.source;
    textLang();
  });
  const textarea = h("textarea", {
    id: "source-text",
    rows: 8,
    lang: state.source === "auto" ? null : state.source,
    "aria-describedby": "char-count",
    on: {
      input: () => {
        state.text = textarea.value;
        count();
      },
      keydown: (event) => {
        if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
          event.preventDefault();
          translate(ctx);
        }
      },
    },
  });
  textarea.value = state.text;
  const counter = h("p", { id: "char-count", class: "counter" });
  const button = h(
    "button",
    { id: "translate", type: "button", class: "primary", on: { click: () => translate(ctx) } },
    t("translate.submit"),
  );
  const swapButton = h(
    "button",
    {
      id: "swap",
      type: "button",
      "aria-label": t("translate.swap"),
      title: t("translate.swap"),
      on: { click: () => swap(ctx) },
    },
    h("span", { "aria-hidden": "true" }, "⇄"),
  );
  const errorBox = h("p", { id: "translate-error", class: "error", role: "alert" });
  const result = h("div", { id: "result", class: "card" });

  function textLang() {
    if (state.source === "auto") textarea.removeAttribute("lang");
    else textarea.lang = state.source;
  }

  function count() {
    const limit = limitFor(ctx);
    const over = state.text.length > limit;
    counter.textContent = t("translate.count", {
      n: formatNumber(state.text.length),
      max: formatNumber(limit),
    });
    counter.classList.toggle("over", over);
    button.disabled = state.busy || over || !state.text.trim();
  }

  function update() {
    count();
    button.textContent = state.busy ? t("translate.working") : t("translate.submit");
    if (state.busy) result.setAttribute("aria-busy", "true");
    else result.removeAttribute("aria-busy");
    errorBox.textContent = state.error ? errorText(state.error) : "";
    const status = h("span", { id: "copy-status", role: "status" });
    replace(
      result,
      state.result
        ? resultBody(state.result, status)
        : h("p", { class: "muted" }, state.busy ? t("app.loading") : t("translate.empty")),
    );
  }

  function refill() {
    source.value = state.source;
    target.value = state.target;
    textarea.value = state.text;
    textLang();
    update();
  }

  view = { count, update, refill };
  const shortcut = h("span", { class: "hint" }, t("translate.shortcut"));
  const hint = ctx.user
    ? null
    : h(
        "p",
        { class: "hint", id: "anonymous-hint" },
        t("translate.anonymous_hint"),
        " ",
        h("a", { href: "/account" }, t("translate.sign_in_link")),
      );
  root.append(
    h("h1", { tabindex: "-1" }, t("translate.title")),
    h(
      "div",
      { class: "grid2" },
      h(
        "div",
        { class: "card" },
        h(
          "div",
          { class: "row" },
          field(t("translate.from"), source),
          h("div", { class: "field" }, swapButton),
          field(t("translate.to"), target),
        ),
        field(t("translate.source_label"), textarea),
        counter,
        h("div", { class: "actions" }, button, shortcut),
        errorBox,
        hint,
      ),
      h("div", {}, h("h2", { class: "sr-only" }, t("translate.result")), result),
    ),
  );
  update();
  loadLimit(ctx);
  return () => {
    view = null;
  };
}
