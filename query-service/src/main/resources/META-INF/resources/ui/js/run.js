// A run's page: status, duration, params, tags, notes, source, environment, datasets, artifacts; its failure with
// the stack trace; a chart per metric; similar failures of every team; duplicates.
import { el, replaceChildren, facts, keyValueTable, display, when, duration, statusBadge, runLink } from './dom.js';
import { runs } from './api.js';
import { renderTrace } from './stacktrace.js';
import { drawChart, chartCaption } from './chart.js';

const MAX_CHARTS = 12;

function section(id, title, ...content) {
  return el('section', { id, class: 'card', 'aria-labelledby': `${id}-title` }, el('h2', { id: `${id}-title`, text: title }), content);
}

/** A loaded part of the page: a placeholder until `load` resolves to nodes (or to an error message). */
function deferred(id, title, load) {
  const body = el('div', { class: 'muted', text: 'Loading…' });
  load().then((nodes) => replaceChildren(body, nodes), (e) => replaceChildren(body, el('p', { class: 'error', text: e.message })))
    .finally(() => body.classList.remove('muted'));
  return section(id, title, body);
}

export async function renderRun(main, runId, onUnauthenticated) {
  document.title = `${runId} · Lab Journal`;
  replaceChildren(main, el('p', { class: 'muted', text: `Loading run ${runId}…` }));
  let run;
  try {
    run = await runs.get(runId);
  } catch (e) {
    if (e.status === 401) { onUnauthenticated(); return; }
    replaceChildren(main, el('h1', { text: 'Run not found' }),
      el('p', { class: 'error', text: e.status === 404 ? `No run with id ${runId} in your tenant.` : e.message }),
      el('p', {}, el('a', { href: '#/search', text: 'Back to search' })));
    return;
  }
  if (location.hash !== `#/runs/${encodeURIComponent(runId)}`) return;
  document.title = `${run.name || run.run_id} · Lab Journal`;
  replaceChildren(main,
    el('p', { class: 'crumbs' }, el('a', { href: '#/search', text: '← Search' })),
    header(run),
    run.failure ? failure(run) : null,
    metrics(run),
    section('params', 'Params', keyValueTable(run.params, 'Params')),
    section('tags', 'Tags', keyValueTable(run.tags, 'Tags')),
    notes(run),
    section('source', 'Source', facts([
      ['repository', run.source?.repo], ['commit', run.source?.commit], ['branch', run.source?.branch],
      ['dirty', run.source?.dirty === undefined || run.source?.dirty === null ? '' : String(run.source.dirty)],
      ['entrypoint', run.source?.entrypoint], ['fingerprint', run.fingerprint],
    ])),
    section('environment', 'Environment', keyValueTable(run.environment, 'Environment')),
    datasets(run),
    artifacts(run),
    Object.keys(run.extra || {}).length ? section('extra', 'Other members', keyValueTable(run.extra, 'Other members')) : null,
    run.failure ? deferred('similar', 'Similar failures', () => similar(run)) : null,
    deferred('duplicates', 'Duplicates', () => duplicates(run)));
  main.focus();
}

function header(run) {
  return el('section', { class: 'run-header', 'aria-labelledby': 'run-title' },
    el('h1', { id: 'run-title' }, el('span', { id: 'run-name', text: run.name || run.run_id }), ' ', statusBadge(run.status)),
    facts([
      ['run id', el('code', { text: run.run_id })], ['project', run.project], ['team', run.team], ['user', run.user],
      ['started', when(run.start_time)], ['ended', when(run.end_time)], ['duration', duration(run.start_time, run.end_time)],
      ['last event', when(run.last_event_time)], ['hypothesis', run.hypothesis], ['conclusion', run.conclusion],
      ['failure group', run.failure_group ? el('a', {
        href: `#/search?filter=${encodeURIComponent(`attributes.failure_group = '${run.failure_group}'`)}`, text: run.failure_group,
      }) : ''],
    ], { id: 'run-facts' }));
}

function failure(run) {
  const f = run.failure;
  return section('failure', 'Failure',
    el('p', { class: 'failure-line' }, el('strong', { id: 'failure-type', text: f.type || 'failure' }), f.message ? ': ' : '',
      el('span', { id: 'failure-message', text: f.message || '' })),
    f.step !== null && f.step !== undefined ? el('p', { class: 'muted', text: `at step ${f.step}` }) : null,
    f.stacktrace ? renderTrace(f.stacktrace) : el('p', { class: 'muted', text: 'No stack trace was sent.' }));
}

function metrics(run) {
  const list = run.metrics || [];
  if (list.length === 0) return section('metrics', 'Metrics', el('p', { class: 'muted', text: 'No metrics.' }));
  const summary = el('table', { class: 'kv metrics-summary' },
    el('caption', { class: 'visually-hidden', text: 'Metric summaries' }),
    el('thead', {}, el('tr', {}, ['metric', 'last', 'min', 'max', 'points', 'last step'].map((h) => el('th', { scope: 'col', text: h })))),
    el('tbody', {}, list.map((m) => el('tr', {},
      el('th', { scope: 'row', text: m.key }), el('td', { text: display(m.last) }), el('td', { text: display(m.min) }),
      el('td', { text: display(m.max) }), el('td', { text: display(m.count) }), el('td', { text: display(m.last_step) })))));
  const charts = el('div', { class: 'charts' });
  const failureStep = run.failure ? run.failure.step : null;
  const view = new ChartView(run.run_id, failureStep);
  for (const metric of list.slice(0, MAX_CHARTS)) charts.append(view.chart(metric.key));
  return section('metrics', 'Metrics', list.length ? view.controls() : null, charts,
    list.length > MAX_CHARTS ? el('p', { class: 'muted', text: `Charts of the first ${MAX_CHARTS} of ${list.length} metrics.` }) : null,
    el('div', { class: 'table-wrap' }, summary));
}

/**
 * The charts of a run page and their shared options: log scale and smoothing redraw from the histories already
 * loaded; a step range (dragged across any chart, or typed) loads every chart's history of those steps again.
 */
class ChartView {
  constructor(runId, failureStep) {
    this.runId = runId;
    this.failureStep = failureStep;
    this.options = { logScale: false, smoothing: 0 };
    this.range = null;
    this.charts = [];
    this.maxPoints = Math.min(2000, Math.max(200, 2 * Math.floor(window.innerWidth)));
  }

  chart(key) {
    const plot = el('div', { class: 'chart', role: 'img', 'aria-label': `Chart of ${key} by step`, dataset: { metric: key } });
    const caption = el('div');
    const entry = { key, plot, caption, history: null };
    this.charts.push(entry);
    this.load(entry);
    return el('figure', { class: 'chart-figure' }, el('figcaption', { text: key }), plot, caption);
  }

  load(entry) {
    const range = this.range;
    runs.metric(this.runId, entry.key, this.maxPoints, range).then((history) => {
      if (range !== this.range) return;
      entry.history = history;
      this.draw(entry);
    }, (e) => replaceChildren(entry.caption, el('p', { class: 'error', text: `Could not load ${entry.key}: ${e.message}` })));
  }

  draw(entry) {
    if (!entry.history) return;
    drawChart(entry.plot, entry.history, {
      maxPoints: this.maxPoints,
      failureStep: this.failureStep,
      logScale: this.options.logScale,
      smoothing: this.options.smoothing,
      onZoom: (steps) => this.zoom(steps),
    });
    entry.plot.dataset.range = this.range ? `${this.range.start}-${this.range.end}` : 'all';
    replaceChildren(entry.caption, chartCaption(entry.history, this.failureStep));
  }

  zoom(steps) {
    this.range = steps;
    this.from.value = steps ? String(steps.start) : '';
    this.to.value = steps ? String(steps.end) : '';
    this.reset.disabled = !steps;
    this.charts.forEach((entry) => this.load(entry));
  }

  controls() {
    const log = el('input', { type: 'checkbox', id: 'chart-log' });
    log.addEventListener('change', () => { this.options.logScale = log.checked; this.charts.forEach((c) => this.draw(c)); });
    const weight = el('input', { type: 'range', id: 'chart-smoothing', min: '0', max: '0.99', step: '0.01', value: '0' });
    const shown = el('output', { for: 'chart-smoothing', text: '0' });
    weight.addEventListener('input', () => {
      this.options.smoothing = Number(weight.value);
      shown.textContent = weight.value;
      this.charts.forEach((c) => this.draw(c));
    });
    this.from = el('input', { type: 'number', id: 'chart-from', min: '0', step: '1', inputmode: 'numeric' });
    this.to = el('input', { type: 'number', id: 'chart-to', min: '0', step: '1', inputmode: 'numeric' });
    this.reset = el('button', { type: 'button', id: 'chart-reset', text: 'Show all steps', disabled: true });
    this.reset.addEventListener('click', () => this.zoom(null));
    const steps = el('form', { class: 'chart-steps', 'aria-label': 'Steps shown' },
      el('label', { for: 'chart-from', text: 'Steps from' }), this.from,
      el('label', { for: 'chart-to', text: 'to' }), this.to,
      el('button', { type: 'submit', text: 'Zoom' }), this.reset);
    steps.addEventListener('submit', (event) => {
      event.preventDefault();
      const start = Number.parseInt(this.from.value, 10);
      const end = Number.parseInt(this.to.value, 10);
      if (Number.isInteger(start) && Number.isInteger(end) && start >= 0 && end >= start) this.zoom({ start, end });
    });
    return el('div', { class: 'chart-controls' },
      el('label', { for: 'chart-log' }, log, ' Log scale'),
      el('label', { for: 'chart-smoothing', text: 'Smoothing ' }), weight, shown,
      steps,
      el('p', { class: 'muted chart-hint', text: 'Drag across a chart to zoom into those steps.' }));
  }
}

function notes(run) {
  const list = run.notes || [];
  return section('notes', 'Notes', list.length === 0 ? el('p', { class: 'muted', text: 'No notes.' })
    : el('ul', { class: 'notes' }, list.map((n) => el('li', { class: 'note' },
      el('span', { class: 'note-kind', text: n.kind || 'note' }), ' ', el('time', { datetime: n.time || '', class: 'muted', text: when(n.time) }),
      el('p', { class: 'note-text', text: n.text || '' })))));
}

function table(caption, columns, rows) {
  return el('div', { class: 'table-wrap' }, el('table', { class: 'kv' }, el('caption', { class: 'visually-hidden', text: caption }),
    el('thead', {}, el('tr', {}, columns.map((c) => el('th', { scope: 'col', text: c })))),
    el('tbody', {}, rows.map((cells) => el('tr', {}, cells.map((c) => el('td', { text: display(c) })))))));
}

function datasets(run) {
  const list = run.datasets || [];
  return section('datasets', 'Datasets', list.length === 0 ? el('p', { class: 'muted', text: 'No datasets.' })
    : table('Datasets', ['name', 'digest', 'uri'], list.map((d) => [d.name, d.digest, d.uri])));
}

function artifacts(run) {
  const list = run.artifacts || [];
  return section('artifacts', 'Artifacts', list.length === 0 ? el('p', { class: 'muted', text: 'No artifacts.' })
    : table('Artifacts', ['path', 'uri', 'digest', 'size', 'media type', 'time'],
      list.map((a) => [a.path, a.uri, a.digest, a.size, a.media_type, when(a.time)])));
}

async function similar(run) {
  const answer = await runs.similarFailures(run.run_id, 10);
  const intro = el('p', { class: 'muted' },
    `${answer.group_count} ${answer.group_count === 1 ? 'run' : 'runs'} of your organisation in this failure group`,
    answer.normalised_message ? el('span', {}, ': ', el('code', { text: answer.normalised_message })) : '');
  if (!answer.similar || answer.similar.length === 0) return [intro, el('p', { text: 'No other run failed this way.' })];
  return [intro, el('ol', { class: 'similar', id: 'similar-list' }, answer.similar.map((s) => {
    const why = s.why || {};
    const reasons = [
      why.same_group ? 'same failure group' : null, why.same_message ? 'same message' : null,
      why.exception_types?.length ? `exceptions: ${why.exception_types.join(', ')}` : null,
      why.app_frames?.length ? `project frames: ${why.app_frames.join(', ')}` : null,
      why.library_frames?.length ? `library frames: ${why.library_frames.join(', ')}` : null,
    ].filter(Boolean);
    return el('li', { class: 'similar-run', dataset: { runId: s.run_id } },
      runLink(s.run_id, s.name || s.run_id), ' ', el('span', { class: 'muted', text: `${s.team || ''} / ${s.project || ''}` }),
      el('div', { class: 'failure-line' }, el('strong', { text: s.failure_type || '' }), s.failure_message ? `: ${s.failure_message}` : ''),
      reasons.length ? el('div', { class: 'why muted', text: `Why: ${reasons.join('; ')}` }) : null);
  }))];
}

async function duplicates(run) {
  const answer = await runs.duplicates(run.run_id);
  const outcomes = Object.entries(answer.outcomes || {}).filter(([, count]) => count > 0).map(([status, count]) => `${count} ${status}`).join(', ');
  if (!answer.count) return [el('p', { text: 'No other run had the same project, commit, datasets and params.' })];
  return [el('p', { text: `${answer.count} ${answer.count === 1 ? 'run repeats' : 'runs repeat'} this one (${outcomes}).` }),
    el('ul', { class: 'duplicates' }, (answer.runs || []).map((d) => el('li', {},
      runLink(d.run_id, d.name || d.run_id), ' ', statusBadge(d.status), d.failure_type ? ` ${d.failure_type}` : '',
      d.start_time ? el('span', { class: 'muted', text: ` started ${when(d.start_time)}` }) : '')))];
}
