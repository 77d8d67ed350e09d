// The admin API (docs/admin-api.md): every call carries the credential the operator logged in with, kept in
// sessionStorage (gone when the tab closes). Errors come back as ApiError with the server's code, name and message.

const KEY = 'dino-admin-credential';

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message ?? `HTTP ${status}`);
    this.status = status;
    this.code = body?.code ?? 0;
    this.name = body?.name ?? `HTTP_${status}`;
  }

  /** As the console shows it: "NOT_ALLOWED (4030): the admin console is for operators…". */
  describe() {
    return this.code ? `${this.name} (${this.code}): ${this.message}` : this.message;
  }

  get refusesCredential() {
    return this.status === 401 || this.status === 403;
  }
}

export const credential = {
  get: () => sessionStorage.getItem(KEY),
  set: (value) => sessionStorage.setItem(KEY, value),
  clear: () => sessionStorage.removeItem(KEY),
};

async function call(method, path, body, secret = credential.get()) {
  const response = await fetch(`api/${path}`, {
    method,
    headers: { Authorization: `Bearer ${secret ?? ''}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
    cache: 'no-store',
  });
  const json = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, json);
  return json;
}

const q = encodeURIComponent;

export const api = {
  me: (secret) => call('GET', 'me', null, secret),
  nodes: () => call('GET', 'nodes'),
  sessions: () => call('GET', 'sessions'),
  channels: () => call('GET', 'channels'),
  rooms: (channel) => call('GET', `rooms?channel=${q(channel)}`),
  room: (room) => call('GET', `rooms/${q(room)}`),
  history: (room, before) => call('GET', `rooms/${q(room)}/history?limit=20${before ? `&before=${before}` : ''}`),
  user: (user) => call('GET', `users/${q(user)}`),
  action: (name, body) => call('POST', `actions/${q(name)}`, body),
};
