// The events explorer (GET /v1/events with its filters) and the trace view: every DatasetEvent of a
// trace, and every audit entry it appended (GET /v1/audit?trace_id=, admins).
import { get } from '../api.js';
import { badge, control, field, h, pagedTable, problem, table, time } from '../dom.js';
import { atLeast } from '../roles.js';

const FILTERS = ['surface', 'action', 'outcome', 'kind', 'actor_id', 'trace_id', 'request_id'];

function refs(list) {
  return (list || []).map((r) => h('div', {}, h('code', {}, `${r.type}:${r.id}`)));
}

function traceLink(go, traceId) {
  return traceId
    ? h('button', { type: 'button', class: 'link mono', 'data-trace': traceId, on: { click: () => go(`trace/${traceId}`) },
      'aria-label': `Follow trace ${traceId}`, title: traceId }, `${traceId.slice(0, 12)}…`)
    : '—';
}

const eventColumns = (go) => [
  { label: 'time', cell: (e) => time(e.occurred_at) },
  { label: 'surface / action', cell: (e) => h('span', {}, h('strong', {}, e.surface), ' ', e.action, ' ', h('span', { class: 'meta' }, e.kind)) },
  { label: 'outcome', cell: (e) => h('span', {}, badge(e.outcome), e.error_code ? [' ', h('code', {}, e.error_code)] : '') },
  { label: 'actor', cell: (e) => h('span', {}, `${e.actor_type} `, h('code', {}, e.actor_id), e.on_behalf_of ? [' for ', h('code', {}, e.on_behalf_of)] : '') },
  { label: 'refs in → out', cell: (e) => h('div', {}, refs(e.input_refs), e.output_refs?.length ? h('div', { class: 'meta' }, '→') : '', refs(e.output_refs)) },
  { label: 'trace', cell: (e) => traceLink(go, e.trace_id) },
  { label: 'request', cell: (e) => h('code', {}, e.request_id) },
];

async function explorer(go) {
  const params = new URLSearchParams(sessionStorage.getItem('engines.console.events') || '');
  const results = h('div', { id: 'events-results' });
  const form = h('form', { class: 'inline', id: 'events-filter', novalidate: true },
    field('Surface', { name: 'surface', value: params.get('surface') || '', placeholder: 'e.g. tenant' }),
    field('Action', { name: 'action', value: params.get('action') || '', placeholder: 'e.g. user.create' }),
    field('Outcome', { tag: 'select', name: 'outcome', options: [['', 'any'], 'success', 'failure'], value: params.get('outcome') || '' }),
    field('Kind', { tag: 'select', name: 'kind', options: [['', 'any'], 'read', 'write'], value: params.get('kind') || '' }),
    field('Actor', { name: 'actor_id', value: params.get('actor_id') || '', placeholder: 'u_… or ak_…' }),
    field('Trace id', { name: 'trace_id', value: params.get('trace_id') || '', placeholder: '32 hex digits' }),
    field('Request id', { name: 'request_id', value: params.get('request_id') || '' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'events-apply' }, 'Filter')));
  function load() {
    const q = { order: 'desc', limit: 50 };
    const kept = new URLSearchParams();
    for (const name of FILTERS) {
      const value = control(form, name).value.trim();
      if (value) {
        q[name] = value;
        kept.set(name, value);
      }
    }
    sessionStorage.setItem('engines.console.events', kept.toString());
    const list = pagedTable(eventColumns(go), (cursor) => get('/v1/events', { ...q, cursor }).then((r) => r.data), 'Events, newest first');
    results.replaceChildren(list);
    return list.ready;
  }
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    load();
  });
  await load();
  return h('div', {},
    h('p', { class: 'lead' }, 'DatasetEvents of this env, newest first. Follow a trace id to see everything one request did.'),
    form, results);
}

async function trace(go, traceId, me) {
  const parts = [h('p', { class: 'lead' }, 'Trace ', h('code', { id: 'trace-id' }, traceId), ': every event of the request(s) it names, oldest first, and the audit entries they appended.'),
    h('p', {}, h('button', { type: 'button', class: 'secondary', on: { click: () => go('events') } }, 'Back to the events'))];
  const events = (await get('/v1/events', { trace_id: traceId, limit: 500 })).data.items;
  parts.push(h('h2', {}, `Events (${events.length})`),
    h('div', { id: 'trace-events' }, table(eventColumns(go), events, 'Events of the trace')));
  if (atLeast(me.role, 'admin')) {
    try {
      const entries = (await get('/v1/audit', { trace_id: traceId, limit: 500 })).data.items;
      parts.push(h('h2', {}, `Audit entries (${entries.length})`), h('div', { id: 'trace-audit' }, table([
        { label: 'seq', class: 'num', cell: (a) => String(a.seq) },
        { label: 'time', cell: (a) => time(a.occurred_at) },
        { label: 'action', cell: (a) => h('strong', {}, a.action) },
        { label: 'target', cell: (a) => h('code', {}, `${a.target_type}:${a.target_id}`) },
        { label: 'actor', cell: (a) => h('code', {}, a.actor_id) },
        { label: 'details', cell: (a) => h('code', {}, JSON.stringify(a.details)) },
        { label: 'env', cell: (a) => a.env || 'tenant' },
      ], entries, 'Audit entries of the trace')));
    } catch (err) {
      parts.push(problem(err));
    }
  } else {
    parts.push(h('p', { class: 'note' }, 'Audit entries are read by admins.'));
  }
  return h('div', {}, parts);
}

export async function render({ go, arg, trace: isTrace, me }) {
  return isTrace && arg ? trace(go, arg, me) : explorer(go);
}
