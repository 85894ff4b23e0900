// Signing up (a new company, or an invitation's link), logging in and out, second factors
// (an authenticator app, recovery codes, an emailed code), forgotten passwords, email
// verification, and the dev outbox.

import { ApiError, api, call, currentSession, endSession, reloadIdentity, startSession } from './api.js';
import { field, form, formatDate, go, h } from './dom.js';

/** Authorizer's password rule: 6 to 36 characters, and the strong rule where it is on (the default). */
let passwordRule = 'Use 6 to 36 characters, with an upper and a lower case letter, a digit and a symbol.';

/** What the sign-in forms may offer (`GET /auth/options`, from Authorizer's meta); asked once. */
let options = null;
async function authOptions() {
  if (!options) {
    try {
      options = await api('GET', '/auth/options', undefined, { auth: false });
    } catch {
      options = { signup: true, magicLink: false, strongPassword: true, emailVerification: false };
    }
    if (!options.strongPassword) passwordRule = 'Use 6 to 36 characters.';
  }
  return options;
}

/** The second-factor step of a sign-in in progress: kept in memory only, never stored. */
let challenge = null;

/** Whether this gateway is `platform dev` (it serves the dev outbox); asked once. */
let devMode = null;
export async function isDev() {
  if (devMode === null) {
    try {
      const response = await fetch('/dev/outbox');
      devMode = response.ok;
    } catch { devMode = false; }
  }
  return devMode;
}

/** In dev, a word that no mail leaves, and where to read it. */
async function devMailNote() {
  if (!(await isDev())) return null;
  return h('p', { class: 'hint dev-note' }, 'No email is sent in dev: read it in the ', h('a', { href: '#/dev/outbox' }, 'dev outbox'), '.');
}

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
      minlength: 6, maxlength: 36, hint: passwordRule }),
    field('Confirm password', { name: 'confirmPassword', type: 'password', autocomplete: 'new-password', required: true }),
  ];
}

/** After signup, login or verification: the app, the second factor asked for, or what is still missing. */
async function signedIn(answer, notice, then = '/workflows') {
  if (answer.next) {
    challenge = { ...answer.next, message: answer.message, then };
    go('/mfa');
    return;
  }
  if (!answer.accessToken) {
    notice(answer.message || 'Check your email to verify your address, then sign in.');
    go('/verify-email');
    return;
  }
  await startSession(answer);
  go(then);
}

export async function login({ notice }) {
  const offered = await authOptions();
  return [
    h('h1', { tabindex: -1 }, 'Sign in'),
    form({ 'aria-label': 'Sign in' }, [
      field('Email', { name: 'email', type: 'email', autocomplete: 'username', required: true }),
      field('Password', { name: 'password', type: 'password', autocomplete: 'current-password', required: true }),
    ], 'Sign in', async (values) => {
      const answer = await api('POST', '/auth/login', { email: values.email, password: values.password }, { auth: false });
      await signedIn(answer, notice);
    }),
    h('p', {}, h('a', { href: '#/signup' }, 'Create a company account'), ' · ', h('a', { href: '#/forgot-password' }, 'Forgot your password?')),
    offered.magicLink ? h('div', { class: 'magic-link' },
      form({ 'aria-label': 'Email me a sign-in link' }, [field('Email for a sign-in link', { name: 'email', type: 'email', autocomplete: 'email', required: true })],
        'Email me a sign-in link', async (values) => {
          const answer = await api('POST', '/auth/magic-link', { email: values.email }, { auth: false });
          notice(answer.message);
          if (await isDev()) go('/dev/outbox');
        })) : null,
    h('div', { class: 'sso' },
      h('p', { class: 'hint' }, 'Or use your organisation\'s sign-in (single sign-on and social logins) at the identity provider:'),
      h('button', { type: 'button', class: 'secondary', id: 'sign-in-with-authorizer',
        onclick: () => startAuthorizerSignIn().catch((error) => notice(error.message, true)) }, 'Sign in with Authorizer')),
  ];
}

/**
 * "Sign in with Authorizer": the browser goes to Authorizer's /authorize with a PKCE challenge
 * (RFC 7636, S256). The gateway keeps the verifier and state in an HttpOnly cookie, out of reach
 * of scripts, and answers the address.
 */
async function startAuthorizerSignIn() {
  const started = await api('POST', '/auth/oauth/start', { redirectUri: `${location.origin}/` }, { auth: false });
  location.assign(started.authorizationURL);
}

/**
 * Back from a mailed sign-in link: Authorizer's /verify_email put the tokens in the address; they
 * go to the gateway at once and the address is cleared. False when this page load is not that.
 */
export async function completeLinkSignIn() {
  const params = new URLSearchParams(location.search);
  if (!params.has('access_token') && !params.has('mfa_required')) return false;
  history.replaceState(null, '', '/#/login');
  if (params.has('mfa_required')) {
    throw new Error('This account also needs its second factor: sign in with your password, or with "Sign in with Authorizer", to finish.');
  }
  const body = { accessToken: params.get('access_token'), state: params.get('state') || '' };
  if (params.get('refresh_token')) body.refreshToken = params.get('refresh_token');
  const answer = await api('POST', '/auth/magic-link/complete', body, { auth: false });
  await startSession(answer);
  history.replaceState(null, '', '/#/workflows');
  return true;
}

/** Back from Authorizer (`/?code=…&state=…`): the code for a session. False when this page load is not that. */
export async function completeAuthorizerSignIn() {
  const params = new URLSearchParams(location.search);
  if (!params.has('code') && !params.has('error')) return false;
  history.replaceState(null, '', '/#/login');
  if (params.has('error')) {
    throw new Error(`The identity provider did not sign you in: ${params.get('error_description') || params.get('error')}.`);
  }
  const answer = await api('POST', '/auth/oauth/token',
    { code: params.get('code'), state: params.get('state') || '', redirectUri: `${location.origin}/` }, { auth: false });
  await startSession(answer);
  history.replaceState(null, '', '/#/workflows');
  return true;
}


export async function signup({ notice }) {
  await authOptions();
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
export async function join({ query, notice }) {
  await authOptions();
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

export async function forgotPassword({ notice }) {
  return [
    h('h1', { tabindex: -1 }, 'Forgot your password?'),
    await devMailNote(),
    form({ 'aria-label': 'Forgot password' }, [field('Email', { name: 'email', type: 'email', autocomplete: 'email', required: true })],
      'Send a reset link', async (values) => {
        const answer = await api('POST', '/auth/forgot-password', { email: values.email }, { auth: false });
        notice(answer.message || 'If the address has an account, a reset link is on its way.');
        go((await isDev()) ? '/dev/outbox' : '/login');
      }),
  ];
}

/** `#/reset-password?token=…` */
export async function resetPassword({ query, notice }) {
  await authOptions();
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
    await endSession();
  } finally {
    notice('You are signed out.');
    go('/login');
  }
}

/** `#/mfa`: the second factor of the sign-in in progress. */
export function mfa({ notice }) {
  if (!challenge) {
    notice('That sign-in step has ended. Sign in again.', true);
    go('/login');
    return [];
  }
  const current = challenge;
  const finish = async (path, code) => {
    try {
      const answer = await api('POST', path, code === undefined ? { handle: current.handle } : { handle: current.handle, code }, { auth: false });
      challenge = null;
      await signedIn(answer, notice, current.then);
    } catch (error) {
      if (error instanceof ApiError && error.type === 'challenge-expired') {
        challenge = null;
        notice('This sign-in took too long and has ended. Sign in again.', true);
        go('/login');
        return;
      }
      throw error;
    }
  };
  const codeField = (label, hint, attributes = {}) => field(label, {
    name: 'code', required: true, autocomplete: 'one-time-code', hint, ...attributes });
  const totpForm = () => form({ 'aria-label': 'Authenticator code' },
    [codeField('Code from your authenticator app', '6 digits; a new one every 30 seconds.', { inputmode: 'numeric', maxlength: 6, pattern: '[0-9]{6}' })],
    'Verify', (values) => finish('/auth/mfa/verify', values.code.trim()));
  const emailForm = () => form({ 'aria-label': 'Email code' },
    [codeField('Code from the email', '6 letters and digits, valid for one minute.', { maxlength: 6, autocapitalize: 'characters' })],
    'Verify', (values) => finish('/auth/mfa/email-code', values.code.trim().toUpperCase()));
  const sendEmail = (text) => {
    const button = h('button', { type: 'button', class: 'secondary', id: 'send-email-code' }, text);
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        const answer = await api('POST', '/auth/mfa/email', { handle: current.handle }, { auth: false });
        challenge = { ...answer.next, message: answer.message, then: current.then };
        notice('A code is on its way to your email.');
        go('/mfa');
      } catch (error) {
        notice(error.message, true);
      } finally {
        button.disabled = false;
      }
    });
    return button;
  };
  const views = [];
  if (current.step === 'mfa-enrol') {
    views.push(h('h1', { tabindex: -1 }, 'Set up two-step sign-in'));
    if (current.totp) {
      const codes = current.totp.recoveryCodes || [];
      const copy = h('button', { type: 'button', class: 'secondary', id: 'copy-recovery-codes' }, 'Copy the recovery codes');
      copy.addEventListener('click', async () => {
        try {
          await navigator.clipboard.writeText(codes.join('\n'));
          copy.textContent = 'Copied';
        } catch {
          copy.textContent = 'Select the codes and copy them';
        }
      });
      views.push(
        h('ol', { class: 'steps' },
          h('li', {}, 'Scan this code with an authenticator app (Google Authenticator, 1Password, Aegis…).',
            current.totp.scannerImage ? h('img', { src: current.totp.scannerImage, alt: 'QR code to add this account to an authenticator app', class: 'qr', width: 200, height: 200 }) : null,
            h('p', { class: 'hint' }, 'Cannot scan? Enter this key instead: ', h('code', { id: 'totp-secret', class: 'secret' }, current.totp.secret))),
          h('li', {}, 'Keep these recovery codes somewhere safe. Each signs you in once if you lose your phone. They are shown only now.',
            h('ul', { class: 'recovery-codes', id: 'recovery-codes' }, codes.map((code) => h('li', {}, h('code', {}, code)))),
            copy),
          h('li', {}, 'Enter the code the app shows.', totpForm())));
    } else {
      views.push(h('p', {}, 'Choose a second factor for your account.'));
    }
    const choices = [];
    if (current.methods.includes('email')) choices.push(sendEmail('Use a code by email instead'));
    if (current.canSkip) {
      const skip = h('button', { type: 'button', class: 'link', id: 'skip-mfa' }, 'Skip for now');
      skip.addEventListener('click', async () => {
        try {
          await finish('/auth/mfa/skip');
        } catch (error) {
          skip.remove();
          notice(error instanceof ApiError && error.type === 'mfa-enrolment-required'
            ? 'Your organisation requires a second factor: set one up to continue.' : error.message, true);
        }
      });
      choices.push(skip);
    }
    if (choices.length) views.push(h('div', { class: 'actions choices' }, choices));
  } else if (current.step === 'mfa-verify') {
    views.push(h('h1', { tabindex: -1 }, 'Two-step sign-in'), totpForm());
    const recovery = h('details', { class: 'recovery' },
      h('summary', {}, 'Lost your phone? Use a recovery code'),
      form({ 'aria-label': 'Recovery code' }, [codeField('Recovery code', 'One of the codes you kept when you set up two-step sign-in; each works once.', { autocomplete: 'off' })],
        'Sign in with the recovery code', (values) => finish('/auth/mfa/recovery', values.code.trim().toLowerCase())));
    views.push(recovery);
  } else {
    views.push(h('h1', { tabindex: -1 }, 'Check your email'),
      h('p', {}, 'We emailed you a one-time code. Enter it below.'), emailForm(),
      h('div', { class: 'actions choices' }, sendEmail('Send a new code')));
    devMailNote().then((note) => { if (note) document.querySelector('main h1')?.after(note); });
  }
  views.push(h('p', { class: 'hint' }, `This step expires at ${formatDate(current.expiresAt)}. `, h('a', { href: '#/login' }, 'Start again')));
  return views;
}

/** `#/dev/outbox` (platform dev only): the mails the local Authorizer would have sent. */
export async function devOutbox() {
  if (!(await isDev())) {
    return [h('h1', { tabindex: -1 }, 'No outbox here'), h('p', {}, 'The outbox exists only under platform dev, where no email is sent.')];
  }
  const { data } = await call('GET', '/dev/outbox', undefined, { auth: false });
  const messages = (data.messages || []).slice().reverse();
  const describe = { forgot_password: 'Password reset', verify_email: 'Email verification', magic_link_login: 'Magic link', email_otp: 'One-time code' };
  return [
    h('h1', { tabindex: -1 }, 'Dev outbox'),
    h('p', { class: 'hint' }, 'No email leaves platform dev. Every mail the local Authorizer would have sent is listed here, newest first.'),
    messages.length === 0 ? h('p', {}, 'Nothing was sent yet.') : h('ul', { class: 'outbox' }, messages.map((message) => {
      const link = message.link && message.link.startsWith(location.origin) ? '#' + (message.link.split('#')[1] || '/') : message.link;
      return h('li', { class: 'outbox-message', 'data-kind': message.kind },
        h('strong', {}, describe[message.kind] || message.kind), ' to ', h('span', { class: 'recipient' }, message.to),
        ' · ', formatDate(message.created_at * 1000),
        message.code ? h('p', {}, 'Code: ', h('code', { class: 'code' }, message.code)) : null,
        message.link ? h('p', {}, h('a', { href: link, class: 'mail-link' }, 'Open the link')) : null);
    })),
  ];
}

function withoutEmpty(values) {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== ''));
}
