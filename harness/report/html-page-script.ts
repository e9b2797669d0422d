/**
 * The page's only code: reads the chart options embedded as JSON and draws them with the inlined
 * echarts. Formatters are functions, which JSON cannot carry, so they are attached here by the
 * chart's `unit` and `timeAxis`. Tooltips are built by hand and escape every name they show.
 */
export const HTML_PAGE_SCRIPT = `(function () {
  'use strict';
  var specs = JSON.parse(document.getElementById('crucible-charts').textContent);
  if (typeof echarts === 'undefined') { document.documentElement.className += ' no-charts'; return; }
  function pad(n) { return (n < 10 ? '0' : '') + n; }
  function clock(sec) {
    var s = Math.round(Number(sec)), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
    return h > 0 ? h + ':' + pad(m) + ':' + pad(s % 60) : m + ':' + pad(s % 60);
  }
  function esc(v) {
    return String(v).replace(/[&<>"']/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; });
  }
  function num(v, unit) {
    if (v === null || v === undefined || v === '-' || isNaN(Number(v))) return '–';
    var n = Number(v), a = Math.abs(n);
    var text = a >= 1000 ? Math.round(n).toLocaleString('en-US') : a >= 100 ? n.toFixed(0) : a >= 1 || n === 0 ? n.toFixed(1) : n.toFixed(2);
    return unit ? text + ' ' + unit : text;
  }
  function valueOf(p) { return Array.isArray(p.value) ? p.value[p.value.length - 1] : p.value; }
  function tooltip(spec) {
    var units = spec.seriesUnits || {};
    return function (params) {
      var list = Array.isArray(params) ? params : [params];
      if (!list.length) return '';
      var head = spec.timeAxis ? 't = ' + clock(list[0].axisValue) : String(list[0].axisValueLabel || list[0].name || '').replace(/\\n/g, ' · ');
      return '<b>' + esc(head) + '</b>' + list.map(function (p) {
        var unit = Object.prototype.hasOwnProperty.call(units, p.seriesName) ? units[p.seriesName] : spec.unit;
        return '<br>' + p.marker + esc(p.seriesName) + ': <b>' + esc(num(valueOf(p), unit)) + '</b>';
      }).join('');
    };
  }
  var charts = [];
  var nodes = document.querySelectorAll('[data-chart]');
  for (var i = 0; i < nodes.length; i++) {
    var el = nodes[i], spec = specs[el.getAttribute('data-chart')];
    if (!spec) continue;
    var opt = spec.option;
    // A chart with stacked plots has one x axis per plot; a spec may hide an axis' labels but never sets the formatter.
    if (spec.timeAxis) [].concat(opt.xAxis).forEach(function (ax) { ax.axisLabel = Object.assign({ formatter: clock, hideOverlap: true }, ax.axisLabel); });
    opt.tooltip = Object.assign({}, opt.tooltip, { formatter: tooltip(spec) });
    var chart = echarts.init(el, null, { renderer: 'canvas' });
    chart.setOption(opt);
    charts.push(chart);
  }
  function resize() { for (var j = 0; j < charts.length; j++) charts[j].resize(); }
  window.addEventListener('resize', resize);
  window.addEventListener('beforeprint', resize);
  window.addEventListener('afterprint', resize);
  window.crucibleCharts = charts;
})();
`;
