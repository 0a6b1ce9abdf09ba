// Rendering of the console view from the ConsoleState: status, waiting queue, slots, the current
// call, groups, positions and the busy lamp field. Pure DOM building; actions come in as callbacks.
import { $, h, replace } from './dom.js';
import { clock, dateTime, duration, priorityClass } from './format.js';

const LONG_WAIT_MS = 20_000;

const STATE_LABEL = { idle: 'idle', ringing: 'ringing', busy: 'busy', unplugged: 'unplugged', absent: 'absent', dnd: 'dnd' };

function badge(state, text = state) {
  return h('span', { class: `state-badge st-${state}` }, text);
}

/** an element whose text is the time elapsed since `since` (server time), refreshed every second */
function since(ms, cls) {
  return h('span', { class: cls, dataset: { since: String(ms) } }, '');
}

export function renderPosition(app) {
  const { state, user } = app;
  const me = user.attendant ? state.attendants.get(user.attendant) : undefined;
  $('position').hidden = !user.attendant;
  if (!me) return;
  replace($('position-name'), `${me.id} · ${me.name}`);
  const st = $('position-state');
  st.className = `state-badge st-${me.state}`;
  st.textContent = me.offline ? 'offline' : STATE_LABEL[me.state] ?? me.state;
  const loggedIn = me.loggedInAt !== undefined;
  const login = $('btn-position-login');
  login.textContent = loggedIn ? 'Log out position' : 'Log in position';
  login.dataset.action = loggedIn ? 'logout' : 'login';
  login.disabled = loggedIn && (me.state === 'busy' || me.state === 'ringing');
  $('btn-back').hidden = me.state !== 'absent';
  const dnd = $('btn-dnd');
  dnd.classList.toggle('on', me.state === 'dnd');
  dnd.disabled = !(me.state === 'idle' || me.state === 'dnd');
}

export function renderQueue(app, { onAnswer }) {
  const { state } = app;
  const calls = state.waiting();
  const list = $('queue-list');
  $('queue-empty').hidden = calls.length > 0;
  const count = $('queue-count');
  count.textContent = String(calls.length);
  count.classList.toggle('hot', calls.length > 0);
  replace(list, calls.map((c) => {
    const groupName = state.groups.get(c.group)?.name ?? c.group;
    const ringingAt = c.state === 'ringing' && c.attendant ? (state.attendants.get(c.attendant)?.name ?? c.attendant) : undefined;
    return h('li', {
      class: 'call-row', dataset: { call: c.id }, title: 'Double-click to answer',
      ondblclick: () => onAnswer(c.id),
    },
    h('span', { class: `prio ${priorityClass(c.priority)}`, title: `priority ${c.priority}` }),
    h('span', { class: 'call-number' }, c.callerNumber || 'unknown'),
    since(c.arrivedAt, 'call-wait'),
    h('button', { class: 'btn answer', type: 'button', onclick: (ev) => { ev.stopPropagation(); onAnswer(c.id); } }, 'Answer'),
    h('span', { class: 'call-sub', title: `${c.callerName} · ${c.className ?? c.callClass} · ${groupName}` }, c.callerName || '—', ' · ', groupName),
    h('span', { class: 'call-tags' }, ringingAt
      ? h('span', { class: 'tag ringing', title: `${c.className ?? c.callClass}: ringing at ${ringingAt}` }, `rings ${ringingAt}`)
      : h('span', { class: 'tag' }, c.className ?? c.callClass)));
  }));
}

export function renderSlots(app, { onRetrieve }) {
  const { state, user } = app;
  const slots = state.slots(user.attendant);
  $('slot-empty').hidden = slots.length > 0;
  replace($('slot-list'), slots.map((c) => h('li', { class: 'slot-row', dataset: { call: c.id } },
    h('span', { class: 'slot-no' }, slotOf(c) !== undefined ? `${c.state === 'parked' ? 'P' : ''}${slotOf(c)}` : '·'),
    badge(c.state),
    h('span', { class: 'grow' }, `${c.callerNumber} ${c.callerName ?? ''}`),
    since(c.answeredAt ?? c.arrivedAt, 'muted'),
    h('button', { class: 'btn btn-small', type: 'button', disabled: slotOf(c) === undefined, onclick: () => onRetrieve(c) }, c.state === 'parked' ? 'Pick up' : 'Retrieve'))));
}

/** a parked call's shared slot, or a held call's slot at its position */
function slotOf(c) {
  return c.state === 'parked' ? c.parkSlot : c.slot;
}

/** the consultation or three-way going on, as the operator reads it */
function thirdParty(call) {
  if (!call.consultTarget) return '';
  if (call.state === 'conference') return ` · three-way with ${call.consultTarget}`;
  const answered = call.consultAnswered ? '' : ' (ringing)';
  if (call.callerGone) return ` · caller gone, talking with ${call.consultTarget}`;
  return call.talkingTo === 'caller' ? ` · ${call.consultTarget}${answered} on hold` : ` · consulting ${call.consultTarget}${answered}, caller on hold`;
}

/** whether a key of the call panel does anything for the call in its state */
function keyApplies(op, call) {
  switch (op) {
    case 'transfer': case 'consult': case 'hold': case 'park': return call.state === 'talking';
    case 'complete': return call.state === 'consulting' && !call.callerGone && !call.joinOnAnswer;
    case 'cancel': return call.state === 'consulting' || call.state === 'conference';
    case 'swap': return call.state === 'consulting' && call.consultAnswered === true && !call.callerGone;
    case 'conference': return call.state === 'talking' || (call.state === 'consulting' && call.consultAnswered === true && !call.callerGone);
    case 'leave': return call.state === 'conference' && !call.callerGone;
    case 'hangup': return ['talking', 'consulting', 'conference'].includes(call.state);
    default: return true;
  }
}

export function renderCurrent(app) {
  const { state, user } = app;
  const call = user.attendant ? state.currentCall(user.attendant) : undefined;
  const me = user.attendant ? state.attendants.get(user.attendant) : undefined;
  const body = $('current-body');
  body.className = `current-body ${call ? call.state : 'idle'}`;
  const st = $('current-state');
  const timer = $('current-timer');
  if (!call) {
    st.className = 'state-badge';
    st.textContent = 'no call';
    timer.dataset.since = '';
    timer.textContent = '';
    $('current-number').textContent = '—';
    $('current-name').textContent = me && me.loggedInAt === undefined ? 'Position logged out' : '';
    $('current-meta').textContent = '';
  } else {
    st.className = `state-badge st-${call.state}`;
    st.textContent = call.state;
    timer.dataset.since = String(call.answeredAt ?? call.presentedAt ?? call.arrivedAt);
    $('current-number').textContent = call.callerNumber || 'unknown';
    $('current-name').textContent = call.callerName || '';
    const group = state.groups.get(call.group)?.name ?? call.group;
    $('current-meta').textContent = `${call.className ?? call.callClass} · ${group} · dialled ${call.target || '—'} · arrived ${clock(call.arrivedAt)}${thirdParty(call)}`;
  }
  const hasCall = Boolean(call);
  const loggedIn = me?.loggedInAt !== undefined;
  for (const key of document.querySelectorAll('#keys .key')) {
    const op = key.dataset.op;
    if (op === 'answer-next') key.disabled = !loggedIn || hasCall || state.waiting().length === 0;
    else if (op === 'monitor') {
      key.hidden = !app.isSupervisor;
      key.disabled = !app.selectedPosition || !state.attendants.get(app.selectedPosition)?.currentCall;
    } else key.disabled = !hasCall || !keyApplies(op, call);
    key.classList.toggle('armed', app.pendingOp === op);
  }
}

export function renderGroups(app, { onMode, onSelect }) {
  const { state } = app;
  replace($('group-list'), [...state.groups.values()].map((g) => {
    const buttons = app.isSupervisor
      ? h('div', { class: 'mode-buttons' },
        ['day', 'night', 'mode1', 'mode2'].map((m) => h('button', {
          class: `btn${g.override === m ? ' current' : ''}`, type: 'button', dataset: { mode: m },
          disabled: !g.modes.includes(m), title: `force ${m}`,
          onclick: (ev) => { ev.stopPropagation(); onMode(g.id, m); },
        }, m === 'mode1' ? 'M1' : m === 'mode2' ? 'M2' : m[0].toUpperCase() + m.slice(1))),
        h('button', { class: `btn${g.override === undefined ? ' current' : ''}`, type: 'button', dataset: { mode: 'auto' }, title: 'follow the schedule', onclick: (ev) => { ev.stopPropagation(); onMode(g.id, undefined); } }, 'Auto'))
      : null;
    return h('div', { class: `group-card${app.selectedGroup === g.id ? ' selected' : ''}`, dataset: { group: g.id }, onclick: () => onSelect(g.id) },
      h('div', { class: 'group-head' },
        h('span', { class: 'name' }, g.name),
        h('span', { class: `mode-badge mode-${g.mode}`, dataset: { role: 'mode' } }, g.mode),
        g.override !== undefined ? h('span', { class: 'override-mark', title: 'forced by a supervisor' }, 'forced') : null,
        badge(g.state === 'in-service' ? 'idle' : g.state === 'absent' ? 'absent' : 'unplugged', g.state),
        h('span', { class: `count${g.queue.length ? ' hot' : ''}`, title: 'waiting' }, String(g.queue.length))),
      buttons);
  }));
}

export function renderAttendants(app, { onSelect, onMonitor }) {
  const { state, user } = app;
  replace($('attendant-list'), [...state.attendants.values()].map((a) => {
    const call = a.currentCall ? state.calls.get(a.currentCall) : undefined;
    const mine = a.id === user.attendant;
    return h('li', {
      class: `attendant-row${mine ? ' me' : ''}${app.selectedPosition === a.id ? ' selected' : ''}`, dataset: { attendant: a.id },
      onclick: () => onSelect(a.id),
    },
    h('span', {}, h('strong', {}, a.id), ` ${a.name}`, a.loginUser ? h('span', { class: 'muted' }, ` (${a.loginUser})`) : null),
    h('span', {}, badge(a.state, a.offline ? 'offline' : a.state)),
    h('span', { class: 'sub' },
      call ? `${call.state} ${call.callerNumber} ` : a.reason,
      call && app.isSupervisor && !mine ? h('button', { class: 'btn btn-small', type: 'button', onclick: (ev) => { ev.stopPropagation(); onMonitor(call.id); } }, 'Monitor') : null));
  }));
}

export function renderBlf(app, { onLamp }) {
  const { state } = app;
  const sup = state.supervision;
  $('blf-source').textContent = sup.source === 'none' ? '(no live feed)' : sup.connected ? '' : '(feed down: last known)';
  const ext = sup.extensions.map((e) => h('div', { class: `lamp s-${e.state}`, title: `${e.name} (${e.number}): ${e.state}`, dataset: { number: e.number }, onclick: () => onLamp(e.number) },
    h('div', { class: 'n' }, e.number), h('div', { class: 'l' }, e.name)));
  const trunks = sup.trunks.map((t) => h('div', { class: `lamp trunk s-${t.state}`, title: `trunk ${t.name}: ${t.state}` },
    h('div', { class: 'n' }, t.name), h('div', { class: 'l' }, t.state)));
  const positions = [...state.attendants.values()].filter((a) => a.extension).map((a) => h('div', { class: `lamp s-${a.deviceState}`, title: `${a.name}: ${a.state}`, dataset: { number: a.extension }, onclick: () => onLamp(a.extension) },
    h('div', { class: 'n' }, a.extension), h('div', { class: 'l' }, a.name)));
  replace($('blf-grid'), ext, positions, trunks);
}

export function renderStatus(app, link) {
  const { state, user } = app;
  const waiting = state.waiting().length;
  const active = [...state.calls.values()].filter((c) => c.state !== 'waiting' && c.state !== 'ringing').length;
  $('sb-operator').textContent = `${user.name} (${user.role})${user.attendant ? ` at ${user.attendant}` : ''}`;
  $('sb-counts').textContent = `waiting ${waiting} · in progress ${active}`;
  $('sb-link').textContent = `link: ${link}`;
  $('sb-seq').textContent = `event #${state.seq}`;
}

/** every second: waiting times, the call timer, the clock */
export function tick(app) {
  const now = app.state.now();
  for (const el of document.querySelectorAll('[data-since]')) {
    const t = Number(el.dataset.since);
    if (!el.dataset.since || !Number.isFinite(t)) continue;
    el.textContent = duration(now - t);
    if (el.classList.contains('call-wait')) el.classList.toggle('long', now - t >= LONG_WAIT_MS);
  }
  $('clock').textContent = clock(now);
  $('sb-date').textContent = dateTime(now);
}
