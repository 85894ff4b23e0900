// Tenant administration (ADMIN): users with role and status, invitations, the audit log.

import { api, currentSession, reloadIdentity } from './api.js';
import { field, form, formatDate, h, table } from './dom.js';

export async function users({ notice }) {
  const page = await api('GET', '/users?limit=100');
  const rows = page.items.map((user) => {
    const self = user.id === currentSession().user.id;
    const message = h('span', { class: 'row-message', role: 'status' });
    const change = async (name, select) => {
      message.textContent = '';
      try {
        const changed = await api('PATCH', `/users/${encodeURIComponent(user.id)}`, { [name]: select.value });
        select.value = changed[name];
        notice(`${user.email}: ${name} is now ${changed[name]}.`);
        if (self) await reloadIdentity();
      } catch (error) {
        select.value = user[name];
        message.textContent = error.message;
      }
      user[name] = select.value;
    };
    const label = `${name(user)} (${user.email})`;
    const role = h('select', { 'aria-label': `Role of ${label}` },
      ['USER', 'ADMIN'].map((value) => h('option', { value, selected: user.role === value }, value)));
    role.addEventListener('change', () => change('role', role));
    const status = h('select', { 'aria-label': `Status of ${label}` },
      ['ACTIVE', 'SUSPENDED'].map((value) => h('option', { value, selected: user.status === value }, value)),
      ['ACTIVE', 'SUSPENDED'].includes(user.status) ? null : h('option', { value: user.status, selected: true, disabled: true }, user.status));
    status.addEventListener('change', () => change('status', status));
    return h('tr', { 'data-email': user.email },
      h('td', {}, name(user), self ? ' (you)' : null),
      h('td', {}, user.email),
      h('td', {}, role),
      h('td', {}, status, message),
      h('td', {}, formatDate(user.lastLoginAt)));
  });
  return [
    h('h1', { tabindex: -1 }, 'Users'),
    h('p', {}, 'Changes apply at once. The company always keeps one active administrator.'),
    table('Users of your company', ['Name', 'Email', 'Role', 'Status', 'Last sign-in'], rows),
  ];
}

function name(user) {
  return [user.firstName, user.lastName].filter(Boolean).join(' ') || user.email.split('@')[0];
}

export function invitationLink(token) {
  return `${location.origin}/#/join?token=${encodeURIComponent(token)}`;
}

export async function invitations({ notice }) {
  const listing = h('div', {});
  const refresh = async () => { listing.replaceChildren(await invitationTable(notice, refresh)); };
  await refresh();
  const created = h('div', { class: 'created-link', 'aria-live': 'polite' });
  const invite = form({ 'aria-label': 'Invite a user' }, [
    field('Email', { name: 'email', type: 'email', required: true }),
    field('Role', { control: 'select', name: 'role', value: 'USER', options: [['USER', 'USER'], ['ADMIN', 'ADMIN']] }),
  ], 'Invite', async (values, element) => {
    const invitation = await api('POST', '/invitations', values);
    element.reset();
    const link = invitationLink(invitation.token);
    const output = h('input', { id: 'invitation-link', readonly: true, value: link, 'aria-label': `Invitation link for ${invitation.email}` });
    const copy = h('button', { type: 'button' }, 'Copy link');
    copy.addEventListener('click', async () => {
      output.select();
      try {
        await navigator.clipboard.writeText(link);
        notice('Link copied.');
      } catch {
        notice('Select the link and copy it.');
      }
    });
    created.replaceChildren(
      h('p', {}, `Send this link to ${invitation.email}. It is shown only now and works once, until ${formatDate(invitation.expiresAt)}.`),
      h('div', { class: 'copy' }, output, copy));
    await refresh();
  });
  return [h('h1', { tabindex: -1 }, 'Invitations'), invite, created, listing];
}

async function invitationTable(notice, refresh) {
  const { items } = await api('GET', '/invitations');
  const rows = items.map((invitation) => {
    const revoke = h('button', { type: 'button', class: 'secondary' }, 'Revoke');
    revoke.addEventListener('click', async () => {
      try {
        await api('DELETE', `/invitations/${encodeURIComponent(invitation.id)}`);
        notice(`The invitation of ${invitation.email} is revoked.`);
        await refresh();
      } catch (error) {
        notice(error.message, true);
      }
    });
    return h('tr', {},
      h('td', {}, invitation.email), h('td', {}, invitation.role),
      h('td', {}, h('span', { class: `badge ${invitation.status.toLowerCase()}` }, invitation.status)),
      h('td', {}, formatDate(invitation.expiresAt)),
      h('td', {}, invitation.status === 'OPEN' ? revoke : null));
  });
  return table('Invitations of your company', ['Email', 'Role', 'Status', 'Expires', 'Action'], rows);
}

export async function auditLog() {
  const { items } = await api('GET', '/audit-log?limit=100');
  return [
    h('h1', { tabindex: -1 }, 'Audit log'),
    table('Latest changes in your company, newest first', ['When', 'Who', 'Action', 'Target', 'Detail'],
      items.map((entry) => h('tr', {},
        h('td', {}, formatDate(entry.createdAt)), h('td', {}, entry.actor), h('td', {}, entry.action),
        h('td', {}, entry.target || '—'), h('td', {}, entry.detail || '—')))),
  ];
}
