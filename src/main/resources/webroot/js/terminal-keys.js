// What a terminal sends for a key: printable characters as they are, Enter as CR, Backspace as DEL,
// Ctrl+letter as its control character (Ctrl+C is ^C, which the pty's line discipline turns into
// SIGINT for the foreground group), arrows and friends as the usual escape sequences.
const NAMED = {
  Enter: '\r', Backspace: '\x7f', Tab: '\t', Escape: '\x1b', Delete: '\x1b[3~',
  ArrowUp: '\x1b[A', ArrowDown: '\x1b[B', ArrowRight: '\x1b[C', ArrowLeft: '\x1b[D',
  Home: '\x1b[H', End: '\x1b[F', PageUp: '\x1b[5~', PageDown: '\x1b[6~',
};

// The bytes for a keydown, or null when the key is not the terminal's (a shortcut of the browser).
export function terminalBytes(event) {
  if (event.metaKey) {
    return null;
  }
  if (event.ctrlKey && !event.altKey && event.key.length === 1) {
    const code = event.key.toUpperCase().charCodeAt(0);
    if (code >= 0x40 && code <= 0x5f) {
      return String.fromCharCode(code & 0x1f);
    }
    return null;
  }
  if (event.ctrlKey) {
    return null;
  }
  const named = NAMED[event.key];
  if (named) {
    return event.altKey ? `\x1b${named}` : named;
  }
  if (event.key.length === 1 || [...event.key].length === 1) {
    return event.altKey ? `\x1b${event.key}` : event.key;
  }
  return null;
}
