// The single page: picks the view the URL names and renders it; shows the login form without a key.
import { apiKey, forgetApiKey } from './api.js';
import { currentRoute } from './route.js';
import { renderLogin } from './login.js';
import { SearchView } from './search.js';
import { renderRun } from './run.js';
import { renderCompare } from './compare.js';
import { renderFailures } from './failures.js';
import { AlertsView, isAlertsRoute } from './alerts.js';

const main = document.getElementById('main');
const logout = document.getElementById('logout');
let searchView = null;
let alertsView = null;

function render(reason) {
  if (alertsView) alertsView.close();
  alertsView = null;
  if (!apiKey()) {
    searchView = null;
    logout.hidden = true;
    document.title = 'Log in · Lab Journal';
    renderLogin(main, () => render(), reason);
    return;
  }
  logout.hidden = false;
  const route = currentRoute();
  if (isAlertsRoute()) {
    searchView = null;
    alertsView = new AlertsView(main, onUnauthenticated);
  } else if (route.view === 'run') {
    searchView = null;
    renderRun(main, route.id, onUnauthenticated);
  } else if (route.view === 'compare') {
    searchView = null;
    renderCompare(main, route.params, onUnauthenticated);
  } else if (route.view === 'failures') {
    searchView = null;
    renderFailures(main, route.params, onUnauthenticated);
  } else if (searchView) {
    searchView.update(route.params);
  } else {
    searchView = new SearchView(main, onUnauthenticated);
    searchView.update(route.params);
  }
}

function onUnauthenticated() {
  forgetApiKey();
  render('The API key was refused (unknown or revoked); log in again.');
}

logout.addEventListener('click', () => {
  forgetApiKey();
  render();
});

// "/" focuses the search box from anywhere but a text field.
document.addEventListener('keydown', (event) => {
  const target = event.target;
  const typing = target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement;
  if (event.key === '/' && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
    const box = document.getElementById('q');
    if (box) {
      event.preventDefault();
      box.focus();
    }
  }
});

window.addEventListener('hashchange', () => render());
render();
