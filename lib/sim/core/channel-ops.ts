// What an app can do to a channel through ARI, with resource_channels.c's checks and answers.
import { reconfigure } from './bridging.ts';
import { about, addChannel, setVar, updateChannel } from './channel-state.ts';
import type { SimChannel } from './channel.ts';
import type { SimCore, PlaybackState } from './core.ts';
import { AriError } from './errors.ts';
import { phoneHangup, teardown } from './hangup.ts';
import { enterStasis, exitStasis, splitArgs } from './stasis.ts';
import { emitChannelTransfer } from './transfer.ts';

export function findChannel(core: SimCore, id: string): SimChannel {
  const ch = core.channels.get(id);
  if (!ch) throw new AriError(404, 'Channel not found');
  return ch;
}

/** find_control: the channel must exist (404) and be in a Stasis app (409) */
export function findControl(core: SimCore, id: string): SimChannel {
  const ch = findChannel(core, id);
  if (!ch.stasisApp) throw new AriError(409, 'Channel not in Stasis application');
  return ch;
}

/** channel_state_invalid: outbound legs that are still Down or Ringing cannot be manipulated (412) */
export function findLiveControl(core: SimCore, id: string): SimChannel {
  const ch = findControl(core, id);
  if (ch.state === 'Down' || ch.state === 'Ringing') throw new AriError(412, 'Channel in invalid state');
  return ch;
}

export function answer(core: SimCore, ch: SimChannel): void {
  if (ch.state === 'Up') return;
  updateChannel(core, ch, () => { ch.state = 'Up'; });
  ch.answered = true;
  ch.ringing = false;
}

export function sendDtmf(ch: SimChannel, dtmf: string | undefined): void {
  if (!dtmf) throw new AriError(400, 'DTMF is required');
  ch.dtmfSent += dtmf;
}

export interface ContinueTarget { context?: string; extension?: string; priority?: number; label?: string }

/** POST /continue: the channel leaves Stasis and runs the dialplan from the given place (logged) */
export function continueInDialplan(core: SimCore, ch: SimChannel, to: ContinueTarget): void {
  const context = to.context || ch.dialplan.context;
  const exten = to.context ? (to.extension || 's') : (to.extension || ch.dialplan.exten);
  let priority: number;
  if (to.label) {
    const n = Number.parseInt(to.label, 10);
    if (Number.isNaN(n)) throw new AriError(404, 'Requested label can not be found');
    if (n === 0) throw new AriError(400, 'Requested priority is illegal');
    priority = n;
  } else if (to.priority) {
    priority = to.priority;
  } else if (!to.context && !to.extension) {
    priority = ch.dialplan.priority + 1;
  } else {
    priority = 1;
  }
  core.continuedLog.push({
    channelId: ch.id, name: ch.name, how: 'continue', context, extension: exten, priority,
    ...(to.label ? { label: to.label } : {}), at: core.now(),
  });
  core.probe?.continued?.(ch.id);
  core.scheduler.soon(() => {
    if (ch.hungUp) return;
    exitStasis(core, ch);
    updateChannel(core, ch, () => { ch.dialplan = { context, exten, priority, app_name: '', app_data: '' }; });
  });
}

/** POST /move: StasisEnd in this app, StasisStart in the other; ApplicationMoveFailed when nobody holds it */
export function moveToApp(core: SimCore, ch: SimChannel, app: string, appArgs: string | undefined): void {
  const args = splitArgs(appArgs);
  const from = ch.stasisApp;
  core.scheduler.soon(() => {
    if (ch.hungUp || ch.stasisApp !== from || !from) return;
    if (!core.apps.isActive(app)) {
      core.emit('ApplicationMoveFailed', () => ({ channel: ch.toJson(), destination: app, args }), about(ch));
      return;
    }
    core.continuedLog.push({ channelId: ch.id, name: ch.name, how: 'move', app, at: core.now() });
    exitStasis(core, ch);
    enterStasis(core, ch, app, args);
  });
}

/** POST /redirect: the phone is sent elsewhere (302 while ringing, REFER once up) and drops this call */
export function redirect(core: SimCore, ch: SimChannel, endpoint: string | undefined): void {
  if (!endpoint) throw new AriError(400, "Required parameter 'endpoint' not provided.");
  const slash = endpoint.indexOf('/');
  if (slash <= 0) throw new AriError(422, `Endpoint parameter '${endpoint}' does not contain tech/resource`);
  if (slash === endpoint.length - 1) throw new AriError(422, `No resource provided in endpoint parameter '${endpoint}'`);
  const tech = endpoint.slice(0, slash);
  if (tech.toLowerCase() !== ch.driver.toLowerCase()) {
    throw new AriError(422, `Endpoint technology '${tech}' does not match channel technology '${ch.driver}'`);
  }
  core.continuedLog.push({ channelId: ch.id, name: ch.name, how: 'redirect', endpoint, at: core.now() });
  core.scheduler.soon(() => phoneHangup(core, ch, { cause: 16 }));
}

const DIRECTIONS = ['none', 'both', 'out', 'in'];

export interface SnoopRequest { spy?: string; whisper?: string; app?: string; appArgs?: string; snoopId?: string }

/**
 * POST /snoop: a Snoop/<id>-N channel (Up) enters Stasis with appArgs. Attaching its audiohook makes
 * the target's bridge pick a technology again (BRIDGEPEER passes). Answers with the fresh snapshot.
 */
export function snoop(core: SimCore, targetId: string, req: SnoopRequest): Record<string, unknown> {
  const spy = req.spy || 'none';
  const whisper = req.whisper || 'none';
  if (!DIRECTIONS.includes(spy)) throw new AriError(400, 'Invalid direction specified for spy');
  if (!DIRECTIONS.includes(whisper)) throw new AriError(400, 'Invalid direction specified for whisper');
  if (spy === 'none' && whisper === 'none') throw new AriError(400, 'Direction must be specified for at least spy or whisper');
  if (!req.app) throw new AriError(400, 'Application name is required');
  const target = core.channels.get(targetId);
  if (!target) throw new AriError(404, 'Provided channel was not found');
  if (req.snoopId && core.channels.has(req.snoopId)) throw new AriError(500, 'Snoop channel could not be created');
  const sn = addChannel(core, {
    ...(req.snoopId ? { id: req.snoopId } : {}),
    name: `Snoop/${target.id}-${core.ids.suffix('Snoop')}`,
    driver: 'Snoop', state: 'Up', protocolId: '',
    dialplan: { context: 'default', exten: 's', priority: 1, app_name: '', app_data: '' },
  });
  sn.answered = true;
  sn.snoopTarget = target;
  sn.snoopDirections = { spy, whisper };
  target.snoops.add(sn);
  const json = sn.toJson();
  const app = req.app;
  reconfigure(core, target.bridge, 1);
  if (!enterStasis(core, sn, app, splitArgs(req.appArgs))) {
    sn.hangupCause = 16;
    teardown(core, sn);
  }
  reconfigure(core, target.bridge, 2);
  return { ...json };
}

const READABLE_FUNCTIONS = /^(CALLERID|CONNECTEDLINE|CHANNEL)\((\w*)\)$/i;

/** GET /variable: plain variables, and the few dialplan functions an attendant app reads */
export function getVariable(ch: SimChannel, name: string): string {
  if (name.endsWith(')')) {
    const m = READABLE_FUNCTIONS.exec(name);
    if (m) {
      const fn = (m[1] ?? '').toUpperCase();
      const field = (m[2] ?? '').toLowerCase();
      if (fn === 'CHANNEL') {
        const values: Record<string, string> = { name: ch.name, state: ch.state, uniqueid: ch.id, linkedid: ch.id, language: ch.language, context: ch.dialplan.context, exten: ch.dialplan.exten };
        const v = values[field];
        if (v !== undefined) return v;
      } else {
        const party = fn === 'CALLERID' ? ch.caller : ch.connected;
        if (field === 'num' || field === 'number') return party.number;
        if (field === 'name') return party.name;
        if (field === 'all') return party.name ? `"${party.name}" <${party.number}>` : party.number;
      }
    }
    const stored = ch.functions.get(name);
    if (stored !== undefined) return stored;
    throw new AriError(500, 'Unable to read provided function');
  }
  const v = ch.vars.get(name);
  if (v === undefined) throw new AriError(404, 'Provided variable was not found');
  return v;
}

/** POST /variable: a variable publishes ChannelVarset; CALLERID()/CONNECTEDLINE() change the party (and its event) */
export function setVariable(core: SimCore, ch: SimChannel, name: string, value: string, report: boolean): void {
  if (report) ch.reported.add(name);
  if (!name.endsWith(')')) {
    setVar(core, ch, name, value);
    return;
  }
  const m = /^(CALLERID|CONNECTEDLINE)\((\w*)\)$/i.exec(name);
  if (m) {
    const field = (m[2] ?? '').toLowerCase();
    const isCaller = (m[1] ?? '').toUpperCase() === 'CALLERID';
    updateChannel(core, ch, () => {
      const party = { ...(isCaller ? ch.caller : ch.connected) };
      if (field === 'num' || field === 'number') party.number = value;
      else if (field === 'name') party.name = value;
      if (isCaller) ch.caller = party;
      else ch.connected = party;
    });
    return;
  }
  if (!/^[A-Z_]+\(.*\)$/i.test(name)) throw new AriError(400, 'Failed to execute function');
  ch.functions.set(name, value);
}

function playbackJson(p: PlaybackState): Record<string, unknown> {
  const next = p.media[p.index + 1];
  return {
    id: p.id, media_uri: p.media[p.index] ?? '', ...(next ? { next_media_uri: next } : {}),
    target_uri: p.targetUri, language: p.language, state: p.state,
  };
}

export function getPlayback(core: SimCore, id: string): Record<string, unknown> {
  const p = core.playbacks.get(id);
  if (!p) throw new AriError(404, 'Playback not found');
  return playbackJson(p);
}

/** POST /play: 201 with a queued Playback; PlaybackStarted, one PlaybackContinuing per next media, PlaybackFinished */
export function play(core: SimCore, ch: SimChannel, media: string[], lang: string | undefined, playbackId: string | undefined): Record<string, unknown> {
  if (media.length === 0) throw new AriError(400, 'media is required');
  const id = playbackId || core.rng.uuid();
  const p: PlaybackState = { id, media, index: 0, targetUri: `channel:${ch.id}`, language: lang || ch.language, state: 'queued', channelId: ch.id };
  core.playbacks.set(id, p);
  const json = playbackJson(p);
  const route = about(ch);
  core.scheduler.soon(() => {
    if (p.state === 'done') return;
    p.state = 'playing';
    core.emit('PlaybackStarted', () => ({ playback: playbackJson(p) }), route);
    const step = (): void => {
      if (p.state === 'done') return;
      if (p.index + 1 < p.media.length && !ch.hungUp) {
        p.index++;
        core.emit('PlaybackContinuing', () => ({ playback: playbackJson(p) }), route);
        core.scheduler.after(core.playbackMs, step);
        return;
      }
      finishPlayback(core, p);
    };
    core.scheduler.after(core.playbackMs, step);
  });
  return json;
}

/** DELETE /playbacks/{id} or the end of the media */
export function finishPlayback(core: SimCore, p: PlaybackState): void {
  if (p.state === 'done') return;
  p.state = 'done';
  core.playbacks.delete(p.id);
  const ch = p.channelId ? core.channels.get(p.channelId) : undefined;
  core.emit('PlaybackFinished', () => ({ playback: playbackJson(p) }), ch ? about(ch) : {});
}

const TRANSFER_STATES = ['channel_progress', 'channel_answered', 'channel_unavailable', 'channel_declined'];

/**
 * POST /transfer_progress after an ari-only REFER: Asterisk NOTIFYs the phone and echoes the state
 * as another ChannelTransfer; the bridge re-evaluates its technology on the way (three passes).
 */
export function transferProgress(core: SimCore, ch: SimChannel, states: string | undefined): void {
  if (!states) throw new AriError(400, 'states is required');
  if (!TRANSFER_STATES.includes(states)) throw new AriError(400, `Invalid transfer state '${states}'`);
  const transfer = ch.pendingTransfer;
  if (!transfer) throw new AriError(412, 'Channel in invalid state');
  reconfigure(core, ch.bridge, 3);
  emitChannelTransfer(core, ch, transfer, states);
  if (states !== 'channel_progress') ch.pendingTransfer = undefined;
}
