// The failures page, #/failures?days=: the tenant's failure groups of a window of days (GET /api/v1/failure-groups),
// most runs first, each with its teams, first and last seen, an example stack trace (its most recent run's, loaded
// when opened) and links to its runs (the search page filtered on attributes.failure_group): those of the window,
// which the count counts, and all of them.
import { el, replaceChildren, when, runLink } from './dom.js';
import { get, segment } from './api.js';
import { searchHash, queryString } from './route.js';
import { quoted } from './search.js';
import { renderTrace } from './stacktrace.js';

const WINDOWS = [7, 30, 90, 365];
const DEFAULT_DAYS = 30;
const LIMIT = 50;

/** The search of a group's runs; with `since` (an ISO time), of those that ended since then. */
export function groupSearchHash(group, since) {
  const ofGroup = `attributes.failure_group = ${quoted(group)}`;
  return searchHash({ filter: since ? `${ofGroup} AND attributes.end_time >= ${quoted(since)}` : ofGroup });
}

export async function renderFailures(main, params, onUnauthenticated) {
  const asked = Number(params.get('days'));
  const days = Number.isInteger(asked) && asked >= 1 && asked <= 3650 ? asked : DEFAULT_DAYS;
  document.title = 'Failures · Lab Journal';
  const hash = location.hash;
  const windowSelect = el('select', { id: 'failure-days' },
    [...new Set([...WINDOWS, days])].sort((a, b) => a - b).map((d) => el('option', { value: String(d), text: `${d} days`, selected: d === days })));
  windowSelect.addEventListener('change', () => { location.hash = `#/failures${queryString(new URLSearchParams({ days: windowSelect.value }))}`; });
  const summary = el('p', { id: 'failures-summary', class: 'summary', role: 'status', 'aria-live': 'polite', text: 'Loading failure groups…' });
  const list = el('ol', { id: 'failure-groups', class: 'failure-groups' });
  replaceChildren(main,
    el('h1', { text: 'Failures' }),
    el('p', { class: 'failures-window' }, el('label', { for: 'failure-days', text: 'Failed runs that ended in the last ' }), windowSelect),
    summary, list);
  let page;
  try {
    page = await get('/failure-groups', { days, limit: LIMIT });
  } catch (e) {
    if (e.status === 401) { onUnauthenticated(); return; }
    if (location.hash === hash) {
      summary.textContent = '';
      summary.append(el('span', { class: 'error', id: 'failures-error', text: `The failure groups cannot be shown: ${e.message}` }));
    }
    return;
  }
  if (location.hash !== hash) return;
  const groups = page.groups || [];
  const total = groups.reduce((sum, g) => sum + g.count, 0);
  summary.textContent = groups.length === 0
    ? `No run of your tenant failed in the last ${page.days} days.`
    : `${groups.length} failure ${groups.length === 1 ? 'group' : 'groups'}, ${total} failed ${total === 1 ? 'run' : 'runs'} in the last ${page.days} days, most runs first.`;
  const since = new Date(Date.now() - page.days * 86_400_000).toISOString();
  list.append(...groups.map((g, i) => groupItem(g, i, page.days, since)));
}

function groupItem(g, i, days, since) {
  const titleId = `failure-group-${i}`;
  const trace = el('div', { class: 'muted', text: 'Loading…' });
  const example = el('details', { class: 'example-trace' }, el('summary', {}, 'Example stack trace (', el('span', { text: 'run ' }), el('code', { text: g.example_run_id || '' }), ')'), trace);
  let loaded = false;
  example.addEventListener('toggle', () => {
    if (!example.open || loaded) return;
    loaded = true;
    get(`/runs/${segment(g.example_run_id)}`).then((run) => {
      replaceChildren(trace, el('p', {}, runLink(run.run_id, run.name || run.run_id), run.team ? ` (${run.team})` : ''),
        run.failure?.stacktrace ? renderTrace(run.failure.stacktrace) : el('p', { class: 'muted', text: 'This run sent no stack trace.' }));
      trace.classList.remove('muted');
    }, (e) => {
      replaceChildren(trace, el('p', { class: 'error', text: e.message }));
      trace.classList.remove('muted');
    });
  });
  return el('li', { class: 'card failure-group', dataset: { group: g.group, count: String(g.count) }, 'aria-labelledby': titleId },
    el('h2', { id: titleId, class: 'failure-title' },
      el('span', { class: 'group-count', text: String(g.count) }), ' ',
      el('span', { class: 'exception-type', text: g.exception_type || 'unknown exception' })),
    g.normalised_message ? el('p', { class: 'normalised-message' }, el('code', { text: g.normalised_message })) : null,
    el('dl', { class: 'facts' },
      el('dt', { text: 'teams' }), el('dd', { class: 'teams' }, (g.teams || []).map((t, at) => [at ? ', ' : null,
        el('span', { class: 'team', dataset: { team: t.team, count: String(t.count) }, text: `${t.team} (${t.count})` })])),
      el('dt', { text: 'first seen' }), el('dd', {}, el('time', { datetime: g.first_seen || '', text: when(g.first_seen) })),
      el('dt', { text: 'last seen' }), el('dd', {}, el('time', { datetime: g.last_seen || '', text: when(g.last_seen) })),
      el('dt', { text: 'group' }), el('dd', {}, el('code', { text: g.group }))),
    el('p', { class: 'group-links' },
      el('a', { class: 'group-runs-window', href: groupSearchHash(g.group, since), text: `${g.count === 1 ? 'The run' : `The ${g.count} runs`} of the last ${days} days →` }),
      ' ', el('a', { class: 'group-runs', href: groupSearchHash(g.group), text: 'All runs of this group →' })),
    example);
}
