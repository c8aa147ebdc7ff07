// SGR (Select Graphic Rendition, `CSI ... m`): what style a run of text has after a sequence.

export const RESET = Object.freeze({});

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
