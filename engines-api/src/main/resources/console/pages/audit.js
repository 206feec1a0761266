// The tenant's audit chain (all envs, chain order) and its verification.
import { get } from '../api.js';
import { announce, busy, control, field, h, pagedTable, problem } from '../dom.js';

export async function render({ go }) {
  const result = h('div', { id: 'audit-verify-result', 'aria-live': 'polite' });
  const verify = h('button', { type: 'button', id: 'audit-verify' }, 'Verify the chain');
  verify.addEventListener('click', async () => {
    try {
      const v = (await busy(verify, result, 'Verifying the chain', () => get('/v1/audit/verify'))).data;
      result.replaceChildren(v.valid
        ? h('p', { class: 'ok', 'data-valid': 'true' }, `The chain is intact: ${v.checked} entries checked, head at seq ${v.head_seq}.`)
        : h('div', { class: 'problem', role: 'alert', 'data-valid': 'false' },
          h('p', {}, h('span', { class: 'code' }, v.problem), `: the chain breaks at seq ${v.first_bad_seq} (${v.checked} entries checked, head at seq ${v.head_seq}).`)));
      announce(v.valid ? 'The audit chain is intact' : 'The audit chain is broken');
    } catch (err) {
      result.replaceChildren(problem(err));
    }
  });
  const entries = h('div');
  const form = h('form', { class: 'inline', id: 'audit-filter', novalidate: true },
    field('Action', { name: 'action', placeholder: 'e.g. api_key.create' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'secondary' }, 'Filter')));
  function load() {
    const action = control(form, 'action').value.trim() || null;
    const list = pagedTable([
      { label: 'seq', class: 'num', cell: (a) => String(a.seq) },
      { label: 'time', cell: (a) => h('time', { datetime: a.occurred_at }, new Date(a.occurred_at).toLocaleString()) },
      { label: 'env', cell: (a) => a.env || 'tenant' },
      { label: 'action', cell: (a) => h('strong', {}, a.action) },
      { label: 'target', cell: (a) => h('code', {}, `${a.target_type}:${a.target_id}`) },
      { label: 'actor', cell: (a) => h('code', {}, a.actor_id) },
      { label: 'trace', cell: (a) => (a.trace_id
        ? h('button', { type: 'button', class: 'link mono', 'data-trace': a.trace_id, on: { click: () => go(`trace/${a.trace_id}`) } }, a.trace_id)
        : '—') },
      { label: 'hash', cell: (a) => h('code', { title: `previous ${a.prev_hash}` }, a.hash.slice(0, 12)) },
    ], (cursor) => get('/v1/audit', { action, cursor, limit: 100 }).then((r) => r.data), 'Audit entries in chain order');
    entries.replaceChildren(list);
    return list.ready;
  }
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    load();
  });
  await load();
  return h('div', {},
    h('p', { class: 'lead' }, 'Sensitive changes of this tenant, in every env, each entry carrying the hash of the one before it.'),
    h('section', { class: 'card' }, h('h2', {}, 'Verification'),
      h('p', {}, 'Recomputes every hash of the chain: a modified, inserted or deleted entry breaks it.'), verify, result),
    form, entries);
}
