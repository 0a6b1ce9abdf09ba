// Originate: create the outgoing leg, dial it according to the endpoint's scripted behaviour, and
// hand it to the Stasis app once answered (Dial "", [Ringing, Dial RINGING], Up, Dial ANSWER,
// STASISSTATUS, StasisStart). Never answered within `timeout`: ChannelDestroyed 19, no StasisStart.
import type { Behaviour } from '../types.ts';
import { CAUSE, causeToSip } from './causes.ts';
import { addChannel, destroyChannel, emitDial, hangupRequest, updateChannel } from './channel-state.ts';
import type { DialInfo, Party, SimChannel } from './channel.ts';
import type { SimCore } from './core.ts';
import type { SimEndpoint } from './endpoint.ts';
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
  const ep = core.endpoints.get(`${tech}/${resource}`);
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
  // resource_channels.c: a positive timeout, -1 for none, anything else means 30 s
  const timeout = req.timeout !== undefined && (req.timeout > 0 || req.timeout === -1) ? req.timeout : 30;
  core.originateLog.push({
    channelId: ch.id, endpoint: req.endpoint, ...(req.app ? { app: req.app } : {}), appArgs: dial.appArgs,
    ...(req.callerId ? { callerId: req.callerId } : {}), timeout, at: core.now(),
  });
  if (timeout > 0) dial.timer = core.scheduler.after(timeout * 1000, () => noAnswer(core, ch));
  core.scheduler.soon(() => startDialing(core, ch, ep.behaviour));
  return ch;
}

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
  const two = addChannel(core, {
    ...(req.otherChannelId ? { id: req.otherChannelId } : {}),
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
  ch.dial?.timer?.cancel();
  ch.dial?.answerTimer?.cancel();
  const sip = ch.driver === 'PJSIP' ? causeToSip(cause) : 0;
  hangupRequest(core, ch, sip ? { cause, tech_cause: sip } : { cause });
  if (dialstatus) emitDial(core, ch, dialstatus);
  ch.hangupCause = cause;
  teardown(core, ch);
}
