// The compare page, #/compare?runs=a,b,c: the runs side by side (GET /api/v1/compare), the params that differ (the
// shared ones on demand), overlaid metric charts (GET /api/v1/metrics/{key}/history) with one series per run or per
// value of a param (the mean of its runs, with their min–max band), and parallel coordinates of the params against a
// metric. The page's choices (metrics shown, group by, the parallel metric, shared params) live in its URL.
import { el, replaceChildren, statusBadge, runLink, duration, display } from './dom.js';
import { get, segment } from './api.js';
import { queryString } from './route.js';
import { runColumns, groupSeries } from './compare-series.js';
import { overlaidChart } from './compare-chart.js';

/** Points per run and chart the API is asked for (it downsamples to at most this many). */
const MAX_POINTS = 400;
/** Metric charts shown at first. */
const DEFAULT_CHARTS = 4;
const NONE = '(none)';

function section(id, title, ...content) {
  return el('section', { id, class: 'card', 'aria-labelledby': `${id}-title` }, el('h2', { id: `${id}-title`, text: title }), content);
}

function problem(main, message) {
  replaceChildren(main, el('h1', { text: 'Compare runs' }), el('p', { id: 'compare-error', class: 'error', role: 'alert', text: message }),
    el('p', {}, el('a', { href: '#/search', text: 'Back to search' })));
}

export async function renderCompare(main, params, onUnauthenticated) {
  document.title = 'Compare · Lab Journal';
  const ids = (params.get('runs') || '').split(',').map((id) => id.trim()).filter(Boolean);
  if (ids.length === 0) {
    problem(main, 'No runs to compare: tick runs on the search page and press Compare, or name them as #/compare?runs=a,b.');
    return;
  }
  const hash = location.hash;
  replaceChildren(main, el('p', { class: 'muted', text: `Loading ${ids.length} runs…` }));
  let comparison;
  try {
    comparison = await get('/compare', { run_ids: ids.join(',') });
  } catch (e) {
    if (e.status === 401) { onUnauthenticated(); return; }
    if (location.hash === hash) problem(main, `The runs cannot be compared: ${e.message}`);
    return;
  }
  if (location.hash !== hash) return;
  new CompareView(main, comparison, params).render();
}

/** A smoothing weight from the URL or the slider: a number in [0, 0.99], 0 when it is none. */
function smoothingOf(text) {
  const weight = Number(text);
  return Number.isFinite(weight) && weight > 0 ? Math.min(0.99, Math.round(weight * 100) / 100) : 0;
}

class CompareView {
  constructor(main, comparison, params) {
    this.main = main;
    this.comparison = comparison;
    this.runs = comparison.runs;
    this.ids = this.runs.map((r) => r.run_id);
    this.metricKeys = Object.keys(comparison.metrics || {}).sort();
    this.diffKeys = Object.keys(comparison.param_diff || {}).sort();
    const chosen = params.getAll('metric').filter((k) => this.metricKeys.includes(k));
    this.state = {
      metrics: params.has('metric') ? chosen : this.metricKeys.slice(0, DEFAULT_CHARTS),
      group: this.diffKeys.includes(params.get('group')) ? params.get('group') : '',
      pc: this.metricKeys.includes(params.get('pc')) ? params.get('pc') : this.metricKeys[0] || '',
      shared: params.get('shared') === '1',
      log: params.get('log') === '1',
      smoothing: smoothingOf(params.get('smoothing')),
    };
    this.histories = new Map();
    this.labels = this.seriesLabels();
  }

  /** A label per run: its name, with its id when two runs share a name. */
  seriesLabels() {
    const names = this.runs.map((r) => r.name || r.run_id);
    return new Map(this.runs.map((r, i) => [r.run_id,
      names.indexOf(names[i]) !== names.lastIndexOf(names[i]) ? `${names[i]} · ${r.run_id}` : names[i]]));
  }

  /** Keeps the page's choices in its URL without reloading it (no hashchange). */
  remember() {
    const params = new URLSearchParams({ runs: this.ids.join(',') });
    for (const key of this.state.metrics) params.append('metric', key);
    if (this.state.group) params.set('group', this.state.group);
    if (this.state.pc) params.set('pc', this.state.pc);
    if (this.state.shared) params.set('shared', '1');
    if (this.state.log) params.set('log', '1');
    if (this.state.smoothing > 0) params.set('smoothing', String(this.state.smoothing));
    history.replaceState(null, '', `#/compare${queryString(params)}`);
  }

  render() {
    const notFound = this.comparison.not_found || [];
    const missing = notFound.length ? el('p', { id: 'compare-not-found', class: 'error', role: 'alert',
      text: `${notFound.length === 1 ? 'This id is' : 'These ids are'} no run of your tenant (unknown, or not yours): ${notFound.join(', ')}` }) : null;
    if (this.runs.length === 0) {
      replaceChildren(this.main, el('h1', { text: 'Compare runs' }), missing, el('p', {}, el('a', { href: '#/search', text: 'Back to search' })));
      return;
    }
    document.title = `Compare ${this.runs.length} runs · Lab Journal`;
    this.paramsBody = el('div');
    this.chartsBody = el('div', { class: 'charts', id: 'compare-charts' });
    this.parallelBody = el('div', { class: 'parallel-chart', id: 'parallel-chart' });
    this.parallelNote = el('p', { class: 'muted' });
    replaceChildren(this.main,
      el('p', { class: 'crumbs' }, el('a', { href: '#/search', text: '← Search' })),
      el('h1', { text: `Compare ${this.runs.length} ${this.runs.length === 1 ? 'run' : 'runs'}` }),
      missing,
      section('compare-runs', 'Runs', this.runsTable()),
      section('compare-params', 'Params', this.sharedToggle(), this.paramsBody),
      section('compare-metrics', 'Metrics', this.metricControls(), this.chartsBody),
      section('compare-parallel', 'Parallel coordinates', this.parallelControls(), this.parallelNote, this.parallelBody));
    this.renderParams();
    this.renderCharts();
    this.renderParallel();
    this.main.focus();
  }

  runsTable() {
    return el('div', { class: 'table-wrap' }, el('table', { class: 'kv compare-runs' },
      el('caption', { class: 'visually-hidden', text: 'Runs compared' }),
      el('thead', {}, el('tr', {}, ['Run', 'Status', 'Failure', 'Duration', 'Team', 'Project'].map((c) => el('th', { scope: 'col', text: c })))),
      el('tbody', {}, this.runs.map((r) => el('tr', { class: 'compared-run', dataset: { runId: r.run_id } },
        el('td', {}, runLink(r.run_id, this.labels.get(r.run_id))),
        el('td', {}, statusBadge(r.status)),
        el('td', { class: 'failure-type', text: r.failure?.type || '' }),
        el('td', { class: 'duration', text: duration(r.start_time, r.end_time) || (r.status === 'running' ? 'running' : '') }),
        el('td', { text: r.team || '' }),
        el('td', { text: r.project || '' }))))));
  }

  sharedToggle() {
    const shared = Object.keys(this.comparison.shared_params || {}).length;
    const box = el('input', { type: 'checkbox', id: 'show-shared', checked: this.state.shared });
    box.addEventListener('change', () => {
      this.state.shared = box.checked;
      this.remember();
      this.renderParams();
    });
    return el('p', { class: 'toggle' }, box, el('label', { for: 'show-shared', text: ` Show the ${shared} shared ${shared === 1 ? 'param' : 'params'} too` }));
  }

  renderParams() {
    const diff = this.comparison.param_diff || {};
    const shared = this.comparison.shared_params || {};
    const rows = this.diffKeys.map((key) => el('tr', { class: 'param differs', dataset: { param: key } },
      el('th', { scope: 'row', text: key }), this.ids.map((id) => {
        const value = diff[key][id];
        return el('td', { class: value === null || value === undefined ? 'muted' : '', text: value === null || value === undefined ? '—' : display(value) });
      })));
    if (this.state.shared) {
      for (const key of Object.keys(shared).sort()) {
        rows.push(el('tr', { class: 'param shared muted', dataset: { param: key } },
          el('th', { scope: 'row', text: key }), this.ids.map(() => el('td', { text: display(shared[key]) }))));
      }
    }
    replaceChildren(this.paramsBody, rows.length === 0
      ? el('p', { class: 'muted', text: 'Every param is the same in all runs (or no run has params).' })
      : el('div', { class: 'table-wrap' }, el('table', { class: 'kv param-diff', id: 'param-diff' },
        el('caption', { class: 'visually-hidden', text: 'Params by run' }),
        el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: 'param' }), this.runs.map((r) => el('th', { scope: 'col', text: this.labels.get(r.run_id) })))),
        el('tbody', {}, rows))));
  }

  metricControls() {
    if (this.metricKeys.length === 0) return el('p', { class: 'muted', text: 'None of these runs has logged a metric.' });
    const boxes = this.metricKeys.map((key, i) => {
      const id = `metric-choice-${i}`;
      const box = el('input', { type: 'checkbox', id, name: 'metric', value: key, checked: this.state.metrics.includes(key) });
      box.addEventListener('change', () => {
        this.state.metrics = this.metricKeys.filter((k) => k === key ? box.checked : this.state.metrics.includes(k));
        this.remember();
        this.renderCharts();
      });
      return el('span', { class: 'choice' }, box, el('label', { for: id, text: ` ${key}` }));
    });
    const group = el('select', { id: 'group-by' },
      el('option', { value: '', text: 'nothing: a line per run' }),
      this.diffKeys.map((key) => el('option', { value: key, text: `params.${key}`, selected: key === this.state.group })));
    group.addEventListener('change', () => {
      this.state.group = group.value;
      this.remember();
      this.renderCharts();
    });
    const log = el('input', { type: 'checkbox', id: 'compare-log', checked: this.state.log });
    log.addEventListener('change', () => {
      this.state.log = log.checked;
      this.remember();
      this.renderCharts();
    });
    const weight = el('input', { type: 'range', id: 'compare-smoothing', min: '0', max: '0.99', step: '0.01', value: String(this.state.smoothing) });
    const shown = el('output', { for: 'compare-smoothing', text: String(this.state.smoothing) });
    weight.addEventListener('input', () => {
      this.state.smoothing = smoothingOf(weight.value);
      shown.textContent = String(this.state.smoothing);
      this.remember();
      this.renderCharts();
    });
    return el('div', { class: 'compare-controls' },
      el('fieldset', { class: 'metric-choices' }, el('legend', { text: 'Metrics to chart' }), boxes),
      el('div', { class: 'field' }, el('label', { for: 'group-by', text: 'Group by ' }), group,
        this.diffKeys.length ? null : el('small', { class: 'muted', text: ' (no param differs)' })),
      el('div', { class: 'field chart-options' },
        el('span', { class: 'choice' }, log, el('label', { for: 'compare-log', text: ' Log scale' })),
        ' ', el('label', { for: 'compare-smoothing', text: 'Smoothing ' }), weight, shown));
  }

  history(key) {
    if (!this.histories.has(key)) {
      this.histories.set(key, get(`/metrics/${segment(key, true)}/history`, { run_ids: this.ids.join(','), max_points: MAX_POINTS }));
    }
    return this.histories.get(key);
  }

  /** The series of a chart: a run each, or with group by a param the runs of each of its values together. */
  series(answer) {
    const columns = new Map((answer.series || []).filter((s) => (s.points || []).length > 0)
      .map((s) => [s.run_id, runColumns(s, MAX_POINTS)]));
    const withData = this.ids.filter((id) => columns.has(id));
    if (!this.state.group) {
      return groupSeries(withData.map((id) => ({ label: this.labels.get(id), colour: this.ids.indexOf(id), columns: [columns.get(id)] })));
    }
    const groups = new Map();
    for (const id of withData) {
      const value = this.comparison.param_diff[this.state.group][id] ?? NONE;
      if (!groups.has(value)) groups.set(value, []);
      groups.get(value).push(columns.get(id));
    }
    return groupSeries([...groups].map(([value, list], i) => ({ label: `${this.state.group} = ${value}`, colour: i, columns: list })));
  }

  renderCharts() {
    const keys = this.state.metrics;
    replaceChildren(this.chartsBody, keys.length === 0 ? el('p', { class: 'muted', text: 'Tick a metric to chart it.' }) : null);
    this.chartsBody.dataset.group = this.state.group;
    for (const key of keys) {
      const slot = el('div', { class: 'chart-slot', dataset: { metric: key } }, el('p', { class: 'muted', text: `Loading ${key}…` }));
      this.chartsBody.append(slot);
      this.history(key).then((answer) => {
        const series = this.series(answer);
        if (series.length === 0) {
          replaceChildren(slot, el('p', { class: 'muted', text: `No run has points of ${key}.` }));
          return;
        }
        const downsampled = (answer.series || []).some((s) => s.downsampled);
        const lines = this.state.group
          ? `A line per value of ${this.state.group}: at each step, the mean of its runs' values (a run's value at a step is its point there or the straight line between its points either side; a run counts only between its first and last step); the band spans their minimum to maximum.`
          : `A line per run${downsampled ? `, downsampled by the server to at most ${MAX_POINTS} points; the band spans each bucket’s minimum and maximum` : ''}.`;
        const smoothed = this.state.smoothing > 0
          ? ` Smoothed: each line is the moving average of its points (weight ${this.state.smoothing}), its raw line faint beneath.` : '';
        replaceChildren(slot, overlaidChart(key, series, lines + smoothed,
          { logScale: this.state.log, smoothing: this.state.smoothing }));
      }, (e) => replaceChildren(slot, el('p', { class: 'error', text: `${key}: ${e.message}` })));
    }
  }

  parallelControls() {
    if (this.metricKeys.length === 0) return null;
    const select = el('select', { id: 'parallel-metric' },
      this.metricKeys.map((key) => el('option', { value: key, text: key, selected: key === this.state.pc })));
    select.addEventListener('change', () => {
      this.state.pc = select.value;
      this.remember();
      this.renderParallel();
    });
    return el('div', { class: 'field compare-controls' }, el('label', { for: 'parallel-metric', text: 'Last value of ' }), select);
  }

  async renderParallel() {
    if (!this.state.pc) {
      this.parallelNote.textContent = 'Parallel coordinates need a metric; none of these runs has one.';
      return;
    }
    const lasts = Object.fromEntries(this.ids.map((id) => [id, this.comparison.metrics[this.state.pc]?.[id]?.last ?? null]));
    this.parallelNote.textContent = `An axis per param that differs${this.diffKeys.length ? '' : ' (none does)'}, then the last value of ${this.state.pc}; a line per run, in its colour of the charts without grouping.`;
    try {
      const { parallelModel, drawParallel } = await import('./parallel.js');
      if (this.chart) this.chart.dispose();
      this.chart = drawParallel(this.parallelBody, parallelModel(this.runs, this.comparison.param_diff || {}, this.state.pc, lasts));
    } catch (e) {
      this.parallelNote.textContent = `The parallel coordinates could not be drawn: ${e.message}`;
    }
  }
}
