// One metric's history as a uPlot chart: real points as a line; when the API downsampled, a band from the
// minimum to the maximum of each bucket; the step the run failed at as a vertical line. Options: a logarithmic y
// scale, smoothing (the raw line stays, faint, under the smoothed one) and zoom by dragging across the chart, which
// asks the caller for the history of the selected steps (the server downsamples the range again, so zooming in shows
// the points the band summarised).
import uPlot from '/ui/vendor/uplot/uPlot.esm.js';
import { el } from './dom.js';
import { smooth } from './smoothing.js';

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

/** The chart drawn in each container, to be destroyed when it is drawn again. */
const drawn = new WeakMap();

/** Values a logarithmic scale cannot place (zero, negative) become gaps. */
function positive(column) {
  return column.map((v) => (v !== null && v > 0 ? v : null));
}

/** uPlot's y scale and columns for a linear or a base-10 logarithmic axis (where zero and negatives are gaps). */
export function yAxis(data, logScale) {
  return {
    columns: logScale ? [data[0], ...data.slice(1).map(positive)] : data,
    scale: logScale ? { distr: 3, log: 10 } : {},
  };
}

/** A uPlot chart drawn into `container`, as wide as the container and following its width: { plot, resize }. */
export function mountChart(options, columns, container, height) {
  const width = () => Math.max(280, Math.floor(container.clientWidth || 600));
  const plot = new uPlot({ ...options, width: width(), height }, columns, container);
  const resize = new ResizeObserver(() => plot.setSize({ width: width(), height }));
  resize.observe(container);
  return { plot, resize };
}

/** A dragged selection as a range of whole steps, or null when it is too narrow to mean one. */
function selectedSteps(u) {
  if (u.select.width < 3) return null;
  const start = Math.max(0, Math.floor(u.posToVal(u.select.left, 'x')));
  const end = Math.max(start, Math.ceil(u.posToVal(u.select.left + u.select.width, 'x')));
  return { start, end };
}

/**
 * Draws the chart into `container` (which is emptied) and keeps it as wide as the container. `logScale`: a base-10
 * y axis; `smoothing`: the weight of the moving average (0: none); `onZoom({start, end})`: called with the steps
 * dragged across.
 */
export function drawChart(container, history, { maxPoints, failureStep, logScale = false, smoothing = 0, onZoom = null }) {
  const { data, banded } = chartData(history, maxPoints);
  const smoothed = smoothing > 0;
  const series = [{ label: 'step' },
    { label: smoothed ? `${history.key} (raw)` : history.key, stroke: smoothed ? 'rgba(21,101,192,0.35)' : '#1565c0', width: smoothed ? 1 : 1.5, spanGaps: false }];
  if (banded) {
    series.push({ label: 'bucket min', stroke: 'rgba(21,101,192,0.35)', width: 1 });
    series.push({ label: 'bucket max', stroke: 'rgba(21,101,192,0.35)', width: 1 });
  }
  if (smoothed) {
    data.push(smooth(data[1], smoothing));
    series.push({ label: `${history.key} (smoothed)`, stroke: '#0d47a1', width: 2, spanGaps: false });
  }
  const y = yAxis(data, logScale);
  const options = {
    series,
    bands: banded ? [{ series: [3, 2], fill: 'rgba(21,101,192,0.12)' }] : [],
    scales: { x: { time: false }, y: y.scale },
    axes: [{ label: 'step' }, {}],
    cursor: { drag: { x: true, y: false, setScale: !onZoom } },
    hooks: onZoom ? {
      setSelect: [(u) => {
        const steps = selectedSteps(u);
        u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
        if (steps) onZoom(steps);
      }],
    } : {},
    plugins: [failureMarker(failureStep)],
  };
  const previous = drawn.get(container);
  if (previous) {
    previous.resize.disconnect();
    previous.plot.destroy();
  }
  container.replaceChildren();
  const { plot, resize } = mountChart(options, y.columns, container, 220);
  container.dataset.seriesCount = String(series.length - 1);
  container.dataset.points = String(data[0].length);
  container.dataset.downsampled = String(Boolean(history.downsampled));
  container.dataset.scale = logScale ? 'log' : 'linear';
  container.dataset.smoothing = String(smoothed ? smoothing : 0);
  container.dataset.firstStep = data[0].length ? String(data[0][0]) : '';
  container.dataset.lastStep = data[0].length ? String(data[0][data[0].length - 1]) : '';
  drawn.set(container, { plot, resize });
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
