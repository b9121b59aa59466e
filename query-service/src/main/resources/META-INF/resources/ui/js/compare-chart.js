// An overlaid uPlot chart of one metric for the compare page: a line per series (a run, or a group's mean) with its
// min–max band where it has one, and a legend of our own (names as text, one entry per series). Options as on the
// run page: a logarithmic y scale, and smoothing (each series' moving average over its own points, its raw line
// faint beneath).
import { el } from './dom.js';
import { yAxis, mountChart } from './chart.js';
import { smooth } from './smoothing.js';
import { overlay, colour } from './compare-series.js';

const HEIGHT = 240;

/**
 * Draws `seriesList` ([{ label, runs, colour, steps, values, low?, high? }], `colour` the series' index in the
 * palette) into a figure; returns the figure. `logScale`: a base-10 y axis (zero and negative values are gaps);
 * `smoothing`: the weight of the moving average (0: none).
 */
export function overlaidChart(key, seriesList, caption, { logScale = false, smoothing = 0 } = {}) {
  const smoothed = smoothing > 0;
  const lines = smoothed ? seriesList.map((s) => ({ ...s, values: smooth(s.values, smoothing) })) : seriesList;
  const raw = smoothed ? seriesList.map((s) => ({ label: s.label, colour: s.colour, steps: s.steps, values: s.values })) : [];
  const { data, layout } = overlay([...lines, ...raw]);
  const series = [{ label: 'step' }];
  const bands = [];
  lines.forEach((s, i) => {
    series.push({ label: s.label, stroke: colour(s.colour), width: smoothed ? 2 : 1.5, spanGaps: true, points: { show: false } });
    const entry = layout[i];
    if (entry.low !== undefined) {
      series.push({ label: `${s.label} min`, stroke: colour(s.colour, 0.25), width: 0.5, spanGaps: true, points: { show: false } });
      series.push({ label: `${s.label} max`, stroke: colour(s.colour, 0.25), width: 0.5, spanGaps: true, points: { show: false } });
      bands.push({ series: [entry.high, entry.low], fill: colour(s.colour, 0.12) });
    }
  });
  raw.forEach((s) => series.push({ label: `${s.label} (raw)`, stroke: colour(s.colour, 0.3), width: 1, spanGaps: true, points: { show: false } }));
  const y = yAxis(data, logScale);
  const container = el('div', {
    class: 'chart compare-chart', role: 'img',
    dataset: { metric: key, seriesCount: String(seriesList.length), points: String(data[0].length), scale: logScale ? 'log' : 'linear', smoothing: String(smoothed ? smoothing : 0) },
    'aria-label': `${key} of ${seriesList.map((s) => s.label).join(', ')}`,
  });
  const lastOf = (values) => [...values].reverse().find((v) => v !== null);
  const legend = el('ul', { class: 'compare-legend', 'aria-label': `Series of ${key}` }, seriesList.map((s, i) => {
    const swatch = el('span', { class: 'swatch', 'aria-hidden': 'true' });
    swatch.style.background = colour(s.colour);
    const last = lastOf(s.values);
    const smoothedLast = smoothed ? lastOf(lines[i].values) : undefined;
    return el('li', { class: 'legend-entry', dataset: { series: s.label, runs: String(s.runs), last: last === undefined ? '' : String(last), smoothedLast: smoothedLast === undefined ? '' : String(smoothedLast) } },
      swatch, el('span', { class: 'legend-label', text: s.label }),
      s.runs > 1 ? el('span', { class: 'muted', text: ` (mean of ${s.runs} runs)` }) : null);
  }));
  const figure = el('figure', { class: 'chart-figure' }, el('figcaption', { text: key }), container, legend,
    el('p', { class: 'chart-caption muted', text: caption }));
  requestAnimationFrame(() => mountChart({
    series, bands, legend: { show: false }, scales: { x: { time: false }, y: y.scale }, axes: [{ label: 'step' }, {}],
  }, y.columns, container, HEIGHT));
  return figure;
}
