// Small DOM helpers. Text always goes in as text nodes, never as HTML.

import { ApiError } from './api.js';

/** `h('p', { class: 'x', onclick: f }, 'text', child)` */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'value') element.value = value;
    else element.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

let fieldCounter = 0;

/** A labelled field; `control` is 'input', 'select' or 'textarea'. Answers the wrapper. */
export function field(label, { control = 'input', name, options, hint, ...attributes } = {}) {
  const id = `f${++fieldCounter}`;
  const errorID = `${id}-error`;
  const hintID = hint ? `${id}-hint` : null;
  let input;
  if (control === 'select') {
    input = h('select', { id, name, ...attributes },
      options.map(([value, text]) => h('option', { value, selected: value === attributes.value }, text)));
  } else {
    input = h(control, { id, name, ...attributes });
  }
  input.setAttribute('aria-describedby', [hintID, errorID].filter(Boolean).join(' '));
  return h('div', { class: 'field', 'data-field': name },
    h('label', { for: id }, label),
    hint ? h('p', { class: 'hint', id: hintID }, hint) : null,
    input,
    h('p', { class: 'field-error', id: errorID, 'aria-live': 'polite' }));
}

/** Shows an error next to the field it names (or the one whose name starts it), else in the form's alert. */
export function showError(form, error) {
  clearErrors(form);
  const message = error instanceof ApiError ? error.message : String(error.message || error);
  const name = error.field ? error.field.split(/[.[]/)[0] : null;
  const wrapper = name ? form.querySelector(`.field[data-field="${CSS.escape(name)}"]`) : null;
  if (wrapper) {
    const text = error.field === name || message.includes(error.field) ? message : `${error.field}: ${message}`;
    wrapper.querySelector('.field-error').textContent = text;
    wrapper.classList.add('invalid');
    const input = wrapper.querySelector('input, select, textarea');
    input.setAttribute('aria-invalid', 'true');
    input.focus();
  }
  const alert = form.querySelector('.form-error');
  if (alert && !wrapper) alert.textContent = message;
}

export function clearErrors(form) {
  for (const element of form.querySelectorAll('.field-error, .form-error')) element.textContent = '';
  for (const element of form.querySelectorAll('.invalid')) element.classList.remove('invalid');
  for (const element of form.querySelectorAll('[aria-invalid]')) element.removeAttribute('aria-invalid');
}

/**
 * A form whose submit runs `action(values)`; errors are shown in it, and the submit button is
 * disabled while the request runs.
 */
export function form(attributes, fields, submitText, action) {
  const button = h('button', { type: 'submit' }, submitText);
  const element = h('form', { novalidate: true, ...attributes },
    h('p', { class: 'form-error', role: 'alert' }), fields, h('div', { class: 'actions' }, button));
  element.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(element);
    const values = Object.fromEntries(new FormData(element).entries());
    button.disabled = true;
    try {
      await action(values, element);
    } catch (error) {
      showError(element, error);
    } finally {
      button.disabled = false;
    }
  });
  return element;
}

/** A table whose rows may scroll sideways on a narrow screen. */
export function table(caption, headings, rows) {
  return h('div', { class: 'table-wrap' },
    h('table', {},
      h('caption', {}, caption),
      h('thead', {}, h('tr', {}, headings.map((text) => h('th', { scope: 'col' }, text)))),
      h('tbody', {}, rows.length ? rows : h('tr', {}, h('td', { colspan: headings.length }, 'Nothing here yet.')))));
}

export function formatDate(value) {
  return value ? new Date(value).toLocaleString() : '—';
}

/** The `#/path?x=1` part of the address as `{ path, query }`. */
export function currentRoute() {
  const [path, search] = (location.hash.slice(1) || '/').split('?');
  return { path: path || '/', query: new URLSearchParams(search || '') };
}

export function go(path) {
  if (location.hash === `#${path}`) window.dispatchEvent(new HashChangeEvent('hashchange'));
  else location.hash = path;
}
