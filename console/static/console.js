// kycq review console: keyboard shortcuts and the queue's self-refresh.
// Hand-written, no dependencies.
(function () {
  "use strict";
  function typing(e) {
    var t = e.target;
    return t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable);
  }
  function click(id) {
    var el = document.getElementById(id);
    if (el) { el.click(); return true; }
    return false;
  }
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || typing(e)) { return; }
    switch (e.key) {
      case "c": if (click("claim")) { e.preventDefault(); } break;
      case "a": if (click("approve")) { e.preventDefault(); } break;
      case "r":
        var form = document.getElementById("reject-form");
        if (!form) { break; }
        e.preventDefault();
        if (form.querySelector("input[name=reason]:checked")) { click("reject"); }
        else { var first = form.querySelector("input[name=reason]"); if (first) { first.focus(); } }
        break;
      case "q": window.location.href = "/console/"; break;
    }
  });
  // The queue reloads itself while the tab is visible and nobody is
  // typing in the filters.
  var q = document.querySelector("[data-refresh]");
  if (q) {
    var every = parseInt(q.getAttribute("data-refresh"), 10) * 1000;
    setInterval(function () {
      if (document.visibilityState === "visible" && !typing({ target: document.activeElement })) {
        window.location.reload();
      }
    }, every);
  }
})();
