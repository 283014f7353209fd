// Administration: accounts, invitations, the translation cache and imports of translation
// memories and glossaries; each section is its own module under js/admin/.

import { cacheSection } from "../admin/cache.js";
import { importSection } from "../admin/imports.js";
import { invitesSection } from "../admin/invites.js";
import { usersSection } from "../admin/users.js";
import { h } from "../dom.js";
import { t } from "../i18n.js";

export function render(root, ctx) {
  root.append(
    h("h1", { tabindex: "-1" }, t("admin.title")),
    usersSection(ctx),
    invitesSection(),
    cacheSection(),
    importSection(),
  );
}
