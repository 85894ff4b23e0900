// The gateway's API, with the session kept in memory only (never in localStorage or a cookie):
// a reload signs the user out. The access token is refreshed with the refresh token shortly
// before it expires, and once more if a request is refused with 401.

const session = { accessToken: null, refreshToken: null, expiresAt: 0, user: null, client: null };
const listeners = new Set();

/** An answer of the API that is not a success, with the problem body's words. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `The request failed (${status}).`);
    this.status = status;
    this.title = problem.title || 'Request failed';
    this.type = (problem.type || '').split('/').pop();
    this.field = problem.field || null;
    this.requestId = problem.requestId || null;
  }
}

export function currentSession() { return session; }
export function onSessionChange(listener) { listeners.add(listener); }
function changed() { for (const listener of listeners) listener(session); }

/** Keeps the tokens and user of a signup, login or verification answer. */
export async function startSession(answer) {
  session.accessToken = answer.accessToken || null;
  session.refreshToken = answer.refreshToken || null;
  session.expiresAt = answer.expiresIn ? Date.now() + answer.expiresIn * 1000 : 0;
  session.user = answer.user || null;
  session.client = null;
  await reloadIdentity();
}

/** Reads the signed-in user (and their tenant, if it changed) again: on every page, so a role or status change shows. */
export async function reloadIdentity() {
  if (!session.accessToken) { changed(); return; }
  session.user = await api('GET', '/auth/me');
  if (!session.user.clientId) session.client = null;
  else if (!session.client || session.client.id !== session.user.clientId) session.client = await api('GET', '/clients/current');
  changed();
}

export function endSession() {
  Object.assign(session, { accessToken: null, refreshToken: null, expiresAt: 0, user: null, client: null });
  changed();
}

let refreshing = null;

/** One refresh at a time (the token is spent on use). The refresh token is dropped only when the
 * gateway refuses it (400, 401): a 429, a 503 or a network error keeps the user signed in. */
function refresh() {
  if (!refreshing) {
    const token = session.refreshToken;
    refreshing = send('POST', '/auth/refresh', { refreshToken: token }, false)
      .then(({ data }) => {
        session.accessToken = data.accessToken;
        session.refreshToken = data.refreshToken || null;
        session.expiresAt = data.expiresIn ? Date.now() + data.expiresIn * 1000 : 0;
      })
      .catch((error) => {
        if (error instanceof ApiError && (error.status === 400 || error.status === 401) && session.refreshToken === token) {
          session.refreshToken = null;
        }
        throw error;
      })
      .finally(() => { refreshing = null; });
  }
  return refreshing;
}

async function send(method, path, body, auth, headers = {}) {
  const request = { method, headers: { Accept: 'application/json', ...headers } };
  if (body !== undefined) {
    request.headers['Content-Type'] = 'application/json';
    request.body = JSON.stringify(body);
  }
  if (auth && session.accessToken) request.headers.Authorization = `Bearer ${session.accessToken}`;
  let response;
  try {
    response = await fetch(path, request);
  } catch {
    throw new ApiError(0, { title: 'Network error', detail: 'The gateway cannot be reached. Check the connection and try again.' });
  }
  const text = response.status === 204 ? '' : await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = null; }
  if (!response.ok) {
    const problem = data && typeof data === 'object' ? data : { title: response.statusText };
    throw new ApiError(response.status, problem);
  }
  return { data, etag: response.headers.get('ETag') };
}

/** Calls the API; answers `{ data, etag }`. */
export async function call(method, path, body, { auth = true, headers = {} } = {}) {
  if (auth && session.refreshToken && session.expiresAt && Date.now() > session.expiresAt - 60_000) {
    try { await refresh(); } catch { /* the request below is refused and says why */ }
  }
  try {
    return await send(method, path, body, auth, headers);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401 && auth && session.refreshToken) {
      await refresh();
      return send(method, path, body, auth, headers);
    }
    throw error;
  }
}

/** Calls the API; answers the body. */
export async function api(method, path, body, options) {
  return (await call(method, path, body, options)).data;
}

export function isAdmin() {
  const role = session.user && session.user.role;
  return role === 'ADMIN' || role === 'SUPER_ADMIN';
}
