// An overlaid uPlot chart of one metric for the compare page: a line per series (a run, or a group's mean) with its
// min–max band where it has one, and a legend of our own (names as text, one entry per series).
import uPlot from '/ui/vendor/uplot/uPlot.esm.js';
import { el } from './dom.js';
import { overlay, colour } from './compare-series.js';

const HEIGHT = 240;

/**
 * Draws `seriesList` ([{ label, runs, colour, steps, values, low?, high? }], `colour` the series' index in the
 * palette) into a figure; returns the figure.
 */
export function overlaidChart(key, seriesList, caption) {
  const { data, layout } = overlay(seriesList);
  const series = [{ label: 'step' }];
  const bands = [];
  seriesList.forEach((s, i) => {
    series.push({ label: s.label, stroke: colour(s.colour), width: 1.5, spanGaps: true, points: { show: false } });
    const entry = layout[i];
    if (entry.low !== undefined) {
      series.push({ label: `${s.label} min`, stroke: colour(s.colour, 0.25), width: 0.5, spanGaps: true, points: { show: false } });
      series.push({ label: `${s.label} max`, stroke: colour(s.colour, 0.25), width: 0.5, spanGaps: true, points: { show: false } });
      bands.push({ series: [entry.high, entry.low], fill: colour(s.colour, 0.12) });
    }
  });
  const container = el('div', {
    class: 'chart compare-chart', role: 'img', dataset: { metric: key, seriesCount: String(seriesList.length), points: String(data[0].length) },
    'aria-label': `${key} of ${seriesList.map((s) => s.label).join(', ')}`,
  });
  const legend = el('ul', { class: 'compare-legend', 'aria-label': `Series of ${key}` }, seriesList.map((s) => {
    const swatch = el('span', { class: 'swatch', 'aria-hidden': 'true' });
    swatch.style.background = colour(s.colour);
    const last = [...s.values].reverse().find((v) => v !== null);
    return el('li', { class: 'legend-entry', dataset: { series: s.label, runs: String(s.runs), last: last === undefined ? '' : String(last) } },
      swatch, el('span', { class: 'legend-label', text: s.label }),
      s.runs > 1 ? el('span', { class: 'muted', text: ` (mean of ${s.runs} runs)` }) : null);
  }));
  const figure = el('figure', { class: 'chart-figure' }, el('figcaption', { text: key }), container, legend,
    el('p', { class: 'chart-caption muted', text: caption }));
  requestAnimationFrame(() => {
    const width = () => Math.max(280, Math.floor(container.clientWidth || 600));
    const plot = new uPlot({
      width: width(), height: HEIGHT, series, bands, legend: { show: false },
      scales: { x: { time: false } }, axes: [{ label: 'step' }, {}],
    }, data, container);
    new ResizeObserver(() => plot.setSize({ width: width(), height: HEIGHT })).observe(container);
  });
  return figure;
}
