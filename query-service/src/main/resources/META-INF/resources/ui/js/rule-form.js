// The form that creates an alert rule: every member POST /api/v1/alert-rules takes. A 400 names the member it is
// about by JSON path (details.path, e.g. $.baseline.n or $.channels[0].url); its reason is shown under that field.
import { el, replaceChildren } from './dom.js';

const KINDS = ['metric_regression', 'run_failed', 'new_failure_group', 'duplicate_run', 'run_lost'];
const BASELINES = ['best', 'previous', 'mean_of_last', 'run', 'threshold'];
const CHANNEL_TYPES = ['sse', 'webhook', 'kafka'];

function options(values, selected) {
  return values.map((v) => el('option', { value: v, text: v, selected: v === selected }));
}

/** A labelled control with a place for its error; `control` carries the id the label points to. */
function field(label, control, help) {
  const id = control.id;
  const error = el('p', { id: `${id}-error`, class: 'error field-error', role: 'alert' });
  const helpNode = help ? el('small', { id: `${id}-help`, class: 'muted', text: help }) : null;
  control.setAttribute('aria-describedby', [helpNode ? `${id}-help` : null, `${id}-error`].filter(Boolean).join(' '));
  return el('div', { class: 'field', dataset: { field: id } }, el('label', { for: id, text: label }), control, helpNode, error);
}

function input(id, attrs = {}) {
  return el('input', { id, name: id, type: 'text', autocomplete: 'off', spellcheck: 'false', ...attrs });
}

function select(id, values, selected) {
  return el('select', { id, name: id }, options(values, selected));
}

/** A number if the text is one, else the text (so the API says what is wrong with it); undefined when empty. */
function numberOrText(value) {
  const text = value.trim();
  if (text === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : text;
}

export class RuleForm {
  /** `create(rule)` resolves to the created rule or rejects with an ApiError. */
  constructor(create, onCreated) {
    this.create = create;
    this.onCreated = onCreated;
    this.channelRows = [];
    this.build();
  }

  build() {
    this.name = input('rf-name', { required: true, maxlength: 200 });
    this.project = input('rf-project');
    this.filter = input('rf-filter', { class: 'mono', placeholder: "tags.env = 'prod'" });
    this.kind = select('rf-kind', KINDS, 'metric_regression');
    this.metric = input('rf-metric', { placeholder: 'val_loss' });
    this.goal = select('rf-goal', ['minimize', 'maximize'], 'minimize');
    this.baselineType = select('rf-baseline-type', BASELINES, 'best');
    this.baselineN = input('rf-baseline-n', { inputmode: 'numeric' });
    this.baselineRun = input('rf-baseline-run-id');
    this.baselineValue = input('rf-baseline-value', { inputmode: 'decimal' });
    this.toleranceType = select('rf-tolerance-type', ['none', 'relative', 'absolute'], 'relative');
    this.toleranceAmount = input('rf-tolerance-amount', { inputmode: 'decimal', value: '0.05' });
    this.evaluate = select('rf-evaluate', ['on_finish', 'live'], 'on_finish');
    this.minStep = input('rf-min-step', { inputmode: 'numeric' });

    this.baselineFields = {
      mean_of_last: field('Runs in the mean (n)', this.baselineN, '1 to 100'),
      run: field('Baseline run id', this.baselineRun),
      threshold: field('Threshold value', this.baselineValue),
    };
    this.toleranceField = field('Tolerance amount', this.toleranceAmount, 'relative: a fraction of the baseline; absolute: in the metric\'s unit');
    this.minStepField = field('From step (min_step)', this.minStep);
    this.metricFields = el('fieldset', { class: 'rule-metric' },
      el('legend', { text: 'Metric regression' }),
      field('Metric', this.metric),
      field('Goal', this.goal),
      field('Baseline', this.baselineType),
      Object.values(this.baselineFields),
      field('Tolerance', this.toleranceType),
      this.toleranceField,
      field('Evaluate', this.evaluate),
      this.minStepField);

    this.channelList = el('div', { class: 'channel-list' });
    this.channelsError = el('p', { id: 'rf-channels-error', class: 'error field-error', role: 'alert' });
    const addChannel = el('button', { type: 'button', class: 'secondary', id: 'rf-add-channel', text: 'Add channel', onClick: () => this.addChannel('webhook', true) });
    this.channels = el('fieldset', { class: 'rule-channels', id: 'rf-channels', 'aria-describedby': 'rf-channels-error' },
      el('legend', { text: 'Channels' }), this.channelList, addChannel, this.channelsError);
    this.addChannel('sse');

    this.formError = el('p', { id: 'rf-error', class: 'error', role: 'alert' });
    this.submit = el('button', { type: 'submit', id: 'rf-submit', text: 'Create rule' });
    this.form = el('form', { class: 'rule-form', id: 'rule-form', 'aria-labelledby': 'rule-form-title', novalidate: true },
      el('h2', { id: 'rule-form-title', text: 'New rule' }),
      el('div', { class: 'rule-grid' },
        field('Name', this.name),
        field('Project', this.project, 'the project whose runs it watches; a project, a filter or both'),
        field('Filter', this.filter, 'the search filter language'),
        field('Kind', this.kind)),
      this.metricFields,
      this.channels,
      this.submit,
      this.formError);
    for (const control of [this.kind, this.baselineType, this.toleranceType, this.evaluate]) {
      control.addEventListener('change', () => this.showApplicable());
    }
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.send();
    });
    this.showApplicable();
  }

  /** One channel row: its type and (webhooks) URL, with ids by position so errors of $.channels[i] find it. */
  addChannel(type, focus = false) {
    const row = { type: el('select', { 'aria-label': 'Channel type' }, options(CHANNEL_TYPES, type)), url: input('', { type: 'url', placeholder: 'https://example.com/hook', 'aria-label': 'Webhook URL' }) };
    row.typeError = el('p', { class: 'error field-error', role: 'alert' });
    row.urlError = el('p', { class: 'error field-error', role: 'alert' });
    row.remove = el('button', { type: 'button', class: 'secondary', text: 'Remove', onClick: () => this.removeChannel(row) });
    row.urlBox = el('div', { class: 'channel-url' }, row.url, row.urlError);
    row.node = el('div', { class: 'channel' }, el('div', {}, row.type, row.typeError), row.urlBox, row.remove);
    row.type.addEventListener('change', () => this.showApplicable());
    this.channelRows.push(row);
    this.channelList.append(row.node);
    this.renumber();
    if (focus) row.type.focus();
  }

  removeChannel(row) {
    this.channelRows = this.channelRows.filter((r) => r !== row);
    row.node.remove();
    this.renumber();
    const first = this.channelRows[0];
    (first ? first.type : document.getElementById('rf-add-channel')).focus();
  }

  renumber() {
    this.channelRows.forEach((row, i) => {
      row.type.id = `rf-channel-${i}-type`;
      row.url.id = `rf-channel-${i}-url`;
      row.typeError.id = `rf-channel-${i}-type-error`;
      row.urlError.id = `rf-channel-${i}-url-error`;
      row.type.setAttribute('aria-label', `Channel ${i + 1} type`);
      row.url.setAttribute('aria-label', `Channel ${i + 1} webhook URL`);
      row.type.setAttribute('aria-describedby', row.typeError.id);
      row.url.setAttribute('aria-describedby', row.urlError.id);
      row.remove.setAttribute('aria-label', `Remove channel ${i + 1}`);
      row.remove.disabled = this.channelRows.length === 1;
    });
    this.showApplicable();
  }

  showApplicable() {
    this.metricFields.hidden = this.kind.value !== 'metric_regression';
    for (const [type, node] of Object.entries(this.baselineFields)) node.hidden = this.baselineType.value !== type;
    this.toleranceField.hidden = this.toleranceType.value === 'none';
    this.minStepField.hidden = this.evaluate.value !== 'live';
    for (const row of this.channelRows) row.urlBox.hidden = row.type.value !== 'webhook';
  }

  /** The rule document of the form: empty fields left out, members that do not apply not sent. */
  rule() {
    const text = (control) => (control.value.trim() === '' ? undefined : control.value.trim());
    const rule = { name: text(this.name), project: text(this.project), filter: text(this.filter), kind: this.kind.value };
    if (rule.kind === 'metric_regression') {
      rule.metric = text(this.metric);
      rule.goal = this.goal.value;
      const baseline = { type: this.baselineType.value };
      if (baseline.type === 'mean_of_last') baseline.n = numberOrText(this.baselineN.value);
      if (baseline.type === 'run') baseline.run_id = text(this.baselineRun);
      if (baseline.type === 'threshold') baseline.value = numberOrText(this.baselineValue.value);
      rule.baseline = baseline;
      if (this.toleranceType.value !== 'none') rule.tolerance = { [this.toleranceType.value]: numberOrText(this.toleranceAmount.value) };
      rule.evaluate = this.evaluate.value;
      if (rule.evaluate === 'live') rule.min_step = numberOrText(this.minStep.value);
    }
    rule.channels = this.channelRows.map((row) => (row.type.value === 'webhook'
      ? { type: 'webhook', url: text(row.url) } : { type: row.type.value }));
    return rule;
  }

  clearErrors() {
    for (const node of this.form.querySelectorAll('.field-error')) node.textContent = '';
    for (const node of this.form.querySelectorAll('[aria-invalid]')) node.removeAttribute('aria-invalid');
    this.formError.textContent = '';
  }

  async send() {
    this.clearErrors();
    this.submit.disabled = true;
    try {
      const created = await this.create(this.rule());
      this.reset();
      this.onCreated(created);
    } catch (e) {
      this.showError(e);
    } finally {
      this.submit.disabled = false;
    }
  }

  reset() {
    this.form.reset();
    for (const row of [...this.channelRows]) row.node.remove();
    this.channelRows = [];
    this.addChannel('sse');
  }

  /** The error under the field its details.path names (the form's own line when none does), and focus there. */
  showError(e) {
    const control = e.status === 400 ? this.controlFor(e.details.path) : null;
    if (!control) {
      this.formError.textContent = e.status === 403 ? 'This key may not create rules: it needs the alerts scope.' : e.message;
      return;
    }
    const errorNode = document.getElementById(control.getAttribute('aria-describedby').split(' ').pop());
    errorNode.textContent = e.details.reason || e.message;
    control.setAttribute('aria-invalid', 'true');
    control.focus();
  }

  /** The control of a JSON path of the rule document, or null. */
  controlFor(path) {
    if (!path || path === '$') return null;
    const channel = path.match(/^\$\.channels\[(\d+)\](?:\.(\w+))?$/);
    if (channel) {
      const row = this.channelRows[Number(channel[1])];
      if (!row) return null;
      return channel[2] === 'url' ? row.url : row.type;
    }
    const byPath = {
      '$.name': this.name, '$.project': this.project, '$.filter': this.filter, '$.kind': this.kind,
      '$.metric': this.metric, '$.goal': this.goal, '$.baseline': this.baselineType, '$.baseline.type': this.baselineType,
      '$.baseline.n': this.baselineN, '$.baseline.run_id': this.baselineRun, '$.baseline.value': this.baselineValue,
      '$.tolerance': this.toleranceType, '$.tolerance.relative': this.toleranceAmount, '$.tolerance.absolute': this.toleranceAmount,
      '$.evaluate': this.evaluate, '$.min_step': this.minStep,
    };
    if (path === '$.channels') return this.channelsControl();
    return byPath[path] || null;
  }

  /** The channel list as a whole: its first type control, with the list's error line. */
  channelsControl() {
    const first = this.channelRows[0];
    if (!first) return null;
    replaceChildren(this.channelsError);
    first.type.setAttribute('aria-describedby', `${first.typeError.id} rf-channels-error`);
    return first.type;
  }
}
