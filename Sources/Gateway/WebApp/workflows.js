// Workflows: list with status filter and search, create, edit (with the version as If-Match),
// and archive. Members read; ADMINs change.

import { api, call, isAdmin } from './api.js';
import { field, form, formatDate, go, h, showError, table } from './dom.js';

const statuses = ['DRAFT', 'ACTIVE', 'PAUSED', 'ARCHIVED'];
const example = { trigger: { type: 'schedule', cron: '0 9 * * 1' }, steps: [{ type: 'http', url: 'https://example.com/hook' }] };

export async function list({ query }) {
  const params = new URLSearchParams({ limit: '20' });
  for (const name of ['status', 'search', 'cursor']) if (query.get(name)) params.set(name, query.get(name));
  const page = await api('GET', `/workflows?${params}`);
  const filters = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter workflows' },
    field('Status', { control: 'select', name: 'status', value: query.get('status') || '',
      options: [['', 'Any status'], ...statuses.map((s) => [s, s])] }),
    field('Name contains', { name: 'search', type: 'search', value: query.get('search') || '', maxlength: 200 }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Filter')));
  filters.addEventListener('submit', (event) => {
    event.preventDefault();
    const values = new URLSearchParams([...new FormData(filters).entries()].filter(([, v]) => v !== ''));
    go(`/workflows?${values}`);
  });
  const rows = page.items.map((w) => h('tr', {},
    h('td', {}, h('a', { href: `#/workflows/${encodeURIComponent(w.id)}` }, w.name)),
    h('td', {}, h('span', { class: `badge ${w.status.toLowerCase()}` }, w.status)),
    h('td', {}, String(w.version)),
    h('td', {}, formatDate(w.updatedAt))));
  const next = new URLSearchParams(params);
  next.delete('limit');
  if (page.nextCursor) next.set('cursor', page.nextCursor);
  return [
    h('div', { class: 'heading' }, h('h1', { tabindex: -1 }, 'Workflows'),
      isAdmin() ? h('a', { class: 'button', href: '#/workflows/new' }, 'New workflow') : null),
    filters,
    table('Workflows of your company', ['Name', 'Status', 'Version', 'Updated'], rows),
    page.nextCursor ? h('p', {}, h('a', { href: `#/workflows?${next}` }, 'Next page')) : null,
  ];
}

function definitionField(value) {
  const wrapper = field('Definition (JSON)', { control: 'textarea', name: 'definition', rows: 12, spellcheck: 'false', required: true,
    hint: 'A trigger and a list of steps, each with a "type".' });
  wrapper.querySelector('textarea').value = JSON.stringify(value, null, 2);
  return wrapper;
}

/** The form's values as the API's body; a definition that is not JSON is refused next to its field. */
function body(values) {
  let definition;
  try {
    definition = JSON.parse(values.definition);
  } catch (error) {
    throw Object.assign(new Error(`not valid JSON: ${error.message}`), { field: 'definition' });
  }
  return { name: values.name, description: values.description || null, status: values.status, definition };
}

export function create() {
  return [
    h('h1', { tabindex: -1 }, 'New workflow'),
    form({ 'aria-label': 'New workflow' }, [
      field('Name', { name: 'name', required: true, maxlength: 200 }),
      field('Description', { control: 'textarea', name: 'description', rows: 2, maxlength: 2000 }),
      field('Status', { control: 'select', name: 'status', value: 'DRAFT', options: statuses.map((s) => [s, s]) }),
      definitionField(example),
    ], 'Create workflow', async (values) => {
      const workflow = await api('POST', '/workflows', body(values));
      go(`/workflows/${encodeURIComponent(workflow.id)}`);
    }),
  ];
}

export async function show({ id, notice }) {
  const { data: workflow, etag } = await call('GET', `/workflows/${encodeURIComponent(id)}`);
  const details = h('dl', { class: 'details' },
    h('dt', {}, 'Status'), h('dd', {}, workflow.status),
    h('dt', {}, 'Version'), h('dd', {}, String(workflow.version)),
    h('dt', {}, 'Created'), h('dd', {}, formatDate(workflow.createdAt)),
    h('dt', {}, 'Updated'), h('dd', {}, formatDate(workflow.updatedAt)));
  if (!isAdmin()) {
    return [
      h('h1', { tabindex: -1 }, workflow.name),
      workflow.description ? h('p', {}, workflow.description) : null,
      details,
      h('h2', {}, 'Definition'),
      h('pre', { class: 'json' }, JSON.stringify(workflow.definition, null, 2)),
      h('p', {}, h('a', { href: `#/reports/new?workflowId=${encodeURIComponent(workflow.id)}` }, 'New report of this workflow')),
    ];
  }
  const edit = form({ 'aria-label': 'Edit workflow' }, [
    field('Name', { name: 'name', required: true, maxlength: 200, value: workflow.name }),
    field('Description', { control: 'textarea', name: 'description', rows: 2, maxlength: 2000, value: workflow.description || '' }),
    field('Status', { control: 'select', name: 'status', value: workflow.status, options: statuses.map((s) => [s, s]) }),
    definitionField(workflow.definition),
  ], 'Save changes', async (values) => {
    await call('PATCH', `/workflows/${encodeURIComponent(id)}`, body(values), { headers: { 'If-Match': etag } });
    notice('Workflow saved.');
    go(`/workflows/${encodeURIComponent(id)}`);
  });
  const archive = h('button', { type: 'button', class: 'secondary', disabled: workflow.status === 'ARCHIVED' }, 'Archive');
  archive.addEventListener('click', async () => {
    try {
      await call('PATCH', `/workflows/${encodeURIComponent(id)}`, { status: 'ARCHIVED' }, { headers: { 'If-Match': etag } });
      notice('Workflow archived.');
      go(`/workflows/${encodeURIComponent(id)}`);
    } catch (error) {
      showError(edit, error);
    }
  });
  return [
    h('div', { class: 'heading' }, h('h1', { tabindex: -1 }, workflow.name), archive),
    details,
    edit,
    h('p', {}, h('a', { href: `#/reports/new?workflowId=${encodeURIComponent(workflow.id)}` }, 'New report of this workflow')),
  ];
}
