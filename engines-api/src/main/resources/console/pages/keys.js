// API keys: create (the secret is shown once, in this page only, never stored), rotate (the new
// secret likewise), revoke. Which rows the signed-in role may change follows the rank rule: a key
// ranks as its principal (a personal key as its user's role, a service key as its own role), and a
// caller's own keys are always its own to rotate or revoke.
import { create, get, post } from '../api.js';
import { announce, badge, busy, check, clearProblem, control, field, h, isoFromLocal, pagedTable, problem, showProblem, time } from '../dom.js';
import { ROLES, atLeast, grantable, manages, rankRule } from '../roles.js';

const ENVS = ['dev', 'staging', 'prod'];

/** The one-time secret: shown in the page until dismissed, then gone from the DOM. */
function secretPanel(title, issued, onDone) {
  const input = h('input', { type: 'text', readonly: true, id: 'key-secret-value', value: issued.token, 'aria-label': 'The new API key', spellcheck: 'false' });
  const copied = h('span', { 'aria-live': 'polite', class: 'meta' });
  const panel = h('section', { class: 'secret', id: 'key-secret', tabindex: '-1', 'aria-labelledby': 'key-secret-title' },
    h('h2', { id: 'key-secret-title' }, title),
    h('p', {}, h('strong', {}, 'Copy this key now: it is shown once and cannot be read again. '),
      `Key ${issued.key.key_id} (${issued.key.prefix}…).`),
    input,
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'secondary', on: { click: async () => {
        input.select();
        try {
          await navigator.clipboard.writeText(input.value);
          copied.textContent = 'Copied.';
        } catch {
          copied.textContent = 'Selected: copy it with Ctrl+C.';
        }
      } } }, 'Copy'),
      h('button', { type: 'button', id: 'key-secret-done', on: { click: () => {
        input.value = '';
        panel.remove();
        announce('The key is no longer shown.');
        onDone();
      } } }, 'I have stored it: hide it'),
      copied));
  return panel;
}

export async function render({ me }) {
  const admin = atLeast(me.role, 'admin');
  const roleOf = new Map();
  if (admin) {
    // The users' roles rank their personal keys; one page covers most tenants, the rest read as unknown.
    (await get('/v1/users', { limit: 500 })).data.items.forEach((u) => roleOf.set(u.user_id, u.role));
  }
  const myUser = me.actor_type === 'user' ? me.actor_id : null;
  const secretSlot = h('div');
  const status = h('div', { 'aria-live': 'polite', id: 'keys-status' });
  const listSlot = h('div');

  function showSecret(title, issued) {
    const panel = secretPanel(title, issued, () => document.getElementById('key-create-submit')?.focus());
    secretSlot.replaceChildren(panel);
    panel.focus();
  }

  function rankOf(key) {
    return key.kind === 'service' ? key.role : roleOf.get(key.user_id) || (key.user_id === myUser ? me.role : null);
  }

  function mayChange(key) {
    if (key.key_id === me.key_id || (key.kind === 'personal' && key.user_id === myUser)) {
      return { ok: true, why: 'your own key' };
    }
    const rank = rankOf(key);
    if (!admin) {
      return { ok: false, why: 'not your key' };
    }
    if (!rank) {
      return { ok: false, why: 'rank unknown' };
    }
    return manages(me.role, rank) ? { ok: true, why: `you manage ${rank}s` } : { ok: false, why: `${rank} keys are managed by owners` };
  }

  function actions(key) {
    if (key.revoked_at) {
      return h('span', { class: 'meta' }, 'revoked');
    }
    const allowed = mayChange(key);
    const overlap = h('input', { type: 'number', min: '0', value: '3600', title: 'seconds the old secret keeps working after a rotation',
      'aria-label': `Overlap in seconds for ${key.name}`, class: 'overlap', name: 'overlap_seconds' });
    const run = (label, fn, after) => async (e) => {
      try {
        const r = await busy(e.currentTarget, status, label, fn);
        after(r);
      } catch (err) {
        status.replaceChildren(problem(err));
      }
    };
    const path = `/v1/api-keys/${encodeURIComponent(key.key_id)}`;
    return h('div', { class: 'actions' },
      h('span', { class: 'meta' }, allowed.why),
      h('span', { class: 'meta', 'aria-hidden': 'true' }, 'overlap s'),
      overlap,
      h('button', { type: 'button', class: 'secondary', 'data-action': 'rotate', disabled: !allowed.ok,
        on: { click: run('Rotating', () => post(`${path}/rotate`, { overlap_seconds: Number(overlap.value || 0) }), (r) => {
          showSecret(`Rotated: the new secret of ${key.name}`, r.data);
          loadList();
        }) } }, 'Rotate'),
      h('button', { type: 'button', class: 'danger', 'data-action': 'revoke', disabled: !allowed.ok,
        on: { click: run('Revoking', () => post(`${path}/revoke`), () => {
          announce(`Revoked ${key.name}`);
          loadList();
        }) } }, 'Revoke'));
  }

  async function loadList() {
    const list = pagedTable([
      { label: 'name', cell: (k) => h('span', { 'data-key-id': k.key_id }, h('strong', {}, k.name), h('br'), h('code', {}, `${k.prefix}…`)) },
      { label: 'kind', cell: (k) => k.kind },
      { label: 'ranks as', cell: (k) => rankOf(k) || '?' },
      { label: 'principal', cell: (k) => h('code', {}, k.user_id || k.key_id) },
      { label: 'envs', cell: (k) => (k.envs ? k.envs.join(', ') : 'all') },
      { label: 'state', cell: (k) => (k.revoked_at ? badge('revoked') : badge('active')) },
      { label: 'last used', cell: (k) => time(k.last_used_at) },
      { label: 'actions', cell: actions },
    ], (cursor) => get('/v1/api-keys', { cursor, limit: 100 }).then((r) => r.data), 'API keys');
    await list.ready;
    listSlot.replaceChildren(list);
  }
  await loadList();

  const box = h('div');
  const serviceOnly = h('fieldset', { id: 'service-fields' },
    h('legend', {}, 'Service key'),
    field('Role', { tag: 'select', name: 'role', id: 'key-role', options: grantable(me.role), value: 'member' }, 'a service key ranks as its role'),
    h('div', { role: 'group', 'aria-label': 'Envs' }, h('span', { class: 'hint' }, 'Envs (none checked: all) '),
      ENVS.map((e) => check(e, { name: 'envs', value: e }))),
    check('may act on behalf of users (X-User-Id)', { name: 'act_on_behalf' }));
  const form = h('form', { class: 'stack', id: 'key-form', novalidate: true },
    field('Kind', { tag: 'select', name: 'kind', id: 'key-kind', options: admin ? ['personal', 'service'] : ['personal'] }),
    field('Name', { name: 'name', id: 'key-name', required: true, autocomplete: 'off' }),
    serviceOnly,
    field('Expires', { name: 'expires_at', id: 'key-expires', type: 'datetime-local' }, 'optional; your local time'),
    h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'key-create-submit' }, 'Create key')),
    box);
  const syncKind = () => { serviceOnly.hidden = control(form, 'kind').value !== 'service'; };
  control(form, 'kind').addEventListener('change', syncKind);
  syncKind();
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearProblem(form, box);
    const body = { kind: control(form, 'kind').value, name: control(form, 'name').value.trim() };
    if (body.kind === 'service') {
      body.role = control(form, 'role').value;
      const envs = [...form.querySelectorAll('input[name="envs"]:checked')].map((c) => c.value);
      if (envs.length) {
        body.envs = envs;
      }
      body.act_on_behalf = control(form, 'act_on_behalf').checked;
    }
    const expires = isoFromLocal(control(form, 'expires_at').value);
    if (expires) {
      body.expires_at = expires;
    }
    try {
      const r = await busy(form.querySelector('button[type="submit"]'), box, 'Creating the key', () => create('/v1/api-keys', body));
      control(form, 'name').value = '';
      showSecret(`New key ${r.data.key.name}`, r.data);
      await loadList();
    } catch (err) {
      showProblem(form, box, err);
    }
  });

  const rules = h('section', { class: 'card', id: 'key-rules' },
    h('h2', {}, 'What you may do'),
    h('p', {}, rankRule(me.role)),
    h('ul', {},
      h('li', {}, 'Create your own personal keys: any role.'),
      h('li', {}, `Create service keys: admins and owners (roles: ${admin ? grantable(me.role).join(', ') : 'none for you'}).`),
      h('li', {}, 'Rotate or revoke your own keys: any role; others\' keys: by the rank rule above.'),
      h('li', {}, `Your role: ${me.role}. Roles from lowest to highest: ${ROLES.join(' ⊂ ')}.`)));
  return h('div', {}, secretSlot, rules, status, listSlot,
    h('section', { class: 'card' }, h('h2', {}, 'Create a key'), form));
}
