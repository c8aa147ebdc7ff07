// The lines of a cell's output as a terminal would leave them: runs of text in one style, a cursor
// column on the last line, writes that overwrite, and only the last `limit` lines kept
// (`Screen.dropped` counts those let go). Written by the parsers of ansi.js, drawn by output-view.js.

// One piece of a line in a single style; `stream` is 'stdout', 'stderr' or 'stdin' (echoed input).
function run(text, style, stream) {
  return { text, style, stream };
}

class Line {
  constructor() {
    this.runs = [];
    this.length = 0;
  }

  // Writes at a column: appending is the common case; before the end it overwrites characters.
  write(col, text, style, stream) {
    if (col > this.length) {
      this.#append(' '.repeat(col - this.length), null, stream);
    }
    if (col >= this.length) {
      this.#append(text, style, stream);
      return;
    }
    const end = col + text.length;
    const after = end < this.length ? this.#slice(end, this.length) : [];
    this.runs = this.#slice(0, col);
    this.length = col;
    this.#append(text, style, stream);
    for (const piece of after) {
      this.#append(piece.text, piece.style, piece.stream);
    }
  }

  truncate(col) {
    if (col < this.length) {
      this.runs = this.#slice(0, col);
      this.length = col;
    }
  }

  blank(from, to) {
    const end = Math.min(to, this.length);
    if (from < end) {
      this.write(from, ' '.repeat(end - from), null, 'stdout');
    }
  }

  text() {
    return this.runs.map((piece) => piece.text).join('');
  }

  #append(text, style, stream) {
    const last = this.runs[this.runs.length - 1];
    if (last && last.style === style && last.stream === stream) {
      last.text += text;
    } else {
      this.runs.push(run(text, style, stream));
    }
    this.length += text.length;
  }

  #slice(from, to) {
    const pieces = [];
    let start = 0;
    for (const piece of this.runs) {
      const end = start + piece.text.length;
      if (end > from && start < to) {
        pieces.push(run(piece.text.slice(Math.max(0, from - start), Math.min(piece.text.length, to - start)),
          piece.style, piece.stream));
      }
      start = end;
    }
    return pieces;
  }
}

// The lines of one cell and its cursor (always on the last line). `dirtyFrom` is the number of the
// first line changed since the view last drew, counted from the very first line ever written.
export class Screen {
  constructor(limit) {
    this.limit = limit;
    this.clear();
  }

  clear() {
    this.lines = [new Line()];
    this.dropped = 0;
    this.col = 0;
    this.dirtyFrom = 0;
  }

  get current() {
    return this.lines[this.lines.length - 1];
  }

  get total() {
    return this.dropped + this.lines.length;
  }

  touch() {
    this.dirtyFrom = Math.min(this.dirtyFrom, this.total - 1);
  }

  write(text, style, stream) {
    this.current.write(this.col, text, style, stream);
    this.col += text.length;
    this.touch();
  }

  newline() {
    this.lines.push(new Line());
    this.col = 0;
    this.touch();
  }

  // Lets go of the oldest lines beyond the limit: called once a chunk, not once a line.
  trim() {
    const excess = this.lines.length - this.limit;
    if (excess > 0) {
      this.lines.splice(0, excess);
      this.dropped += excess;
    }
  }

  // The whole text, escape sequences already applied: for "open the full text".
  text() {
    return this.lines.map((line) => line.text()).join('\n');
  }
}
