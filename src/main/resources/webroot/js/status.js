// The header's status indicator: idle, running (a foreground process runs), background (only
// background ones run), suspended (only suspended ones are left) or error (the engine is out of
// reach), with the running, background and suspended counts.
export class StatusIndicator {
  constructor({ status, label, running, background, suspended }) {
    this.nodes = { status, label, running, background, suspended };
    this.connected = false;
  }

  connection(connected) {
    this.connected = connected;
  }

  show(counts) {
    let state;
    if (!this.connected) {
      state = 'error';
    } else if (counts.running > 0) {
      state = 'running';
    } else if (counts.background > 0) {
      state = 'background';
    } else if (counts.suspended > 0) {
      state = 'suspended';
    } else {
      state = 'idle';
    }
    this.nodes.status.dataset.state = state;
    this.nodes.label.textContent = state === 'error' ? 'disconnected' : state;
    this.nodes.running.textContent = String(counts.running);
    this.nodes.background.textContent = String(counts.background);
    this.nodes.suspended.textContent = String(counts.suspended);
  }
}
