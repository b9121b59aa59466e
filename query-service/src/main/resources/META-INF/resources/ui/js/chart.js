// One metric's history as a uPlot chart: real points as a line; when the API downsampled, a band from the
// minimum to the maximum of each bucket; the step the run failed at as a vertical line.
import uPlot from '/ui/vendor/uplot/uPlot.esm.js';
import { el } from './dom.js';

/** A JSON metric value as a number for the chart; NaN and infinities are gaps (null). */
function numeric(value) {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/**
 * uPlot's columns for a history: steps, values, and when downsampled the band's low and high. Buckets are cut again
 * here (the API sends each bucket's minimum and maximum point, in step order, without its bounds): windows of the
 * same width the API used at most, so each band spans real points only.
 */
export function chartData(history, maxPoints) {
  const points = history.points || [];
  const steps = points.map((p) => p.step);
  const values = points.map((p) => numeric(p.value));
  if (!history.downsampled || points.length < 2) return { data: [steps, values], banded: false };
  const first = steps[0];
  const width = Math.max(1, Math.ceil((steps[steps.length - 1] - first + 1) / Math.max(1, Math.floor(maxPoints / 2))));
  const low = new Array(points.length).fill(null);
  const high = new Array(points.length).fill(null);
  let start = 0;
  while (start < points.length) {
    const bucket = Math.floor((steps[start] - first) / width);
    let end = start;
    while (end + 1 < points.length && Math.floor((steps[end + 1] - first) / width) === bucket) end++;
    const inBucket = values.slice(start, end + 1).filter((v) => v !== null);
    const lo = inBucket.length ? Math.min(...inBucket) : null;
    const hi = inBucket.length ? Math.max(...inBucket) : null;
    for (let i = start; i <= end; i++) { low[i] = lo; high[i] = hi; }
    start = end + 1;
  }
  return { data: [steps, values, low, high], banded: true };
}

/** A vertical line at the failure step. */
function failureMarker(step) {
  return {
    hooks: {
      draw: [(u) => {
        if (step === null || step === undefined) return;
        const x = u.valToPos(step, 'x', true);
        if (!Number.isFinite(x) || x < u.bbox.left || x > u.bbox.left + u.bbox.width) return;
        const { ctx } = u;
        ctx.save();
        ctx.strokeStyle = '#c62828';
        ctx.lineWidth = 2 * uPlot.pxRatio;
        ctx.setLineDash([6 * uPlot.pxRatio, 4 * uPlot.pxRatio]);
        ctx.beginPath();
        ctx.moveTo(x, u.bbox.top);
        ctx.lineTo(x, u.bbox.top + u.bbox.height);
        ctx.stroke();
        ctx.restore();
      }],
    },
  };
}

/** Draws the chart into `container` (which is emptied) and keeps it as wide as the container. */
export function drawChart(container, history, { maxPoints, failureStep }) {
  const { data, banded } = chartData(history, maxPoints);
  const series = [{ label: 'step' }, { label: history.key, stroke: '#1565c0', width: 1.5, spanGaps: false }];
  if (banded) {
    series.push({ label: 'bucket min', stroke: 'rgba(21,101,192,0.35)', width: 1 });
    series.push({ label: 'bucket max', stroke: 'rgba(21,101,192,0.35)', width: 1 });
  }
  const width = () => Math.max(280, Math.floor(container.clientWidth || 600));
  const options = {
    width: width(),
    height: 220,
    series,
    bands: banded ? [{ series: [3, 2], fill: 'rgba(21,101,192,0.12)' }] : [],
    scales: { x: { time: false } },
    axes: [{ label: 'step' }, {}],
    plugins: [failureMarker(failureStep)],
  };
  container.replaceChildren();
  const plot = new uPlot(options, data, container);
  container.dataset.seriesCount = String(series.length - 1);
  container.dataset.points = String(data[0].length);
  container.dataset.downsampled = String(Boolean(history.downsampled));
  const resize = new ResizeObserver(() => plot.setSize({ width: width(), height: 220 }));
  resize.observe(container);
  return plot;
}

/** The caption under a chart: points shown of how many, and gaps for NaN or infinite values. */
export function chartCaption(history, failureStep) {
  const gaps = (history.points || []).filter((p) => numeric(p.value) === null).length;
  return el('p', { class: 'chart-caption muted' },
    `${(history.points || []).length} of ${history.total_points} points`,
    history.downsampled ? ' (downsampled: the band spans each bucket’s minimum and maximum)' : '',
    gaps ? `; ${gaps} NaN or infinite ${gaps === 1 ? 'value is' : 'values are'} a gap` : '',
    shows(history, failureStep) ? `; dashed red line: failure at step ${failureStep}` : '');
}

/** Whether the failure step lies within the steps the chart shows. */
function shows(history, step) {
  const points = history.points || [];
  return step !== null && step !== undefined && points.length > 0
    && step >= points[0].step && step <= points[points.length - 1].step;
}
