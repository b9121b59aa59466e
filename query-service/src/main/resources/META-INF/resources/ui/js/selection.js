// The runs ticked on the search page for comparison: a checkbox per result row and a "Compare (n)" button that opens
// the compare page. The selection lives in the search's URL (&selected=a,b), across searches, so it is shareable.
import { el } from './dom.js';
import { compareHash } from './route.js';

/** The most runs one comparison takes (GET /api/v1/compare). */
export const MAX_SELECTED = 100;

export class RunSelection {
  /** `onChange(ids)` is told the new selection (to keep it in the URL). */
  constructor(onChange) {
    this.ids = [];
    this.onChange = onChange;
    this.button = el('button', {
      type: 'button', id: 'compare-selected', class: 'secondary', disabled: true,
      onClick: () => { location.hash = compareHash(this.ids); },
    });
    this.clear = el('button', { type: 'button', id: 'clear-selected', class: 'secondary', hidden: true, text: 'Clear selection',
      onClick: () => this.set([], true) });
    this.note = el('span', { class: 'muted', role: 'status', 'aria-live': 'polite' });
    this.bar = el('div', { class: 'compare-bar' }, this.button, this.clear, this.note);
    this.render();
  }

  /** Takes the selection a URL names; `notify` passes it on. */
  set(ids, notify = false) {
    this.ids = [...new Set(ids)].slice(0, MAX_SELECTED);
    for (const box of document.querySelectorAll('input.select-run')) box.checked = this.ids.includes(box.value);
    this.render();
    if (notify) this.onChange(this.ids);
  }

  render() {
    const n = this.ids.length;
    this.button.textContent = `Compare (${n})`;
    this.button.disabled = n === 0;
    this.button.setAttribute('aria-label', `Compare the ${n} selected ${n === 1 ? 'run' : 'runs'}`);
    this.clear.hidden = n === 0;
  }

  /** The cell of a result row with its checkbox. */
  cell(run) {
    const box = el('input', {
      type: 'checkbox', class: 'select-run', value: run.run_id, checked: this.ids.includes(run.run_id),
      'aria-label': `Select ${run.name || run.run_id} for comparison`,
    });
    box.addEventListener('change', () => {
      if (box.checked && this.ids.length >= MAX_SELECTED) {
        box.checked = false;
        this.note.textContent = `At most ${MAX_SELECTED} runs can be compared.`;
        return;
      }
      this.note.textContent = '';
      this.ids = box.checked ? [...this.ids, run.run_id] : this.ids.filter((id) => id !== run.run_id);
      this.render();
      this.onChange(this.ids);
    });
    return el('td', { class: 'select', 'data-label': 'Select' }, box);
  }
}
