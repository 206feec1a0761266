// The env's kill switch: disabled action names and providers. Changing it is gated
// (safety:kill_switch_update, a lock for every surface) and versioned (If-Match).
import { get, put } from '../api.js';
import { announce, busy, clearProblem, control, field, h, lines, showProblem, time } from '../dom.js';
import { atLeast } from '../roles.js';

export async function render({ me, refresh }) {
  const r = await get('/v1/kill-switch');
  const k = r.data;
  const state = h('section', { class: 'card', id: 'kill-switch-state' },
    h('h2', {}, 'In force'),
    h('p', {}, k.version ? h('span', {}, `Version ${k.version}, written by `, h('code', {}, k.updated_by), ' at ', time(k.updated_at), '.') : 'Never set: nothing is disabled.'),
    h('p', {}, h('strong', {}, 'Disabled actions: '), k.disabled_actions.length ? k.disabled_actions.join(', ') : 'none'),
    h('p', {}, h('strong', {}, 'Disabled providers: '), k.disabled_providers.length ? k.disabled_providers.join(', ') : 'none'));
  if (!atLeast(me.role, 'admin')) {
    return h('div', {}, state, h('p', { class: 'note' }, 'Admins change the kill switch.'));
  }
  const box = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'stack', id: 'kill-switch-form', novalidate: true },
    field('Disabled actions', { tag: 'textarea', name: 'disabled_actions', class: 'code', value: k.disabled_actions.join('\n') },
      'one action name a line (e.g. nexus:derive); requests to those routes answer 403 kill_switch_blocked'),
    field('Disabled providers', { tag: 'textarea', name: 'disabled_providers', class: 'code', value: k.disabled_providers.join('\n') },
      'one a line: filesystem, s3, gcs are enforced by Engines; other names are kept for callers that read the switch'),
    h('p', { class: 'hint' }, `Saving needs an approved strategy lock for every surface allowing safety:kill_switch_update, and writes version ${k.version + 1} if nobody saved since version ${k.version}.`),
    h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'kill-switch-save' }, 'Save the kill switch')), box);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearProblem(form, box);
    try {
      await busy(form.querySelector('button'), box, 'Saving', () => put('/v1/kill-switch', {
        disabled_actions: lines(control(form, 'disabled_actions').value),
        disabled_providers: lines(control(form, 'disabled_providers').value),
      }, { ifMatch: r.etag || `"${k.version}"` }));
      announce('Kill switch saved');
      refresh();
    } catch (err) {
      showProblem(form, box, err);
    }
  });
  return h('div', {}, state, h('section', { class: 'card' }, h('h2', {}, 'Change'), form));
}
