// Documents: send a file to translate whole, follow its progress, download or delete the result.
// The job list is updated in place while jobs run, so a focused button keeps its focus.

import { api, errorText } from "../api.js";
import { field, h, replace, saveBlob } from "../dom.js";
import { formatBytes, formatDateTime, formatNumber, formatTime, languageName, t, tn } from "../i18n.js";

const POLL_MS = 1500;
const RUNNING = new Set(["pending", "processing"]);
const BADGE = { pending: "fair", processing: "fair", completed: "good", failed: "poor" };
// kept across re-renders (language or user change): the chosen file and the form's choices
const form = { file: null, source: "auto", target: "ht" };
const confirming = new Set();

function option(code, chosen) {
  return h("option", { value: code, selected: code === chosen }, languageName(code));
}

/** Fill the Documents page; the returned function stops the polling. */
export function render(root, ctx) {
  const formats = (ctx.service.document_formats || []).map((f) => f.extension.toLowerCase());
  const limit = ctx.service.max_upload_bytes;
  const pairs = ctx.service.pairs || [];
  let timer = null;
  let stopped = false;
  let loads = 0; // only the newest listing is shown, and only it schedules the next

  const fileInput = h("input", {
    id: "file-input",
    type: "file",
    class: "sr-only",
    accept: formats.join(","),
    "aria-describedby": "doc-file doc-limits",
    on: { change: () => pick(fileInput.files[0] || null) },
  });
  const chooser = h("label", { for: "file-input", class: "button primary" }, t("documents.choose"));
  const chosen = h("p", { id: "doc-file", "aria-live": "polite" });
  const dropzone = h(
    "div",
    {
      id: "dropzone",
      class: "dropzone stack",
      on: { dragenter: over, dragover: over, dragleave: leave, drop: dropped },
    },
    h("p", {}, t("documents.drop")),
    h("p", {}, chooser, fileInput),
    chosen,
    h(
      "p",
      { class: "hint", id: "doc-limits" },
      t("documents.formats", { formats: formats.join(" "), limit: formatBytes(limit) }),
    ),
  );

  const sources = ["auto", ...new Set(pairs.map((p) => p.source))];
  const sourceSelect = h(
    "select",
    { id: "doc-source", on: { change: () => changeSource(sourceSelect.value) } },
    sources.map((code) => option(code, form.source)),
  );
  const targetSelect = h("select", {
    id: "doc-target",
    on: { change: () => (form.target = targetSelect.value) },
  });
  const submit = h(
    "button",
    { id: "doc-submit", type: "submit", class: "primary" },
    t("documents.submit"),
  );
  const error = h("p", { id: "doc-error", class: "error", role: "alert" });
  const retry = h("div", { id: "doc-retry", class: "actions hidden" });
  const sent = h("p", { id: "doc-ok", class: "ok", role: "status" });

  const jobs = h("div", { id: "jobs", class: "stack", "aria-busy": "true" });
  const updated = h("p", { id: "jobs-updated", class: "hint", "aria-live": "off" });
  const jobsError = h("p", { id: "jobs-error", class: "error", role: "alert" });
  const jobsOk = h("p", { id: "jobs-ok", class: "ok", role: "status" });
  const jobsTitle = h("h2", { id: "jobs-title", tabindex: "-1" }, t("documents.jobs"));
  const cards = new Map(); // task id → its card, kept while the job is listed
  const latest = new Map(); // task id → the job as last listed (buttons may hold an older one)

  root.append(
    h("h1", {}, t("documents.title")),
    h("p", {}, t("documents.intro")),
    h(
      "form",
      { id: "doc-form", class: "card", novalidate: true, on: { submit: (e) => send(e) } },
      dropzone,
      h(
        "div",
        { class: "grid2" },
        field(t("documents.source"), sourceSelect),
        field(t("documents.target"), targetSelect),
      ),
      h("div", { class: "actions" }, submit),
      error,
      retry,
      sent,
    ),
    h(
      "section",
      { "aria-labelledby": "jobs-title" },
      jobsTitle,
      h(
        "div",
        { class: "actions" },
        h(
          "button",
          { id: "jobs-refresh", type: "button", on: { click: () => load() } },
          t("documents.refresh"),
        ),
        updated,
      ),
      jobsError,
      jobsOk,
      jobs,
    ),
  );
  fillTargets();
  showChosen();
  load();

  function over(event) {
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = "copy";
    dropzone.classList.add("over");
  }

  function leave(event) {
    if (!dropzone.contains(event.relatedTarget)) dropzone.classList.remove("over");
  }

  function dropped(event) {
    event.preventDefault();
    dropzone.classList.remove("over");
    const files = event.dataTransfer ? event.dataTransfer.files : null;
    if (files && files.length) pick(files[0]);
  }

  function changeSource(code) {
    form.source = code;
    fillTargets();
  }

  /** Only the directions the server translates: every target for auto, else the source's pairs. */
  function fillTargets() {
    const from = pairs.filter((p) => form.source === "auto" || p.source === form.source);
    const targets = [...new Set(from.map((p) => p.target))];
    if (!targets.includes(form.target)) form.target = targets.includes("ht") ? "ht" : targets[0];
    replace(
      targetSelect,
      targets.map((code) => option(code, form.target)),
    );
  }

  /** The page's own check of a chosen file (the server checks again); an error text or null. */
  function refusal(file) {
    const dot = file.name.lastIndexOf(".");
    const extension = dot >= 0 ? file.name.slice(dot).toLowerCase() : "";
    if (!formats.includes(extension)) {
      return t("documents.bad_type", { name: file.name, formats: formats.join(" ") });
    }
    if (file.size > limit) {
      return t("documents.too_big", {
        name: file.name,
        size: formatBytes(file.size),
        limit: formatBytes(limit),
      });
    }
    return null;
  }

  function pick(file) {
    clearMessages();
    const refused = file ? refusal(file) : null;
    form.file = refused ? null : file;
    if (refused) {
      fileInput.value = "";
      error.textContent = refused;
    }
    showChosen();
  }

  function showChosen() {
    chosen.textContent = form.file
      ? t("documents.selected", { name: form.file.name, size: formatBytes(form.file.size) })
      : t("documents.none_selected");
  }

  function clearMessages() {
    error.textContent = "";
    sent.textContent = "";
    jobsOk.textContent = "";
    replace(retry);
    retry.classList.add("hidden");
  }

  async function send(event, options = {}) {
    if (event) event.preventDefault();
    clearMessages();
    if (!form.file) {
      error.textContent = t("documents.no_file");
      fileInput.focus();
      return;
    }
    const data = new FormData();
    data.append("file", form.file, form.file.name);
    data.append("source", form.source);
    data.append("target", form.target);
    if (options.force) data.append("force_source", "true");
    submit.disabled = true;
    submit.textContent = t("documents.sending");
    try {
      await api.form("/api/v1/documents", data);
      form.file = null;
      fileInput.value = "";
      showChosen();
      sent.textContent = t("documents.sent");
      load();
    } catch (err) {
      error.textContent = errorText(err);
      if (err.code === "source_mismatch") offerRetry();
    } finally {
      submit.disabled = false;
      submit.textContent = t("documents.submit");
    }
  }

  function offerRetry() {
    const auto = () => {
      form.source = "auto";
      sourceSelect.value = "auto";
      fillTargets();
      send(null);
    };
    replace(
      retry,
      h(
        "button",
        { id: "doc-retry-auto", type: "button", class: "primary", on: { click: auto } },
        t("documents.retry_auto"),
      ),
      h(
        "button",
        { id: "doc-retry-force", type: "button", on: { click: () => send(null, { force: true }) } },
        t("documents.retry_force", { language: languageName(form.source) }),
      ),
    );
    retry.classList.remove("hidden");
  }

  async function load() {
    const ticket = ++loads;
    clearTimeout(timer);
    timer = null;
    let answer;
    try {
      answer = await api.get("/api/v1/tasks?limit=100");
    } catch (err) {
      if (stopped || ticket !== loads) return;
      jobsError.textContent = errorText(err);
      jobs.removeAttribute("aria-busy");
      return;
    }
    if (stopped || ticket !== loads) return;
    jobsError.textContent = "";
    showJobs(answer.tasks || []);
    updated.textContent = t("documents.updated", { time: formatTime(new Date()) });
    if (answer.tasks.some((job) => RUNNING.has(job.status))) timer = setTimeout(load, POLL_MS);
  }

  function showJobs(list) {
    jobs.removeAttribute("aria-busy");
    const seen = new Set(list.map((job) => job.task_id));
    for (const [id, card] of cards) {
      if (!seen.has(id)) {
        card.remove();
        cards.delete(id);
        latest.delete(id);
      }
    }
    if (!list.length) {
      replace(jobs, h("p", { id: "jobs-empty", class: "muted" }, t("documents.empty")));
      return;
    }
    const empty = jobs.querySelector("#jobs-empty");
    if (empty) empty.remove();
    list.forEach((job, index) => {
      latest.set(job.task_id, job);
      let card = cards.get(job.task_id);
      if (!card) {
        card = h("article", { class: "card", dataset: { taskId: job.task_id } });
        cards.set(job.task_id, card);
      }
      fillCard(card, job);
      if (jobs.children[index] !== card) jobs.insertBefore(card, jobs.children[index] || null);
    });
  }

  /** (Re)draw a card's parts; its actions only when they change, so their focus survives. */
  function fillCard(card, job) {
    const doc = job.document || {};
    const name = doc.filename || t("documents.unnamed");
    const state = `${job.status}|${confirming.has(job.task_id)}`;
    if (!card.firstChild) {
      card.append(
        h("h3", { class: "job-name" }),
        h("p", { class: "job-meta" }),
        h("div", { class: "job-progress" }),
        h("div", { class: "job-detail" }),
        h("div", { class: "job-actions actions" }),
      );
    }
    const [title, meta, progress, detail, actions] = card.children;
    title.textContent = name;
    replace(
      meta,
      h(
        "span",
        { class: ["badge", BADGE[job.status]], dataset: { status: job.status } },
        t(`documents.status.${job.status}`),
      ),
      " ",
      t("documents.direction", {
        source: languageName(doc.source),
        target: languageName(doc.target),
      }),
      " · ",
      t("documents.created", { date: formatDateTime(job.created_at) }),
      doc.size ? ` · ${formatBytes(doc.size)}` : null,
    );
    replace(progress, progressOf(job, name));
    replace(detail, job.status === "failed" ? failure(job) : quality(job));
    if (actions.dataset.state !== state) {
      actions.dataset.state = state;
      replace(actions, buttons(job, name));
    }
  }

  function progressOf(job, name) {
    const { done = 0, total = 0 } = job.progress || {};
    const label = t("documents.progress_label", { name });
    const bar = h("progress", { max: Math.max(total, 1), "aria-label": label });
    if (total > 0) bar.value = job.status === "completed" ? total : done;
    const numbers = { done: formatNumber(done), total: formatNumber(total) };
    return [bar, h("p", { class: "hint job-count" }, t("documents.progress", numbers))];
  }

  function failure(job) {
    const reason = job.error || t("error.job_failed");
    return h("p", { class: "error job-error" }, t("documents.reason", { reason }));
  }

  function quality(job) {
    const summary = job.quality || {};
    const matches = Object.entries(summary.matches || {}).filter(([, n]) => n > 0);
    if (!matches.length) return null;
    const kinds = matches.map(([kind, n]) =>
      t("documents.match_item", { kind: t(`documents.match.${kind}`), n: formatNumber(n) }),
    );
    const unknown = summary.unknown_words || 0;
    const sample = summary.unknown_sample || [];
    return [
      h("p", { class: "job-matches" }, t("documents.matches"), " ", kinds.join(" · ")),
      h(
        "p",
        { class: "job-unknown" },
        unknown ? tn("documents.unknown", unknown) : t("documents.no_unknown"),
        sample.length ? [" ", t("documents.unknown_sample"), sample.map(word)] : null,
      ),
    ];
  }

  function word(text, index) {
    return [index ? ", " : "", h("span", { class: "unknown" }, text)];
  }

  function buttons(job, name) {
    if (confirming.has(job.task_id)) {
      const question = `confirm-${job.task_id}`;
      return [
        h("p", { id: question }, t("documents.confirm_delete", { name })),
        h(
          "button",
          {
            type: "button",
            class: "danger job-confirm",
            "aria-describedby": question,
            on: { click: () => remove(job) },
          },
          t("app.delete"),
        ),
        h(
          "button",
          { type: "button", class: "job-cancel", on: { click: () => ask(job, false) } },
          t("app.cancel"),
        ),
      ];
    }
    const download =
      job.status === "completed"
        ? h(
            "button",
            {
              type: "button",
              class: "primary job-download",
              "aria-label": t("documents.download_named", { name }),
              on: { click: (event) => fetchResult(job, event.currentTarget) },
            },
            t("documents.download"),
          )
        : null;
    return [
      download,
      h(
        "button",
        {
          type: "button",
          class: "danger job-delete",
          "aria-label": t("documents.delete_named", { name }),
          on: { click: () => ask(job, true) },
        },
        t("app.delete"),
      ),
    ];
  }

  function ask(job, yes) {
    if (yes) confirming.add(job.task_id);
    else confirming.delete(job.task_id);
    const card = cards.get(job.task_id);
    if (!card) return;
    fillCard(card, latest.get(job.task_id) || job);
    const target = card.querySelector(yes ? ".job-cancel" : ".job-delete");
    if (target) target.focus();
  }

  async function fetchResult(job, button) {
    jobsError.textContent = "";
    button.disabled = true;
    try {
      const { blob, filename, type } = await api.download(`/api/v1/tasks/${job.task_id}/result`);
      saveBlob(blob.type ? blob : new Blob([blob], { type }), filename);
    } catch (err) {
      jobsError.textContent = errorText(err);
    } finally {
      button.disabled = false;
    }
  }

  async function remove(job) {
    jobsError.textContent = "";
    confirming.delete(job.task_id);
    try {
      await api.del(`/api/v1/tasks/${job.task_id}`);
    } catch (err) {
      if (err.code !== "not_found") {
        jobsError.textContent = errorText(err);
        ask(job, false);
        return;
      }
    }
    const card = cards.get(job.task_id);
    if (card) card.remove();
    cards.delete(job.task_id);
    latest.delete(job.task_id);
    const name = job.document ? job.document.filename : "";
    jobsOk.textContent = t("documents.deleted", { name });
    jobsTitle.focus();
    await load();
  }

  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
