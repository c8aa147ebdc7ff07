// The WebSocket feed: authenticates with a first `auth` message (browsers cannot set headers on a
// WebSocket), matches answers to requests by requestId, and reconnects by itself with a growing
// delay when the socket drops. After every (re)connection `onReady` runs, so the page can subscribe
// again and catch up on what it missed. The auth message carries this tab's session id, so the engine
// can hand a reconnecting tab back the foreground processes it ran.
const MIN_DELAY_MS = 500;
const MAX_DELAY_MS = 5000;

export class Feed {
  constructor(token, session, { onEvent, onReady, onDown, onRefused }) {
    this.token = token;
    this.session = session;
    this.handlers = { onEvent, onReady, onDown, onRefused };
    this.pending = new Map();
    this.nextRequest = 1;
    this.delay = MIN_DELAY_MS;
    this.socket = null;
    this.ready = false;
  }

  connect() {
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
    const socket = new WebSocket(`${scheme}://${window.location.host}/api/v1/ws`);
    this.socket = socket;
    socket.addEventListener('open', () => {
      this.request({ type: 'auth', token: this.token, session: this.session }).then((ack) => {
        this.ready = true;
        this.delay = MIN_DELAY_MS;
        this.handlers.onReady(ack);
      }, () => this.handlers.onRefused());
    });
    socket.addEventListener('message', (message) => this.#receive(JSON.parse(message.data)));
    socket.addEventListener('close', () => this.#dropped(socket));
  }

  // Sends a message; resolves with the ack, rejects with the error frame.
  request(message) {
    const requestId = `r${this.nextRequest++}`;
    return new Promise((resolve, reject) => {
      if (!this.socket || this.socket.readyState !== WebSocket.OPEN) {
        reject({ error: 'unavailable', message: 'not connected to the engine' });
        return;
      }
      this.pending.set(requestId, { resolve, reject });
      this.socket.send(JSON.stringify({ ...message, requestId }));
    });
  }

  #receive(frame) {
    if ((frame.type === 'ack' || frame.type === 'error') && this.pending.has(frame.requestId)) {
      const { resolve, reject } = this.pending.get(frame.requestId);
      this.pending.delete(frame.requestId);
      (frame.type === 'ack' ? resolve : reject)(frame);
      return;
    }
    this.handlers.onEvent(frame);
  }

  #dropped(socket) {
    if (socket !== this.socket) {
      return;
    }
    this.ready = false;
    for (const { reject } of this.pending.values()) {
      reject({ error: 'unavailable', message: 'the connection to the engine dropped' });
    }
    this.pending.clear();
    this.handlers.onDown();
    setTimeout(() => this.connect(), this.delay);
    this.delay = Math.min(MAX_DELAY_MS, this.delay * 2);
  }
}
