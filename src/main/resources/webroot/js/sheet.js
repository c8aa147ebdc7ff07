// The process details sheet: live and recent processes with their state, CPU and memory (each with a
// live sparkline from usage events) and their controls.
import { element, stateIcon, stateText, bytes, elapsed } from './format.js';
import { sparkline } from './sparkline.js';
import { LIVE_STATES } from './store.js';

const SHOWN = 50;

export class Sheet {
  constructor({ sheet, list, button, close }, { store, control, mayControl }) {
    this.sheet = sheet;
    this.list = list;
    this.button = button;
    this.store = store;
    this.control = control;
    this.mayControl = mayControl;
    button.addEventListener('click', () => this.toggle());
    close.addEventListener('click', () => this.toggle(false));
    this.scheduled = false;
  }

  toggle(open = this.sheet.hidden) {
    this.sheet.hidden = !open;
    this.button.setAttribute('aria-expanded', String(open));
    if (open) {
      this.render();
    }
  }

  // Renders at most once a frame, however many events arrive.
  changed() {
    if (this.sheet.hidden || this.scheduled) {
      return;
    }
    this.scheduled = true;
    requestAnimationFrame(() => {
      this.scheduled = false;
      this.render();
    });
  }

  render() {
    this.list.replaceChildren(...this.store.sorted().slice(0, SHOWN).map((record) => this.#row(record)));
  }

  #row(record) {
    const row = element('li', 'process-row');
    row.dataset.id = record.id;
    row.dataset.state = record.state;
    const head = element('div', 'row-head');
    head.append(element('span', 'state-icon', stateIcon(record)), element('code', 'command', record.command),
      element('span', 'state', stateText(record)));
    const samples = this.store.samples.get(record.id) || [];
    const usage = record.usage || {};
    const meters = element('div', 'meters');
    const cpu = element('span', 'meter cpu');
    cpu.append(element('span', 'meter-label', `CPU ${(usage.cpuPercent || 0).toFixed(1)}%`),
      sparkline(samples.map((s) => s.cpu), 'CPU over time'));
    const memory = element('span', 'meter memory');
    memory.append(element('span', 'meter-label', `Mem ${bytes(usage.rssBytes)}`),
      sparkline(samples.map((s) => s.rss), 'memory over time'));
    meters.append(cpu, memory, element('span', 'meta', `${record.id} · ${elapsed(record)}`));
    row.append(head, meters);
    if (LIVE_STATES.has(record.state) && this.mayControl()) {
      row.append(this.#controls(record));
    }
    return row;
  }

  #controls(record) {
    const controls = element('div', 'controls');
    const add = (action, label, className) => {
      const button = element('button', `${action} ${className || ''}`.trim(), label);
      button.type = 'button';
      button.addEventListener('click', () => this.control(action, record));
      controls.append(button);
    };
    if (record.state === 'suspended') {
      add('resume', 'Resume');
    } else if (record.state === 'running') {
      add('suspend', 'Suspend');
    }
    if (!record.background) {
      add('background', 'Background');
    }
    add('cancel', 'Cancel', 'danger');
    return controls;
  }
}
