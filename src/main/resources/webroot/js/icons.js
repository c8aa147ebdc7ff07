// Icons as inline SVG: they draw the same everywhere, where a font glyph (⏸, ✓) depends on the fonts
// installed and may come out as an empty box.
const NS = 'http://www.w3.org/2000/svg';
const stroke = { fill: 'none', stroke: 'currentColor', 'stroke-width': '2', 'stroke-linecap': 'round', 'stroke-linejoin': 'round' };
const fill = { fill: 'currentColor' };

const SHAPES = {
  queued: [['circle', { cx: 3, cy: 8, r: 1.5, ...fill }], ['circle', { cx: 8, cy: 8, r: 1.5, ...fill }],
    ['circle', { cx: 13, cy: 8, r: 1.5, ...fill }]],
  running: [['path', { d: 'M4 2.5v11l9.5-5.5z', ...fill }]],
  background: [['circle', { cx: 8, cy: 8, r: 5.5, ...stroke }], ['path', { d: 'M8 2.5a5.5 5.5 0 0 1 0 11z', ...fill }]],
  suspended: [['rect', { x: 3.5, y: 2.5, width: 3, height: 11, ...fill }], ['rect', { x: 9.5, y: 2.5, width: 3, height: 11, ...fill }]],
  succeeded: [['path', { d: 'M3 8.5l3.5 3.5L13 4.5', ...stroke }]],
  failed: [['path', { d: 'M4 4l8 8M12 4l-8 8', ...stroke }]],
  cancelled: [['circle', { cx: 8, cy: 8, r: 5.5, ...stroke }], ['path', { d: 'M4.2 11.8l7.6-7.6', ...stroke }]],
  timed_out: [['circle', { cx: 8, cy: 8, r: 5.5, ...stroke }], ['path', { d: 'M8 5v3.5l2.5 1.5', ...stroke }]],
  killed: [['path', { d: 'M5.5 2h5L14 5.5v5L10.5 14h-5L2 10.5v-5z', ...fill }]],
  lost: [['circle', { cx: 8, cy: 8, r: 5.5, ...stroke, 'stroke-dasharray': '2 2' }]],
  refused: [['circle', { cx: 8, cy: 8, r: 5.5, ...stroke }], ['path', { d: 'M5.5 5.5l5 5M10.5 5.5l-5 5', ...stroke }]],
  close: [['path', { d: 'M4 4l8 8M12 4l-8 8', ...stroke }]],
};

// A cell restored after a reload waits for its record like a queued process waits for its turn.
SHAPES.restoring = SHAPES.queued;

export function icon(name) {
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('class', `icon icon-${name}`);
  svg.setAttribute('aria-hidden', 'true');
  for (const [tag, attributes] of SHAPES[name] || SHAPES.lost) {
    const shape = document.createElementNS(NS, tag);
    for (const [key, value] of Object.entries(attributes)) {
      shape.setAttribute(key, String(value));
    }
    svg.append(shape);
  }
  return svg;
}
