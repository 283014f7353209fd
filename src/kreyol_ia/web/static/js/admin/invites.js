// Administration: single-use invitations — create (the code shown once), list, revoke.

import { api, errorText } from "../api.js";
import { copyText, field, h, replace } from "../dom.js";
import { formatDateTime, t } from "../i18n.js";
import { ADMIN, alertBox, button, say, section, statusBox } from "./parts.js";

const INVITE_BADGE = { active: "good", used: "fair", expired: "poor" };

export function invitesSection() {
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
