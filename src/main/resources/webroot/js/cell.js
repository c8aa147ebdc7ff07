// One notebook cell: the command, its state, the engine's reasons when it refused it, the output
// (placed by byte offset, drawn by an OutputView), and for a process that reads input an input line
// (and, on a terminal, the keys typed while the cell has the focus).
import { element, stateIconName, stateText, elapsed } from './format.js';
import { icon } from './icons.js';
import { OutputView, LINE_LIMIT } from './output-view.js';
import { LIVE_STATES } from './store.js';
import { terminalBytes } from './terminal-keys.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
export const STREAMS = ['stdout', 'stderr'];

export class Cell {
  constructor(command, actions) {
    this.actions = actions;
    this.command = command;
    this.id = null;
    this.record = null;
    this.next = { stdout: 0, stderr: 0 };
    this.held = null;
    this.limit = LINE_LIMIT;
    this.truncated = false;
    this.node = element('section', 'cell');
    this.node.tabIndex = 0;
    const head = element('div', 'cell-head');
    this.status = element('span', 'cell-status', 'submitting');
    head.append(element('span', 'sign', '$'), element('code', 'command', command), this.status);
    this.messages = element('div', 'messages');
    this.earlier = this.#earlierControl();
    this.output = element('div', 'output');
    this.output.setAttribute('role', 'log');
    this.view = new OutputView(this.output, { onDrawn: () => this.#showEarlier() });
    this.input = null;
    this.node.append(head, this.messages, this.earlier.node, this.output);
    this.node.addEventListener('keydown', (event) => this.#key(event));
    this.node.addEventListener('paste', (event) => this.#paste(event));
  }

  bind(record) {
    this.id = record.id;
    this.node.dataset.id = record.id;
    this.show(record);
  }

  show(record) {
    this.record = record;
    this.node.dataset.state = record.state;
    this.node.classList.toggle('tty', Boolean(record.tty));
    this.status.replaceChildren(icon(stateIconName(record)), ` ${stateText(record)} ${elapsed(record)}`.trimEnd());
    this.truncated = Boolean(record.output && record.output.truncated);
    const reads = (record.stdin || record.tty) && LIVE_STATES.has(record.state) && this.actions.mayControl();
    if (reads && !this.input) {
      this.input = this.#inputLine();
      this.node.append(this.input.node);
    } else if (!reads && this.input) {
      this.input.node.remove();
      this.input = null;
    }
  }

  // A cell restored from this tab's memory whose record the engine no longer has.
  forgotten() {
    this.node.dataset.state = 'lost';
    this.status.replaceChildren(icon('lost'), ' no longer kept by the engine');
  }

  refuse(error) {
    this.node.dataset.state = 'refused';
    this.status.replaceChildren(icon('refused'),
      error.error === 'security_violation' ? ' refused' : ` ${error.error}`);
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
    this.view.write(frame.stream, data);
    this.next[frame.stream] = end;
  }

  // While the retained output is being fetched, live chunks wait; then the output is replaced by
  // what the engine kept ({text, offset} per stream) and the waiting chunks are applied by offset.
  holdOutput() {
    this.held = this.held || [];
  }

  replaceOutput(parts) {
    const waiting = this.held || [];
    this.held = null;
    this.view.reset(this.limit);
    for (const stream of STREAMS) {
      const part = parts[stream] || { text: '', offset: 0 };
      this.view.write(stream, part.text);
      this.next[stream] = part.offset + encoder.encode(part.text).length;
    }
    waiting.forEach((frame) => this.append(frame));
  }

  #earlierControl() {
    const node = element('div', 'earlier');
    node.hidden = true;
    const text = element('span', 'earlier-text');
    const more = element('button', 'show-earlier', 'Show earlier output');
    const full = element('button', 'full-text', 'Open full text');
    for (const button of [more, full]) {
      button.type = 'button';
    }
    more.addEventListener('click', () => this.actions.more(this));
    full.addEventListener('click', () => this.actions.fullText(this));
    node.append(text, more, full);
    return { node, text, more, full };
  }

  #showEarlier() {
    const dropped = this.view.dropped;
    const { node, text, more, full } = this.earlier;
    if (dropped > 0) {
      text.textContent = `${dropped.toLocaleString('en')} earlier lines not shown`;
    } else if (this.truncated) {
      text.textContent = 'Earlier output was not kept (the engine keeps the last part of each stream)';
    }
    node.hidden = this.id === null || (dropped === 0 && !this.truncated);
    more.hidden = dropped === 0;
    full.hidden = false;
  }

  #inputLine() {
    const node = element('form', 'input-line');
    const field = element('input');
    field.type = 'text';
    field.spellcheck = false;
    field.autocomplete = 'off';
    field.setAttribute('aria-label', 'Input for this process');
    field.placeholder = this.record.tty ? 'a line for the terminal (or focus the cell and type)' : 'input';
    const send = element('button', 'send', 'Send');
    send.type = 'submit';
    const eof = element('button', 'eof', 'EOF');
    eof.type = 'button';
    eof.title = this.record.tty ? 'Send Ctrl+D' : 'Close the process\'s input';
    const problem = element('span', 'input-problem');
    node.append(field, send, eof, problem);
    const deliver = (message, echo) => {
      if (echo !== undefined && !this.record.tty) {
        // A pipe does not echo what was typed, a terminal does: show it as a terminal user sees it,
        // at once, before the answer it prompts (which may arrive before the engine's ack).
        this.view.write('stdin', echo);
      }
      this.actions.input(this, message).then(() => {
        problem.textContent = '';
      }, (error) => {
        problem.textContent = error.message || error.error || 'not sent';
      });
    };
    node.addEventListener('submit', (event) => {
      event.preventDefault();
      const line = `${field.value}\n`;
      field.value = '';
      deliver({ data: line }, line);
    });
    eof.addEventListener('click', () => deliver(this.record.tty ? { data: '\u0004' } : { eof: true }));
    return { node, field };
  }

  // A terminal cell with the focus takes the keys as a terminal would; Ctrl+C with text selected
  // still copies.
  #key(event) {
    if (event.target !== this.node || !this.#terminalLive()) {
      return;
    }
    if (event.ctrlKey && event.key.toLowerCase() === 'c' && String(window.getSelection()) !== '') {
      return;
    }
    const bytes = terminalBytes(event);
    if (bytes === null) {
      return;
    }
    event.preventDefault();
    event.stopPropagation();
    this.actions.input(this, { data: bytes }).catch(() => {});
  }

  #paste(event) {
    if (event.target !== this.node || !this.#terminalLive()) {
      return;
    }
    event.preventDefault();
    this.actions.input(this, { data: event.clipboardData.getData('text') }).catch(() => {});
  }

  #terminalLive() {
    return Boolean(this.record && this.record.tty && LIVE_STATES.has(this.record.state) && this.actions.mayControl());
  }
}
