// Building the DOM safely: every string becomes a text node (textContent), never markup.

/**
 * An element with attributes and children. Attributes: `class`, `text` (textContent), `on<Event>` handlers,
 * `dataset` (an object), booleans (set when true) and plain strings (setAttribute). Children: nodes, strings
 * (text nodes), null/undefined/false (skipped), arrays (flattened).
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name === 'text') node.textContent = String(value);
    else if (name === 'dataset') Object.assign(node.dataset, value);
    else if (name.startsWith('on') && typeof value === 'function') node.addEventListener(name.slice(2).toLowerCase(), value);
    else if (value === true) node.setAttribute(name, '');
    else node.setAttribute(name, String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else if (child instanceof Node) node.appendChild(child);
    else node.appendChild(document.createTextNode(String(child)));
  }
}

/** Replaces every child of a node. */
export function replaceChildren(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

/** A definition list of label/value pairs; pairs whose value is empty are left out. */
export function facts(pairs, attrs = {}) {
  const list = el('dl', { class: 'facts', ...attrs });
  for (const [label, value] of pairs) {
    if (value === undefined || value === null || value === '') continue;
    list.append(el('dt', { text: label }), el('dd', {}, value instanceof Node ? value : String(value)));
  }
  return list;
}

/** A two-column table of an object's members, sorted by key; an empty object gives the `empty` text. */
export function keyValueTable(object, caption, empty = 'none') {
  const entries = Object.entries(object || {}).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return el('p', { class: 'muted', text: empty });
  return el('table', { class: 'kv' },
    el('caption', { class: 'visually-hidden', text: caption }),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: 'key' }), el('th', { scope: 'col', text: 'value' }))),
    el('tbody', {}, entries.map(([key, value]) =>
      el('tr', {}, el('th', { scope: 'row', text: key }), el('td', { text: display(value) })))));
}

/** A JSON value as text: strings as they are, everything else as JSON. */
export function display(value) {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A timestamp in the reader's locale, or '' when absent. */
export function when(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso) : date.toLocaleString();
}

/** A duration between two timestamps, as "1 h 2 min", "3 min 4 s" or "5.6 s". */
export function duration(startIso, endIso) {
  if (!startIso || !endIso) return '';
  const ms = new Date(endIso) - new Date(startIso);
  if (!Number.isFinite(ms) || ms < 0) return '';
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min ${Math.round(s % 60)} s`;
  return `${Math.floor(min / 60)} h ${min % 60} min`;
}

/** A status badge. */
export function statusBadge(status) {
  return el('span', { class: `status status-${String(status).replace(/[^a-z]/g, '')}`, text: status || 'unknown' });
}

/** A link to a run's page. */
export function runLink(runId, label) {
  return el('a', { href: `#/runs/${encodeURIComponent(runId)}`, class: 'run-link', text: label || runId });
}
