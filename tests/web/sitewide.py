"""Site-wide checks run in the page (text, overflow, focus, names, contrast) and their allow-list.

Each check returns offenders rather than asserting, so the tests can both assert on real pages and
prove, on a deliberately broken copy, that the check notices.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import httpx
from playwright.sync_api import Page, expect

from kreyol_ia.web.catalogue import LANGUAGES, catalogue
from kreyol_ia.web.pages import PAGES
from tests.web.harness import LiveSite

PAGE_NAMES = {path: ("translate" if path == "/" else path.strip("/")) for path in PAGES}
PLACEHOLDER = re.compile(r"\{(\w+)\}")

# a readable selector for reports: tag#id.class, three levels up
_DESCRIBE = """
const describe = (el) => {
  const parts = [];
  for (let node = el; node && node.nodeType === 1 && parts.length < 3; node = node.parentElement) {
    let part = node.tagName.toLowerCase();
    if (node.id) part += `#${node.id}`;
    else if (node.classList.length) part += `.${[...node.classList].join(".")}`;
    if (node.dataset && node.dataset.page) part += `[data-page=${node.dataset.page}]`;
    parts.unshift(part);
    if (node.id) break;
  }
  return parts.join(" > ");
};
const shown = (el) => !el.closest('[aria-hidden="true"]') &&
  el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true });
"""

COLLECT_STRINGS = (
    "() => {"
    + _DESCRIBE
    + """
  const out = [];
  const push = (value, where) => {
    const text = (value || "").replace(/\\s+/g, " ").trim();
    if (text) out.push([text, where]);
  };
  const roots = [document.getElementById("skip-link"),
    ...document.querySelectorAll("header, main, footer")].filter(Boolean);
  for (const root of roots) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (!el || el.closest("textarea, script, style, select, noscript") || !shown(el)) continue;
      push(node.data, describe(el));
    }
    for (const el of root.querySelectorAll("[placeholder], [aria-label], [title], [alt]")) {
      if (!shown(el)) continue;
      for (const name of ["placeholder", "aria-label", "title", "alt"]) {
        if (el.hasAttribute(name)) push(el.getAttribute(name), `${describe(el)}@${name}`);
      }
    }
    for (const select of root.querySelectorAll("select")) {
      if (!shown(select)) continue;
      for (const option of select.options) push(option.text, `${describe(select)} option`);
    }
  }
  return out;
}"""
)

OVERFLOW = (
    "() => {"
    + _DESCRIBE
    + """
  const width = document.documentElement.clientWidth;
  const clipped = (el) => {
    for (let node = el.parentElement; node && node !== document.body; node = node.parentElement) {
      if (getComputedStyle(node).overflowX !== "visible") return true;
    }
    return false;
  };
  const offenders = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width <= 1 || box.right <= width + 0.5 || !shown(el) || clipped(el)) continue;
    offenders.push([describe(el), Math.round(box.width), Math.round(box.right)]);
  }
  offenders.sort((a, b) => b[1] - a[1]);
  return { scrollWidth: document.documentElement.scrollWidth, offenders: offenders.slice(0, 5) };
}"""
)

FOCUSED = (
    "() => {"
    + _DESCRIBE
    + """
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  return { id: el.id, tag: el.tagName.toLowerCase(), page: el.dataset.page || null,
    selector: describe(el), indicated: outline || style.boxShadow !== "none",
    outline: `${style.outlineStyle} ${style.outlineWidth}`, shadow: style.boxShadow };
}"""
)

UNNAMED_CONTROLS = (
    "() => {"
    + _DESCRIBE
    + """
  const text = (el) => (el ? el.textContent.trim() : "");
  const named = (el) => {
    if ((el.getAttribute("aria-label") || "").trim()) return true;
    const ids = (el.getAttribute("aria-labelledby") || "").split(/\\s+/).filter(Boolean);
    if (ids.some((id) => text(document.getElementById(id)))) return true;
    if (el.id && [...document.querySelectorAll("label[for]")].some(
      (label) => label.htmlFor === el.id && text(label))) return true;
    return Boolean(text(el.closest("label")));
  };
  return [...document.querySelectorAll("input, select, textarea")]
    .filter((el) => el.type !== "hidden" && el.checkVisibility() && !named(el)).map(describe);
}"""
)

LOW_CONTRAST = (
    "() => {"
    + _DESCRIBE
    + """
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 1;
  const paint = canvas.getContext("2d", { willReadFrequently: true });
  const rgba = (css) => {  // any CSS colour syntax, as the browser resolves it
    paint.clearRect(0, 0, 1, 1);
    paint.fillStyle = "#000";
    paint.fillStyle = css;
    paint.fillRect(0, 0, 1, 1);
    const [r, g, b, a] = paint.getImageData(0, 0, 1, 1).data;
    return [r, g, b, a / 255];
  };
  const over = (top, bottom) => [0, 1, 2].map(
    (i) => top[i] * top[3] + bottom[i] * (1 - top[3])).concat(1);
  const background = (el) => {
    const layers = [];
    for (let node = el; node; node = node.parentElement) {
      const colour = rgba(getComputedStyle(node).backgroundColor);
      if (colour[3] > 0) layers.push(colour);
      if (colour[3] >= 1) break;
    }
    return layers.reverse().reduce((below, layer) => over(layer, below), [255, 255, 255, 1]);
  };
  const channel = (v) => {
    v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  const luminance = (c) => 0.2126 * channel(c[0]) + 0.7152 * channel(c[1]) + 0.0722 * channel(c[2]);
  const css = (c) => `rgb(${c.slice(0, 3).map(Math.round).join(", ")})`;
  const offenders = [];
  for (const el of document.body.querySelectorAll("*")) {
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.data.trim());
    if (!own || el.closest("script, style, noscript") || el.closest(":disabled")) continue;
    const box = el.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) continue;  // visually hidden (screen-reader) text
    if (!el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) continue;
    const style = getComputedStyle(el);
    const back = background(el);
    const fore = over(rgba(style.color), back);
    const [light, dark] = [luminance(fore), luminance(back)].sort((a, b) => b - a);
    const ratio = (light + 0.05) / (dark + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) {
      offenders.push({ selector: describe(el), text: el.textContent.trim().slice(0, 40),
        color: css(fore), background: css(back), ratio: Math.round(ratio * 100) / 100, large });
    }
  }
  return offenders;
}"""
)

XSS_PAYLOADS = (
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=1">',
    '"><svg onload=window.__pwned=1>',
)
INJECTED = """() => ({
  pwned: typeof window.__pwned !== "undefined",
  elements: document.querySelectorAll('img[src="x"], svg[onload], main script').length,
})"""


def open_page(page: Page, path: str) -> None:
    """Go to a page and wait until the app rendered it and its data requests settled."""
    page.goto(path)
    settle(page, path)


def settle(page: Page, path: str) -> None:
    expect(page.locator(f'main[data-ready="{PAGE_NAMES[path]}"]')).to_be_attached()
    page.wait_for_load_state("networkidle")


def api_token(site: LiveSite, username: str, password: str) -> str:
    """An access token from the OAuth2 password flow, for setting data up over HTTP."""
    response = httpx.post(
        f"{site.url}/api/v1/auth/token", data={"username": username, "password": password}
    )
    response.raise_for_status()
    return str(response.json()["access_token"])


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def site_data(site: LiveSite, admin_token: str) -> set[str]:
    """Names that are data, not interface: brand, version, engines, accounts, keys, files.

    Read from the server (other tests share the live site, so its lists hold their data too).
    """
    headers = {"Authorization": f"Bearer {admin_token}"}
    with httpx.Client(base_url=site.url, headers=headers) as client:
        service = client.get("/api/v1/service").json()
        users = client.get("/api/v1/admin/users", params={"limit": 500}).json()
        keys = client.get("/api/v1/keys").json()
        tasks = client.get("/api/v1/tasks").json()
    names = {service["name"], service["version"], *_strings(service.get("engines", []))}
    names |= {value for f in service.get("document_formats", []) for value in f.values()}
    for account in users:
        names |= {account["username"], account.get("email") or "", *account["scopes"]}
    for key in keys:  # scopes are API identifiers, shown as such next to their explanation
        names |= {key.get("name") or "", key.get("prefix") or "", *key["scopes"]}
    names |= {str(task["document"].get("filename") or "") for task in tasks["tasks"]}
    names |= {catalogue(code)[f"endonym.{other}"] for code in LANGUAGES for other in LANGUAGES}
    return {name for name in names if name}


@dataclass(frozen=True)
class AllowList:
    """Strings that may stay the same across two languages, all derived from data."""

    data: frozenset[str]
    same: dict[tuple[str, str], list[re.Pattern[str]]]

    @classmethod
    def build(cls, data: set[str]) -> AllowList:
        books = {code: catalogue(code) for code in LANGUAGES}
        same: dict[tuple[str, str], list[re.Pattern[str]]] = {}
        for first in LANGUAGES:
            for second in LANGUAGES:
                shared = [
                    value for key, value in books[first].items() if books[second].get(key) == value
                ]
                same[(first, second)] = [_template(value) for value in shared]
        return cls(frozenset(data), same)

    def neutral(self, text: str) -> bool:
        """No words left once data names are taken out: numbers, dates, symbols, names."""
        rest = text
        for name in sorted(self.data, key=len, reverse=True):
            rest = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", " ", rest)
        return not any(char.isalpha() for char in rest)

    def allows(self, text: str, first: str, second: str) -> bool:
        if self.neutral(text):
            return True
        for pattern in self.same[(first, second)]:
            match = pattern.fullmatch(text)
            if match and all(self.neutral(part) for part in match.groups()):
                return True
        return False


def _template(value: str) -> re.Pattern[str]:
    """A catalogue string as a pattern: each {placeholder} matches any filled-in value."""
    pieces = PLACEHOLDER.split(value)
    pattern = "".join(
        "(.+?)" if index % 2 else re.escape(" ".join(piece.split()))
        for index, piece in enumerate(pieces)
    )
    return re.compile(pattern, re.DOTALL)


def untranslated(
    seen: dict[str, dict[str, str]], allowed: AllowList
) -> list[tuple[str, str, str, str]]:
    """(text, where, language, other language) for each string unchanged across two languages."""
    found = []
    for index, first in enumerate(LANGUAGES):
        for second in LANGUAGES[index + 1 :]:
            for text, where in seen[first].items():
                if text in seen[second] and not allowed.allows(text, first, second):
                    found.append((text, where, first, second))
    return found
