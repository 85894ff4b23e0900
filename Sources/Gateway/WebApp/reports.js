// Reports: list with filters, view, create (of a workflow), and delete (own, or any as ADMIN).

import { api, currentSession, isAdmin } from './api.js';
import { field, form, formatDate, go, h, table } from './dom.js';

const statuses = ['PENDING', 'READY', 'FAILED'];

async function workflowOptions() {
  const page = await api('GET', '/workflows?limit=100');
  return page.items.map((w) => [w.id, w.name]);
}

export async function list({ query }) {
  const params = new URLSearchParams({ limit: '20' });
  for (const name of ['status', 'workflowId', 'createdFrom', 'createdTo', 'cursor']) if (query.get(name)) params.set(name, query.get(name));
  const mine = query.get('mine') === '1';
  if (mine) params.set('createdBy', currentSession().user.id);
  const [page, workflows] = await Promise.all([api('GET', `/reports?${params}`), workflowOptions()]);
  const names = new Map(workflows);
  const filters = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter reports' },
    field('Status', { control: 'select', name: 'status', value: query.get('status') || '', options: [['', 'Any status'], ...statuses.map((s) => [s, s])] }),
    field('Workflow', { control: 'select', name: 'workflowId', value: query.get('workflowId') || '', options: [['', 'Any workflow'], ...workflows] }),
    field('Created from', { name: 'createdFrom', type: 'date', value: (query.get('createdFrom') || '').slice(0, 10) }),
    field('Created before', { name: 'createdTo', type: 'date', value: (query.get('createdTo') || '').slice(0, 10) }),
    h('div', { class: 'field checkbox' }, h('label', {}, h('input', { type: 'checkbox', name: 'mine', value: '1', checked: mine }), ' Only mine')),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Filter')));
  filters.addEventListener('submit', (event) => {
    event.preventDefault();
    const values = new URLSearchParams();
    for (const [name, value] of new FormData(filters).entries()) {
      if (value === '') continue;
      values.set(name, name.startsWith('created') ? new Date(`${value}T00:00:00`).toISOString() : value);
    }
    go(`/reports?${values}`);
  });
  const rows = page.items.map((r) => h('tr', {},
    h('td', {}, h('a', { href: `#/reports/${encodeURIComponent(r.id)}` }, r.title)),
    h('td', {}, r.workflowId ? names.get(r.workflowId) || 'a workflow' : '—'),
    h('td', {}, h('span', { class: `badge ${r.status.toLowerCase()}` }, r.status)),
    h('td', {}, formatDate(r.createdAt))));
  const next = new URLSearchParams(query);
  if (page.nextCursor) next.set('cursor', page.nextCursor);
  return [
    h('div', { class: 'heading' }, h('h1', { tabindex: -1 }, 'Reports'), h('a', { class: 'button', href: '#/reports/new' }, 'New report')),
    filters,
    table('Reports of your company', ['Title', 'Workflow', 'Status', 'Created'], rows),
    page.nextCursor ? h('p', {}, h('a', { href: `#/reports?${next}` }, 'Next page')) : null,
  ];
}

export async function create({ query }) {
  const workflows = await workflowOptions();
  return [
    h('h1', { tabindex: -1 }, 'New report'),
    form({ 'aria-label': 'New report' }, [
      field('Title', { name: 'title', required: true, maxlength: 200 }),
      field('Workflow', { control: 'select', name: 'workflowId', value: query.get('workflowId') || '', options: [['', 'No workflow'], ...workflows] }),
      field('Parameters (JSON object)', { control: 'textarea', name: 'parameters', rows: 4, spellcheck: 'false', value: '{}' }),
    ], 'Create report', async (values) => {
      let parameters;
      try {
        parameters = JSON.parse(values.parameters || '{}');
      } catch (error) {
        throw Object.assign(new Error(`not valid JSON: ${error.message}`), { field: 'parameters' });
      }
      const report = await api('POST', '/reports', { title: values.title, workflowId: values.workflowId || null, parameters });
      go(`/reports/${encodeURIComponent(report.id)}`);
    }),
  ];
}

export async function show({ id, notice }) {
  const report = await api('GET', `/reports/${encodeURIComponent(id)}`);
  const workflow = report.workflowId ? await api('GET', `/workflows/${encodeURIComponent(report.workflowId)}`).catch(() => null) : null;
  const mayDelete = isAdmin() || report.createdBy === currentSession().user.id;
  const remove = h('button', { type: 'button', class: 'danger' }, 'Delete report');
  const alert = h('p', { class: 'form-error', role: 'alert' });
  remove.addEventListener('click', async () => {
    if (!window.confirm(`Delete the report "${report.title}"?`)) return;
    try {
      await api('DELETE', `/reports/${encodeURIComponent(id)}`);
      notice('Report deleted.');
      go('/reports');
    } catch (error) {
      alert.textContent = error.message;
    }
  });
  return [
    h('div', { class: 'heading' }, h('h1', { tabindex: -1 }, report.title), mayDelete ? remove : null),
    alert,
    h('dl', { class: 'details' },
      h('dt', {}, 'Status'), h('dd', {}, report.status),
      h('dt', {}, 'Workflow'), h('dd', {}, workflow ? h('a', { href: `#/workflows/${encodeURIComponent(workflow.id)}` }, workflow.name) : '—'),
      h('dt', {}, 'Created'), h('dd', {}, formatDate(report.createdAt)),
      h('dt', {}, 'Updated'), h('dd', {}, formatDate(report.updatedAt))),
    h('h2', {}, 'Parameters'),
    h('pre', { class: 'json' }, JSON.stringify(report.parameters, null, 2)),
    h('h2', {}, 'Content'),
    report.content === undefined || report.content === null ? h('p', {}, 'No content yet.') : h('pre', { class: 'json' }, JSON.stringify(report.content, null, 2)),
  ];
}
