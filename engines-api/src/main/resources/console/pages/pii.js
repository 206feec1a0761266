// PII: a live redaction preview (POST /v1/pii/redact: nothing is stored), the policy and the
// allow/deny lists of this env (admins), each saved as the next version.
import { get, post, put } from '../api.js';
import { announce, busy, clearProblem, control, field, h, lines, problem, showProblem, table, time } from '../dom.js';
import { atLeast } from '../roles.js';

const SAMPLE = 'Ana (ana.b@example.com, +1 415 555 0100) paid with 4111 1111 1111 1111 from 10.0.0.7.';

function preview() {
  const output = h('div', { id: 'redact-output', 'aria-live': 'polite' });
  const input = h('textarea', { id: 'redact-input', name: 'text', value: SAMPLE, spellcheck: 'false' });
  let timer = null;
  let seq = 0;
  async function run() {
    const mine = ++seq;
    const text = input.value;
    output.replaceChildren(h('span', { class: 'working', role: 'status' }, h('progress', { 'aria-label': 'Redacting' }), 'Redacting…'));
    try {
      const r = (await post('/v1/pii/redact', { text })).data;
      if (mine !== seq) {
        return;
      }
      output.replaceChildren(
        h('h3', {}, 'Redacted'),
        h('pre', { class: 'out', id: 'redacted-text' }, r.text),
        h('p', {}, `train_ok: ${r.train_ok} · policy version ${r.pii_flags.policy_version ?? '—'}`),
        table([
          { label: 'type', cell: (sp) => sp.type },
          { label: 'found', cell: (sp) => h('mark', { class: 'pii' }, text.slice(sp.start, sp.end)) },
          { label: 'start', class: 'num', cell: (sp) => String(sp.start) },
          { label: 'end', class: 'num', cell: (sp) => String(sp.end) },
          { label: 'score', class: 'num', cell: (sp) => String(sp.score) },
        ], r.spans, 'Findings'));
    } catch (err) {
      if (mine === seq) {
        output.replaceChildren(problem(err));
      }
    }
  }
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(run, 350);
  });
  return {
    node: h('section', { class: 'card' },
      h('h2', {}, 'Redaction preview'),
      h('p', { class: 'hint' }, 'What this env\'s policy makes of a text, as you type. Nothing is stored; the request is a DatasetEvent with the counts only.'),
      h('label', { for: 'redact-input' }, 'Text'),
      input,
      h('div', { class: 'actions' }, h('button', { type: 'button', id: 'redact-run', on: { click: run } }, 'Redact')),
      output),
    run,
  };
}

function policyForm(policy, onSaved) {
  const box = h('div');
  const form = h('form', { class: 'stack', id: 'policy-form', novalidate: true },
    h('p', {}, `Version ${policy.version} (${policy.source || 'tenant'})`, policy.created_at ? [', written ', time(policy.created_at)] : ''),
    field('Default operator', { tag: 'select', name: 'default_operator', id: 'policy-default', options: ['replace', 'redact', 'mask', 'hmac', 'token'], value: policy.default_operator }),
    field('Operators per type', { tag: 'textarea', name: 'operators', id: 'policy-operators', class: 'code',
      value: Object.entries(policy.operators || {}).map(([t, o]) => `${t} = ${o}`).join('\n') }, 'one TYPE = operator a line, e.g. EMAIL_ADDRESS = hmac'),
    h('fieldset', {}, h('legend', {}, 'Mask'),
      field('Mask character', { name: 'mask.mask_char', id: 'mask-char', value: policy.mask?.mask_char ?? '*', maxlength: '1' }),
      field('Characters to mask', { name: 'mask.chars_to_mask', id: 'mask-count', type: 'number', value: String(policy.mask?.chars_to_mask ?? 12) }),
      h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'mask.from_end', checked: policy.mask?.from_end }), 'from the end')),
    h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'policy-save' }, 'Save policy')),
    box);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearProblem(form, box);
    const operators = {};
    for (const line of lines(control(form, 'operators').value)) {
      const [type, op] = line.split('=').map((x) => x.trim());
      operators[type] = op;
    }
    const body = {
      default_operator: control(form, 'default_operator').value,
      operators,
      mask: {
        mask_char: control(form, 'mask.mask_char').value,
        chars_to_mask: Number(control(form, 'mask.chars_to_mask').value),
        from_end: control(form, 'mask.from_end').checked,
      },
    };
    try {
      const r = await busy(form.querySelector('button[type="submit"]'), box, 'Saving the policy', () => put('/v1/pii/policy', body));
      announce(`Policy version ${r.data.version} saved`);
      onSaved();
    } catch (err) {
      showProblem(form, box, err);
    }
  });
  return form;
}

function listsForm(lists, onSaved) {
  const box = h('div');
  const form = h('form', { class: 'stack', id: 'lists-form', novalidate: true },
    h('p', {}, `Version ${lists.version}`),
    field('Allow list', { tag: 'textarea', name: 'allow', id: 'lists-allow', value: (lists.allow || []).join('\n') }, 'one value a line: never flagged'),
    field('Deny list', { tag: 'textarea', name: 'deny', id: 'lists-deny', value: (lists.deny || []).join('\n') }, 'one value a line: always flagged'),
    field('Type of deny-list findings', { name: 'deny_type', id: 'lists-deny-type', value: lists.deny_type || '' }, 'optional; DENY_LIST when empty'),
    h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'lists-save' }, 'Save lists')),
    box);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearProblem(form, box);
    const body = { allow: lines(control(form, 'allow').value), deny: lines(control(form, 'deny').value) };
    const type = control(form, 'deny_type').value.trim();
    if (type) {
      body.deny_type = type;
    }
    try {
      const r = await busy(form.querySelector('button[type="submit"]'), box, 'Saving the lists', () => put('/v1/pii/lists', body));
      announce(`Lists version ${r.data.version} saved`);
      onSaved();
    } catch (err) {
      showProblem(form, box, err);
    }
  });
  return form;
}

export async function render({ me, refresh }) {
  const parts = [];
  if (atLeast(me.role, 'member')) {
    const p = preview();
    parts.push(p.node);
    p.run();
  } else {
    parts.push(h('p', { class: 'note' }, 'The redaction preview needs the member role.'));
  }
  if (atLeast(me.role, 'admin')) {
    const [policy, lists] = await Promise.all([get('/v1/pii/policy'), get('/v1/pii/lists')]);
    parts.push(h('div', { class: 'cols' },
      h('section', { class: 'card' }, h('h2', {}, 'Policy'), policyForm(policy.data, refresh)),
      h('section', { class: 'card' }, h('h2', {}, 'Allow and deny lists'), listsForm(lists.data, refresh))));
  } else {
    parts.push(h('p', { class: 'note' }, 'The policy and the lists are read and written by admins.'));
  }
  return h('div', {}, parts);
}
