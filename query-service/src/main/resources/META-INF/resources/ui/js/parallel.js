// Parallel coordinates of the compare page with Apache ECharts: an axis per differing param (numbers on a value
// axis, anything else on a category axis), and a last axis with a metric's last value; each run one line.
import * as echarts from '/ui/vendor/echarts/echarts.esm.min.js';
import { colour } from './compare-series.js';

const NONE = '(none)';

/** A metric value of the API as a number, or null (NaN, infinities, absent). */
function numeric(value) {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** The axes and lines: `runs` of the comparison, `paramDiff` (key -> run id -> value), `lasts` (run id -> value). */
export function parallelModel(runs, paramDiff, metricKey, lasts) {
  const keys = Object.keys(paramDiff).sort();
  const axes = keys.map((key, dim) => {
    const values = runs.map((r) => paramDiff[key][r.run_id]);
    const numbers = values.every((v) => v !== null && v !== undefined && v.trim() !== '' && Number.isFinite(Number(v)));
    if (numbers) return { dim, name: key, type: 'value', scale: true, value: (v) => Number(v) };
    const categories = [...new Set(values.map((v) => v ?? NONE))].sort();
    return { dim, name: key, type: 'category', data: categories, value: (v) => v ?? NONE };
  });
  axes.push({ dim: keys.length, name: `${metricKey} (last)`, type: 'value', scale: true, value: numeric });
  const lines = runs.map((r, i) => ({
    name: r.name || r.run_id,
    value: [...keys.map((key, dim) => axes[dim].value(paramDiff[key][r.run_id])), axes[keys.length].value(lasts[r.run_id])],
    lineStyle: { color: colour(i) },
  }));
  return { axes, lines };
}

/** Draws the model into the container; the chart follows the container's width. */
export function drawParallel(container, model) {
  const chart = echarts.init(container, null, { renderer: 'canvas' });
  chart.setOption({
    animation: false,
    parallel: { left: 60, right: 90, top: 40, bottom: 30 },
    parallelAxis: model.axes.map(({ dim, name, type, data, scale }) => ({
      dim, name, type, data, scale, nameTextStyle: { fontSize: 12 }, nameGap: 12, axisLabel: { fontSize: 11 },
    })),
    series: [{ type: 'parallel', lineStyle: { width: 2, opacity: 0.85 }, data: model.lines }],
  });
  container.dataset.lines = String(model.lines.length);
  container.dataset.axes = String(model.axes.length);
  if (!container.dataset.resizes) {
    container.dataset.resizes = 'true';
    new ResizeObserver(() => echarts.getInstanceByDom(container)?.resize()).observe(container);
  }
  return chart;
}
