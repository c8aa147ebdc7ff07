// The notebook: one cell per command, with its live output (stdout and stderr told apart), its state,
// and the engine's reasons when it refused to run it.
import { element, stateIcon, stateText, elapsed } from './format.js';
import { LIVE_STATES } from './store.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const STREAMS = ['stdout', 'stderr'];

class Cell {
  constructor(command) {
    this.id = null;
    this.next = { stdout: 0, stderr: 0 };
    this.held = null;
    this.node = element('section', 'cell');
    this.node.tabIndex = 0;
    const head = element('div', 'cell-head');
    head.append(element('span', 'sign', '$'), element('code', 'command', command));
    this.status = element('span', 'cell-status', 'submitting');
    head.append(this.status);
    this.output = element('pre', 'output');
    this.messages = element('div', 'messages');
    this.node.append(head, this.messages, this.output);
  }

  bind(record) {
    this.id = record.id;
    this.node.dataset.id = record.id;
    this.show(record);
  }

  show(record) {
    this.node.dataset.state = record.state;
    this.status.textContent = `${stateIcon(record)} ${stateText(record)} ${elapsed(record)}`.trim();
  }

  refuse(error) {
    this.node.dataset.state = 'refused';
    this.status.textContent = error.error === 'security_violation' ? '✗ refused' : `✗ ${error.error}`;
    const violations = error.violations || [];
    if (violations.length === 0) {
      this.messages.append(element('p', 'violation', error.message));
    }
    for (const violation of violations) {
      const item = element('p', `violation severity-${violation.severity}`);
      item.append(element('strong', null, `${violation.type.replaceAll('_', ' ')} (${violation.severity})`),
        document.createTextNode(`: ${violation.message}`));
      this.messages.append(item);
    }
  }

  // Appends a live chunk where it belongs by its byte offset: chunks already shown (after a catch-up)
  // are skipped, and one that overlaps what is shown contributes only its new bytes.
  append(frame) {
    if (this.held) {
      this.held.push(frame);
      return;
    }
    const shown = this.next[frame.stream];
    const end = frame.offset + frame.bytes;
    if (end <= shown) {
      return;
    }
    const data = frame.offset >= shown ? frame.data
      : decoder.decode(encoder.encode(frame.data).slice(shown - frame.offset));
    this.#write(frame.stream, data);
    this.next[frame.stream] = end;
  }

  // While the retained output is being fetched, live chunks wait; then the output is replaced by
  // what the engine kept and the waiting chunks are applied by offset.
  holdOutput() {
    this.held = this.held || [];
  }

  replaceOutput(texts, record) {
    const waiting = this.held || [];
    this.held = null;
    this.output.replaceChildren();
    for (const stream of STREAMS) {
      this.#write(stream, texts[stream]);
      const counted = record.output ? record.output[`${stream}Bytes`] : 0;
      this.next[stream] = record.output && record.output.truncated
        ? Math.max(counted, encoder.encode(texts[stream]).length) : encoder.encode(texts[stream]).length;
    }
    waiting.forEach((frame) => this.append(frame));
  }

  #write(stream, data) {
    if (!data) {
      return;
    }
    const last = this.output.lastElementChild;
    if (last && last.dataset.stream === stream) {
      last.textContent += data;
    } else {
      const span = element('span', stream, data);
      span.dataset.stream = stream;
      this.output.append(span);
    }
    this.output.scrollTop = this.output.scrollHeight;
  }
}

export class Notebook {
  constructor(container, { feed, api, store }) {
    this.container = container;
    this.feed = feed;
    this.api = api;
    this.store = store;
    this.cells = new Map();
    this.order = [];
  }

  async run(command, background) {
    const cell = new Cell(command);
    this.order.push(cell);
    this.container.append(cell.node);
    cell.node.scrollIntoView({ block: 'end' });
    try {
      const ack = await this.feed.request({ type: 'run', command, background });
      this.cells.set(ack.record.id, cell);
      this.store.put(ack.record);
      cell.bind(this.store.records.get(ack.record.id));
    } catch (error) {
      cell.refuse(error);
    }
  }

  output(frame) {
    const cell = this.cells.get(frame.id);
    if (cell) {
      cell.append(frame);
    }
  }

  recordChanged(id) {
    const cell = this.cells.get(id);
    if (cell) {
      cell.show(this.store.records.get(id));
    }
  }

  // After a reconnection: the output of every cell's process again, from what the engine retained.
  async catchUp() {
    const ids = [...this.cells.keys()];
    if (ids.length === 0) {
      return;
    }
    await this.feed.request({ type: 'subscribe', output: ids });
    await Promise.all(ids.map(async (id) => {
      const cell = this.cells.get(id);
      cell.holdOutput();
      try {
        const [stdout, stderr] = await Promise.all(STREAMS.map(
          (stream) => this.api.text(`/processes/${encodeURIComponent(id)}/output?stream=${stream}`)));
        const record = await this.api.json('GET', `/processes/${encodeURIComponent(id)}`);
        this.store.put(record);
        cell.replaceOutput({ stdout, stderr }, record);
      } catch {
        cell.replaceOutput({ stdout: '', stderr: '' }, {});
      }
    }));
  }

  // The process Ctrl+C / Ctrl+Z act on: the focused cell's, or from the prompt the latest live one.
  targetProcess() {
    const focused = document.activeElement && document.activeElement.closest
      ? document.activeElement.closest('.cell') : null;
    if (focused && focused.dataset.id) {
      return this.store.records.get(focused.dataset.id);
    }
    for (let i = this.order.length - 1; i >= 0; i -= 1) {
      const record = this.order[i].id && this.store.records.get(this.order[i].id);
      if (record && LIVE_STATES.has(record.state)) {
        return record;
      }
    }
    return null;
  }
}

// Command history for the prompt (↑/↓), kept across visits in this browser.
export class History {
  static KEY = 'isometry.history';
  static MAX = 200;

  constructor() {
    try {
      this.entries = JSON.parse(localStorage.getItem(History.KEY)) || [];
    } catch {
      this.entries = [];
    }
    this.position = this.entries.length;
  }

  add(command) {
    if (this.entries[this.entries.length - 1] !== command) {
      this.entries.push(command);
      this.entries = this.entries.slice(-History.MAX);
      localStorage.setItem(History.KEY, JSON.stringify(this.entries));
    }
    this.position = this.entries.length;
  }

  previous(current) {
    if (this.position > 0) {
      this.position -= 1;
    }
    return this.entries[this.position] ?? current;
  }

  next() {
    if (this.position < this.entries.length) {
      this.position += 1;
    }
    return this.entries[this.position] ?? '';
  }
}
