// Starts ReDoc on /openapi.json; kept out of the page so the CSP can forbid inline script.
"use strict";
(function () {
  var element = document.getElementById("redoc");
  Redoc.init(element.dataset.openapiUrl, { hideDownloadButton: false }, element);
})();
