// The gateway's API. The access token is kept in memory only; the refresh token never reaches
// this script: the gateway keeps it in an HttpOnly cookie scoped to /auth/session (every request
// says `X-Platform-Session: cookie`). A reload or a new tab asks /auth/session for a fresh access
// token, so the session survives both. Refreshes are serialised across tabs with a Web Lock,
// since each one spends the cookie's refresh token.

const session = { accessToken: null, expiresAt: 0, user: null, client: null };
const listeners = new Set();
const sessionHeader = { 'X-Platform-Session': 'cookie' };

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

/** Keeps the access token and user of a signup, login, verification or resumed session. */
export async function startSession(answer) {
  session.accessToken = answer.accessToken || null;
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

/** Forgets the session in this page and ends it at the gateway (the cookie) and Authorizer. */
export async function endSession() {
  const token = session.accessToken;
  Object.assign(session, { accessToken: null, expiresAt: 0, user: null, client: null });
  changed();
  try {
    if (token) await send('POST', '/auth/logout', undefined, false, { Authorization: `Bearer ${token}` });
  } catch { /* already ended, or unreachable: the cookie below still goes */ }
  await send('DELETE', '/auth/session', undefined, false);
}

let refreshing = null;

/** A fresh access token from the session cookie; one at a time in this tab and across tabs. */
function refresh() {
  if (!refreshing) {
    const exchange = async () => {
      const { data } = await send('POST', '/auth/session', undefined, false);
      session.accessToken = data.accessToken;
      session.expiresAt = data.expiresIn ? Date.now() + data.expiresIn * 1000 : 0;
      session.user = data.user || session.user;
      return data;
    };
    const locked = navigator.locks ? navigator.locks.request('platform-session', exchange) : exchange();
    refreshing = locked.finally(() => { refreshing = null; });
  }
  return refreshing;
}

/** On page load: the session this browser already has, if any (a reload, a new tab). */
export async function resumeSession() {
  try {
    const data = await refresh();
    session.client = null;
    await reloadIdentity();
    return data;
  } catch (error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) return null;
    throw error;
  }
}

async function send(method, path, body, auth, headers = {}) {
  const request = { method, headers: { Accept: 'application/json', ...sessionHeader, ...headers }, credentials: 'same-origin' };
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
  return { data, etag: response.headers.get('ETag'), status: response.status };
}

/** Calls the API; answers `{ data, etag, status }`. */
export async function call(method, path, body, { auth = true, headers = {} } = {}) {
  if (auth && session.accessToken && session.expiresAt && Date.now() > session.expiresAt - 60_000) {
    try { await refresh(); } catch { /* the request below is refused and says why */ }
  }
  try {
    return await send(method, path, body, auth, headers);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401 && auth && session.accessToken) {
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
