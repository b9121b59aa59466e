// Every view is a URL: #/search?q=&filter=&sort=&selected=, #/runs/{id}, #/compare?runs=, #/failures?days=. The hash holds the whole state of a view.

/** The view the location names: { view: 'search', params } or { view: 'run', id }. */
export function currentRoute(hash = location.hash) {
  const path = hash.replace(/^#/, '') || '/search';
  const [pathname, query = ''] = splitOnce(path, '?');
  const run = pathname.match(/^\/runs\/(.+)$/);
  if (run) return { view: 'run', id: decodeURIComponent(run[1]), params: new URLSearchParams(query) };
  if (pathname === '/compare' || pathname === '/failures') return { view: pathname.slice(1), params: new URLSearchParams(query) };
  return { view: 'search', params: new URLSearchParams(query) };
}

function splitOnce(text, separator) {
  const at = text.indexOf(separator);
  return at < 0 ? [text] : [text.slice(0, at), text.slice(at + 1)];
}

/** The hash of a search: empty parameters left out; `selected` (run ids ticked for comparison) comma-separated. */
export function searchHash({ q, filter, sort, columns, selected }) {
  const params = new URLSearchParams();
  if (q) params.set('q', q);
  if (filter) params.set('filter', filter);
  if (sort) params.set('sort', sort);
  if (columns) params.set('columns', columns);
  if (selected && selected.length) params.set('selected', selected.join(','));
  return `#/search${queryString(params)}`;
}

/** `?` and the parameters with their commas kept readable (run ids never hold one), or '' when there are none. */
export function queryString(params) {
  const query = params.toString().replace(/%2C/gi, ',');
  return query ? `?${query}` : '';
}

/** The hash of the compare page of runs. */
export function compareHash(runIds) {
  return `#/compare${queryString(new URLSearchParams({ runs: runIds.join(',') }))}`;
}

/** The hash of a run's page. */
export function runHash(id) {
  return `#/runs/${encodeURIComponent(id)}`;
}
