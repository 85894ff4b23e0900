// Signing up (a new company, or an invitation's link), logging in and out, forgotten passwords
// and email verification.

import { api, currentSession, endSession, reloadIdentity, startSession } from './api.js';
import { field, form, go, h } from './dom.js';

/** Names, email and a new password: the fields of every signup form. */
function accountFields() {
  return [
    field('First name', { name: 'firstName', autocomplete: 'given-name', maxlength: 100 }),
    field('Last name', { name: 'lastName', autocomplete: 'family-name', maxlength: 100 }),
    field('Email', { name: 'email', type: 'email', autocomplete: 'email', required: true }),
    ...passwordFields(),
  ];
}

function passwordFields() {
  return [
    field('Password', { name: 'password', type: 'password', autocomplete: 'new-password', required: true,
      hint: '6 to 36 characters, with an upper and a lower case letter, a digit and a symbol.' }),
    field('Confirm password', { name: 'confirmPassword', type: 'password', autocomplete: 'new-password', required: true }),
  ];
}

/** After signup, login or verification: the app, or what is still missing. */
async function signedIn(answer, notice) {
  if (!answer.accessToken) {
    notice(answer.message || 'Check your email to verify your address, then sign in.');
    go('/verify-email');
    return;
  }
  await startSession(answer);
  go('/workflows');
}

export function login({ notice }) {
  return [
    h('h1', { tabindex: -1 }, 'Sign in'),
    form({ 'aria-label': 'Sign in' }, [
      field('Email', { name: 'email', type: 'email', autocomplete: 'username', required: true }),
      field('Password', { name: 'password', type: 'password', autocomplete: 'current-password', required: true }),
    ], 'Sign in', async (values) => {
      const answer = await api('POST', '/auth/login', { email: values.email, password: values.password, offlineAccess: true }, { auth: false });
      await signedIn(answer, notice);
    }),
    h('p', {}, h('a', { href: '#/signup' }, 'Create a company account'), ' · ', h('a', { href: '#/forgot-password' }, 'Forgot your password?')),
  ];
}

export function signup({ notice }) {
  return [
    h('h1', { tabindex: -1 }, 'Create a company account'),
    h('p', {}, 'You become the first administrator of the new company. Invited? Open the link from your invitation instead.'),
    form({ 'aria-label': 'Sign up' }, [
      field('Company name', { name: 'clientName', required: true, maxlength: 200, autocomplete: 'organization' }),
      ...accountFields(),
    ], 'Create account', async (values) => {
      const answer = await api('POST', '/auth/signup', withoutEmpty(values), { auth: false });
      await signedIn(answer, notice);
    }),
    h('p', {}, 'Have an account? ', h('a', { href: '#/login' }, 'Sign in')),
  ];
}

/** `#/join?token=…`: the invitation's link. */
export function join({ query, notice }) {
  const token = query.get('token') || '';
  const session = currentSession();
  if (session.user) {
    return [
      h('h1', { tabindex: -1 }, 'Accept the invitation'),
      h('p', {}, `You are signed in as ${session.user.email}.`),
      form({ 'aria-label': 'Accept invitation' }, [h('input', { type: 'hidden', name: 'token', value: token })], 'Join the company',
        async (values) => {
          await api('POST', '/invitations/accept', { token: values.token });
          await reloadIdentity();
          notice('You joined the company.');
          go('/workflows');
        }),
    ];
  }
  return [
    h('h1', { tabindex: -1 }, 'Join your team'),
    h('p', {}, 'Create your account with the email address the invitation was sent to.'),
    form({ 'aria-label': 'Sign up with invitation' }, [
      h('input', { type: 'hidden', name: 'invitationToken', value: token }),
      ...accountFields(),
    ], 'Create account and join', async (values) => {
      const answer = await api('POST', '/auth/signup', withoutEmpty(values), { auth: false });
      await signedIn(answer, notice);
    }),
    h('p', {}, 'Already have an account? ', h('a', { href: '#/login' }, 'Sign in'), ', then open the link again.'),
  ];
}

export function forgotPassword({ notice }) {
  return [
    h('h1', { tabindex: -1 }, 'Forgot your password?'),
    form({ 'aria-label': 'Forgot password' }, [field('Email', { name: 'email', type: 'email', autocomplete: 'email', required: true })],
      'Send a reset link', async (values) => {
        const answer = await api('POST', '/auth/forgot-password', { email: values.email }, { auth: false });
        notice(answer.message || 'If the address has an account, a reset link is on its way.');
        go('/reset-password');
      }),
  ];
}

/** `#/reset-password?token=…` */
export function resetPassword({ query, notice }) {
  return [
    h('h1', { tabindex: -1 }, 'Choose a new password'),
    form({ 'aria-label': 'Reset password' }, [
      field('Token from the email', { name: 'token', required: true, value: query.get('token') || '' }),
      ...passwordFields(),
    ], 'Set password', async (values) => {
      await api('POST', '/auth/reset-password', values, { auth: false });
      notice('Your password is changed. Sign in with it.');
      go('/login');
    }),
  ];
}

/** `#/verify-email?token=…` */
export function verifyEmail({ query, notice }) {
  return [
    h('h1', { tabindex: -1 }, 'Verify your email'),
    form({ 'aria-label': 'Verify email' }, [field('Token from the email', { name: 'token', required: true, value: query.get('token') || '' })],
      'Verify', async (values) => {
        const answer = await api('POST', '/auth/verify-email', { token: values.token }, { auth: false });
        await signedIn(answer, notice);
      }),
  ];
}

/** Signed in without a tenant: create one (or open an invitation link). */
export function onboarding() {
  return [
    h('h1', { tabindex: -1 }, 'Create your company'),
    h('p', {}, 'Your account does not belong to a company yet. Create one, or open the link of an invitation.'),
    form({ 'aria-label': 'Create company' }, [field('Company name', { name: 'name', required: true, maxlength: 200 })], 'Create company',
      async (values) => {
        await api('POST', '/clients', { name: values.name });
        await reloadIdentity();
        go('/workflows');
      }),
  ];
}

export async function logout(notice) {
  try {
    await api('POST', '/auth/logout');
  } finally {
    endSession();
    notice('You are signed out.');
    go('/login');
  }
}

function withoutEmpty(values) {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== ''));
}
