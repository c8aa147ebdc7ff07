// What the console knows about processes: the latest record of each (from the list, then from
// every lifecycle event) and the recent usage samples of each, for the sparklines.
export const LIVE_STATES = new Set(['queued', 'running', 'suspended']);
const SAMPLES_KEPT = 60;

export class Store {
  constructor() {
    this.records = new Map();
    this.samples = new Map();
    this.listeners = [];
  }

  onChange(listener) {
    this.listeners.push(listener);
  }

  // Keeps a record, but never a live one over a finished one: a list answer can be older than the
  // events that came while it was on its way, and a finished process never lives again.
  put(record) {
    const known = this.records.get(record.id);
    if (known && !LIVE_STATES.has(known.state) && LIVE_STATES.has(record.state)) {
      return;
    }
    this.records.set(record.id, record);
    this.#changed(record.id);
  }

  usage(id, usage) {
    const record = this.records.get(id);
    if (record) {
      record.usage = usage;
    }
    const samples = this.samples.get(id) || [];
    samples.push({ cpu: usage.cpuPercent || 0, rss: usage.rssBytes || 0 });
    if (samples.length > SAMPLES_KEPT) {
      samples.shift();
    }
    this.samples.set(id, samples);
    this.#changed(id);
  }

  // Live ones first (newest first), then finished ones (newest first).
  sorted() {
    return [...this.records.values()].sort((a, b) => {
      const live = Number(LIVE_STATES.has(b.state)) - Number(LIVE_STATES.has(a.state));
      return live !== 0 ? live : (b.createdAt || '').localeCompare(a.createdAt || '');
    });
  }

  // Foreground processes running (or queued), background ones running (or queued), and suspended
  // ones of either kind: each live process is counted once.
  counts() {
    const counts = { running: 0, background: 0, suspended: 0 };
    for (const record of this.records.values()) {
      if (record.state === 'suspended') {
        counts.suspended += 1;
      } else if (LIVE_STATES.has(record.state)) {
        counts[record.background ? 'background' : 'running'] += 1;
      }
    }
    return counts;
  }

  #changed(id) {
    for (const listener of this.listeners) {
      listener(id);
    }
  }
}
