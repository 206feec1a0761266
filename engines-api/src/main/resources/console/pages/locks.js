// Strategy locks: what each allows, where and until when; drafts wait in the owners' approval queue.
import { create, get, post } from '../api.js';
import { announce, badge, busy, check, clearProblem, control, field, h, isoFromLocal, localFromIso, lines, pagedTable, problem, showProblem, table, time } from '../dom.js';
import { atLeast } from '../roles.js';

const SCOPES = ['kpi_corridor', 'campaign', 'budget', 'code_deploy', 'app_toggle', 'other'];
const GATED = {
  'temperature:upsert_weights': 'change Temperature weights',
  'temperature:upsert_floors': 'change Temperature floors',
  'temperature:upsert_ceilings': 'change Temperature ceilings',
  'kpi:corridor_upsert': 'change KPI corridors',
  'safety:kill_switch_update': 'change the kill switch (needs a lock for every surface)',
  'vector:ingest': 'write vectors (where the vector slot gates ingest)',
};

/** One sentence: what the lock allows, where, and when. */
function allows(lock) {
  const actions = lock.allowed_actions.includes('*') ? 'every gated action' : lock.allowed_actions.join(', ');
  const where = lock.surface ? `on surface ${lock.surface}` : 'on every surface';
  return `Allows ${actions} ${where}, from ${new Date(lock.valid_from).toLocaleString()} until ${new Date(lock.valid_until).toLocaleString()}.`;
}

export async function render({ me, refresh }) {
  const owner = atLeast(me.role, 'owner');
  const status = h('div', { 'aria-live': 'polite', id: 'locks-status' });
  const drafts = (await get('/v1/strategy-locks', { status: 'draft', limit: 100 })).data.items;
  const decide = (lock, verb) => async (e) => {
    try {
      await busy(e.currentTarget, status, verb === 'approve' ? 'Approving' : 'Rejecting',
        () => post(`/v1/strategy-locks/${encodeURIComponent(lock.lock_id)}/${verb}`));
      announce(`Lock ${lock.title} ${verb === 'approve' ? 'approved' : 'rejected'}`);
      refresh();
    } catch (err) {
      status.replaceChildren(problem(err));
    }
  };
  const queue = h('section', { class: 'card', id: 'lock-queue' },
    h('h2', {}, `Waiting for approval (${drafts.length})`),
    owner ? null : h('p', { class: 'note' }, 'Owners approve or reject locks.'),
    table([
      { label: 'lock', cell: (l) => h('span', { 'data-lock': l.lock_id }, h('strong', {}, l.title), h('br'), h('code', {}, l.lock_id)) },
      { label: 'scope', cell: (l) => l.scope },
      { label: 'what it allows', cell: (l) => allows(l) },
      { label: 'drafted by', cell: (l) => h('code', {}, l.created_by) },
      { label: 'decision', cell: (l) => (owner ? h('div', { class: 'actions' },
        h('button', { type: 'button', 'data-action': 'approve', on: { click: decide(l, 'approve') } }, 'Approve'),
        h('button', { type: 'button', class: 'danger', 'data-action': 'reject', on: { click: decide(l, 'reject') } }, 'Reject'))
        : 'owners decide') },
    ], drafts, 'Draft locks'),
    status);

  const all = pagedTable([
    { label: 'lock', cell: (l) => h('span', {}, h('strong', {}, l.title), h('br'), h('code', {}, l.lock_id)) },
    { label: 'status', cell: (l) => badge(l.status) },
    { label: 'what it allows', cell: (l) => allows(l) },
    { label: 'decided', cell: (l) => (l.decided_at ? h('span', {}, time(l.decided_at), ' by ', h('code', {}, l.decided_by)) : '—') },
  ], (cursor) => get('/v1/strategy-locks', { cursor, limit: 50 }).then((r) => r.data), 'Strategy locks, newest first');
  await all.ready;

  const parts = [h('p', { class: 'lead' }, 'A gated action runs only under an approved lock, valid now, for its surface (or every surface), that lists it.'), queue];
  if (atLeast(me.role, 'admin')) {
    const box = h('div', { 'aria-live': 'polite' });
    const now = new Date();
    const form = h('form', { class: 'stack', id: 'lock-form', novalidate: true },
      field('Title', { name: 'title', id: 'lock-title', required: true }),
      field('Description', { tag: 'textarea', name: 'description' }, 'optional; redacted before it is stored'),
      field('Scope', { tag: 'select', name: 'scope', options: SCOPES }),
      field('Surface', { name: 'surface', id: 'lock-surface' }, 'empty: every surface'),
      h('fieldset', { id: 'lock-actions' }, h('legend', {}, 'Allowed actions'),
        Object.entries(GATED).map(([a, what]) => h('div', {}, check(h('span', {}, h('code', {}, a), ` — ${what}`), { name: 'allowed_actions', value: a }))),
        field('Other action names', { tag: 'textarea', name: 'other_actions' }, 'one a line, or * for every gated action')),
      field('Valid from', { type: 'datetime-local', name: 'valid_from', value: localFromIso(now) }),
      field('Valid until', { type: 'datetime-local', name: 'valid_until', value: localFromIso(new Date(now.getTime() + 86400000)) }),
      h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'lock-submit' }, 'Draft the lock')), box);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearProblem(form, box);
      const actions = [...form.querySelectorAll('input[name="allowed_actions"]:checked')].map((c) => c.value)
        .concat(lines(control(form, 'other_actions').value));
      const body = {
        scope: control(form, 'scope').value,
        title: control(form, 'title').value.trim(),
        allowed_actions: actions,
        valid_from: isoFromLocal(control(form, 'valid_from').value),
        valid_until: isoFromLocal(control(form, 'valid_until').value),
      };
      const description = control(form, 'description').value.trim();
      const surface = control(form, 'surface').value.trim();
      if (description) body.description = description;
      if (surface) body.surface = surface;
      try {
        const r = await busy(form.querySelector('button[type="submit"]'), box, 'Drafting the lock', () => create('/v1/strategy-locks', body));
        announce(`Lock ${r.data.title} drafted: it waits for an owner's approval`);
        refresh();
      } catch (err) {
        showProblem(form, box, err);
      }
    });
    parts.push(h('section', { class: 'card' }, h('h2', {}, 'Draft a lock'), form));
  }
  parts.push(h('h2', {}, 'All locks'), all);
  return h('div', {}, parts);
}
