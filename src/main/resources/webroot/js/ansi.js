// A small terminal model for output cells, in the spirit of a notebook's output area rather than a
// terminal emulator: SGR colours and styles (16, 256 and truecolour; bold, dim, italic, underline,
// inverse, strike), `\r` and `\b` (and CSI K/G/C/D) rewriting the current line so a progress bar stays
// one line, and every other escape sequence (cursor moves, OSC titles, DCS...) swallowed. Full-screen
// programs (vim, top) are out of scope: there is no cursor up and no screen, only lines.
//
// The model keeps the last `limit` lines; `Screen.dropped` counts those let go. Parsers keep their
// state between chunks, so a chunk may end in the middle of an escape sequence.

const TAB = 8;
const MAX_CSI = 64;
const SPECIAL = /[\x00-\x1f\x7f\x9b]/g;

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

const RESET = Object.freeze({});

// Reads one stream's text into a screen. One parser per stream: each has its own escape state and
// its own colours, as the two streams of a process are written independently.
export class AnsiParser {
  constructor(screen, stream) {
    this.screen = screen;
    this.stream = stream;
    this.style = RESET;
    this.state = 'text';
    this.params = '';
  }

  write(data) {
    let i = 0;
    while (i < data.length) {
      if (this.state !== 'text') {
        i = this.#escape(data, i);
        continue;
      }
      SPECIAL.lastIndex = i;
      const found = SPECIAL.exec(data);
      const end = found ? found.index : data.length;
      if (end > i) {
        this.screen.write(data.slice(i, end), this.style === RESET ? null : this.style, this.stream);
      }
      if (!found) {
        break;
      }
      this.#control(data[end]);
      i = end + 1;
    }
    this.screen.trim();
  }

  #control(char) {
    const screen = this.screen;
    switch (char) {
      case '\n':
        screen.newline();
        break;
      case '\r':
        screen.col = 0;
        break;
      case '\b':
        screen.col = Math.max(0, screen.col - 1);
        break;
      case '\t':
        screen.write(' '.repeat(TAB - (screen.col % TAB)), this.style === RESET ? null : this.style, this.stream);
        break;
      case '\x1b':
        this.state = 'escape';
        break;
      case '\x9b':
        this.state = 'csi';
        this.params = '';
        break;
      default:
        // Bell, shift-in/out and the other C0 controls have nothing to show.
        break;
    }
  }

  // Consumes escape-sequence characters from data[i]; answers where the text resumes.
  #escape(data, i) {
    const char = data[i];
    const code = data.charCodeAt(i);
    switch (this.state) {
      case 'escape':
        if (char === '[') {
          this.state = 'csi';
          this.params = '';
        } else if (char === ']' || char === 'P' || char === 'X' || char === '^' || char === '_') {
          this.state = 'string';
        } else if (code >= 0x20 && code <= 0x2f) {
          this.state = 'intermediate';
        } else {
          this.state = 'text';
        }
        return i + 1;
      case 'intermediate':
        if (code < 0x20 || code > 0x2f) {
          this.state = 'text';
        }
        return i + 1;
      case 'csi':
        if (code >= 0x40 && code <= 0x7e) {
          this.state = 'text';
          this.#csi(char, this.params);
        } else if (code < 0x20 && code !== 0x1b) {
          this.#control(char);
        } else if (code === 0x1b) {
          this.state = 'escape';
        } else if (this.params.length < MAX_CSI) {
          this.params += char;
        }
        return i + 1;
      case 'string':
        // OSC, DCS and the like end at BEL or ST (ESC \); their content is never shown.
        if (char === '\x07') {
          this.state = 'text';
        } else if (char === '\x1b') {
          this.state = 'string-escape';
        }
        return i + 1;
      case 'string-escape':
        this.state = char === '\\' ? 'text' : 'string';
        return char === '\\' ? i + 1 : i;
      default:
        this.state = 'text';
        return i;
    }
  }

  #csi(final, params) {
    if (/[<=>?]/.test(params[0] || '')) {
      return;
    }
    const numbers = params === '' ? [] : params.split(';');
    const first = Number.parseInt(numbers[0], 10) || 0;
    const screen = this.screen;
    switch (final) {
      case 'm':
        this.style = sgr(this.style, params);
        break;
      case 'K':
        if (first === 0) {
          screen.current.truncate(screen.col);
        } else if (first === 1) {
          screen.current.blank(0, screen.col + 1);
        } else {
          screen.current.truncate(0);
        }
        screen.touch();
        break;
      case 'G':
        screen.col = Math.max(0, (first || 1) - 1);
        break;
      case 'C':
        screen.col += first || 1;
        break;
      case 'D':
        screen.col = Math.max(0, screen.col - (first || 1));
        break;
      default:
        break;
    }
  }
}

// The style after an SGR sequence. Styles are frozen and replaced, never changed, so runs can compare
// them by identity.
export function sgr(style, params) {
  const next = { ...style };
  const groups = params === '' ? ['0'] : params.split(';');
  for (let i = 0; i < groups.length; i += 1) {
    const group = groups[i];
    if (group.includes(':')) {
      const parts = group.split(':').map((part) => Number.parseInt(part, 10));
      colour(next, parts[0], parts.slice(1).filter((part) => !Number.isNaN(part)), true);
      continue;
    }
    const code = Number.parseInt(group, 10) || 0;
    if (code === 38 || code === 48 || code === 58) {
      const kind = Number.parseInt(groups[i + 1], 10);
      const count = kind === 5 ? 1 : kind === 2 ? 3 : 0;
      const values = groups.slice(i + 1, i + 2 + count).map((part) => Number.parseInt(part, 10) || 0);
      colour(next, code, values, false);
      i += 1 + count;
      continue;
    }
    apply(next, code);
  }
  const keys = Object.keys(next).filter((key) => next[key] !== undefined && next[key] !== false && next[key] !== null);
  return keys.length === 0 ? RESET : Object.freeze(next);
}

function apply(style, code) {
  if (code === 0) {
    for (const key of Object.keys(style)) {
      delete style[key];
    }
  } else if (code === 1) {
    style.bold = true;
  } else if (code === 2) {
    style.dim = true;
  } else if (code === 3) {
    style.italic = true;
  } else if (code === 4) {
    style.underline = true;
  } else if (code === 7) {
    style.inverse = true;
  } else if (code === 9) {
    style.strike = true;
  } else if (code === 22) {
    delete style.bold;
    delete style.dim;
  } else if (code === 23) {
    delete style.italic;
  } else if (code === 24) {
    delete style.underline;
  } else if (code === 27) {
    delete style.inverse;
  } else if (code === 29) {
    delete style.strike;
  } else if (code >= 30 && code <= 37) {
    style.fg = code - 30;
  } else if (code === 39) {
    delete style.fg;
  } else if (code >= 40 && code <= 47) {
    style.bg = code - 40;
  } else if (code === 49) {
    delete style.bg;
  } else if (code >= 90 && code <= 97) {
    style.fg = code - 90 + 8;
  } else if (code >= 100 && code <= 107) {
    style.bg = code - 100 + 8;
  }
}

// 38/48 with `5;n` (a palette index) or `2;r;g;b` (truecolour); in the colon form `2` may carry a
// colour-space id before r:g:b. Underline colour (58) is read and let go.
function colour(style, code, values, colonForm) {
  const kind = values[0];
  let value = null;
  if (kind === 5 && values.length >= 2) {
    value = clamp(values[1]);
  } else if (kind === 2) {
    const rgb = colonForm && values.length >= 5 ? values.slice(2, 5) : values.slice(1, 4);
    if (rgb.length === 3) {
      value = `rgb(${rgb.map(clamp).join(', ')})`;
    }
  }
  if (value === null || code === 58) {
    return;
  }
  style[code === 38 ? 'fg' : 'bg'] = value;
}

function clamp(value) {
  return Math.max(0, Math.min(255, value || 0));
}

// A palette index as CSS: 0..15 are the theme's (classes, so the page's colours decide), 16..255 the
// xterm cube and grey ramp.
export function paletteColour(index) {
  if (index < 232) {
    const cube = index - 16;
    const level = (n) => (n === 0 ? 0 : 55 + n * 40);
    return `rgb(${level(Math.floor(cube / 36))}, ${level(Math.floor(cube / 6) % 6)}, ${level(cube % 6)})`;
  }
  const grey = 8 + (index - 232) * 10;
  return `rgb(${grey}, ${grey}, ${grey})`;
}

// Puts a line on the page (into `node`, or a new one when null) and answers it: one span per run,
// classes for styles and the 16 theme colours, inline colours for the rest. A line that is one
// unstyled run is one element, its stream's class on the line itself: most output is plain, and a
// flood of it should cost one element a line. Text goes in as text only; nothing from output is
// ever parsed as HTML.
export function renderLine(node, line) {
  const target = node || document.createElement('div');
  const only = line.runs.length === 1 ? line.runs[0] : null;
  if (only && !only.style) {
    target.className = `line ${only.stream}`;
    target.textContent = only.text;
    return target;
  }
  target.className = 'line';
  target.replaceChildren(...line.runs.map((piece) => {
    const span = document.createElement('span');
    span.className = piece.stream;
    if (piece.style) {
      decorate(span, piece.style);
    }
    span.textContent = piece.text;
    return span;
  }));
  return target;
}

function decorate(span, style) {
  let fg = style.fg;
  let bg = style.bg;
  if (style.inverse) {
    [fg, bg] = [bg ?? 'default-bg', fg ?? 'default-fg'];
  }
  for (const flag of ['bold', 'dim', 'italic', 'underline', 'strike']) {
    if (style[flag]) {
      span.classList.add(`ansi-${flag}`);
    }
  }
  paint(span, 'fg', 'color', fg);
  paint(span, 'bg', 'backgroundColor', bg);
}

function paint(span, prefix, property, value) {
  if (value === undefined || value === null) {
    return;
  }
  if (typeof value === 'string' && value.startsWith('default')) {
    span.classList.add(`ansi-${prefix}-${value}`);
  } else if (typeof value === 'number' && value < 16) {
    span.classList.add(`ansi-${prefix}-${value}`);
  } else {
    span.style[property] = typeof value === 'number' ? paletteColour(value) : value;
  }
}
