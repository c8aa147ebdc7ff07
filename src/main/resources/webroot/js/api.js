// REST calls to /api/v1 with the bearer token. Failures reject with an ApiError carrying the
// contract's error object ({error, message, ...}).
export class ApiError extends Error {
  constructor(status, body) {
    super(body.message || `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

export class Api {
  constructor(token) {
    this.token = token;
  }

  json(method, path, body) {
    return this.#fetch(method, path, body).then((response) => response.json());
  }

  text(path) {
    return this.#fetch('GET', path).then((response) => response.text());
  }

  // Retained output with the byte offset in the whole stream where it starts (0 when not said).
  async output(path) {
    const response = await this.#fetch('GET', path);
    const offset = Number.parseInt(response.headers.get('Isometry-Output-Offset'), 10);
    return { text: await response.text(), offset: Number.isNaN(offset) ? 0 : offset };
  }

  async #fetch(method, path, body) {
    const headers = { Authorization: `Bearer ${this.token}` };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    const response = await fetch(`/api/v1${path}`, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store',
    });
    if (!response.ok) {
      let error;
      try {
        error = await response.json();
      } catch {
        error = { error: 'http_error', message: `HTTP ${response.status}` };
      }
      throw new ApiError(response.status, error);
    }
    return response;
  }
}
