// How a line of the model goes on the page. Output reaches the DOM only here, and only as text
// (textContent), class names and CSSOM colours: nothing from output is ever parsed as HTML.

// A palette index as CSS: 0..15 are the theme's (classes, so the page's colours decide), 16..255 the
// xterm cube and grey ramp.
function paletteColour(index) {
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
