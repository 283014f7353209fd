// Administration: importing a translation memory or glossary, with the per-line report.

import { api, errorText } from "../api.js";
import { field, filePicker, h, replace } from "../dom.js";
import { formatNumber, languageName, t } from "../i18n.js";
import { ADMIN, alertBox, button, options, say, section } from "./parts.js";

const LANGUAGES = ["ht", "fr", "en"];
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

export function importSection() {
  const picker = filePicker("import-file", {
    accept: ".tmx,.tsv,.csv,.txt",
    choose: t("app.choose_file"),
    none: t("app.no_file"),
  });
  const file = picker.input;
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
    h(
      "div",
      { class: "field" },
      h("label", { for: "import-file", class: "legend" }, t("admin.import.file")),
      picker.element,
      h("p", { class: "hint" }, t("admin.import.file_hint")),
    ),
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
