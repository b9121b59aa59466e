// The REST API (/api/v1), with the API key of this browser tab (sessionStorage: never a cookie, never the URL).

const KEY_ITEM = 'labjournal.apiKey';

export function apiKey() {
  return sessionStorage.getItem(KEY_ITEM);
}

export function setApiKey(key) {
  sessionStorage.setItem(KEY_ITEM, key);
}

export function forgetApiKey() {
  sessionStorage.removeItem(KEY_ITEM);
}

/** An error answer of the API: `{"error": {"code", "message", "details"}}`. */
export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details || {};
  }
}

/** GET a path of the API with query parameters (empty ones left out); resolves to the parsed JSON body. */
export async function get(path, params = {}, key = apiKey()) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') query.set(name, String(value));
  }
  const url = `/api/v1${path}${query.toString() ? `?${query}` : ''}`;
  let response;
  try {
    response = await fetch(url, { headers: { Authorization: `Bearer ${key}`, Accept: 'application/json' }, credentials: 'omit' });
  } catch (e) {
    throw new ApiError(0, 'network', `the server did not answer (${e.message})`);
  }
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const error = body && body.error ? body.error : {};
    throw new ApiError(response.status, error.code || `http_${response.status}`, error.message || response.statusText, error.details);
  }
  return body;
}

/** A path segment: run ids and metric keys may hold any character (a metric key's '/' stays a '/'). */
export function segment(value, keepSlashes = false) {
  const encoded = encodeURIComponent(value);
  return keepSlashes ? encoded.replace(/%2F/gi, '/') : encoded;
}

export const runs = {
  search: (params) => get('/runs/search', params),
  get: (id) => get(`/runs/${segment(id)}`),
  metric: (id, key, maxPoints, range = null) => get(`/runs/${segment(id)}/metrics/${segment(key, true)}`,
    { max_points: maxPoints, start_step: range ? range.start : null, end_step: range ? range.end : null }),
  similarFailures: (id, limit = 10) => get(`/runs/${segment(id)}/similar-failures`, { limit }),
  duplicates: (id) => get(`/runs/${segment(id)}/duplicates`),
};
