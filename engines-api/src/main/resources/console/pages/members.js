// Members: invite, change role, deactivate/reactivate, remove. The rank rule decides which rows the
// signed-in role may change; buttons it may not use are disabled with the reason beside them.
import { create, del, get, patch, post } from '../api.js';
import { announce, badge, busy, clearProblem, control, field, h, pagedTable, problem, showProblem, time } from '../dom.js';
import { atLeast, grantable, manages, rankRule } from '../roles.js';

export async function render({ me, refresh }) {
  const status = h('div', { 'aria-live': 'polite', id: 'members-status' });
  const admin = atLeast(me.role, 'admin');

  function actions(user) {
    if (!admin) {
      return h('span', { class: 'meta' }, 'read only');
    }
    if (!manages(me.role, user.role)) {
      return h('span', { class: 'meta' }, `${user.role}s are managed by owners`);
    }
    const role = h('select', { 'aria-label': `New role for ${user.email}`, name: 'role' },
      grantable(me.role).map((r) => h('option', { value: r, selected: r === user.role }, r)));
    const run = (label, fn) => async (e) => {
      try {
        await busy(e.currentTarget, status, label, fn);
        announce(`${label}: done`);
        refresh();
      } catch (err) {
        status.replaceChildren(problem(err));
      }
    };
    const path = `/v1/users/${encodeURIComponent(user.user_id)}`;
    const remove = h('button', { type: 'button', class: 'danger', 'data-action': 'remove' }, 'Remove');
    remove.addEventListener('click', async (e) => {
      if (remove.dataset.armed !== 'true') {
        remove.dataset.armed = 'true';
        remove.textContent = `Confirm removing ${user.email}`;
        return;
      }
      await run('Removing the member', () => del(path))(e);
    });
    return h('div', { class: 'actions' },
      role,
      h('button', { type: 'button', class: 'secondary', 'data-action': 'role',
        on: { click: run('Changing the role', () => patch(path, { role: role.value })) } }, 'Change role'),
      user.status === 'active'
        ? h('button', { type: 'button', class: 'secondary', 'data-action': 'deactivate',
          on: { click: run('Deactivating', () => post(`${path}/deactivate`)) } }, 'Deactivate')
        : h('button', { type: 'button', class: 'secondary', 'data-action': 'reactivate',
          on: { click: run('Reactivating', () => post(`${path}/reactivate`)) } }, 'Reactivate'),
      remove);
  }

  const list = pagedTable([
    { label: 'member', cell: (u) => h('span', { 'data-email': u.email }, h('strong', {}, u.display_name), h('br'), u.email) },
    { label: 'user id', cell: (u) => h('code', {}, u.user_id) },
    { label: 'role', cell: (u) => u.role },
    { label: 'status', cell: (u) => badge(u.status) },
    { label: 'since', cell: (u) => time(u.created_at) },
    { label: 'actions', cell: actions },
  ], (cursor) => get('/v1/users', { cursor, limit: 100 }).then((r) => r.data), 'Members');
  await list.ready;

  const parts = [h('p', { class: 'lead', id: 'rank-rule' }, rankRule(me.role)), status, list];
  if (admin) {
    const box = h('div');
    const form = h('form', { class: 'stack', id: 'invite-form', novalidate: true },
      field('E-mail', { name: 'email', type: 'email', id: 'invite-email', required: true, autocomplete: 'off' }),
      field('Display name', { name: 'display_name', id: 'invite-name', required: true, autocomplete: 'off' }),
      field('Role', { tag: 'select', name: 'role', id: 'invite-role', options: grantable(me.role), value: 'member' },
        'the roles you may give'),
      h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'invite-submit' }, 'Invite')),
      box);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearProblem(form, box);
      try {
        const created = await busy(form.querySelector('button'), box, 'Inviting', () => create('/v1/users', {
          email: control(form, 'email').value.trim(), display_name: control(form, 'display_name').value.trim(), role: control(form, 'role').value,
        }));
        announce(`Invited ${created.data.email} as ${created.data.role}`);
        refresh();
      } catch (err) {
        showProblem(form, box, err);
      }
    });
    parts.push(h('section', { class: 'card' }, h('h2', {}, 'Invite a member'), form));
  }
  return h('div', {}, parts);
}
