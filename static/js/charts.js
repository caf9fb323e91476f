// Renders every chart on the page: an element `[data-chart="ID"]` whose value is the id of a
// <script type="application/json"> holding a Vega-Lite spec (templates/includes/chart.html).
//
// Loaded after static/js/vega/{vega.min.js,vega-interpreter.js,vega-lite.min.js,vega-embed.min.js}
// (templates/includes/chart_scripts.html). The pages' Content Security Policy has no 'unsafe-eval',
// so Vega parses expressions to an AST (`ast: true`) and evaluates them with vega-interpreter rather
// than `new Function`. vega-embed's own stylesheet and the tooltip's are <style> elements, which the
// policy's style-src also refuses: both are off (`defaultStyle: false`, `tooltip: false`); the data
// table beside every chart carries the figures.
(function () {
  'use strict';

  const OPTIONS = {
    renderer: 'svg',
    actions: false,
    ast: true,
    defaultStyle: false,
    tooltip: false,
  };

  function renderChart(container) {
    if (container.dataset.chartRendered) return;
    container.dataset.chartRendered = 'pending';
    const source = document.getElementById(container.dataset.chart);
    if (!source || source.type !== 'application/json') {
      console.error('Chart ' + container.id + ': no <script type="application/json" id="' + container.dataset.chart + '">');
      return;
    }
    let spec;
    try {
      spec = JSON.parse(source.textContent);
    } catch (error) {
      console.error('Chart ' + container.id + ': the spec is not valid JSON', error);
      return;
    }
    // One image for assistive technology, named by the spec's description; the table beside the
    // chart is its accessible equivalent. Vega marks up the element it draws in (role
    // "graphics-document"), so it draws in a child of the container.
    container.setAttribute('role', 'img');
    const title = typeof spec.title === 'string' ? spec.title : spec.title && spec.title.text;
    const label = spec.description || title;
    if (label) container.setAttribute('aria-label', label);
    const canvas = document.createElement('div');
    canvas.className = 'app-chart__canvas';
    container.replaceChildren(canvas);
    const options = Object.assign({}, OPTIONS, { expr: window.vega.expressionInterpreter });
    window
      .vegaEmbed(canvas, spec, options)
      .then(function () {
        container.dataset.chartRendered = 'true';
      })
      .catch(function (error) {
        container.dataset.chartRendered = 'failed';
        console.error('Chart ' + container.id + ' could not be drawn', error);
      });
  }

  function renderCharts(root) {
    if (!window.vegaEmbed || !window.vega || !window.vega.expressionInterpreter) {
      console.error('charts.js needs the Vega scripts (includes/chart_scripts.html) loaded before it');
      return;
    }
    const scope = root && root.querySelectorAll ? root : document;
    if (scope.matches && scope.matches('[data-chart]')) renderChart(scope);
    scope.querySelectorAll('[data-chart]').forEach(renderChart);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', function () {
      renderCharts(document);
    });
  } else {
    renderCharts(document);
  }
  // Charts in content that htmx swaps into the page.
  document.addEventListener('htmx:load', function (event) {
    renderCharts(event.target);
  });
})();
