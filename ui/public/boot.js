// Loaded (as a classic script, allowed by the CSP's script-src 'self') before the app bundle.
// If the bundle fails to evaluate or start, show the error as plain text instead of a blank
// window. Never uses innerHTML: error text is inserted with textContent only.
(function () {
  function showFatal(err) {
    var root = document.getElementById("root");
    if (!root || root.childElementCount > 0) return; // the app rendered; leave it alone
    var box = document.createElement("pre");
    box.className = "fatal-error";
    box.setAttribute("data-testid", "fatal-error");
    var text = String(err && err.message ? err.message : err);
    if (err && err.stack) text += "\n" + err.stack; // WebKit's stack omits the message
    box.textContent = "Threatwright failed to start:\n" + text;
    root.appendChild(box);
  }
  window.addEventListener("error", function (e) {
    showFatal(e.error || e.message);
  });
  window.addEventListener("unhandledrejection", function (e) {
    showFatal(e.reason);
  });
})();
