// A cell's output on the page: the terminal model (ansi.js) of its streams, drawn at most once an
// animation frame, with only the model's last lines in the DOM. However fast a process writes, the
// page does one DOM update a frame, and however much it writes, the cell holds `limit` lines.
import { AnsiParser } from './ansi.js';
import { Screen } from './screen.js';
import { renderLine } from './line-view.js';

export const LINE_LIMIT = 2000;
// Close enough to the end to keep following new output; further up, the reader has scrolled away.
const FOLLOW_SLACK_PX = 24;
// A draw that took long (a flood of lines) puts the next one off by a multiple of its cost, up to a
// bound: the page then spends most of its time taking in output and stays responsive, and the cell
// still shows where the output is several times a second.
const DEFER_FACTOR = 4;
const MAX_DEFER_MS = 250;
const FRAME_MS = 16;

export class OutputView {
  constructor(node, { onDrawn }) {
    this.node = node;
    this.onDrawn = onDrawn;
    this.reset(LINE_LIMIT);
  }

  reset(limit) {
    this.screen = new Screen(limit);
    this.parsers = new Map();
    this.node.replaceChildren();
    this.domStart = 0;
    this.domEnd = 0;
    this.cost = 0;
    this.schedule();
  }

  get dropped() {
    return this.screen.dropped;
  }

  write(stream, data) {
    if (!data) {
      return;
    }
    let parser = this.parsers.get(stream);
    if (!parser) {
      parser = new AnsiParser(this.screen, stream);
      this.parsers.set(stream, parser);
    }
    parser.write(data);
    this.schedule();
  }

  // The text as shown, escape sequences applied.
  text() {
    return this.screen.text();
  }

  schedule() {
    if (this.scheduled) {
      return;
    }
    this.scheduled = true;
    const frame = () => requestAnimationFrame(() => this.draw());
    const defer = Math.min(MAX_DEFER_MS, this.cost * DEFER_FACTOR);
    if (defer < FRAME_MS) {
      frame();
    } else {
      setTimeout(frame, defer);
    }
  }

  // Removes the lines the model let go of, redraws the lines that changed and adds the new ones.
  draw() {
    this.scheduled = false;
    const started = performance.now();
    const node = this.node;
    const screen = this.screen;
    const following = node.scrollHeight - node.scrollTop - node.clientHeight < FOLLOW_SLACK_PX;
    if (this.domEnd <= screen.dropped) {
      node.replaceChildren();
      this.domStart = this.domEnd;
    }
    while (this.domStart < this.domEnd && this.domStart < screen.dropped) {
      node.firstChild.remove();
      this.domStart += 1;
    }
    if (this.domStart === this.domEnd) {
      this.domStart = Math.max(this.domEnd, screen.dropped);
      this.domEnd = this.domStart;
    }
    const added = document.createDocumentFragment();
    for (let number = Math.max(screen.dirtyFrom, screen.dropped); number < screen.total; number += 1) {
      const line = screen.lines[number - screen.dropped];
      if (number < this.domEnd) {
        renderLine(node.children[number - this.domStart], line);
      } else {
        added.append(renderLine(null, line));
        this.domEnd += 1;
      }
    }
    node.append(added);
    screen.dirtyFrom = screen.total;
    node.hidden = screen.total === 1 && screen.current.length === 0;
    if (following) {
      node.scrollTop = node.scrollHeight;
    }
    this.cost = performance.now() - started;
    this.onDrawn();
  }
}
