// reports-client: a hash router over the views, the header (who is signed in, their role and
// tenant) and the one place where a refused request becomes words on the page.

import * as admin from './admin.js';
import { ApiError, currentSession, endSession, isAdmin, onSessionChange, reloadIdentity, resumeSession } from './api.js';
import * as auth from './auth.js';
import { currentRoute, go, h } from './dom.js';
import * as reports from './reports.js';
import * as workflows from './workflows.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const who = document.getElementById('who');
const noticeArea = document.getElementById('notice');

/** A message that stays until the next one, or until a second page after it. */
let pendingNotice = null;
function notice(text, isError = false) {
  pendingNotice = { text, isError, pages: 0 };
  showNotice();
}
function showNotice() {
  noticeArea.textContent = pendingNotice ? pendingNotice.text : '';
  noticeArea.classList.toggle('error', Boolean(pendingNotice && pendingNotice.isError));
}

// [pattern, view, who may open it]: 'public', 'member' (signed in, with a tenant), 'admin'.
const routes = [
  [/^\/login$/, auth.login, 'public'],
  [/^\/signup$/, auth.signup, 'public'],
  [/^\/join$/, auth.join, 'public'],
  [/^\/forgot-password$/, auth.forgotPassword, 'public'],
  [/^\/reset-password$/, auth.resetPassword, 'public'],
  [/^\/verify-email$/, auth.verifyEmail, 'public'],
  [/^\/mfa$/, auth.mfa, 'public'],
  [/^\/dev\/outbox$/, auth.devOutbox, 'public'],
  [/^\/onboarding$/, auth.onboarding, 'signed-in'],
  [/^\/workflows$/, workflows.list, 'member'],
  [/^\/workflows\/new$/, workflows.create, 'admin'],
  [/^\/workflows\/([^/]+)$/, workflows.show, 'member'],
  [/^\/reports$/, reports.list, 'member'],
  [/^\/reports\/new$/, reports.create, 'member'],
  [/^\/reports\/([^/]+)$/, reports.show, 'member'],
  [/^\/admin\/users$/, admin.users, 'admin'],
  [/^\/admin\/invitations$/, admin.invitations, 'admin'],
  [/^\/admin\/audit-log$/, admin.auditLog, 'admin'],
];

function renderHeader(session) {
  const links = [];
  if (session.user && session.client) {
    links.push(['#/workflows', 'Workflows'], ['#/reports', 'Reports']);
    if (isAdmin()) links.push(['#/admin/users', 'Users'], ['#/admin/invitations', 'Invitations'], ['#/admin/audit-log', 'Audit log']);
  }
  const current = `#${currentRoute().path}`;
  const items = links.map(([href, text]) =>
    h('li', {}, h('a', { href, 'aria-current': current.startsWith(href) ? 'page' : null }, text)));
  if (session.user) {
    const out = h('button', { type: 'button', class: 'link' }, 'Sign out');
    out.addEventListener('click', () => auth.logout(notice).catch((error) => notice(error.message, true)));
    items.push(h('li', {}, out));
  } else {
    items.push(h('li', {}, h('a', { href: '#/login' }, 'Sign in')), h('li', {}, h('a', { href: '#/signup' }, 'Sign up')));
  }
  nav.replaceChildren(h('ul', {}, items));
  who.replaceChildren(...(session.user
    ? [h('span', { id: 'who-email' }, session.user.email), ' · ', h('span', { id: 'who-role', class: 'badge' }, session.user.role),
       ' · ', h('span', { id: 'who-tenant' }, session.client ? session.client.name : 'no company yet')]
    : ['Not signed in']));
}

async function render() {
  const { path, query } = currentRoute();
  const session = currentSession();
  if (pendingNotice && ++pendingNotice.pages > 1) pendingNotice = null;
  showNotice();
  renderHeader(session);
  if (path === '/') return go(session.user ? '/workflows' : '/login');
  const match = routes.map(([pattern, view, access]) => [path.match(pattern), view, access]).find(([m]) => m);
  if (!match) return show([h('h1', { tabindex: -1 }, 'Page not found'), h('p', {}, h('a', { href: '#/' }, 'Go to the start page'))]);
  const [found, view, access] = match;
  if (access !== 'public' && !session.user) return go('/login');
  main.setAttribute('aria-busy', 'true');
  try {
    if (access !== 'public') await reloadIdentity();
    if ((access === 'member' || access === 'admin') && !session.client) return go('/onboarding');
    if (access === 'admin' && !isAdmin()) {
      return show([h('h1', { tabindex: -1 }, 'Not allowed'), h('p', {}, `Your role (${session.user.role}) may not open this page.`)]);
    }
    show(await view({ query, id: found[1] && decodeURIComponent(found[1]), notice }));
  } catch (error) {
    failed(error);
  } finally {
    main.removeAttribute('aria-busy');
  }
}

function show(nodes) {
  main.replaceChildren(...[nodes].flat().filter(Boolean));
  const heading = main.querySelector('h1');
  if (heading) heading.focus({ preventScroll: true });
}

/** A refused request: the problem's words, and what to do about it. */
function failed(error) {
  if (!(error instanceof ApiError)) {
    show([h('h1', { tabindex: -1 }, 'Something went wrong'), h('p', { role: 'alert' }, String(error.message || error))]);
    return;
  }
  const ended = error.status === 401 || ['user-suspended', 'user-deleted', 'tenant-suspended'].includes(error.type);
  if (ended) {
    endSession().catch(() => { /* the session is gone from this page either way */ });
    notice(error.status === 401 ? 'Your session has ended. Sign in again.' : error.message, true);
    return go('/login');
  }
  if (error.type === 'no-tenant') return go('/onboarding');
  show([
    h('h1', { tabindex: -1 }, error.title),
    h('p', { role: 'alert', class: 'problem' }, error.message),
    error.requestId ? h('p', { class: 'hint' }, `Request id: ${error.requestId}`) : null,
    h('p', {}, h('a', { href: '#/' }, 'Go to the start page')),
  ]);
}

onSessionChange(renderHeader);
window.addEventListener('hashchange', render);
window.addEventListener('unhandledrejection', (event) => {
  event.preventDefault();
  failed(event.reason);
});
// Back from "Sign in with Authorizer", or a reload or a new tab: the session this browser
// already has, before the first page.
async function start() {
  try {
    if (!(await auth.completeLinkSignIn()) && !(await auth.completeAuthorizerSignIn())) await resumeSession();
  } catch (error) {
    notice(error.message, true);
  }
  render();
}
start();
