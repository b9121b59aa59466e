// The alerts page (#/alerts): the tenant's rules (test-fire, delete), a form for a new rule, the alerts as they fire
// (the SSE stream, read with fetch so the key stays in a header) and the recent alerts with their delivery on each
// channel (redeliver).
import { el, replaceChildren, display, when, runLink } from './dom.js';
import { apiKey } from './api.js';
import { alertsApi, STREAM_PATH } from './alerts-api.js';
import { EventStream } from './sse.js';
import { RuleForm } from './rule-form.js';

const MAX_LIVE = 50;
const STATE_TEXT = { connecting: 'connecting…', live: 'live', reconnecting: 'reconnecting…' };

/** Whether the location names this page. */
export function isAlertsRoute(hash = location.hash) {
  return /^#\/alerts(\?|$)/.test(hash);
}

function section(id, title, ...content) {
  return el('section', { id, class: 'card', 'aria-labelledby': `${id}-title` }, el('h2', { id: `${id}-title`, text: title }), content);
}

function channelText(channel) {
  return channel.type === 'webhook' ? `webhook ${channel.url}` : channel.type;
}

/** What a rule watches and fires on, in a line. */
function ruleSummary(rule) {
  const parts = [];
  if (rule.project) parts.push(`project ${rule.project}`);
  if (rule.filter) parts.push(`filter ${rule.filter}`);
  if (rule.kind === 'metric_regression') {
    const tolerance = rule.tolerance ? Object.entries(rule.tolerance).map(([k, v]) => `${k} ${v}`).join('') : 'none';
    const baseline = Object.entries(rule.baseline || {}).filter(([k]) => k !== 'type').map(([k, v]) => `${k} ${v}`);
    parts.push(`${rule.metric} (${rule.goal}) vs ${rule.baseline.type}${baseline.length ? ` (${baseline.join(', ')})` : ''}, tolerance ${tolerance}, ${rule.evaluate}${rule.evaluate === 'live' ? ` from step ${rule.min_step}` : ''}`);
  }
  return parts.join(' · ');
}

/** The figures of an alert worth a glance: the metric comparison, the failure or the duplicates. */
function alertFacts(alert) {
  if (alert.kind === 'metric_regression') {
    return `${alert.metric}: ${display(alert.observed)} vs baseline ${display(alert.baseline)} (Δ ${display(alert.delta)})`;
  }
  if (alert.failure) return [alert.failure.type, alert.failure.message].filter(Boolean).join(': ');
  if (alert.duplicates) return `repeats ${alert.duplicates.map((d) => d.run_id).join(', ')}`;
  return '';
}

export class AlertsView {
  constructor(main, onUnauthenticated) {
    this.main = main;
    this.onUnauthenticated = onUnauthenticated;
    this.closed = false;
    this.build();
    this.loadRules();
    this.loadAlerts();
    this.stream = new EventStream({
      url: STREAM_PATH,
      key: apiKey(),
      onEvent: (frame) => this.onFrame(frame),
      onState: (state, detail) => this.showState(state, detail),
      onUnauthenticated: () => this.unauthenticated(),
    }).start();
  }

  close() {
    this.closed = true;
    this.stream.stop();
  }

  unauthenticated() {
    if (this.closed) return;
    this.close();
    this.onUnauthenticated();
  }

  /** A failed request: a 401 logs out; anything else is shown in `target`. */
  failed(e, target) {
    if (e.status === 401) this.unauthenticated();
    else replaceChildren(target, el('p', { class: 'error', text: e.message }));
  }

  build() {
    document.title = 'Alerts · Lab Journal';
    this.liveState = el('span', { id: 'alerts-live-state', class: 'live-state', dataset: { state: 'connecting' }, text: STATE_TEXT.connecting });
    this.liveDetail = el('span', { class: 'muted', id: 'alerts-live-detail' });
    this.liveList = el('ol', { id: 'alerts-live', class: 'alert-list', 'aria-live': 'polite', 'aria-relevant': 'additions' });
    this.liveEmpty = el('p', { class: 'muted', id: 'alerts-live-empty', text: 'No alert has fired since this page opened.' });

    this.rulesBody = el('tbody', { id: 'rules-body' });
    this.rulesStatus = el('div', { id: 'rules-status', class: 'muted', text: 'Loading rules…' });
    this.rulesMore = el('button', { type: 'button', class: 'secondary', id: 'rules-more', text: 'More rules', hidden: true, onClick: () => this.loadRules(this.rulesToken) });
    this.form = new RuleForm((rule) => alertsApi.createRule(rule), (created) => this.created(created));

    this.alertList = el('ol', { id: 'alerts-recent', class: 'alert-list' });
    this.alertsStatus = el('div', { id: 'alerts-status', class: 'muted', text: 'Loading alerts…' });
    this.alertsMore = el('button', { type: 'button', class: 'secondary', id: 'alerts-more', text: 'More alerts', hidden: true, onClick: () => this.loadAlerts(this.alertsToken) });
    this.refresh = el('button', { type: 'button', class: 'secondary', id: 'alerts-refresh', text: 'Refresh', onClick: () => this.loadAlerts() });

    replaceChildren(this.main,
      el('h1', { text: 'Alerts' }),
      el('div', { class: 'alerts-layout' },
        el('div', { class: 'alerts-main' },
          section('alerts-live-section', 'Live',
            el('p', { class: 'live-line' }, 'Stream: ', this.liveState, ' ', this.liveDetail),
            this.liveEmpty, this.liveList),
          section('rules', 'Rules',
            el('div', { class: 'table-wrap' },
              el('table', { class: 'rules-table' },
                el('caption', { class: 'visually-hidden', text: 'Alert rules of your tenant' }),
                el('thead', {}, el('tr', {}, ['Name', 'Kind', 'Watches', 'Channels', 'Created', 'Actions'].map((h) => el('th', { scope: 'col', text: h })))),
                this.rulesBody)),
            this.rulesStatus, this.rulesMore),
          section('alerts-recent-section', 'Recent alerts',
            el('p', {}, this.refresh), this.alertList, this.alertsStatus, this.alertsMore)),
        el('div', { class: 'alerts-side card' }, this.form.form)));
  }

  showState(state, detail) {
    if (this.closed) return;
    this.liveState.dataset.state = state;
    this.liveState.textContent = STATE_TEXT[state] || state;
    this.liveDetail.textContent = state === 'reconnecting' && detail ? `(${detail})` : '';
  }

  onFrame(frame) {
    if (this.closed || frame.event !== 'alert') return;
    let alert;
    try {
      alert = JSON.parse(frame.data);
    } catch {
      return;
    }
    this.liveEmpty.hidden = true;
    this.liveList.prepend(el('li', { class: 'alert live-alert', dataset: { alertId: alert.id, seq: frame.id } }, this.alertHead(alert, frame.id)));
    while (this.liveList.children.length > MAX_LIVE) this.liveList.lastElementChild.remove();
  }

  alertHead(alert, seq) {
    return el('div', { class: 'alert-head' },
      el('span', { class: `kind kind-${alert.kind}`, text: alert.kind }),
      ' ', el('strong', { text: alert.rule_name || alert.rule_id }),
      ' · run ', runLink(alert.run_id, alert.run_name || alert.run_id),
      alert.project ? ` · ${alert.project}` : '',
      el('div', { class: 'alert-facts', text: alertFacts(alert) }),
      el('div', { class: 'muted' }, el('time', { datetime: alert.time, text: when(alert.time) }), seq ? ` · #${seq}` : ''));
  }

  // --- rules ---

  loadRules(token) {
    return this.loadPage(token, {
      status: this.rulesStatus, body: this.rulesBody, more: this.rulesMore, what: 'rules',
      fetch: alertsApi.rules, items: (page) => page.rules, render: (rule) => this.ruleRow(rule),
      empty: 'No rules yet: create one with the form.', keep: (next) => { this.rulesToken = next; },
    });
  }

  /** One page of a list (rules, alerts) into its body: the first (no token) replaces what is there. */
  async loadPage(token, list) {
    list.status.textContent = `Loading ${list.what}…`;
    try {
      const page = await list.fetch(token);
      if (this.closed) return;
      if (!token) replaceChildren(list.body);
      for (const item of list.items(page)) list.body.append(list.render(item));
      list.keep(page.next_page_token);
      list.more.hidden = !page.next_page_token;
      list.status.textContent = list.body.children.length === 0 ? list.empty : '';
    } catch (e) {
      this.failed(e, list.status);
    }
  }

  created(rule) {
    this.rulesBody.append(this.ruleRow(rule));
    this.rulesStatus.textContent = '';
    const secrets = rule.channels.filter((c) => c.secret);
    const row = this.rulesBody.lastElementChild;
    if (secrets.length > 0) {
      row.querySelector('.rule-secret').append(el('p', { class: 'secret' },
        'Signing secret of the webhook (shown once, keep it now): ', el('code', { class: 'mono', text: secrets.map((c) => c.secret).join(' ') })));
    }
    row.querySelector('button.test').focus();
  }

  ruleRow(rule) {
    const outcome = el('div', { class: 'rule-outcome', id: `outcome-${rule.id}`, 'aria-live': 'polite' });
    const secret = el('div', { class: 'rule-secret' });
    const actions = el('div', { class: 'actions' });
    const row = el('tr', { class: 'rule', dataset: { ruleId: rule.id } },
      el('th', { scope: 'row' }, el('span', { text: rule.name }), el('div', { class: 'muted mono', text: rule.id })),
      el('td', { class: 'rule-kind', text: rule.kind }),
      el('td', { class: 'watches', text: ruleSummary(rule) }),
      el('td', {}, el('ul', { class: 'plain' }, rule.channels.map((c) => el('li', { text: channelText(c) })))),
      el('td', {}, el('time', { datetime: rule.created_at, text: when(rule.created_at) })),
      el('td', { class: 'rule-actions' }, actions, secret, outcome));
    this.ruleActions(rule, actions, outcome, row);
    return row;
  }

  ruleActions(rule, actions, outcome, row) {
    const test = el('button', { type: 'button', class: 'secondary test', text: 'Test-fire', 'aria-label': `Test-fire rule ${rule.name}`, onClick: () => this.testFire(rule, test, outcome) });
    const remove = el('button', { type: 'button', class: 'secondary delete', text: 'Delete', 'aria-label': `Delete rule ${rule.name}`, onClick: () => this.confirmDelete(rule, actions, outcome, row) });
    replaceChildren(actions, test, ' ', remove);
  }

  /** Delete asks first, inline: "Delete <name>?" with Yes (focused) and No; Escape is No. */
  confirmDelete(rule, actions, outcome, row) {
    const no = () => {
      this.ruleActions(rule, actions, outcome, row);
      actions.querySelector('button.delete').focus();
    };
    const yes = el('button', { type: 'button', class: 'danger confirm-delete', text: 'Yes, delete', onClick: () => this.deleteRule(rule, row, outcome) });
    const cancel = el('button', { type: 'button', class: 'secondary cancel-delete', text: 'No', onClick: no });
    const box = el('div', { role: 'group', 'aria-label': `Delete rule ${rule.name}?` },
      el('span', { text: `Delete “${rule.name}”? Its alerts stay readable. ` }), yes, ' ', cancel);
    box.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') no();
    });
    replaceChildren(actions, box);
    yes.focus();
  }

  async deleteRule(rule, row, outcome) {
    try {
      await alertsApi.deleteRule(rule.id);
      row.remove();
      if (this.rulesBody.children.length === 0) this.rulesStatus.textContent = 'No rules yet: create one with the form.';
      document.getElementById('rf-name').focus();
    } catch (e) {
      if (e.status === 404) {
        row.remove();
      } else {
        this.failed(e, outcome);
      }
    }
  }

  async testFire(rule, button, outcome) {
    button.disabled = true;
    replaceChildren(outcome, el('p', { class: 'muted', text: 'Sending a test alert…' }));
    try {
      const result = await alertsApi.testRule(rule.id);
      replaceChildren(outcome, el('p', { class: 'muted', text: `Test alert ${result.alert.id}:` }),
        el('ul', { class: 'plain test-outcome' }, result.channels.map((c) => el('li', { class: `outcome outcome-${c.outcome}`, dataset: { position: c.position, outcome: c.outcome } },
          el('span', { class: `status status-${c.outcome}`, text: c.outcome }), ' ', channelText(c),
          c.status_code ? ` · HTTP ${c.status_code}` : '',
          c.duration_ms !== null && c.duration_ms !== undefined ? ` · ${c.duration_ms} ms` : '',
          c.error ? el('div', { class: c.outcome === 'failed' ? 'error' : 'muted', text: c.error }) : null))));
    } catch (e) {
      if (e.status === 403) replaceChildren(outcome, el('p', { class: 'error', text: 'This key may not test-fire rules: it needs the alerts scope.' }));
      else this.failed(e, outcome);
    } finally {
      button.disabled = false;
    }
  }

  // --- recent alerts ---

  loadAlerts(token) {
    return this.loadPage(token, {
      status: this.alertsStatus, body: this.alertList, more: this.alertsMore, what: 'alerts',
      fetch: alertsApi.alerts, items: (page) => page.alerts, render: (record) => this.alertItem(record),
      empty: 'No alerts yet.', keep: (next) => { this.alertsToken = next; },
    });
  }

  alertItem(record) {
    const item = el('li', { class: 'alert recent-alert', dataset: { alertId: record.id } });
    this.fillAlert(item, record);
    return item;
  }

  fillAlert(item, record) {
    const message = el('p', { class: 'redeliver-message', 'aria-live': 'polite' });
    const redeliver = el('button', { type: 'button', class: 'secondary redeliver', text: 'Redeliver', 'aria-label': `Redeliver alert ${record.id}`, disabled: record.deliveries.length === 0 });
    redeliver.addEventListener('click', async () => {
      redeliver.disabled = true;
      try {
        const again = await alertsApi.redeliver(record.id);
        this.fillAlert(item, again);
        item.querySelector('.redeliver-message').textContent = 'Queued again on every enabled channel.';
        item.querySelector('button.redeliver').focus();
      } catch (e) {
        redeliver.disabled = false;
        if (e.status === 403) message.textContent = 'This key may not redeliver: it needs the alerts scope.';
        else this.failed(e, message);
      }
    });
    replaceChildren(item, this.alertHead(record.alert, record.seq),
      record.deliveries.length === 0 ? el('p', { class: 'muted', text: 'No webhook or Kafka channel: on the stream only.' })
        : el('ul', { class: 'plain deliveries' }, record.deliveries.map((d) => this.delivery(d))),
      el('div', { class: 'actions' }, redeliver), message);
  }

  delivery(d) {
    const attempts = d.attempts || [];
    return el('li', { class: 'delivery', dataset: { position: d.position, status: d.status } },
      el('span', { class: `status status-${d.status}`, text: d.status }), ' ',
      channelText({ type: d.channel_type, url: d.url }),
      ` · ${d.attempt_count} attempt${d.attempt_count === 1 ? '' : 's'}`,
      d.next_attempt_at && d.status === 'pending' ? ` · next ${when(d.next_attempt_at)}` : '',
      d.channel_disabled_reason ? el('div', { class: 'error', text: `disabled: ${d.channel_disabled_reason}` }) : null,
      attempts.length === 0 ? null : el('details', {},
        el('summary', { text: 'Attempts' }),
        el('ol', { class: 'attempts' }, attempts.map((a) => el('li', {},
          `#${a.attempt} ${when(a.attempted_at)} · ${a.duration_ms} ms`,
          a.status_code ? ` · HTTP ${a.status_code}` : '',
          a.error ? el('span', { class: 'error', text: ` · ${a.error}` }) : null)))));
  }
}
