// The alert endpoints of the API (/api/v1/alert-rules, /api/v1/alerts), with this tab's API key.
import { apiKey, ApiError, get, segment } from './api.js';

/** A POST or DELETE; resolves to the parsed JSON body (null for 204), rejects with an ApiError. */
async function send(method, path, body) {
  const headers = { Authorization: `Bearer ${apiKey()}`, Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method, headers, credentials: 'omit', body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, 'network', `the server did not answer (${e.message})`);
  }
  if (response.status === 204) return null;
  const answer = await response.json().catch(() => null);
  if (!response.ok) {
    const error = answer && answer.error ? answer.error : {};
    throw new ApiError(response.status, error.code || `http_${response.status}`, error.message || response.statusText, error.details);
  }
  return answer;
}

export const STREAM_PATH = '/api/v1/alerts/stream';

export const alertsApi = {
  rules: (pageToken) => get('/alert-rules', { limit: 50, page_token: pageToken }),
  createRule: (rule) => send('POST', '/alert-rules', rule),
  deleteRule: (id) => send('DELETE', `/alert-rules/${segment(id)}`),
  testRule: (id) => send('POST', `/alert-rules/${segment(id)}/test`),
  alerts: (pageToken) => get('/alerts', { limit: 20, page_token: pageToken }),
  redeliver: (id) => send('POST', `/alerts/${segment(id)}/redeliver`),
};
