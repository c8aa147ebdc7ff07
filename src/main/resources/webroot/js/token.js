// The console's token: from the URL the engine printed (?token=...), kept for this tab only
// (sessionStorage) and taken out of the address bar at once, so it stays out of history and bookmarks.
const KEY = 'isometry.token';

export function tokenFromPage() {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(KEY, fromUrl);
    url.searchParams.delete('token');
    history.replaceState(null, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return sessionStorage.getItem(KEY);
}

export function forgetToken() {
  sessionStorage.removeItem(KEY);
}

// Asks for a token in the login dialog; resolves once one was entered and accepted by `check`.
export function askForToken(check) {
  const dialog = document.getElementById('login');
  const form = document.getElementById('login-form');
  const input = document.getElementById('login-token');
  const error = document.getElementById('login-error');
  return new Promise((resolve) => {
    form.addEventListener('submit', async function onSubmit(event) {
      event.preventDefault();
      const token = input.value.trim();
      if (await check(token)) {
        sessionStorage.setItem(KEY, token);
        form.removeEventListener('submit', onSubmit);
        dialog.close();
        resolve(token);
      } else {
        error.textContent = 'That token is not valid.';
        error.hidden = false;
      }
    });
    dialog.addEventListener('cancel', (event) => event.preventDefault());
    dialog.showModal();
  });
}
