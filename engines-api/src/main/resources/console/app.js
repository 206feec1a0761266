// The console's shell: sign-in, navigation (hash routes, so the static files need no server
// routing), the signed-in header with the env switcher, and focus management between pages.
import { ApiError, call, session } from './api.js';
import { announce, control, field, h, problem } from './dom.js';
import { atLeast } from './roles.js';
import * as overview from './pages/overview.js';
import * as members from './pages/members.js';
import * as keys from './pages/keys.js';
import * as config from './pages/config.js';
import * as pii from './pages/pii.js';
import * as events from './pages/events.js';
import * as audit from './pages/audit.js';
import * as assets from './pages/assets.js';
import * as temperature from './pages/temperature.js';
import * as kpis from './pages/kpis.js';
import * as locks from './pages/locks.js';
import * as killSwitch from './pages/killswitch.js';
import * as usage from './pages/usage.js';

const ENVS = ['dev', 'staging', 'prod'];

/** Pages in navigation order; min is the least role whose page is useful (the API still decides). */
const PAGES = [
  { path: 'overview', title: 'Overview', group: 'Tenant', min: 'viewer', page: overview },
  { path: 'members', title: 'Members', group: 'Tenant', min: 'viewer', page: members },
  { path: 'keys', title: 'API keys', group: 'Tenant', min: 'viewer', page: keys },
  { path: 'config', title: 'Config slots', group: 'Tenant', min: 'admin', page: config },
  { path: 'usage', title: 'Usage and quotas', group: 'Tenant', min: 'viewer', page: usage },
  { path: 'pii', title: 'PII policy and redaction', group: 'Data', min: 'viewer', page: pii },
  { path: 'assets', title: 'Assets and atoms', group: 'Data', min: 'viewer', page: assets },
  { path: 'events', title: 'Events', group: 'Ledger', min: 'member', page: events },
  { path: 'trace', title: 'Trace', group: null, min: 'member', page: events, trace: true },
  { path: 'audit', title: 'Audit chain', group: 'Ledger', min: 'admin', page: audit },
  { path: 'temperature', title: 'Temperature', group: 'Gates', min: 'viewer', page: temperature },
  { path: 'kpis', title: 'KPIs and corridors', group: 'Gates', min: 'viewer', page: kpis },
  { path: 'locks', title: 'Strategy locks', group: 'Gates', min: 'viewer', page: locks },
  { path: 'kill-switch', title: 'Kill switch', group: 'Gates', min: 'viewer', page: killSwitch },
];

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const who = document.getElementById('who');

/** Navigates to #/path[/arg]. */
export function go(path) {
  if (location.hash === `#/${path}`) {
    render();
  } else {
    location.hash = `#/${path}`;
  }
}

function route() {
  const [path, ...rest] = location.hash.replace(/^#\/?/, '').split('/');
  return { path: path || 'overview', arg: rest.length ? decodeURIComponent(rest.join('/')) : null };
}

function renderNav(current, me) {
  const items = [];
  let group = null;
  for (const p of PAGES.filter((x) => x.group)) {
    if (p.group !== group) {
      group = p.group;
      items.push(h('li', { class: 'group', 'aria-hidden': 'true' }, group));
    }
    items.push(h('li', {}, h('a', {
      href: `#/${p.path}`,
      'aria-current': p.path === current ? 'page' : null,
      title: atLeast(me.role, p.min) ? null : `needs the ${p.min} role`,
    }, p.title)));
  }
  nav.replaceChildren(h('ul', {}, items));
}

function renderWho(s) {
  const envSelect = h('select', { id: 'env-switch', on: { change: (e) => switchEnv(e.target.value) } },
    ENVS.map((e) => h('option', { value: e, selected: e === s.env }, e)));
  who.replaceChildren(
    h('span', { id: 'who-tenant' }, s.tenant),
    h('label', { for: 'env-switch' }, 'Env', envSelect),
    h('span', { id: 'who-role' }, `${s.me.role} · ${s.me.actor_id}`),
    h('button', { type: 'button', id: 'sign-out', class: 'secondary', on: { click: signOut } }, 'Sign out'));
}

async function switchEnv(env) {
  const s = session.get();
  try {
    const me = await call('GET', '/v1/me', {}, { ...s, env });
    session.set({ ...s, env, me: me.data });
    announce(`Switched to env ${env}`);
    render();
  } catch (err) {
    main.prepend(problem(err));
    document.getElementById('env-switch').value = s.env;
  }
}

function signOut() {
  session.clear();
  who.replaceChildren();
  nav.replaceChildren();
  announce('Signed out');
  location.hash = '#/signin';
  render();
}

function signIn() {
  document.title = 'Sign in · Engines console';
  const status = h('div', { 'aria-live': 'assertive' });
  const form = h('form', { class: 'stack', id: 'signin-form', novalidate: true },
    field('Tenant id', { name: 'tenant', id: 'signin-tenant', required: true, autocomplete: 'off', spellcheck: 'false',
      pattern: '^t_[a-z0-9_-]+$', placeholder: 't_acme' }, 'as X-Tenant-Id: t_ followed by lower-case letters, digits, _ or -'),
    field('Env', { tag: 'select', name: 'env', id: 'signin-env', options: ENVS }),
    field('API key', { name: 'key', id: 'signin-key', type: 'password', required: true, autocomplete: 'off', placeholder: 'eng_…' },
      'kept in this tab only (sessionStorage) and forgotten on sign-out'),
    h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'signin-submit' }, 'Sign in')),
    status);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const candidate = {
      tenant: control(form, 'tenant').value.trim(),
      env: control(form, 'env').value,
      key: control(form, 'key').value.trim(),
    };
    status.replaceChildren(h('span', { class: 'working', role: 'status' }, h('progress', { 'aria-label': 'Signing in' }), 'Signing in…'));
    try {
      const me = await call('GET', '/v1/me', {}, candidate);
      session.set({ ...candidate, me: me.data });
      control(form, 'key').value = '';
      announce(`Signed in to ${candidate.tenant} (${candidate.env}) as ${me.data.role}`);
      location.hash = '#/overview';
    } catch (err) {
      status.replaceChildren(problem(err));
      control(form, 'key').focus();
    }
  });
  main.replaceChildren(h('h1', { tabindex: '-1' }, 'Sign in'),
    h('p', { class: 'lead' }, 'The console calls the Engines API with your API key, like any other client.'), form);
  main.querySelector('h1').focus();
}

let rendering = 0;

async function render() {
  const s = session.get();
  const { path, arg } = route();
  if (!s || path === 'signin') {
    if (s && path === 'signin') {
      location.hash = '#/overview';
      return;
    }
    who.replaceChildren();
    nav.replaceChildren();
    signIn();
    return;
  }
  const page = PAGES.find((p) => p.path === path) || PAGES[0];
  renderWho(s);
  renderNav(page.trace ? 'events' : page.path, s.me);
  document.title = `${page.title} · ${s.tenant} ${s.env} · Engines console`;
  const mine = ++rendering;
  const heading = h('h1', { tabindex: '-1' }, page.title);
  main.replaceChildren(heading, h('p', { class: 'working', role: 'status' }, h('progress', { 'aria-label': 'Loading' }), 'Loading…'));
  heading.focus();
  let content;
  if (!atLeast(s.me.role, page.min)) {
    content = h('p', { class: 'note' }, `This page needs the ${page.min} role; you are ${s.me.role} in ${s.tenant} (${s.env}).`);
  } else {
    try {
      content = await page.page.render({ me: s.me, session: s, arg, trace: Boolean(page.trace), go, refresh: render });
    } catch (err) {
      content = err instanceof ApiError ? problem(err) : problem({ code: 'console_error', detail: String(err && err.message) });
      if (err instanceof ApiError && err.status === 401) {
        content = h('div', {}, content, h('button', { type: 'button', on: { click: signOut } }, 'Sign in again'));
      }
    }
  }
  if (mine !== rendering) {
    return;
  }
  main.replaceChildren(heading, content);
  if (document.activeElement === document.body || !main.contains(document.activeElement)) {
    heading.focus();
  }
}

window.addEventListener('hashchange', render);
render();
