// The search page: full text, the filter language with errors at their column, facets as filters, sortable
// columns (and chosen param, metric and tag columns), highlighted snippets, and more results by cursor as the list
// scrolls into view.
import { el, replaceChildren, statusBadge, runLink, when } from './dom.js';
import { runs } from './api.js';
import { searchHash } from './route.js';
import { highlightNodes } from './highlight.js';
import { RunSelection } from './selection.js';

const PAGE_SIZE = 25;
const FACETS = [
  ['team', 'Team', 'attributes.team'],
  ['project', 'Project', 'attributes.project'],
  ['status', 'Status', 'attributes.status'],
  ['failure_type', 'Failure type', 'attributes.failure_type'],
  ['user', 'User', 'attributes.user'],
  ['failure_group', 'Failure group', 'attributes.failure_group'],
];
const COLUMNS = [
  ['Run', 'run_name', 'ASC'],
  ['Status', 'status', 'ASC'],
  ['Team', 'team', 'ASC'],
  ['Project', 'project', 'ASC'],
  ['User', 'user', 'ASC'],
  ['Failure', 'failure_type', 'ASC'],
  ['Started', 'start_time', 'DESC'],
];
const FIELD_LABELS = {
  name: 'name', failure_type: 'failure type', failure_message: 'message', failure_stacktrace: 'stack trace',
  notes: 'note', params_text: 'params', tags_text: 'tags',
};

/** A column's name as the sort takes it: the key quoted with backticks unless it is a plain word. */
export function sortName(name) {
  const dot = name.indexOf('.');
  const key = name.slice(dot + 1);
  return /^[A-Za-z0-9_]+$/.test(key) ? name : `${name.slice(0, dot)}.\`${key}\``;
}

/** A column's value as the table shows it: a metric to 4 significant digits, a missing key as a dash. */
function columnValue(value) {
  if (value === null || value === undefined) return '–';
  return typeof value === 'number' ? String(Number(value.toPrecision(4))) : String(value);
}

/** A string literal of the filter language: single quotes, a quote inside written twice. */
export function quoted(value) {
  return `'${String(value).replace(/'/g, "''")}'`;
}

/** The filter with one more condition, ANDed (an existing OR is parenthesised so that it stays whole). */
export function withCondition(filter, condition) {
  const current = (filter || '').trim();
  if (!current) return condition;
  return `${/\bor\b/i.test(current) ? `(${current})` : current} AND ${condition}`;
}

/** The filter without a condition added by withCondition, or null when it is not there as such. */
export function withoutCondition(filter, condition) {
  const current = (filter || '').trim();
  if (current === condition) return '';
  const suffix = ` AND ${condition}`;
  if (current.endsWith(suffix)) return current.slice(0, -suffix.length).replace(/^\((.*)\)$/s, '$1');
  return null;
}

/** "key DIR" of a one-key sort, or null. */
function parseSort(sort) {
  const match = (sort || '').trim().match(/^(\S+)\s*(ASC|DESC)?$/i);
  return match ? { key: match[1], dir: (match[2] || 'ASC').toUpperCase() } : null;
}

export class SearchView {
  constructor(main, onUnauthenticated) {
    this.main = main;
    this.onUnauthenticated = onUnauthenticated;
    this.generation = 0;
    this.state = { q: '', filter: '', sort: '', columns: '', selected: [] };
    this.chosen = [];
    this.selection = new RunSelection((selected) => {
      this.state = { ...this.state, selected };
      history.replaceState(null, '', searchHash(this.state));
    });
    this.nextToken = null;
    this.loading = false;
    this.build();
  }

  build() {
    this.q = el('input', { id: 'q', name: 'q', type: 'search', placeholder: 'CUDA out of memory resnet50', autocomplete: 'off' });
    this.filter = el('input', {
      id: 'filter', name: 'filter', type: 'text', class: 'mono', autocomplete: 'off', spellcheck: 'false',
      placeholder: "metrics.val_acc > 0.9 AND params.optimizer = 'adam'", 'aria-describedby': 'filter-help filter-error',
    });
    this.columns = el('input', {
      id: 'columns', name: 'columns', type: 'text', class: 'mono', autocomplete: 'off', spellcheck: 'false',
      placeholder: 'params.lr, metrics.val_loss, tags.env', 'aria-describedby': 'columns-help filter-error',
    });
    this.filterError = el('div', { id: 'filter-error', class: 'error', role: 'alert' });
    const form = el('form', { role: 'search', class: 'search-form', 'aria-label': 'Search runs' },
      el('div', { class: 'field' }, el('label', { for: 'q', text: 'Search' }), this.q),
      el('div', { class: 'field' }, el('label', { for: 'filter', text: 'Filter' }), this.filter,
        el('small', { id: 'filter-help', class: 'muted', text: "MLflow's search grammar with OR and parentheses: params.lr = '0.1' AND (tags.env = 'prod' OR attributes.status = 'failed')" }),
        this.filterError),
      el('div', { class: 'field' }, el('label', { for: 'columns', text: 'Columns' }), this.columns,
        el('small', { id: 'columns-help', class: 'muted', text: 'Params, metrics (last value) and tags to show, comma-separated' })),
      el('button', { type: 'submit', id: 'search-submit', text: 'Search' }));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.go({ ...this.state, q: this.q.value.trim(), filter: this.filter.value.trim(), columns: this.columns.value.trim() });
    });
    this.facets = el('aside', { id: 'facets', class: 'facets', 'aria-label': 'Facets' });
    this.summary = el('p', { id: 'result-summary', class: 'summary', role: 'status', 'aria-live': 'polite' });
    this.head = el('tr');
    this.body = el('tbody', { id: 'results-body' });
    this.table = el('table', { id: 'results', class: 'results' },
      el('caption', { class: 'visually-hidden', text: 'Matching runs' }), el('thead', {}, this.head), this.body);
    this.more = el('button', { type: 'button', id: 'load-more', class: 'secondary', hidden: true, text: 'More results', onClick: () => this.loadMore() });
    this.sentinel = el('div', { class: 'sentinel', 'aria-hidden': 'true' });
    this.observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) this.loadMore();
    }, { rootMargin: '300px' });
    this.observer.observe(this.sentinel);
    replaceChildren(this.main,
      el('h1', { class: 'visually-hidden', text: 'Search runs' }),
      form,
      el('div', { class: 'search-layout' }, this.facets,
        el('section', { class: 'result-list', 'aria-label': 'Results' }, this.summary, this.selection.bar, el('div', { class: 'table-wrap' }, this.table), this.more, this.sentinel)));
  }

  /** Shows the search a URL names (a new one, or the same again after the back button). */
  update(params) {
    const selected = (params.get('selected') || '').split(',').filter(Boolean);
    this.state = {
      q: params.get('q') || '', filter: params.get('filter') || '', sort: params.get('sort') || '',
      columns: params.get('columns') || '', selected,
    };
    this.selection.set(selected);
    this.q.value = this.state.q;
    this.filter.value = this.state.filter;
    this.columns.value = this.state.columns;
    if (!this.state.columns) this.chosen = [];
    document.title = `${this.state.q || this.state.filter ? `${this.state.q || this.state.filter} · ` : ''}Search · Lab Journal`;
    this.renderHead();
    this.search();
  }

  /** Navigates to a search; the same search again is run again (the hash does not change then). */
  go(state) {
    const hash = searchHash(state);
    if (hash === location.hash) this.search();
    else location.hash = hash;
  }

  /** The fixed columns and then the chosen ones (named as the API answers them). */
  headColumns() {
    return [...COLUMNS, ...this.chosen.map((name) => [name, sortName(name), name.startsWith('metrics.') ? 'DESC' : 'ASC'])];
  }

  renderHead() {
    const sort = parseSort(this.state.sort);
    replaceChildren(this.head, el('th', { scope: 'col' }, el('span', { class: 'visually-hidden', text: 'Select for comparison' })), this.headColumns().map(([label, key, firstDir]) => {
      const active = sort && sort.key === key;
      const next = active ? (sort.dir === 'ASC' ? 'DESC' : 'ASC') : firstDir;
      const button = el('button', {
        type: 'button', class: 'sort', dataset: { sort: key },
        'aria-label': `Sort by ${label.toLowerCase()}, ${next === 'ASC' ? 'ascending' : 'descending'}`,
        onClick: () => this.go({ ...this.state, sort: `${key} ${next}` }),
      }, label, active ? el('span', { 'aria-hidden': 'true', text: sort.dir === 'ASC' ? ' ▲' : ' ▼' }) : null);
      return el('th', { scope: 'col', 'aria-sort': active ? (sort.dir === 'ASC' ? 'ascending' : 'descending') : 'none' }, button);
    }));
  }

  async search() {
    const generation = ++this.generation;
    this.nextToken = null;
    this.more.hidden = true;
    this.clearFilterError();
    this.summary.textContent = 'Searching…';
    try {
      const page = await runs.search({
        q: this.state.q, filter: this.state.filter, sort: this.state.sort, columns: this.state.columns, limit: PAGE_SIZE,
        facets: FACETS.map(([name]) => name).join(','),
      });
      if (generation !== this.generation) return;
      replaceChildren(this.body);
      const chosen = page.runs.length > 0 ? Object.keys(page.runs[0].columns || {}) : this.chosen;
      if (chosen.join('\n') !== this.chosen.join('\n')) {
        this.chosen = chosen;
        this.renderHead();
      }
      this.renderFacets(page.facets || {});
      this.appendPage(page);
      this.summary.textContent = `${page.total} ${page.total === 1 ? 'run' : 'runs'}`;
    } catch (e) {
      if (generation !== this.generation) return;
      replaceChildren(this.body);
      replaceChildren(this.facets);
      this.showError(e);
    }
  }

  async loadMore() {
    if (!this.nextToken || this.loading) return;
    const generation = this.generation;
    this.loading = true;
    try {
      const page = await runs.search({
        q: this.state.q, filter: this.state.filter, sort: this.state.sort, columns: this.state.columns, limit: PAGE_SIZE,
        page_token: this.nextToken,
      });
      if (generation === this.generation) this.appendPage(page);
    } catch (e) {
      if (generation === this.generation) this.showError(e);
    } finally {
      this.loading = false;
    }
  }

  appendPage(page) {
    for (const run of page.runs) this.body.append(...this.rows(run));
    if (page.runs.length === 0 && this.body.children.length === 0) {
      this.body.append(el('tr', {}, el('td', { colspan: this.headColumns().length + 1, class: 'muted', text: 'No run matches.' })));
    }
    this.nextToken = page.next_page_token || null;
    this.more.hidden = !this.nextToken;
    this.table.dataset.loaded = String(this.body.querySelectorAll('tr.run').length);
  }

  rows(run) {
    const row = el('tr', { class: 'run', dataset: { runId: run.run_id } },
      this.selection.cell(run),
      el('td', { 'data-label': 'Run' }, runLink(run.run_id, run.name || run.run_id)),
      el('td', { 'data-label': 'Status' }, statusBadge(run.status)),
      el('td', { 'data-label': 'Team', text: run.team || '' }),
      el('td', { 'data-label': 'Project', text: run.project || '' }),
      el('td', { 'data-label': 'User', text: run.user || '' }),
      el('td', { 'data-label': 'Failure', class: 'failure-type', text: run.failure_type || '' }),
      el('td', { 'data-label': 'Started' }, run.start_time ? el('time', { datetime: run.start_time, text: when(run.start_time) }) : ''),
      this.chosen.map((name) => el('td', {
        'data-label': name, class: 'chosen', dataset: { column: name },
        text: columnValue((run.columns || {})[name]),
      })));
    const snippets = Object.entries(run.highlights || {}).flatMap(([field, fragments]) =>
      fragments.map((fragment) => el('div', { class: 'snippet' },
        el('span', { class: 'snippet-field', text: FIELD_LABELS[field] || field }),
        el('code', {}, highlightNodes(fragment)))));
    if (snippets.length === 0) return [row];
    return [row, el('tr', { class: 'snippets' }, el('td', { colspan: this.headColumns().length + 1 }, snippets))];
  }

  renderFacets(facets) {
    replaceChildren(this.facets, el('h2', { text: 'Refine' }), FACETS.map(([name, label, field]) => {
      const values = facets[name] || [];
      if (values.length === 0) return null;
      return el('section', { class: 'facet', dataset: { facet: name } },
        el('h3', { text: label }),
        el('ul', {}, values.map(({ value, count }) => {
          const condition = `${field} = ${quoted(value)}`;
          const without = withoutCondition(this.state.filter, condition);
          const active = without !== null;
          return el('li', {}, el('button', {
            type: 'button', class: 'facet-value', 'aria-pressed': String(active), dataset: { value },
            title: active ? `Remove ${condition}` : `Add ${condition}`,
            onClick: () => this.go({ ...this.state, filter: active ? without : withCondition(this.state.filter, condition) }),
          }, el('span', { class: 'facet-label', text: value }), el('span', { class: 'count', text: String(count) })));
        })));
    }));
  }

  clearFilterError() {
    replaceChildren(this.filterError);
    this.filter.removeAttribute('aria-invalid');
    this.columns.removeAttribute('aria-invalid');
  }

  showError(e) {
    if (e.status === 401) {
      this.onUnauthenticated();
      return;
    }
    this.more.hidden = true;
    const param = { invalid_filter: ['filter', 'Filter'], invalid_sort: ['sort', 'Sort'], invalid_columns: ['columns', 'Columns'] }[e.code];
    if (param) {
      const text = this.state[param[0]];
      const column = Number(e.details.column) || 1;
      this.summary.textContent = `The ${param[0]} has an error.`;
      replaceChildren(this.filterError,
        el('p', { class: 'error-message', text: `${param[1]}, column ${column}: ${e.message}` }),
        el('pre', { class: 'error-pointer', 'aria-hidden': 'true', dataset: { column: String(column) } },
          text, '\n', `${' '.repeat(Math.max(0, column - 1))}^`));
      const box = e.code === 'invalid_filter' ? this.filter : e.code === 'invalid_columns' ? this.columns : null;
      if (box) {
        box.setAttribute('aria-invalid', 'true');
        box.focus();
        box.setSelectionRange(column - 1, Math.min(text.length, column));
      }
      return;
    }
    this.summary.textContent = e.status === 503
      ? 'Search is unavailable for a moment (the index does not answer); try again shortly.'
      : `Search failed: ${e.message}`;
  }
}
