// Bonfire dashboard: keeps a job page's task grid and counts live through
// server-sent events, without reloading the page. Nothing else.
(function () {
  "use strict";
  var grid = document.getElementById("grid");
  if (!grid || !window.EventSource || grid.getAttribute("data-terminal") === "true") {
    return;
  }
  var es = new EventSource(grid.getAttribute("data-events"));
  grid.setAttribute("data-live", "connecting");
  es.onopen = function () { grid.setAttribute("data-live", "open"); };
  es.addEventListener("cells", function (e) {
    JSON.parse(e.data).forEach(function (c) {
      var el = document.getElementById("t" + c[0]);
      if (el) {
        el.className = "c " + c[1];
        el.setAttribute("data-state", c[2]);
        el.title = c[0] + " " + c[2];
      }
    });
  });
  es.addEventListener("counts", function (e) {
    var d = JSON.parse(e.data);
    var st = document.getElementById("job-state");
    if (st) {
      st.textContent = d.state;
      st.className = "jstate j-" + d.state;
    }
    var ch = document.getElementById("job-charged");
    if (ch) { ch.textContent = d.charged; }
    d.bar.forEach(function (s) {
      var seg = document.querySelector('#countbar [data-state="' + s.state + '"]');
      if (seg) { seg.style.width = s.percent + "%"; }
      var n = document.querySelector('#legend [data-state="' + s.state + '"] b');
      if (n) { n.textContent = s.count; }
    });
  });
  es.addEventListener("end", function () {
    es.close();
    grid.setAttribute("data-terminal", "true");
    grid.setAttribute("data-live", "ended");
  });
}());
