// Log in with an API key: checked against the API, then kept in this tab's sessionStorage only.
import { el, replaceChildren } from './dom.js';
import { get, setApiKey } from './api.js';

export function renderLogin(main, onLoggedIn, reason) {
  const input = el('input', { id: 'api-key', name: 'api-key', type: 'password', autocomplete: 'off', required: true, spellcheck: 'false' });
  const error = el('p', { id: 'login-error', class: 'error', role: 'alert' });
  if (reason) error.textContent = reason;
  const form = el('form', { class: 'login', 'aria-labelledby': 'login-title' },
    el('h1', { id: 'login-title', text: 'Log in to Lab Journal' }),
    el('p', { text: 'Paste an API key with the read scope. It is kept in this browser tab only and forgotten when the tab closes.' }),
    el('label', { for: 'api-key', text: 'API key' }),
    input,
    el('button', { type: 'submit', id: 'login-submit', text: 'Log in' }),
    error);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const key = input.value.trim();
    error.textContent = '';
    try {
      await get('/runs/search', { limit: 1 }, key);
      setApiKey(key);
      onLoggedIn();
    } catch (e) {
      error.textContent = e.status === 401 ? 'This key is unknown or revoked.'
        : e.status === 403 ? 'This key may not read runs (it needs the read scope).'
          : `Could not log in: ${e.message}`;
      input.focus();
    }
  });
  replaceChildren(main, form);
  input.focus();
}
