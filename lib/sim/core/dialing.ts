// Originate: create the outgoing leg, dial it according to the endpoint's scripted behaviour, and
// hand it to the Stasis app once answered (Dial "", [Ringing, Dial RINGING], Up, Dial ANSWER,
// STASISSTATUS, StasisStart). Never answered within `timeout`: ChannelDestroyed 19, no StasisStart.
import type { Behaviour } from '../types.ts';
import { CAUSE, causeToSip } from './causes.ts';
import { addChannel, destroyChannel, emitDial, emitPhoneDial, hangupRequest, setVar, updateChannel } from './channel-state.ts';
import type { DialInfo, Party, SimChannel } from './channel.ts';
import type { SimCore } from './core.ts';
import { SimEndpoint } from './endpoint.ts';
import { AriError, allocationFailed } from './errors.ts';
import { phoneHangup, teardown } from './hangup.ts';
import { enterStasis, splitArgs } from './stasis.ts';

export interface OriginateRequest {
  endpoint?: string;
  app?: string;
  appArgs?: string;
  extension?: string;
  context?: string;
  priority?: number;
  callerId?: string;
  /** seconds; absent or 0 → 30, -1 → no timeout */
  timeout?: number;
  variables?: Record<string, { value: string; report: boolean }>;
  channelId?: string;
  otherChannelId?: string;
}

const MAX_UNIQUEID = 150;

/** ast_callerid_parse, enough for `"Name" <number>`, `<number>`, `number` and `name` */
export function parseCallerId(text: string): Party {
  const m = /^\s*"?([^"<]*?)"?\s*<([^>]*)>\s*$/.exec(text);
  if (m) return { name: (m[1] ?? '').trim(), number: (m[2] ?? '').trim() };
  return /^[0-9+*#()\- .]+$/.test(text.trim()) ? { name: '', number: text.trim().replace(/[()\- .]/g, '') } : { name: text.trim(), number: '' };
}

export function originate(core: SimCore, req: OriginateRequest): SimChannel {
  for (const id of [req.channelId, req.otherChannelId]) {
    if (id !== undefined && id.length > MAX_UNIQUEID) throw new AriError(400, `Uniqueid length exceeds maximum of ${MAX_UNIQUEID}`);
  }
  if (!req.endpoint) throw new AriError(400, 'Endpoint must be specified');
  const slash = req.endpoint.indexOf('/');
  if (slash <= 0 || slash === req.endpoint.length - 1) throw new AriError(400, 'Invalid endpoint specified');
  if (!req.app && !req.extension) throw new AriError(400, 'Application or extension must be specified');
  for (const id of [req.channelId, req.otherChannelId]) {
    if (id !== undefined && core.channels.has(id)) throw new AriError(409, 'Channel with given unique ID already exists');
  }
  const tech = req.endpoint.slice(0, slash);
  const resource = req.endpoint.slice(slash + 1);
  const ep = core.endpoints.get(`${tech}/${resource}`) ?? (tech === 'Local' ? throughDialplan(core, resource) : undefined);
  // chan_pjsip cannot build a session to an unknown endpoint or one without a contact: ast_dial_prerun fails
  if (!ep || (tech === 'PJSIP' && !ep.online)) throw allocationFailed();

  const dial: DialInfo = {
    ...(req.app ? { app: req.app } : {}),
    appArgs: splitArgs(req.appArgs),
    ...(req.app ? {} : { context: req.context || 'default', extension: req.extension, priority: req.priority || 1 }),
    dialstring: resource,
  };
  const ch = tech === 'Local' ? createLocalPair(core, ep, req) : createPjsipLeg(core, ep, req);
  ch.dial = dial;
  ch.originated = true;

  if (req.callerId) {
    const party = parseCallerId(req.callerId);
    ch.caller = { ...party };
    ch.connected = { ...party };
  }
  for (const [name, v] of Object.entries(req.variables ?? {})) {
    if (name.endsWith(')')) ch.functions.set(name, v.value);
    else ch.vars.set(name, v.value);
    if (v.report) ch.reported.add(name);
  }
  // the app hears the leg from now on (both halves of a Local pair)
  if (req.app) {
    core.apps.subscribe(req.app, 'channels', ch.id);
    if (ch.localPeer) core.apps.subscribe(req.app, 'channels', ch.localPeer.id);
  }
  // the half that runs the site's dialplan calls out with the same identity
  const two = ch.localPeer;
  if (two && ep.viaDialplan && req.callerId) {
    const party = { ...ch.caller };
    updateChannel(core, two, () => { two.caller = { ...party }; two.connected = { ...party }; });
  }
  // resource_channels.c: a positive timeout, -1 for none, anything else means 30 s
  const timeout = req.timeout !== undefined && (req.timeout > 0 || req.timeout === -1) ? req.timeout : 30;
  core.originateLog.push({
    channelId: ch.id, endpoint: req.endpoint, ...(req.app ? { app: req.app } : {}), appArgs: dial.appArgs,
    ...(req.callerId ? { callerId: req.callerId } : {}), timeout, at: core.now(),
  });
  if (timeout > 0) dial.timer = core.scheduler.after(timeout * 1000, () => noAnswer(core, ch));
  core.scheduler.soon(() => (ep.viaDialplan ? dialThroughDialplan(core, ch, ep.target) : startDialing(core, ch, ep.behaviour)));
  return ch;
}

/**
 * Local/<number>@<context> with no stand-in of its own: the site's dialplan rings the endpoint behind the
 * number (Dial in [attendant-site]), so the pair behaves as that phone does; a number the site does not
 * have hangs up at once with cause 1, as [attendant-dial]'s Hangup(1) does on Asterisk.
 */
function throughDialplan(core: SimCore, resource: string): SimEndpoint {
  const at = resource.indexOf('@');
  const exten = at >= 0 ? resource.slice(0, at) : resource;
  const context = at >= 0 ? resource.slice(at + 1) : 'default';
  const target = core.endpoints.get(core.extensions.get(exten) ?? `PJSIP/${exten}`);
  const ep = new SimEndpoint(`Local/${resource}`, target?.behaviour ?? UNALLOCATED, context);
  ep.viaDialplan = true;
  ep.target = target;
  return ep;
}

/** the behaviour of a number the dialplan does not have */
const UNALLOCATED = { kind: 'unallocated' } as const;

function createPjsipLeg(core: SimCore, ep: SimEndpoint, req: OriginateRequest): SimChannel {
  return addChannel(core, {
    ...(req.channelId ? { id: req.channelId } : {}),
    name: `PJSIP/${ep.resource}-${core.ids.suffix('PJSIP')}`,
    driver: 'PJSIP',
    state: 'Down',
    protocolId: core.rng.uuid(),
    endpoint: ep.name,
    dialplan: { context: ep.context, exten: 's', priority: 1, app_name: 'AppDial2', app_data: '(Outgoing Line)' },
  });
}

/** Local/exten@context: ;1 is the dialled leg, ;2 runs the dialplan (our scripted stand-in) */
function createLocalPair(core: SimCore, ep: SimEndpoint, req: OriginateRequest): SimChannel {
  const at = ep.resource.indexOf('@');
  const exten = at >= 0 ? ep.resource.slice(0, at) : ep.resource;
  const context = at >= 0 ? ep.resource.slice(at + 1) : 'default';
  const base = `Local/${ep.resource}-${core.ids.suffix('Local')}`;
  const one = addChannel(core, {
    ...(req.channelId ? { id: req.channelId } : {}),
    name: `${base};1`, driver: 'Local', state: 'Down', protocolId: '',
    dialplan: { context, exten, priority: 1, app_name: 'AppDial2', app_data: '(Outgoing Line)' },
  });
  // Asterisk names the ;2 half `<id>;2` when only the ;1 id is given
  const two = addChannel(core, {
    ...(req.otherChannelId ? { id: req.otherChannelId } : req.channelId ? { id: `${req.channelId};2` } : {}),
    name: `${base};2`, driver: 'Local', state: 'Ring', protocolId: '',
    dialplan: { context, exten, priority: 1, app_name: '', app_data: '' },
  });
  one.localPeer = two;
  two.localPeer = one;
  return one;
}

function runLocalApp(core: SimCore, two: SimChannel | undefined, priority: number, app: string, data: string): void {
  if (!two || two.hungUp) return;
  updateChannel(core, two, () => { two.dialplan = { ...two.dialplan, priority, app_name: app, app_data: data }; });
}

function startDialing(core: SimCore, ch: SimChannel, behaviour: Behaviour): void {
  if (ch.hungUp) return;
  emitDial(core, ch, '');
  const two = ch.localPeer;
  switch (behaviour.kind) {
    case 'offline':
      // only reachable for Local: the dialplan's Dial() finds no contact
      runLocalApp(core, two, 1, 'Dial', `PJSIP/${ch.dial?.dialstring ?? ''}`);
      failLeg(core, ch, CAUSE.subscriberAbsent, 'CHANUNAVAIL');
      return;
    case 'busy':
      runLocalApp(core, two, 1, 'Busy', '');
      failLeg(core, ch, CAUSE.busy, 'BUSY');
      return;
    case 'unallocated':
      runLocalApp(core, two, 3, 'Hangup', '1');
      failLeg(core, ch, CAUSE.unallocated, 'NOANSWER');
      return;
    case 'answer': {
      if (behaviour.ring !== false) ring(core, ch);
      scheduleAnswer(core, ch, behaviour.afterMs ?? 0);
      return;
    }
    case 'random':
      ring(core, ch);
      scheduleAnswer(core, ch, core.rng.int(behaviour.minMs, Math.max(behaviour.minMs, behaviour.maxMs)));
      return;
    case 'hangupAfter':
      ring(core, ch);
      scheduleAnswer(core, ch, behaviour.answerAfterMs, behaviour.hangupAfterMs);
      return;
    case 'ring':
    case 'manual':
      ring(core, ch);
      runLocalApp(core, two, 2, 'Wait', '600');
      return;
  }
}

/** 180 Ringing: the leg goes Ringing and the dial reports RINGING */
function ring(core: SimCore, ch: SimChannel): void {
  runLocalApp(core, ch.localPeer, 1, 'Ringing', '');
  updateChannel(core, ch, () => { ch.state = 'Ringing'; });
  emitDial(core, ch, 'RINGING');
  core.probe?.ringing(ch.id);
}

function scheduleAnswer(core: SimCore, ch: SimChannel, afterMs: number, hangupAfterMs?: number): void {
  const dial = ch.dial;
  if (!dial) return;
  dial.answerTimer = core.scheduler.after(afterMs, () => {
    answerLeg(core, ch);
    if (hangupAfterMs !== undefined && !ch.hungUp) {
      ch.phoneTimer = core.scheduler.after(hangupAfterMs, () => phoneHangup(core, ch, { cause: CAUSE.normal }));
    }
  });
}

/** 200 OK from the phone (or the Local dialplan answered): Up, Dial ANSWER, then Stasis or the dialplan */
export function answerLeg(core: SimCore, ch: SimChannel): void {
  if (ch.hungUp || ch.state === 'Up') return;
  if (ch.dialledBy) {
    phoneAnswered(core, ch);
    return;
  }
  const dial = ch.dial;
  dial?.timer?.cancel();
  dial?.answerTimer?.cancel();
  const two = ch.localPeer;
  if (two && !two.hungUp) {
    runLocalApp(core, two, two.dialplan.priority + 1, 'Answer', '');
    updateChannel(core, two, () => { two.state = 'Up'; two.answered = true; });
  }
  updateChannel(core, ch, () => { ch.state = 'Up'; });
  ch.answered = true;
  emitDial(core, ch, 'ANSWER');
  if (two) runLocalApp(core, two, two.dialplan.priority + 1, 'Wait', '600');
  if (!dial) return;
  if (dial.app) {
    if (!enterStasis(core, ch, dial.app, dial.appArgs)) {
      // ari_originate_dial: Stasis() failed, the dial is destroyed and hangs the answered leg up
      ch.hangupCause = CAUSE.normal;
      teardown(core, ch);
    }
    return;
  }
  core.continuedLog.push({
    channelId: ch.id, name: ch.name, how: 'dialplan-originate',
    ...(dial.context ? { context: dial.context } : {}), ...(dial.extension ? { extension: dial.extension } : {}),
    ...(dial.priority ? { priority: dial.priority } : {}), at: core.now(),
  });
  updateChannel(core, ch, () => {
    ch.dialplan = { context: dial.context ?? 'default', exten: dial.extension ?? 's', priority: dial.priority ?? 1, app_name: '', app_data: '' };
  });
}

/**
 * The dial timed out: dial.c hangs the leg up directly with cause 19 (no hangup request on it).
 * A Local pair's dialplan half sees the hangup queued to it, then its PBX is told to stop.
 */
function noAnswer(core: SimCore, ch: SimChannel): void {
  if (ch.hungUp || ch.state === 'Up') return;
  ch.dial?.answerTimer?.cancel();
  const two = ch.localPeer;
  ch.hangupCause = CAUSE.noAnswer;
  if (two?.dialled) cancelDialled(core, two);
  if (two && !two.hungUp) {
    two.hangupCause = CAUSE.noAnswer;
    hangupRequest(core, two, { cause: CAUSE.noAnswer });
    hangupRequest(core, two, { cause: 16, soft: true });
  }
  ch.hungUp = true;
  destroyChannel(core, ch);
  if (two && !two.hungUp) {
    two.hungUp = true;
    two.dialplan = { ...two.dialplan, app_name: '', app_data: '' };
    destroyChannel(core, two);
  }
}

/**
 * The far end refused (busy, reject, unreachable): the hangup request carries the cause and the
 * SIP status, the dial reports its status where dial.c has one, then the leg is destroyed.
 */
export function failLeg(core: SimCore, ch: SimChannel, cause: number, dialstatus: string | undefined): void {
  if (ch.hungUp) return;
  if (ch.dialledBy) {
    phoneRefused(core, ch, cause, dialstatus);
    return;
  }
  ch.dial?.timer?.cancel();
  ch.dial?.answerTimer?.cancel();
  const sip = ch.driver === 'PJSIP' ? causeToSip(cause) : 0;
  hangupRequest(core, ch, sip ? { cause, tech_cause: sip } : { cause });
  if (dialstatus) emitDial(core, ch, dialstatus);
  ch.hangupCause = cause;
  teardown(core, ch);
}

// ---- a Local pair through the site's dialplan: its ;2 half Dial()s the phone behind the number ----------
// What the app sees (fixture session-2.jsonl, scenario 15; the busy, unallocated and unanswered cases as
// Asterisk 23.4.1 shows them on the project's dialplan): the phone's channel only as the peer of the
// Dial events its ;2 caller makes; ;2 learns the phone as connected line when it rings, ;1 takes the
// phone's identity as its caller id then; on the answer ;2 is bridged with the phone (BRIDGEPEER,
// BRIDGEPVTCALLID) and ;1 enters Stasis. The dialplan applications ;2 runs are the site's own and are
// not played (the conformance suite does not compare them).

function dialThroughDialplan(core: SimCore, one: SimChannel, target: SimEndpoint | undefined): void {
  if (one.hungUp) return;
  const two = one.localPeer;
  emitDial(core, one, '');
  if (!two || !target) {
    // [attendant-dial]: a number the site does not have is hung up with cause 1
    runLocalApp(core, two, 3, 'Hangup', '1');
    failLeg(core, one, CAUSE.unallocated, 'NOANSWER');
    return;
  }
  runLocalApp(core, two, 2, 'Dial', target.name);
  if (!target.online) {
    failLeg(core, one, CAUSE.subscriberAbsent, 'CHANUNAVAIL');
    return;
  }
  const phone = addChannel(core, {
    name: `${target.name}-${core.ids.suffix(target.technology)}`, driver: 'PJSIP', state: 'Down', protocolId: core.rng.uuid(),
    endpoint: target.name, caller: { ...one.caller }, dialplan: { context: target.context, exten: 's', priority: 1, app_name: 'AppDial', app_data: '(Outgoing Line)' },
  });
  phone.originated = true;
  phone.dial = { appArgs: [], dialstring: target.resource };
  phone.dialledBy = two;
  two.dialled = phone;
  emitPhoneDial(core, phone, '');
  const behaviour = target.behaviour;
  switch (behaviour.kind) {
    case 'busy':
      phoneRefused(core, phone, CAUSE.busy, 'BUSY');
      return;
    case 'answer':
      if (behaviour.ring !== false) phoneRings(core, phone);
      scheduleAnswer(core, phone, behaviour.afterMs ?? 0);
      return;
    case 'random':
      phoneRings(core, phone);
      scheduleAnswer(core, phone, core.rng.int(behaviour.minMs, Math.max(behaviour.minMs, behaviour.maxMs)));
      return;
    case 'hangupAfter':
      phoneRings(core, phone);
      scheduleAnswer(core, phone, behaviour.answerAfterMs, behaviour.hangupAfterMs);
      return;
    default:
      phoneRings(core, phone);
  }
}

/** the phone's identity as a caller id: the number it was rung at */
function phoneParty(phone: SimChannel): { name: string; number: string } {
  return { name: '', number: phone.dialledBy?.localPeer?.dialplan.exten ?? phone.dial?.dialstring ?? '' };
}

function phoneRings(core: SimCore, phone: SimChannel): void {
  const two = phone.dialledBy;
  const one = two?.localPeer;
  updateChannel(core, phone, () => { phone.state = 'Ringing'; });
  if (!two || !one) return;
  const party = phoneParty(phone);
  updateChannel(core, two, () => { two.connected = { ...party }; });
  updateChannel(core, one, () => { one.state = 'Ringing'; one.caller = { ...party }; });
  emitDial(core, one, 'RINGING');
  emitPhoneDial(core, phone, 'RINGING');
}

/** the phone answered: Dial ANSWER, the pair answers (;1 into Stasis), ;2 is bridged with the phone */
function phoneAnswered(core: SimCore, phone: SimChannel): void {
  const two = phone.dialledBy;
  const one = two?.localPeer;
  phone.dial?.answerTimer?.cancel();
  updateChannel(core, phone, () => { phone.state = 'Up'; });
  phone.answered = true;
  emitPhoneDial(core, phone, 'ANSWER');
  if (!two || !one) return;
  answerLeg(core, one);
  if (two.hungUp) return;
  setVar(core, two, 'BRIDGEPEER', phone.name);
  setVar(core, two, 'BRIDGEPVTCALLID', phone.protocolId);
}

/** the phone refused (busy, reject): its Dial ends with that status and the pair ends with the cause */
function phoneRefused(core: SimCore, phone: SimChannel, cause: number, dialstatus: string | undefined): void {
  const one = phone.dialledBy?.localPeer;
  emitPhoneDial(core, phone, dialstatus ?? 'CONGESTION');
  endPhone(core, phone, cause);
  if (one) failLeg(core, one, cause, dialstatus);
}

/** the pair gave up before the phone answered (the originate timed out, the app hung ;1 up): CANCEL */
function cancelDialled(core: SimCore, two: SimChannel): void {
  const phone = two.dialled;
  if (!phone || phone.hungUp) return;
  if (phone.state !== 'Up') emitPhoneDial(core, phone, 'CANCEL');
  endPhone(core, phone, two.hangupCause || CAUSE.normal);
}

function endPhone(core: SimCore, phone: SimChannel, cause: number): void {
  const two = phone.dialledBy;
  phone.dialledBy = undefined;
  if (two) two.dialled = undefined;
  phone.hangupCause = cause;
  destroyChannel(core, phone);
}
