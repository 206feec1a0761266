// Usage of this env against its quotas and budgets (GET /v1/usage/quotas), as bars, with the rate
// limits and the price table in force.
import { get } from '../api.js';
import { h, table, time } from '../dom.js';

// What each limit counts (GatesSettings.QUOTAS): requests per period, or what the env holds now.
const UNITS = { stored_bytes: 'bytes', assets: 'assets', atoms: 'atoms', vectors: 'vectors', sessions: 'sessions' };

function unitOf(name, fallback) {
  return UNITS[name] || fallback;
}

function bars(title, items, fallbackUnit) {
  return h('section', { class: 'card', 'data-group': title },
    h('h2', {}, title),
    items.length ? items.map((q) => {
      const limited = q.limit !== null && q.limit !== undefined;
      const id = `usage-${q.name}`;
      const unit = unitOf(q.name, fallbackUnit);
      const percent = limited ? Math.round((q.used / q.limit) * 100) : null;
      const text = limited ? `${q.used} of ${q.limit} ${unit} (${percent} %)` : `${q.used} ${unit}`;
      // A meter's value stops at its max: the aria values and the text say the real use, past the limit too.
      return h('div', { class: 'usage-row', 'data-name': q.name },
        h('span', { id }, h('strong', {}, q.name.replaceAll('_', ' '))),
        limited
          ? h('meter', { min: '0', max: String(q.limit), low: String(q.limit * 0.8), high: String(q.limit * 0.95), optimum: '0',
            value: String(Math.min(q.used, q.limit)), 'aria-labelledby': id, 'aria-valuemin': '0', 'aria-valuemax': String(q.limit),
            'aria-valuenow': String(q.used), 'aria-valuetext': text, title: text })
          : h('span', { class: 'meta' }, 'no limit'),
        h('span', { class: 'usage-text' }, text,
          h('br'), h('span', { class: 'meta' }, q.period ? `period ${q.period}, resets ` : 'held now', q.resets_at ? time(q.resets_at) : '')));
    }) : h('p', { class: 'meta' }, 'None configured.'));
}

export async function render() {
  const u = (await get('/v1/usage/quotas')).data;
  return h('div', { id: 'usage' },
    h('p', { class: 'lead' }, 'What this env used in the current UTC day and month, against the limits in force (the env\'s gates slot within the deployment\'s bounds). A bar turns amber at 80 %.'),
    bars('Quotas', u.quotas || [], 'requests'),
    bars('Budgets', u.budgets || [], 'cost units'),
    h('section', { class: 'card' }, h('h2', {}, 'Rate limits'), table([
      { label: 'limit', cell: (r) => r.name },
      { label: 'per minute', class: 'num', cell: (r) => (r.per_minute === null || r.per_minute === undefined ? 'no limit' : String(r.per_minute)) },
    ], u.rate_limits || [], 'Rate limits')),
    h('section', { class: 'card' }, h('h2', {}, 'Prices'), table([
      { label: 'action', cell: (p) => h('code', {}, p[0]) },
      { label: 'cost units', class: 'num', cell: (p) => String(p[1]) },
    ], Object.entries(u.prices || {}), 'Prices per request')));
}
