// A small terminal model for output cells, in the spirit of a notebook's output area rather than a
// terminal emulator: SGR colours and styles (16, 256 and truecolour; bold, dim, italic, underline,
// inverse, strike), `\r` and `\b` (and CSI K/G/C/D) rewriting the current line so a progress bar stays
// one line, and every other escape sequence (cursor moves, OSC titles, DCS...) swallowed. Full-screen
// programs (vim, top) are out of scope: there is no cursor up and no screen, only lines.
//
// The model keeps the last `limit` lines; `Screen.dropped` counts those let go. Parsers keep their
// state between chunks, so a chunk may end in the middle of an escape sequence.
import { RESET, sgr } from './sgr.js';

const TAB = 8;
const MAX_CSI = 64;
const SPECIAL = /[\x00-\x1f\x7f\x9b]/g;

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
