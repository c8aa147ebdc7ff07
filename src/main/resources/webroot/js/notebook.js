// The notebook: one cell per command, kept across a reload of the tab (session.js), with its live
// output placed by byte offset after a catch-up from what the engine retained.
import { Cell, STREAMS } from './cell.js';
import { LINE_LIMIT } from './output-view.js';
import { AnsiParser } from './ansi.js';
import { Screen } from './screen.js';
import { LIVE_STATES } from './store.js';
import { savedCells, saveCells } from './session.js';
import { terminalSize } from './terminal-size.js';

const RESIZE_DEBOUNCE_MS = 200;

export class Notebook {
  constructor(container, { feed, api, store, mayControl }) {
    this.container = container;
    this.feed = feed;
    this.api = api;
    this.store = store;
    this.cells = new Map();
    this.order = [];
    this.actions = {
      mayControl,
      input: (cell, message) => this.feed.request({ type: 'stdin', id: cell.id, ...message }),
      more: (cell) => {
        cell.limit += LINE_LIMIT;
        this.#fetch(cell);
      },
      fullText: (cell) => this.#openFullText(cell),
    };
    let timer = null;
    window.addEventListener('resize', () => {
      clearTimeout(timer);
      timer = setTimeout(() => this.#resizeTerminals(), RESIZE_DEBOUNCE_MS);
    });
  }

  // The cells this tab had before a reload; their output comes with the first catch-up.
  restore() {
    for (const entry of savedCells()) {
      const cell = this.#add(entry.command);
      if (entry.id) {
        this.cells.set(entry.id, cell);
        cell.bind({ id: entry.id, state: 'restoring', command: entry.command });
      } else if (entry.error) {
        cell.refuse(entry.error);
        cell.saved = { command: entry.command, error: entry.error };
      }
    }
  }

  // input: 'none', 'stdin' or 'tty'.
  async run(command, { background, input }) {
    const cell = this.#add(command);
    cell.node.scrollIntoView({ block: 'end' });
    const message = { type: 'run', command, background };
    const size = input === 'tty' ? terminalSize(cell.node) : null;
    if (size) {
      Object.assign(message, { tty: true }, size);
    } else if (input === 'stdin') {
      message.stdin = true;
    }
    try {
      const ack = await this.feed.request(message);
      this.cells.set(ack.record.id, cell);
      this.store.put(ack.record);
      cell.bind(this.store.records.get(ack.record.id));
      cell.sentSize = size;
    } catch (error) {
      cell.refuse(error);
      cell.saved = { command, error: { error: error.error, message: error.message, violations: error.violations } };
    }
    this.#save();
  }

  // Shows a process's output in a cell (from the process sheet): its own cell when it has one,
  // otherwise a new one that follows it.
  async open(record, { focus = true } = {}) {
    let cell = this.cells.get(record.id);
    if (!cell) {
      cell = this.#add(record.command);
      this.cells.set(record.id, cell);
      cell.bind(record);
      this.#save();
      try {
        await this.feed.request({ type: 'subscribe', output: [record.id] });
      } catch (error) {
        console.warn('subscribing failed', error);
      }
      await this.#fetch(cell);
    }
    if (focus) {
      cell.node.scrollIntoView({ block: 'nearest' });
      cell.node.focus({ preventScroll: true });
    }
  }

  // The session's live foreground processes, as the engine's auth answer names them (an engine that
  // keeps processes for a returning session): one this tab has no cell for (a duplicated tab shares
  // the session, a cell may have fallen out of the tab's memory) gets one.
  async adopt(ids) {
    for (const id of ids) {
      if (!this.cells.has(id)) {
        const record = this.store.records.get(id) || await this.api.json('GET', `/processes/${encodeURIComponent(id)}`);
        await this.open(record, { focus: false });
      }
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

  // After a (re)connection: the output of every cell's process again, from what the engine retained.
  async catchUp() {
    const ids = [...this.cells.keys()];
    if (ids.length === 0) {
      return;
    }
    await this.feed.request({ type: 'subscribe', output: ids });
    await Promise.all(ids.map((id) => this.#fetch(this.cells.get(id))));
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

  #add(command) {
    const cell = new Cell(command, this.actions);
    this.order.push(cell);
    this.container.append(cell.node);
    return cell;
  }

  async #fetch(cell) {
    const id = cell.id;
    const path = `/processes/${encodeURIComponent(id)}`;
    cell.holdOutput();
    try {
      const record = await this.api.json('GET', path);
      const [stdout, stderr] = await Promise.all(STREAMS.map((stream) => this.api.output(`${path}/output?stream=${stream}`)));
      this.store.put(record);
      cell.show(this.store.records.get(id));
      cell.replaceOutput({ stdout, stderr });
    } catch (error) {
      cell.replaceOutput({});
      if (error.status === 404) {
        cell.forgotten();
      }
    }
  }

  // The whole retained output in a tab of its own, as plain text with the escape sequences applied.
  async #openFullText(cell) {
    const tab = window.open('', '_blank');
    const path = `/processes/${encodeURIComponent(cell.id)}/output?stream=`;
    const screen = new Screen(Number.MAX_SAFE_INTEGER);
    try {
      for (const stream of STREAMS) {
        const { text } = await this.api.output(path + stream);
        new AnsiParser(screen, stream).write(text);
      }
    } catch (error) {
      tab?.close();
      console.warn('the output could not be read', error);
      return;
    }
    const url = URL.createObjectURL(new Blob([screen.text()], { type: 'text/plain;charset=utf-8' }));
    if (tab) {
      tab.location.href = url;
    } else {
      window.location.assign(url);
    }
  }

  #resizeTerminals() {
    for (const cell of this.cells.values()) {
      const record = cell.record;
      if (!record || !record.tty || !LIVE_STATES.has(record.state)) {
        continue;
      }
      const size = terminalSize(cell.node);
      if (cell.sentSize && size.cols === cell.sentSize.cols && size.rows === cell.sentSize.rows) {
        continue;
      }
      cell.sentSize = size;
      this.feed.request({ type: 'resize', id: cell.id, ...size }).catch((error) => console.warn('resize failed', error));
    }
  }

  #save() {
    saveCells(this.order.map((cell) => (cell.id ? { id: cell.id, command: cell.command } : cell.saved))
      .filter(Boolean));
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
