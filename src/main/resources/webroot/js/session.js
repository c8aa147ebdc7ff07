// What this tab remembers across a reload (sessionStorage: this tab only, gone with it): its session
// id, which the engine uses to give a reconnecting console back its foreground processes, and the
// cells of its notebook (process ids and commands, or the refusal of a command that never ran).
const SESSION_KEY = 'isometry.session';
const CELLS_KEY = 'isometry.cells';
const CELLS_KEPT = 100;
const VALID = /^[A-Za-z0-9_-]{1,128}$/;

export function sessionId() {
  let id = sessionStorage.getItem(SESSION_KEY);
  if (!id || !VALID.test(id)) {
    // getRandomValues works on plain http too, where randomUUID (secure contexts only) may not.
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    id = [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
    sessionStorage.setItem(SESSION_KEY, id);
  }
  return id;
}

export function savedCells() {
  try {
    const entries = JSON.parse(sessionStorage.getItem(CELLS_KEY));
    return Array.isArray(entries) ? entries.filter((entry) => entry && typeof entry.command === 'string') : [];
  } catch {
    return [];
  }
}

export function saveCells(entries) {
  sessionStorage.setItem(CELLS_KEY, JSON.stringify(entries.slice(-CELLS_KEPT)));
}
