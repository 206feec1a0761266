// Who the key acts as, and the last 24 hours of the ledger's read-model (GET /v1/events/summary).
import { get } from '../api.js';
import { h, table } from '../dom.js';
import { rankRule } from '../roles.js';

export async function render({ me }) {
  const summary = (await get('/v1/events/summary')).data;
  const failures = summary.counts.filter((c) => c.outcome === 'failure').reduce((n, c) => n + c.count, 0);
  const total = summary.counts.reduce((n, c) => n + c.count, 0);
  return h('div', {},
    h('section', { class: 'card' },
      h('h2', {}, 'Signed in as'),
      h('dl', { class: 'facts', id: 'me' },
        h('dt', {}, 'tenant'), h('dd', {}, me.tenant_id),
        h('dt', {}, 'env'), h('dd', {}, me.env),
        h('dt', {}, 'actor'), h('dd', {}, `${me.actor_type} ${me.actor_id}`),
        h('dt', {}, 'key'), h('dd', {}, me.key_id || '—'),
        h('dt', {}, 'role'), h('dd', { id: 'me-role' }, me.role)),
      h('p', {}, rankRule(me.role))),
    h('section', { class: 'card' },
      h('h2', {}, 'The last 24 hours'),
      h('p', {}, `${total} requests recorded in this env, ${failures} of them failed.`),
      table([
        { label: 'surface', cell: (c) => c.surface },
        { label: 'action', cell: (c) => c.action },
        { label: 'outcome', cell: (c) => c.outcome },
        { label: 'count', class: 'num', cell: (c) => String(c.count) },
      ], summary.counts, 'Requests per surface, action and outcome')));
}
