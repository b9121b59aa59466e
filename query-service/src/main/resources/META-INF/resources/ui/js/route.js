// Every view is a URL: #/search?q=&filter=&sort= and #/runs/{id}. The hash holds the whole state of a view.

/** The view the location names: { view: 'search', params } or { view: 'run', id }. */
export function currentRoute(hash = location.hash) {
  const path = hash.replace(/^#/, '') || '/search';
  const [pathname, query = ''] = splitOnce(path, '?');
  const run = pathname.match(/^\/runs\/(.+)$/);
  if (run) return { view: 'run', id: decodeURIComponent(run[1]), params: new URLSearchParams(query) };
  return { view: 'search', params: new URLSearchParams(query) };
}

function splitOnce(text, separator) {
  const at = text.indexOf(separator);
  return at < 0 ? [text] : [text.slice(0, at), text.slice(at + 1)];
}

/** The hash of a search: empty parameters left out. */
export function searchHash({ q, filter, sort }) {
  const params = new URLSearchParams();
  if (q) params.set('q', q);
  if (filter) params.set('filter', filter);
  if (sort) params.set('sort', sort);
  const query = params.toString();
  return `#/search${query ? `?${query}` : ''}`;
}

/** The hash of a run's page. */
export function runHash(id) {
  return `#/runs/${encodeURIComponent(id)}`;
}
