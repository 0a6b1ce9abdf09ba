// Rendering of the console view from the ConsoleState: status, waiting queue, slots, the current
// call, groups, positions and the busy lamp field. Pure DOM building; actions come in as callbacks.
import { $, h, replace } from './dom.js';
import { clock, dateTime, duration, priorityClass } from './format.js';

const LONG_WAIT_MS = 20_000;

const STATE_LABEL = { idle: 'idle', ringing: 'ringing', busy: 'busy', unplugged: 'unplugged', absent: 'absent', dnd: 'dnd' };

function badge(state, text = state) {
  return h('span', { class: `state-badge st-${state}` }, text);
}

/** an element whose text is the time elapsed since `since` (server time), refreshed every second; `prefix` says what it counts */
function since(ms, cls, prefix = '') {
  return h('span', { class: cls, dataset: { since: String(ms), prefix } }, '');
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
  const logoutBlocked = loggedIn ? logoutReason(me) : undefined;
  login.disabled = logoutBlocked !== undefined;
  login.title = logoutBlocked ?? (loggedIn ? 'Log out of your groups: no call is presented to this position' : 'Log in to your groups: calls are presented to this position');
  $('btn-back').hidden = me.state !== 'absent';
  const dnd = $('btn-dnd');
  dnd.classList.toggle('on', me.state === 'dnd');
  const dndBlocked = dndReason(me);
  dnd.disabled = dndBlocked !== undefined;
  dnd.title = dndBlocked ?? (me.state === 'dnd' ? 'Do not disturb is on: D turns it off' : 'Do not disturb (D): no call is presented to this position');
}

/** why the position cannot log out now (undefined: it can) */
export function logoutReason(me) {
  if (me.state === 'busy') return 'Not during a call: release, transfer or park it first';
  if (me.state === 'ringing') return 'Not while a call rings at this position';
  return undefined;
}

/** why do not disturb cannot be switched now */
export function dndReason(me) {
  if (me.state === 'idle' || me.state === 'dnd') return undefined;
  if (me.state === 'unplugged') return 'Log in the position first';
  if (me.state === 'absent') return 'The position is absent: press Back (B) first';
  return `Only when the position is free (now ${me.state})`;
}

export function renderQueue(app, { onAnswer }) {
  const { state } = app;
  const canAnswer = Boolean(app.user.attendant);
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
      class: 'call-row', dataset: { call: c.id }, title: canAnswer ? 'Double-click to answer' : `${c.callerName} · ${groupName}`,
      ondblclick: () => { if (canAnswer) onAnswer(c.id); },
    },
    h('span', { class: `prio ${priorityClass(c.priority)}`, title: `priority ${c.priority}` }),
    h('span', { class: 'call-number' }, c.callerNumber || 'unknown'),
    since(c.arrivedAt, 'call-wait'),
    h('span', { class: 'call-sub' }, c.callerName || '—', ' · ', groupName),
    h('span', { class: 'call-tags' }, ringingAt
      ? h('span', { class: 'tag ringing', title: `${c.className ?? c.callClass}: ringing at ${ringingAt}` }, `rings ${ringingAt}`)
      : h('span', { class: 'tag' }, c.className ?? c.callClass),
    canAnswer ? h('button', { class: 'btn btn-small answer', type: 'button', onclick: (ev) => { ev.stopPropagation(); onAnswer(c.id); } }, 'Answer') : null));
  }));
}

export function renderSlots(app, { onRetrieve }) {
  const { state, user } = app;
  const slots = state.slots(user.attendant);
  $('slot-empty').hidden = slots.length > 0;
  replace($('slot-list'), slots.map((c) => h('li', { class: 'slot-row', dataset: { call: c.id } },
    h('span', { class: 'slot-no', title: c.state === 'parked' ? `park slot ${slotOf(c)}` : `hold slot ${slotOf(c)} of this position` }, slotOf(c) !== undefined ? `${c.state === 'parked' ? 'P' : 'H'}${slotOf(c)}` : '·'),
    h('span', { class: 'slot-number' }, c.callerNumber || 'unknown'),
    since(c.heldAt ?? c.answeredAt ?? c.arrivedAt, 'slot-time', c.state === 'parked' ? 'parked ' : 'held '),
    h('span', { class: 'slot-name' }, c.callerName || '—'),
    h('button', { class: 'btn btn-small', type: 'button', disabled: slotOf(c) === undefined || !user.attendant, title: user.attendant ? '' : 'Only a position takes a call back', onclick: () => onRetrieve(c) }, c.state === 'parked' ? 'Pick up' : 'Retrieve'))));
}

/** a parked call's shared slot, or a held call's slot at its position */
function slotOf(c) {
  return c.state === 'parked' ? c.parkSlot : c.slot;
}

/** the consultation or three-way going on, as the operator reads it; a call an operation could not put back says so */
function thirdParty(call) {
  if (call.attention) return ` · needs attention: ${call.attention}`;
  if (!call.consultTarget) return '';
  if (call.state === 'conference') return ` · three-way with ${call.consultTarget}`;
  const answered = call.consultAnswered ? '' : ' (ringing)';
  if (call.callerGone) return ` · caller gone, talking with ${call.consultTarget}`;
  return call.talkingTo === 'caller' ? ` · ${call.consultTarget}${answered} on hold` : ` · consulting ${call.consultTarget}${answered}, caller on hold`;
}

/** why a key of the call panel does nothing for the call in its state (undefined: it applies) */
export function keyReason(op, call) {
  if (!call) return 'No current call';
  const answered = call.consultAnswered === true && !call.callerGone;
  switch (op) {
    case 'transfer': case 'consult': case 'hold': case 'park':
      return call.state === 'talking' ? undefined : `Only while talking with one party (the call is ${call.state})`;
    case 'complete': return call.state === 'consulting' && !call.callerGone && !call.joinOnAnswer ? undefined : 'Only during a consultation (C)';
    case 'cancel': return call.state === 'consulting' || call.state === 'conference' ? undefined : 'Only during a consultation or a three-way call';
    case 'swap': return call.state === 'consulting' && answered ? undefined : 'Only once the consulted party has answered';
    case 'conference': return call.state === 'talking' || (call.state === 'consulting' && answered) ? undefined : 'Only while talking, or once the consulted party has answered';
    case 'leave': return call.state === 'conference' && !call.callerGone ? undefined : 'Only in a three-way call';
    case 'hangup': return ['talking', 'consulting', 'conference'].includes(call.state) ? undefined : `Not while the call is ${call.state}`;
    default: return undefined;
  }
}

/** why the Answer key does nothing now */
export function answerReason(app, call, me) {
  if (!app.user.attendant) return 'This login has no position: calls are answered at a position';
  if (!me || me.loggedInAt === undefined) return 'Log in the position first';
  if (call) return 'Already on a call';
  if (app.state.waiting().length === 0) return 'No call waiting';
  return undefined;
}

/** the set a supervisor monitors from: their position, else the first configured supervisor set */
export function monitorSet(app) {
  if (app.user.attendant) return app.user.attendant;
  return [...app.state.attendants.values()].find((a) => a.supervisor)?.id;
}

/** the position Monitor watches: the one selected, else the first other position on a call */
export function monitoredPosition(app) {
  if (app.selectedPosition) return app.state.attendants.get(app.selectedPosition);
  return [...app.state.attendants.values()].find((a) => a.currentCall && a.id !== app.user.attendant && a.state === 'busy');
}

/** why Monitor does nothing now */
export function monitorReason(app) {
  if (!monitorSet(app)) return 'No supervisor set configured (attendants[].supervisor)';
  const sel = monitoredPosition(app);
  if (!sel) return 'No position on a call to monitor';
  if (!sel.currentCall) return `${sel.name} has no call`;
  return undefined;
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
    $('current-name').textContent = !user.attendant ? 'No position: you supervise (select a position on a call, M monitors it)'
      : me && me.loggedInAt === undefined ? 'Position logged out: Log in position (top) or *50 on the set' : '';
    $('current-meta').textContent = '';
  } else {
    st.className = `state-badge st-${call.state}`;
    st.textContent = call.state;
    timer.dataset.since = String(call.answeredAt ?? call.presentedAt ?? call.arrivedAt);
    timer.dataset.prefix = call.answeredAt ? 'talk ' : 'ringing ';
    $('current-number').textContent = call.callerNumber || 'unknown';
    $('current-name').textContent = call.callerName || '';
    const group = state.groups.get(call.group)?.name ?? call.group;
    $('current-meta').textContent = `${call.className ?? call.callClass} · ${group} · dialled ${call.target || '—'} · arrived ${clock(call.arrivedAt)}${thirdParty(call)}`;
  }
  document.querySelector('.target-row').hidden = !user.attendant;
  for (const key of document.querySelectorAll('#keys .key')) {
    const op = key.dataset.op;
    // without a position nothing is answered or handled here: those keys are not offered
    key.hidden = (key.dataset.needs === 'position' && !user.attendant) || (op === 'monitor' && !app.isSupervisor);
    const reason = op === 'answer-next' ? answerReason(app, call, me) : op === 'monitor' ? monitorReason(app) : keyReason(op, call);
    key.disabled = reason !== undefined;
    key.title = reason ?? '';
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
  $('sb-operator').textContent = `${user.name} (${user.role})${user.attendant ? ` at ${user.attendant}` : ' · no position'}`;
  $('sb-counts').textContent = `waiting ${waiting} · in progress ${active}`;
  $('sb-link').textContent = `console: ${link} · ${app.links ? `Asterisk: ${app.links.ari} · store: ${app.links.store}` : 'links: …'}`;
  $('sb-seq').textContent = `event #${state.seq}`;
}

/** every second: waiting times, the call timer, the clock */
export function tick(app) {
  const now = app.state.now();
  for (const el of document.querySelectorAll('[data-since]')) {
    const t = Number(el.dataset.since);
    if (!el.dataset.since || !Number.isFinite(t)) continue;
    el.textContent = `${el.dataset.prefix ?? ''}${duration(now - t)}`;
    if (el.classList.contains('call-wait')) el.classList.toggle('long', now - t >= LONG_WAIT_MS);
  }
  $('clock').textContent = clock(now);
  $('sb-date').textContent = dateTime(now);
}
