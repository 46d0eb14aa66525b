// Progressive enhancement for the import page: poll the import's JSON and update the progress bar and the
// status line (a polite live region) until it ends, then reload to show the outcome. Without JavaScript
// the page's "Check again" link does the same by hand.
(function () {
  "use strict";
  var box = document.querySelector("[data-import-job]");
  if (!box) { return; }
  var id = box.getAttribute("data-import-job");
  var bar = document.getElementById("progress");
  var status = document.getElementById("import-status");
  function poll() {
    fetch("/api/imports/" + encodeURIComponent(id), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (job) {
        if (job.status !== "running") { window.location.reload(); return; }
        bar.value = job.percent;
        bar.textContent = job.percent + " %";
        status.textContent = job.percent + " % of the file read, " + job.posts_handled + " posts handled.";
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 1000);
})();
