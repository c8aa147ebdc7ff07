// The header's status indicator: idle, running (a foreground process runs), background (only
// background ones run) or error (the engine is out of reach), with the running and background counts.
export class StatusIndicator {
  constructor({ status, label, running, background }) {
    this.nodes = { status, label, running, background };
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
    } else {
      state = 'idle';
    }
    this.nodes.status.dataset.state = state;
    this.nodes.label.textContent = state === 'error' ? 'disconnected' : state;
    this.nodes.running.textContent = String(counts.running);
    this.nodes.background.textContent = String(counts.background);
  }
}
