// The series of the compare page's metric charts, built in the browser from each run's downsampled history
// (GET /api/v1/metrics/{key}/history): one series per run, or one per value of a param with the mean of its runs.
import { chartData } from './chart.js';

/** A run's history as sorted columns: steps, values (null for NaN and infinities), and the band when downsampled. */
export function runColumns(history, maxPoints) {
  const { data, banded } = chartData(history, maxPoints);
  return { steps: data[0], values: data[1], low: banded ? data[2] : null, high: banded ? data[3] : null };
}

/**
 * A run's value at a step, aligned by step: its own point at that step, or the straight line between its points
 * on either side; null outside its first and last step, and next to a NaN or infinite value. Of several points at
 * one step (a bucket's minimum and maximum), the first is taken on the left and the last on the right.
 */
export function valueAt(columns, step) {
  const { steps, values } = columns;
  if (steps.length === 0 || step < steps[0] || step > steps[steps.length - 1]) return null;
  let lo = 0;
  let hi = steps.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (steps[mid] < step) lo = mid + 1;
    else hi = mid;
  }
  if (steps[lo] === step) return values[lo];
  const left = values[lo - 1];
  const right = values[lo];
  if (left === null || right === null) return null;
  const t = (step - steps[lo - 1]) / (steps[lo] - steps[lo - 1]);
  return left + t * (right - left);
}

/** The sorted distinct steps of some columns. */
function unionOfSteps(columnsList) {
  const steps = new Set();
  for (const columns of columnsList) for (const step of columns.steps) steps.add(step);
  return [...steps].sort((a, b) => a - b);
}

/**
 * One series per group of runs ([{ label, colour, columns }]): at every step any run of the group has, the mean of the values the group's runs
 * have there (each run's value by valueAt: a run counts only within its own range of steps), and a band from the
 * smallest to the largest of them. A group of one run is that run's line with its own downsampling band.
 */
export function groupSeries(groups) {
  return groups.map(({ label, colour, columns }) => {
    if (columns.length === 1) return { label, colour, runs: 1, ...columns[0] };
    const steps = unionOfSteps(columns);
    const values = [];
    const low = [];
    const high = [];
    for (const step of steps) {
      const at = columns.map((c) => valueAt(c, step)).filter((v) => v !== null);
      values.push(at.length ? at.reduce((a, b) => a + b, 0) / at.length : null);
      low.push(at.length ? Math.min(...at) : null);
      high.push(at.length ? Math.max(...at) : null);
    }
    return { label, colour, runs: columns.length, steps, values, low, high };
  });
}

/**
 * uPlot's data for overlaid series: the union of their steps as x, then per series its values and, when it has a
 * band, its low and high, each null where the series has no point at a step (the line spans those gaps).
 */
export function overlay(seriesList) {
  const x = unionOfSteps(seriesList);
  const index = new Map(x.map((step, i) => [step, i]));
  const data = [x];
  const layout = [];
  for (const series of seriesList) {
    const column = (source) => {
      const out = new Array(x.length).fill(null);
      series.steps.forEach((step, i) => { if (source[i] !== null) out[index.get(step)] = source[i]; });
      return out;
    };
    const entry = { value: data.length };
    data.push(column(series.values));
    if (series.low && series.high) {
      entry.low = data.length;
      data.push(column(series.low));
      entry.high = data.length;
      data.push(column(series.high));
    }
    layout.push(entry);
  }
  return { data, layout };
}

/** A colour per series, distinct for the first ten and spread over the hue circle after. */
const PALETTE = ['#1565c0', '#c62828', '#2e7d32', '#6a1b9a', '#ef6c00', '#00838f', '#ad1457', '#4e342e', '#558b2f', '#283593'];
export function colour(i, alpha = 1) {
  if (i < PALETTE.length) {
    const hex = PALETTE[i];
    const [r, g, b] = [1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16));
    return `rgba(${r},${g},${b},${alpha})`;
  }
  return `hsla(${Math.round((i * 137.508) % 360)},65%,40%,${alpha})`;
}
