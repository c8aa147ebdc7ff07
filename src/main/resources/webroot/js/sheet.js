// The process details sheet: live and recent processes with their state, the node that runs them,
// CPU and memory (each with a live sparkline from usage events), their controls, and a way to see
// any one's output in a cell. In a cluster, a filter shows one node's processes. On a wide screen
// it is a side panel beside the notebook (the body gets `sheet-open`), so the prompt and its
// controls stay in view.
import { element, stateIconName, stateText, bytes, elapsed } from './format.js';
import { icon as drawIcon } from './icons.js';
import { sparkline } from './sparkline.js';
import { LIVE_STATES } from './store.js';

const SHOWN = 50;

export class Sheet {
  constructor({ sheet, list, button, close, nodeFilter }, { store, control, mayControl, open }) {
    this.open = open;
    this.sheet = sheet;
    this.nodeFilter = nodeFilter;
    nodeFilter.addEventListener('change', () => this.render());
    this.list = list;
    this.button = button;
    this.store = store;
    this.control = control;
    this.mayControl = mayControl;
    button.addEventListener('click', () => this.toggle());
    close.addEventListener('click', () => this.toggle(false));
    this.scheduled = false;
    this.rows = new Map();
  }

  toggle(open = this.sheet.hidden) {
    this.sheet.hidden = !open;
    document.body.classList.toggle('sheet-open', open);
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

  // Rows are kept per process and updated in place: a row rebuilt on every event (usage comes every
  // 2 s) would take the focus off its buttons and lose a click that falls between two events.
  render() {
    this.#offerNodes();
    const node = this.nodeFilter.value;
    const records = this.store.sorted().filter((record) => !node || record.node === node).slice(0, SHOWN);
    const rows = records.map((record) => this.#rowFor(record));
    const shown = [...this.list.children];
    if (rows.length !== shown.length || rows.some((row, i) => row !== shown[i])) {
      this.list.replaceChildren(...rows);
    }
    const ids = new Set(records.map((record) => record.id));
    for (const id of this.rows.keys()) {
      if (!ids.has(id)) {
        this.rows.delete(id);
      }
    }
  }

  // The filter appears once processes of more than one node are known, and offers each node.
  #offerNodes() {
    const nodes = [...new Set([...this.store.records.values()].map((record) => record.node).filter(Boolean))].sort();
    const offered = [...this.nodeFilter.options].slice(1).map((option) => option.value);
    if (nodes.join('\n') !== offered.join('\n')) {
      const chosen = this.nodeFilter.value;
      this.nodeFilter.replaceChildren(this.nodeFilter.options[0],
        ...nodes.map((node) => Object.assign(element('option', null, node), { value: node })));
      this.nodeFilter.value = nodes.includes(chosen) ? chosen : '';
    }
    this.nodeFilter.hidden = nodes.length < 2;
  }

  #rowFor(record) {
    let entry = this.rows.get(record.id);
    if (!entry) {
      entry = this.#newRow(record);
      this.rows.set(record.id, entry);
    }
    this.#update(entry, record);
    return entry.row;
  }

  #newRow(record) {
    const row = element('li', 'process-row');
    row.dataset.id = record.id;
    const head = element('div', 'row-head');
    const icon = element('span', 'state-icon');
    const state = element('span', 'state');
    const output = element('button', 'open-output', 'Output');
    output.type = 'button';
    output.title = 'Show this process\'s output in the notebook';
    output.addEventListener('click', () => this.#openOutput(record.id));
    head.append(icon, element('code', 'command', record.command), element('span', 'node', record.node || ''), state, output);
    const meters = element('div', 'meters');
    const cpu = element('span', 'meter cpu');
    const memory = element('span', 'meter memory');
    const meta = element('span', 'meta');
    meters.append(cpu, memory, meta);
    row.append(head, meters);
    return { row, icon, state, cpu, memory, meta, controls: null, controlsKey: null };
  }

  #update(entry, record) {
    entry.row.dataset.state = record.state;
    if (entry.iconName !== stateIconName(record)) {
      entry.iconName = stateIconName(record);
      entry.icon.replaceChildren(drawIcon(entry.iconName));
    }
    entry.state.textContent = stateText(record);
    const samples = this.store.samples.get(record.id) || [];
    const usage = record.usage || {};
    entry.cpu.replaceChildren(element('span', 'meter-label', `CPU ${(usage.cpuPercent || 0).toFixed(1)}%`),
      sparkline(samples.map((s) => s.cpu), 'CPU over time'));
    entry.memory.replaceChildren(element('span', 'meter-label', `Mem ${bytes(usage.rssBytes)}`),
      sparkline(samples.map((s) => s.rss), 'memory over time'));
    entry.meta.textContent = `${record.id} · ${elapsed(record)}`;
    // The buttons are rebuilt only when what they offer changes.
    const controlsKey = LIVE_STATES.has(record.state) && this.mayControl()
      ? `${record.state}/${record.background}` : null;
    if (controlsKey !== entry.controlsKey) {
      entry.controls?.remove();
      entry.controls = controlsKey === null ? null : this.#controls(record);
      if (entry.controls) {
        entry.row.append(entry.controls);
      }
      entry.controlsKey = controlsKey;
    }
  }

  // On a narrow screen the sheet covers the notebook: it steps aside to show the cell.
  #openOutput(id) {
    if (window.matchMedia('(max-width: 900px)').matches) {
      this.toggle(false);
    }
    this.open(this.store.records.get(id));
  }

  #controls(record) {
    const controls = element('div', 'controls');
    const add = (action, label, className) => {
      const button = element('button', `${action} ${className || ''}`.trim(), label);
      button.type = 'button';
      // The record as it is at the click, not as it was when the button was made.
      button.addEventListener('click', () => this.control(action, this.store.records.get(record.id) || record));
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
