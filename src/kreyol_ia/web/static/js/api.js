// The service's API as the page uses it: the access token in memory only, the refresh token in
// an HttpOnly cookie the page cannot read, renewed once when the server says the token expired.

import { has, t } from "./i18n.js";

const SESSION = "/api/v1/auth/session";
let accessToken = null;
let renewing = null;
const listeners = new Set();

export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

async function failure(response) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    // not JSON: a proxy's page, say
  }
  const error = body && body.error ? body.error : {};
  return new ApiError(
    response.status,
    error.code || `http_${response.status}`,
    error.message || response.statusText,
    error.details,
  );
}

async function send(method, path, body, headers = {}) {
  const all = { ...headers };
  if (accessToken) all.Authorization = `Bearer ${accessToken}`;
  try {
    return await fetch(path, { method, body, headers: all, credentials: "same-origin" });
  } catch {
    throw new ApiError(0, "network", t("error.network"));
  }
}

async function call(method, path, body, headers) {
  let response = await send(method, path, body, headers);
  if (response.status === 401 && accessToken && (await renew())) {
    response = await send(method, path, body, headers);
  }
  if (!response.ok) throw await failure(response);
  return response;
}

async function json(method, path, value) {
  const body = value === undefined ? undefined : JSON.stringify(value);
  const headers = value === undefined ? {} : { "Content-Type": "application/json" };
  const response = await call(method, path, body, headers);
  return response.status === 204 ? null : response.json();
}

export const api = {
  get: (path) => json("GET", path),
  post: (path, value) => json("POST", path, value === undefined ? {} : value),
  patch: (path, value) => json("PATCH", path, value),
  del: (path) => json("DELETE", path),
  async form(path, formData) {
    const response = await call("POST", path, formData, {});
    return response.status === 204 ? null : response.json();
  },
  async download(path) {
    const response = await call("GET", path);
    const disposition = response.headers.get("Content-Disposition") || "";
    return {
      blob: await response.blob(),
      filename: filenameFrom(disposition) || "document",
      type: response.headers.get("Content-Type") || "application/octet-stream",
    };
  },
};

function filenameFrom(disposition) {
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (encoded) {
    try {
      return decodeURIComponent(encoded[1]);
    } catch {
      // fall through to the plain name
    }
  }
  const plain = /filename="([^"]*)"/i.exec(disposition);
  return plain ? plain[1] : null;
}

/** The localised sentence for an ApiError (catalogue key error.<code>), else its own message. */
export function errorText(error) {
  if (error && has(`error.${error.code}`)) return t(`error.${error.code}`, error.details || {});
  return (error && error.message) || t("error.unknown");
}

async function sessionCall(path, body) {
  // one tab at a time: two tabs spending the same refresh token would end the session
  const run = async () => {
    const response = await fetch(`${SESSION}${path}`, {
      method: "POST",
      body,
      credentials: "same-origin",
    });
    if (response.status === 204) return null;
    if (!response.ok) throw await failure(response);
    return response.json();
  };
  return navigator.locks ? navigator.locks.request("kreyol-session", run) : run();
}

async function renew() {
  if (!renewing) {
    renewing = sessionCall("/refresh")
      .then((answer) => {
        accessToken = answer ? answer.access_token : null;
        return Boolean(accessToken);
      })
      .catch(() => {
        accessToken = null;
        return false;
      })
      .finally(() => {
        renewing = null;
      });
  }
  const ok = await renewing;
  if (!ok && session.user) setUser(null);
  return ok;
}

function setUser(user) {
  session.user = user;
  for (const listener of listeners) listener(user);
}

async function loadUser() {
  setUser(await api.get("/api/v1/users/me"));
}

export const session = {
  user: null,
  ready: null,
  /** Sign in with a password; the server sets the cookie, the page keeps the access token. */
  async signIn(username, password) {
    const body = new URLSearchParams({ username, password });
    const answer = await sessionCall("", body);
    accessToken = answer.access_token;
    await loadUser();
  },
  /** End the session on the server and forget the token here, even when offline. */
  async signOut() {
    try {
      await sessionCall("/logout");
    } finally {
      accessToken = null;
      setUser(null);
    }
  },
  /** Reload the account (after the tier or scopes changed). */
  async reload() {
    if (accessToken) await loadUser();
  },
  onChange(fn) {
    listeners.add(fn);
  },
};

session.ready = (async () => {
  try {
    if (await renew()) await loadUser();
  } catch {
    accessToken = null;
  }
})();
