/* gkpub reading settings: 长辈版 (elder mode), text size (A− / A / A+) and 打印.
 * Remembered across pages in localStorage. The classes on <html> are set before the first
 * paint by assets/a11y-early.js, loaded blocking in <head> (so there is no flash); this file
 * only wires the buttons. Without JavaScript the settings bar stays hidden and the page works
 * as it is. */
(function () {
  "use strict";
  var root = document.documentElement;
  var ELDER = "gkpub-elder", SIZE = "gkpub-size";
  var SIZES = { "-1": "fs-m1", "1": "fs-p1", "2": "fs-p2" };
  var NAMES = { "-1": "较小", "0": "标准", "1": "较大", "2": "特大" };
  var memory = {};  // used when localStorage is blocked: settings then last for this page only

  function get(key) {
    try { return localStorage.getItem(key); } catch (e) { return memory[key] || null; }
  }
  function put(key, value) {
    memory[key] = value;
    try {
      if (value === null) { localStorage.removeItem(key); } else { localStorage.setItem(key, value); }
    } catch (e) { /* private mode: keep it in memory */ }
  }
  function size() {
    var n = parseInt(get(SIZE) || "0", 10);
    return n >= -1 && n <= 2 ? n : 0;
  }
  function each(selector, fn) {
    var nodes = document.querySelectorAll(selector);
    for (var i = 0; i < nodes.length; i++) { fn(nodes[i]); }
  }

  function apply(announce) {
    var elder = get(ELDER) === "1", n = size();
    root.classList.toggle("elder", elder);
    for (var k in SIZES) { root.classList.toggle(SIZES[k], String(n) === k); }
    each('[data-a11y="elder"]', function (b) { b.textContent = elder ? "退出长辈版" : "长辈版"; });
    each('[data-a11y="smaller"]', function (b) { b.setAttribute("aria-disabled", String(n <= -1)); });
    each('[data-a11y="larger"]', function (b) { b.setAttribute("aria-disabled", String(n >= 2)); });
    if (announce) {
      each("[data-a11y-status]", function (s) {
        s.textContent = (elder ? "长辈版已开启，" : "标准版，") + "字号" + NAMES[String(n)];
      });
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-a11y]") : null;
    if (!button || button.getAttribute("aria-disabled") === "true") { return; }
    var action = button.getAttribute("data-a11y"), n = size();
    if (action === "print") { window.print(); return; }
    if (action === "elder") { put(ELDER, get(ELDER) === "1" ? null : "1"); }
    if (action === "smaller") { n = Math.max(-1, n - 1); }
    if (action === "larger") { n = Math.min(2, n + 1); }
    if (action === "reset") { n = 0; }
    if (action !== "elder") { put(SIZE, n === 0 ? null : String(n)); }
    apply(true);
  });
  // A link to #elder on this page (the 长辈版 link of readers without JavaScript): turn it on.
  window.addEventListener("hashchange", function () {
    if (location.hash === "#elder") { put(ELDER, "1"); apply(true); }
  });
  // Another tab changed the settings: follow it.
  window.addEventListener("storage", function (event) {
    if (event.key === ELDER || event.key === SIZE) { apply(false); }
  });
  apply(false);
})();
