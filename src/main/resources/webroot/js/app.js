// Boots the console: token, feed, notebook, sheet, status indicator and keyboard shortcuts.
import { Api, ApiError } from './api.js';
import { askForToken, forgetToken, tokenFromPage } from './token.js';
import { Feed } from './feed.js';
import { Store } from './store.js';
import { Notebook, History } from './notebook.js';
import { Sheet } from './sheet.js';
import { StatusIndicator } from './status.js';
import { confirmCancel } from './confirm.js';
import { HistorySearch } from './history-search.js';
import { sessionId } from './session.js';
import { icon } from './icons.js';

const byId = (id) => document.getElementById(id);

// A token is bad only when the engine says so (401); an engine that is down does not make it bad.
async function accepted(token) {
  try {
    await new Api(token).json('GET', '/capabilities');
    return true;
  } catch (error) {
    return !(error instanceof ApiError && error.status === 401);
  }
}

async function signIn() {
  const token = tokenFromPage();
  if (token && await accepted(token)) {
    return token;
  }
  forgetToken();
  return askForToken((candidate) => candidate !== '' && accepted(candidate));
}

async function main() {
  const token = await signIn();
  const api = new Api(token);
  const capabilities = await api.json('GET', '/capabilities').catch(() => ({}));
  const principal = capabilities.principal || {};
  const mayControl = () => principal.role !== 'viewer';
  byId('who').textContent = principal.name ? `${principal.name} · ${principal.role}` : '';
  if (!mayControl()) {
    byId('command').disabled = true;
    byId('run').disabled = true;
  }

  const store = new Store();
  const indicator = new StatusIndicator({
    status: byId('status'), label: byId('status-label'),
    running: byId('running-count'), background: byId('background-count'), suspended: byId('suspended-count'),
  });
  let notebook;

  const feed = new Feed(token, sessionId(), {
    onEvent(frame) {
      if (frame.type === 'process') {
        store.put(frame.record);
      } else if (frame.type === 'output') {
        notebook.output(frame);
      } else if (frame.type === 'usage') {
        store.usage(frame.id, frame.usage);
      }
    },
    async onReady(ack) {
      indicator.connection(true);
      indicator.show(store.counts());
      try {
        const list = await api.json('GET', '/processes?limit=100');
        list.items.forEach((record) => store.put(record));
        await notebook.catchUp();
        await notebook.adopt(ack.processes || []);
      } catch (error) {
        console.warn('catching up failed', error);
      }
    },
    onDown() {
      indicator.connection(false);
      indicator.show(store.counts());
    },
    onRefused() {
      forgetToken();
      window.location.reload();
    },
  });
  notebook = new Notebook(byId('notebook'), { feed, api, store, mayControl });
  notebook.restore();

  async function control(action, record) {
    if (action === 'cancel' && !(await confirmCancel(record))) {
      return;
    }
    try {
      store.put(await api.json('POST', `/processes/${encodeURIComponent(record.id)}/${action}`));
    } catch (error) {
      console.warn(`${action} failed`, error);
    }
  }

  const sheet = new Sheet({
    sheet: byId('sheet'), list: byId('process-list'), button: byId('processes-button'), close: byId('sheet-close'),
    nodeFilter: byId('node-filter'),
  }, { store, control, mayControl, open: (record) => notebook.open(record) });
  byId('sheet-close').append(icon('close'));
  store.onChange((id) => {
    notebook.recordChanged(id);
    sheet.changed();
    indicator.show(store.counts());
  });

  const input = byId('command');
  const history = new History();
  new HistorySearch({ form: byId('history-form'), input: byId('history-query'), results: byId('history-results') }, {
    api,
    recall(command) {
      input.value = command;
      input.focus();
    },
  });
  byId('prompt').addEventListener('submit', (event) => {
    event.preventDefault();
    const command = input.value.trim();
    if (command === '') {
      return;
    }
    history.add(command);
    input.value = '';
    notebook.run(command, { background: byId('run-background').checked, input: byId('run-input').value });
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowUp') {
      event.preventDefault();
      input.value = history.previous(input.value);
    } else if (event.key === 'ArrowDown') {
      event.preventDefault();
      input.value = history.next();
    }
  });

  // Ctrl+C cancels (after confirmation) and Ctrl+Z suspends the focused process, as in a terminal;
  // with text selected, or text in the prompt, the keys keep their usual meaning (copy, undo).
  document.addEventListener('keydown', (event) => {
    if (!event.ctrlKey || event.altKey || event.metaKey || !['c', 'z'].includes(event.key.toLowerCase())) {
      return;
    }
    if (String(window.getSelection()) !== '' || (document.activeElement === input && input.value !== '')) {
      return;
    }
    const record = notebook.targetProcess();
    if (!record || !mayControl()) {
      return;
    }
    event.preventDefault();
    if (event.key.toLowerCase() === 'c') {
      control('cancel', record);
    } else if (record.state === 'running') {
      control('suspend', record);
    }
  });

  feed.connect();
  input.focus();
}

main();
