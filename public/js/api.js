// REST client: bearer token, JSON in and out, errors as ApiError with the server's code and field.
export class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

export class Api {
  constructor() {
    this.token = sessionStorage.getItem('attendant.token') ?? '';
    /** called when the server says the token is no longer valid */
    this.onUnauthorized = () => {};
  }

  setToken(token) {
    this.token = token ?? '';
    if (token) sessionStorage.setItem('attendant.token', token);
    else sessionStorage.removeItem('attendant.token');
  }

  async call(method, path, body) {
    const headers = { accept: 'application/json' };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    const init = { method, headers };
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let res;
    try {
      res = await fetch(path, init);
    } catch {
      throw new ApiError(0, 'network', 'the controller cannot be reached');
    }
    if (res.status === 204) return undefined;
    const data = await res.json().catch(() => undefined);
    if (!res.ok) {
      const e = data?.error ?? {};
      if (res.status === 401 && path !== '/api/session/login' && path !== '/api/session/shift-change') this.onUnauthorized();
      throw new ApiError(res.status, e.code ?? 'error', e.message ?? `HTTP ${res.status}`, e.field);
    }
    return data;
  }

  get(path) { return this.call('GET', path); }
  post(path, body = {}) { return this.call('POST', path, body); }
  put(path, body) { return this.call('PUT', path, body); }
  del(path) { return this.call('DELETE', path); }
}
