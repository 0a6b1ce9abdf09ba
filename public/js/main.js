// The attendant console: login, the live feed, the console view and its keys, the log and
// statistics views. No framework: the state is re-rendered (coalesced per frame) on every change.
import { Api } from './api.js';
import { $, h, replace } from './dom.js';
import { LiveFeed } from './live.js';
import { ConsoleState } from './state.js';
import {
  answerReason, dndReason, keyReason, monitoredPosition, monitorReason, monitorSet, renderAttendants, renderBlf, renderCurrent, renderGroups, renderPosition, renderQueue,
  renderSlots, renderStatus, tick,
} from './console.js';
import { watchLinks } from './links.js';
import { openLog, setupLog } from './log.js';
import { openStats, setupStats } from './stats.js';

const api = new Api();
const app = {
  api,
  state: new ConsoleState(),
  user: undefined,
  isSupervisor: false,
  feed: undefined,
  link: 'offline',
  view: 'console',
  /** 'transfer' | 'consult' | 'conference' armed by its key, run by Enter in the number field */
  pendingOp: undefined,
  selectedGroup: undefined,
  selectedPosition: undefined,
  /** the controller's links from /healthz: {ari, store, ami} in words */
  links: undefined,
};

// ----- messages ------------------------------------------------------------------------------

function say(text, kind = 'ok') {
  const el = $('message');
  el.className = `message ${kind}`;
  el.textContent = text;
}

/** run an API call and say how it went: its answer (true for an empty one), undefined when refused */
async function act(label, fn) {
  try {
    const r = await fn();
    say(label);
    return r ?? true;
  } catch (err) {
    say(`${label}: ${err.message}`, 'error');
    return undefined;
  }
}

// ----- rendering -----------------------------------------------------------------------------

let frame = 0;
function render() {
  if (frame) return;
  frame = requestAnimationFrame(() => {
    frame = 0;
    if (!app.user) return;
    renderPosition(app);
    renderQueue(app, { onAnswer: answer });
    renderSlots(app, { onRetrieve: retrieve });
    renderCurrent(app);
    renderGroups(app, { onMode: setMode, onSelect: (id) => { app.selectedGroup = id; render(); } });
    renderAttendants(app, { onSelect: (id) => { app.selectedPosition = id; render(); }, onMonitor: monitor });
    renderBlf(app, { onLamp: (number) => { $('target').value = number; $('target').focus(); } });
    renderStatus(app, app.link);
    tick(app);
  });
}

function setLink(status) {
  app.link = status;
  const el = $('link-state');
  el.className = `link-state ${status === 'live' ? 'live' : status === 'offline' ? '' : 'connecting'}`;
  el.textContent = `● ${status}`;
  render();
}

// ----- live feed -----------------------------------------------------------------------------

function onMessage(msg) {
  const { state } = app;
  switch (msg.type) {
    case 'hello':
    case 'resumed':
    case 'pong':
      state.syncClock(msg.now);
      break;
    case 'snapshot':
      state.loadSnapshot(msg);
      if (!app.selectedGroup) app.selectedGroup = firstNightGroup();
      break;
    case 'event':
      state.apply(msg);
      break;
    default:
      break;
  }
  render();
}

function firstNightGroup() {
  const mine = app.user.attendant ? app.state.attendants.get(app.user.attendant)?.groups ?? [] : [];
  const groups = [...app.state.groups.values()];
  return (groups.find((g) => mine.includes(g.id) && g.modes.includes('night')) ?? groups.find((g) => g.modes.includes('night')) ?? groups[0])?.id;
}

// ----- session -------------------------------------------------------------------------------

function showLogin(error = '') {
  app.feed?.stop();
  app.feed = undefined;
  app.user = undefined;
  api.setToken('');
  $('app-view').hidden = true;
  $('login-view').hidden = false;
  $('login-error').textContent = error;
  $('login-password').value = '';
  $('login-name').focus();
}

function startConsole(user) {
  app.user = user;
  app.isSupervisor = user.role === 'supervisor' || user.role === 'admin';
  app.state = new ConsoleState();
  $('who').textContent = `${user.name} · ${user.role}`;
  $('btn-shift').hidden = !user.attendant;
  for (const el of document.querySelectorAll('[data-role="supervisor"]')) el.hidden = !app.isSupervisor;
  $('login-view').hidden = true;
  $('app-view').hidden = false;
  showView('console');
  searchDirectory();
  app.feed = new LiveFeed({
    token: api.token,
    onMessage,
    onStatus: setLink,
    onRejected: () => showLogin('Your session has ended: log in again.'),
  });
  app.feed.start();
}

async function login(ev) {
  ev.preventDefault();
  const name = $('login-name').value.trim();
  const password = $('login-password').value;
  $('login-error').textContent = '';
  $('login-submit').disabled = true;
  try {
    const r = await api.post('/api/session/login', { name, password });
    api.setToken(r.token);
    startConsole(r.user);
  } catch (err) {
    $('login-error').textContent = err.status === 429 ? 'Too many attempts: wait a minute.' : err.status === 401 ? 'Wrong name or password.' : err.message;
  } finally {
    $('login-submit').disabled = false;
  }
}

async function logout() {
  await api.post('/api/session/logout').catch(() => undefined);
  showLogin();
}

async function shiftChange(ev) {
  ev.preventDefault();
  $('shift-error').textContent = '';
  try {
    const r = await api.post('/api/session/shift-change', { name: $('shift-name').value.trim(), password: $('shift-password').value });
    $('shift-dialog').close();
    app.feed?.stop();
    api.setToken(r.token);
    startConsole(r.user);
    say(`Shift change: ${r.user.name} at ${r.user.attendant}`);
  } catch (err) {
    $('shift-error').textContent = err.message;
  } finally {
    $('shift-password').value = '';
  }
}

// ----- operations ----------------------------------------------------------------------------

const position = () => app.user?.attendant;
const current = () => (position() ? app.state.currentCall(position()) : undefined);
const enc = encodeURIComponent;

function answer(callId) {
  return act('Answer', () => api.post(`/api/calls/${enc(callId)}/answer`));
}

function answerNext() {
  return act('Answer next', () => api.post('/api/calls/answer-next'));
}

function retrieve(call) {
  const slot = call.state === 'parked' ? call.parkSlot : call.slot;
  if (slot === undefined) return undefined;
  const path = call.state === 'parked' ? `/api/park/${slot}/pickup` : `/api/hold/${slot}/retrieve`;
  return act(call.state === 'parked' ? 'Pick up' : 'Retrieve', () => api.post(path));
}

function monitor(callId) {
  const set = monitorSet(app);
  if (!set) return say('No supervisor set configured (attendants[].supervisor)', 'error');
  const name = app.state.attendants.get(set)?.name ?? set;
  // a login without a position monitors from the configured supervisor set, which rings
  return act(`Monitor: ${name}'s set rings`, () => api.post(`/api/calls/${enc(callId)}/monitor`, { mode: 'listen', ...(app.user.attendant ? {} : { attendant: set }) }));
}

async function setMode(groupId, mode) {
  if (!app.isSupervisor) return;
  const name = app.state.groups.get(groupId)?.name ?? groupId;
  await act(mode ? `${name}: ${mode}` : `${name}: follows the schedule`,
    () => (mode ? api.put(`/api/groups/${enc(groupId)}/override`, { mode }) : api.del(`/api/groups/${enc(groupId)}/override`)));
}

/** the number typed is used: the field is emptied and the keys are the operator's again */
function leaveTarget({ clear }) {
  const field = $('target');
  if (clear) field.value = '';
  app.pendingOp = undefined;
  $('target-hint').textContent = '';
  if (document.activeElement === field) field.blur();
  render();
}

/** a key of the call panel */
async function operate(op) {
  if (op === 'answer-next') return answerNext();
  if (op === 'monitor') {
    const why = monitorReason(app);
    if (why) return say(why, 'error');
    return monitor(monitoredPosition(app).currentCall);
  }
  if (!position()) return say('This login has no position: calls are handled at a position', 'error');
  const call = current();
  const why = keyReason(op, call);
  if (why) return say(why, 'error');
  const target = $('target').value.trim();
  const path = `/api/calls/${enc(call.id)}/${op}`;
  switch (op) {
    case 'transfer':
    case 'consult': {
      if (!target) {
        app.pendingOp = op;
        $('target-hint').textContent = `Enter: ${op}`;
        $('target').focus();
        render();
        return undefined;
      }
      const r = await act(`${op === 'transfer' ? 'Transfer' : 'Consult'} ${target}`, () => api.post(path, { target }));
      // done: the field is emptied and left, so the next keys (P, H, K...) act; refused: it keeps the number to fix
      if (r !== undefined) leaveTarget({ clear: true });
      return r;
    }
    case 'conference': {
      const r = await act('Three-way', () => api.post(path, target ? { target } : {}));
      if (r !== undefined && target) leaveTarget({ clear: true });
      return r;
    }
    case 'hold':
    case 'park': {
      const r = await act(op === 'hold' ? 'Hold' : 'Park', () => api.post(path));
      if (r?.slot !== undefined) say(`${op === 'hold' ? 'Held' : 'Parked'} in slot ${r.slot}`);
      return r;
    }
    case 'hangup':
      return act('Released', () => api.post(path));
    default:
      return act(op[0].toUpperCase() + op.slice(1), () => api.post(path));
  }
}

/** Esc with a call: ask first (Enter releases, Esc keeps talking) */
function askRelease() {
  const call = current();
  if (!call || keyReason('hangup', call)) return;
  $('release-who').textContent = `${call.callerNumber || 'unknown'} ${call.callerName || ''}`.trim();
  const dialog = $('release-dialog');
  dialog.returnValue = '';
  dialog.showModal();
  $('release-confirm').focus();
}

async function positionKey(action, extra = {}) {
  const id = position();
  if (!id) return;
  const me = app.state.attendants.get(id);
  const why = me && (action === 'dnd' ? dndReason(me) : undefined);
  if (why) { say(`Do not disturb: ${why}`, 'error'); return; }
  await act(action === 'dnd' ? `Do not disturb ${extra.on ? 'on' : 'off'}` : `Position ${action}`,
    () => api.put(`/api/attendants/${enc(id)}/state`, { action, ...extra }));
}

// ----- directory -----------------------------------------------------------------------------

let searchTimer = 0;
/** answers of an older search that arrive late are dropped */
let searchSeq = 0;
function directoryRows(entries) {
  return entries.map((e) => h('tr', { class: 'dir-row', dataset: { number: e.number }, onclick: () => { $('target').value = e.number; } },
    h('td', {}, h('div', {}, e.name), h('div', { class: 'muted small' }, [e.department, e.location].filter(Boolean).join(' · '))),
    h('td', { class: 'num' }, h('div', {}, e.number), e.shortCode ? h('div', { class: 'muted small' }, `code ${e.shortCode}`) : null),
    h('td', {}, position() ? h('span', { class: 'row-buttons' },
      h('button', { class: 'btn btn-small', type: 'button', onclick: (ev) => { ev.stopPropagation(); $('target').value = e.number; void operate('transfer'); } }, 'Transfer'),
      h('button', { class: 'btn btn-small', type: 'button', onclick: (ev) => { ev.stopPropagation(); $('target').value = e.number; void operate('consult'); } }, 'Consult')) : null)));
}

/** nothing typed: the whole library by name; otherwise the matches */
function searchDirectory() {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(async () => {
    const q = $('dir-search').value.trim();
    const seq = ++searchSeq;
    try {
      const { entries, total } = await api.get(q ? `/api/directory?q=${enc(q)}&limit=50` : '/api/directory?limit=200');
      if (seq !== searchSeq) return;
      $('dir-hint').textContent = q
        ? `${total} match${total === 1 ? '' : 'es'}${total > entries.length ? `, the first ${entries.length} shown` : ''}`
        : total === 0 ? 'The directory is empty: entries come from directory.entries or directory.file in the configuration'
          : `All ${total} entries by name${total > entries.length ? ` (the first ${entries.length})` : ''}: type a name, number, short code or department to search ( / )`;
      replace($('dir-results'), entries.length === 0 && q
        ? h('tr', {}, h('td', { colspan: '3', class: 'muted' }, `No match for "${q}"`))
        : directoryRows(entries));
    } catch (err) {
      replace($('dir-results'), h('tr', {}, h('td', { colspan: '3', class: 'form-error' }, err.message)));
    }
  }, 180);
}

// ----- views and keys ------------------------------------------------------------------------

function showView(view) {
  app.view = view;
  for (const tab of document.querySelectorAll('.tab')) tab.classList.toggle('active', tab.dataset.view === view);
  $('view-console').hidden = view !== 'console';
  $('view-log').hidden = view !== 'log';
  $('view-stats').hidden = view !== 'stats';
  if (view === 'log') openLog(app);
  if (view === 'stats') openStats(app);
}

const KEY_OPS = { t: 'transfer', c: 'consult', k: 'complete', x: 'cancel', w: 'swap', 3: 'conference', l: 'leave', h: 'hold', p: 'park', m: 'monitor' };
/** what the number field takes; any other printable key leaves it and acts as a shortcut */
const NUMBER_CHAR = /^[0-9*#+]$/;
const EDITING_KEYS = new Set(['Backspace', 'Delete', 'ArrowLeft', 'ArrowRight', 'Home', 'End', 'Tab', 'Shift']);

/** a key pressed in the number field: true when the field keeps it */
function numberFieldKey(ev, field) {
  if (ev.key === 'Escape') { ev.preventDefault(); leaveTarget({ clear: true }); return true; }
  if (ev.key === 'Enter') {
    ev.preventDefault();
    if (app.pendingOp) void operate(app.pendingOp);
    else if (field.value.trim()) say(`${field.value.trim()}: T transfers, C consults, 3 adds to a three-way call`);
    return true;
  }
  if (EDITING_KEYS.has(ev.key) || ev.key.length !== 1 || NUMBER_CHAR.test(ev.key)) return false;
  // a letter or Space: not part of a number; leave the field (keeping the number for T / C / 3) and act
  ev.preventDefault();
  field.blur();
  return false;
}

function onKey(ev) {
  if (!app.user || ev.ctrlKey || ev.metaKey || ev.altKey) return;
  if (document.querySelector('dialog[open]')) return;
  const el = ev.target;
  if (el instanceof HTMLInputElement && el.id === 'target') {
    if (numberFieldKey(ev, el) || !ev.defaultPrevented) return;
  } else if (el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement) {
    if (ev.key === 'Escape') { el.blur(); ev.preventDefault(); }
    return;
  }
  if (app.view !== 'console' && ev.key !== '?') return;
  // Space and Enter on a focused button press that button (keyboard users tab through them)
  if ((ev.key === ' ' || ev.key === 'Enter') && el instanceof Element && el.closest('button, a, summary')) return;
  const key = ev.key.length === 1 ? ev.key.toLowerCase() : ev.key;
  let handled = true;
  if (key === ' ' || key === 'Enter') {
    const why = answerReason(app, current(), app.state.attendants.get(position()));
    if (why) say(why, 'error'); else void answerNext();
  } else if (key === 'End') void operate('hangup');
  else if (key === 'Escape') {
    // never a release by itself: a cancel, then a question
    if (app.pendingOp || $('target').value) leaveTarget({ clear: true });
    else askRelease();
  } else if (KEY_OPS[key]) {
    if (key === 'm' && !app.isSupervisor) handled = false;
    else void operate(KEY_OPS[key]);
  } else if (key === 'r') {
    const held = app.state.slots(position()).find((c) => c.state === 'held');
    if (!position()) say('This login has no position', 'error');
    else if (held) void retrieve(held); else say('No held call', 'error');
  } else if (key === 'n' && app.isSupervisor) {
    const g = app.state.groups.get(app.selectedGroup ?? firstNightGroup());
    if (g) void setMode(g.id, g.mode === 'night' ? 'day' : 'night');
  } else if (key === 'b') void positionKey('back');
  else if (key === 'd') {
    const me = app.state.attendants.get(position());
    if (me) void positionKey('dnd', { on: me.state !== 'dnd' });
  } else if (key === '/') $('dir-search').focus();
  else if (key === '?') $('help-dialog').showModal();
  else handled = false;
  if (handled) ev.preventDefault();
}

// ----- start ---------------------------------------------------------------------------------

function wire() {
  $('login-form').addEventListener('submit', login);
  $('btn-logout').addEventListener('click', () => void logout());
  $('btn-help').addEventListener('click', () => $('help-dialog').showModal());
  $('btn-shift').addEventListener('click', () => { $('shift-error').textContent = ''; $('shift-dialog').showModal(); $('shift-name').focus(); });
  $('shift-cancel').addEventListener('click', () => $('shift-dialog').close());
  $('shift-form').addEventListener('submit', shiftChange);
  $('btn-position-login').addEventListener('click', (ev) => void positionKey(ev.currentTarget.dataset.action ?? 'login'));
  $('btn-back').addEventListener('click', () => void positionKey('back'));
  $('btn-dnd').addEventListener('click', () => {
    const me = app.state.attendants.get(position());
    if (me) void positionKey('dnd', { on: me.state !== 'dnd' });
  });
  for (const tab of document.querySelectorAll('.tab')) tab.addEventListener('click', () => showView(tab.dataset.view));
  for (const key of document.querySelectorAll('#keys .key')) key.addEventListener('click', () => void operate(key.dataset.op));
  $('dir-search').addEventListener('input', searchDirectory);
  // the number field keeps only what a number has (a paste of "201 p" keeps 201)
  $('target').addEventListener('input', (ev) => {
    const f = ev.currentTarget;
    const clean = f.value.replace(/[^0-9*#+]/g, '');
    if (clean !== f.value) f.value = clean;
  });
  $('release-dialog').addEventListener('close', () => {
    if ($('release-dialog').returnValue === 'release') void operate('hangup');
    else say('Still talking');
  });
  document.addEventListener('keydown', onKey);
  // a button clicked with the mouse gives the keyboard back to the shortcuts
  document.addEventListener('click', (ev) => {
    const b = ev.detail > 0 && ev.target instanceof Element ? ev.target.closest('button') : null;
    if (b && !b.closest('dialog') && document.activeElement === b) b.blur();
  });
  setupLog(app);
  setupStats(app);
  setInterval(() => { if (app.user) tick(app); }, 1000);
  api.onUnauthorized = () => showLogin('Your session has ended: log in again.');
  // the controller's links (Asterisk, store) from /healthz: a banner in the console, a note on the login page
  watchLinks((links) => { app.links = links; render(); });
}

async function boot() {
  wire();
  if (api.token) {
    try {
      const { user } = await api.get('/api/session');
      startConsole(user);
      return;
    } catch {
      api.setToken('');
    }
  }
  showLogin();
}

void boot();
