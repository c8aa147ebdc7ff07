// How records read to a person: state icons (their names in icons.js), durations, sizes.
export function stateIconName(record) {
  return record.background && record.state === 'running' ? 'background' : record.state;
}

export function stateText(record) {
  const state = record.background && ['running', 'suspended'].includes(record.state)
    ? `${record.state}, background` : record.state;
  if (record.state === 'failed' && record.signal) {
    return `${state} (${record.signal})`;
  }
  if (record.exitCode !== null && record.exitCode !== undefined && record.state !== 'succeeded') {
    return `${state} (exit ${record.exitCode})`;
  }
  return state;
}

export function bytes(count) {
  if (!count) {
    return '0 B';
  }
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let value = count;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

// How long a process has run: counted on for a live one, whose record is only as fresh as its last event.
export function elapsed(record) {
  if (['running', 'suspended'].includes(record.state) && record.startedAt) {
    return duration(Math.max(record.durationMs || 0, Date.now() - Date.parse(record.startedAt)));
  }
  return duration(record.durationMs);
}

export function duration(ms) {
  if (ms === null || ms === undefined) {
    return '';
  }
  if (ms < 1000) {
    return `${ms} ms`;
  }
  const seconds = ms / 1000;
  return seconds < 60 ? `${seconds.toFixed(1)} s` : `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

// Creates an element with a class and text, the one way this console puts text on the page
// (textContent only: output and commands are never parsed as HTML).
export function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) {
    node.className = className;
  }
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}
