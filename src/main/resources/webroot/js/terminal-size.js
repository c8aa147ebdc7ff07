// The terminal size a cell offers a tty process: as many columns of the output font as fit the
// cell's width, and as many rows as the output area shows before it scrolls.
const MIN = 10;
const MAX = 1000;
const PROBE_CHARS = 100;

export function terminalSize(cellNode) {
  const probe = document.createElement('div');
  probe.className = 'output terminal-probe';
  probe.textContent = '0'.repeat(PROBE_CHARS);
  cellNode.append(probe);
  const charWidth = probe.scrollWidth / PROBE_CHARS || 8;
  const style = getComputedStyle(probe);
  const lineHeight = Number.parseFloat(style.lineHeight) || 18;
  const height = Number.parseFloat(style.maxHeight) || 24 * lineHeight;
  probe.remove();
  const cellStyle = getComputedStyle(cellNode);
  const width = cellNode.clientWidth - Number.parseFloat(cellStyle.paddingLeft) - Number.parseFloat(cellStyle.paddingRight);
  const clamp = (value) => Math.max(MIN, Math.min(MAX, Math.floor(value)));
  return { cols: clamp(width / charWidth), rows: clamp(height / lineHeight) };
}
