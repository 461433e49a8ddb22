/* Draws every chart on the page with plotly.js (served by the portal itself).
 *
 * Markup (templates/partials/chart.html): <div data-chart="ID"> next to
 * {{ chart.as_plotly|json_script:"ID" }}. The div holds a server-drawn SVG, so the chart
 * is there without JavaScript; here it is replaced by the interactive plotly version.
 * No inline scripts: the Content-Security-Policy forbids them.
 */
(function () {
  "use strict";

  function draw(element) {
    var source = document.getElementById(element.getAttribute("data-chart"));
    if (!source || typeof window.Plotly === "undefined") {
      return;
    }
    var figure = JSON.parse(source.textContent);
    element.textContent = "";
    element.classList.add("chart-interactive");
    window.Plotly.newPlot(element, figure.data, figure.layout, figure.config || { responsive: true });
  }

  function drawAll() {
    var elements = document.querySelectorAll("[data-chart]");
    for (var i = 0; i < elements.length; i += 1) {
      draw(elements[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
