/* gkpub reading settings before the first paint: loaded blocking in <head> (an external file,
 * so the Content-Security-Policy needs no 'unsafe-inline'). It only puts the classes on <html>:
 * "js" (the settings bar shows), "elder" (长辈版) and the text size; assets/a11y.js wires the
 * buttons later. Keep it tiny: every page waits for it. */
(function (d) {
  var elder = location.hash === "#elder";  // a link to a page's 长辈版 (what works without JS): turn it on
  d.className += " js";
  try {
    var s = localStorage, z = { "-1": " fs-m1", "1": " fs-p1", "2": " fs-p2" }[s.getItem("gkpub-size")];
    if (elder) { s.setItem("gkpub-elder", "1"); }
    if (s.getItem("gkpub-elder") === "1") { elder = true; }
    if (z) { d.className += z; }
  } catch (e) { /* storage blocked: standard settings */ }
  if (elder) { d.className += " elder"; }
})(document.documentElement);
