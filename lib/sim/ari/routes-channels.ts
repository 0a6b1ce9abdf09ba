// /channels operations.
import { HANGUP_REASONS } from '../core/causes.ts';
import {
  answer, continueInDialplan, findChannel, findControl, findLiveControl, getVariable, moveToApp, play, redirect,
  sendDtmf, setVariable, snoop, transferProgress,
} from '../core/channel-ops.ts';
import type { SimCore } from '../core/core.ts';
import { originate } from '../core/dialing.ts';
import { AriError } from '../core/errors.ts';
import { ariHangup } from '../core/hangup.ts';
import { bodyParam, channelIdParam, pathParam, queryParam } from './params.ts';
import { noContent, ok, type ParamSpec, type RouteArgs, type RouteResult, type RouteSpec } from './route.ts';

const R = 'channels';
const NOT_IN_STASIS = [{ code: 404, reason: 'Channel not found' }, { code: 409, reason: 'Channel not in a Stasis application' }, { code: 412, reason: 'Channel in invalid state' }];

const originateParams: ParamSpec[] = [
  queryParam('endpoint', 'string', 'Endpoint to call.', { required: true }),
  queryParam('extension', 'string', "The extension to dial after the endpoint answers. Mutually exclusive with 'app'."),
  queryParam('context', 'string', "The context to dial after the endpoint answers. If omitted, uses 'default'. Mutually exclusive with 'app'."),
  queryParam('priority', 'long', "The priority to dial after the endpoint answers. If omitted, uses 1. Mutually exclusive with 'app'."),
  queryParam('label', 'string', "The label to dial after the endpoint answers. Will supersede 'priority' if provided. Mutually exclusive with 'app'."),
  queryParam('app', 'string', 'The application that is subscribed to the originated channel. When the channel is answered, it will be passed to this Stasis application.'),
  queryParam('appArgs', 'string', "The application arguments to pass to the Stasis application provided by 'app'."),
  queryParam('callerId', 'string', 'CallerID to use when dialing the endpoint or extension.'),
  queryParam('timeout', 'int', 'Timeout (in seconds) before giving up dialing, or -1 for no timeout.', { defaultValue: 30 }),
  bodyParam('variables', 'The "variables" key in the body object holds variable key/value pairs to set on the channel on creation.'),
];
const idParams: ParamSpec[] = [
  queryParam('otherChannelId', 'string', 'The unique id to assign the second channel when using local channels.'),
  queryParam('originator', 'string', 'The unique id of the channel which is originating this one.'),
  queryParam('formats', 'string', 'The format name capability list to use if originator is not specified.'),
];

function doOriginate(core: SimCore, a: RouteArgs): RouteResult {
  const variables = a.variables();
  if (a.str('originator') && a.str('formats')) throw new AriError(400, "Originator and formats can't both be specified");
  const originator = a.str('originator');
  if (originator && !core.channels.has(originator)) throw new AriError(400, 'Provided originator channel was not found');
  const req = {
    endpoint: a.str('endpoint'), app: a.str('app'), appArgs: a.str('appArgs'), extension: a.str('extension'),
    context: a.str('context'), priority: a.int('priority'), callerId: a.str('callerId'), timeout: a.int('timeout'),
    variables, channelId: a.str('channelId'), otherChannelId: a.str('otherChannelId'),
  };
  const clean = Object.fromEntries(Object.entries(req).filter(([, v]) => v !== undefined));
  // Asterisk answers with the channel as made, before the body's variables are set: its reported
  // variables (channelvars) show only in later events and GET /channels (test/asterisk/routes.test.ts)
  const { channelvars: _reported, ...made } = originate(core, clean).toJson();
  return ok(made);
}

/** a channel operation that needs the channel in Stasis and past Down/Ringing */
function controlOp(path: string, method: 'POST' | 'DELETE', nickname: string, summary: string, act: (core: SimCore, a: RouteArgs) => void, extra: ParamSpec[] = []): RouteSpec {
  return {
    resource: R, path, method, nickname, summary, responseClass: 'void', params: [channelIdParam, ...extra], errors: NOT_IN_STASIS,
    handle: (core, a) => { act(core, a); return noContent(); },
  };
}

function channelOf(core: SimCore, a: RouteArgs) {
  return findLiveControl(core, a.str('channelId') ?? '');
}

function hangupCause(a: RouteArgs): number {
  const code = a.str('reason_code');
  const reason = a.str('reason');
  if (code !== undefined && reason !== undefined) throw new AriError(400, 'The reason and reason_code can\'t both be specified');
  if (code !== undefined) {
    const n = Number.parseInt(code, 10);
    if (Number.isNaN(n)) throw new AriError(400, 'Invalid reason for hangup provided');
    return n;
  }
  if (!reason) return 16;
  const cause = HANGUP_REASONS.get(reason);
  if (cause === undefined) throw new AriError(400, 'Invalid reason for hangup provided');
  return cause;
}

const snoopParams: ParamSpec[] = [
  queryParam('spy', 'string', 'Direction of audio to spy on', { allowableValues: ['none', 'both', 'out', 'in'], defaultValue: 'none' }),
  queryParam('whisper', 'string', 'Direction of audio to whisper into', { allowableValues: ['none', 'both', 'out', 'in'], defaultValue: 'none' }),
  queryParam('app', 'string', 'Application the snooping channel is placed into', { required: true }),
  queryParam('appArgs', 'string', 'The application arguments to pass to the Stasis application'),
];

function doSnoop(core: SimCore, a: RouteArgs): RouteResult {
  const req = { spy: a.str('spy'), whisper: a.str('whisper'), app: a.str('app'), appArgs: a.str('appArgs'), snoopId: a.str('snoopId') };
  return ok(snoop(core, a.str('channelId') ?? '', Object.fromEntries(Object.entries(req).filter(([, v]) => v !== undefined))));
}

function doPlay(core: SimCore, a: RouteArgs): RouteResult {
  const ch = channelOf(core, a);
  if ((a.int('skipms') ?? 0) < 0) throw new AriError(400, 'skipms cannot be negative');
  if ((a.int('offsetms') ?? 0) < 0) throw new AriError(400, 'offsetms cannot be negative');
  const p = play(core, ch, a.list('media'), a.str('lang'), a.str('playbackId'));
  return { status: 201, body: p, headers: { Location: `/playbacks/${String(p.id)}` } };
}

const playParams: ParamSpec[] = [
  queryParam('media', 'string', 'Media URIs to play.', { required: true, allowMultiple: true }),
  queryParam('lang', 'string', 'For sounds, selects language for sound.'),
  queryParam('offsetms', 'int', 'Number of milliseconds to skip before playing.'),
  queryParam('skipms', 'int', 'Number of milliseconds to skip for forward/reverse operations.', { defaultValue: 3000 }),
];

function muteDirection(a: RouteArgs): void {
  const d = a.str('direction') ?? 'both';
  if (!['in', 'out', 'both'].includes(d)) throw new AriError(400, 'Invalid direction specified');
}

export const channelRoutes: RouteSpec[] = [
  {
    resource: R, path: '/channels', method: 'GET', nickname: 'list', summary: 'List all active channels in Asterisk.', responseClass: 'List[Channel]', params: [],
    handle: (core) => ok([...core.channels.values()].map((c) => c.toJson())),
  },
  {
    resource: R, path: '/channels', method: 'POST', nickname: 'originate', summary: 'Create a new channel (originate).', responseClass: 'Channel',
    params: [...originateParams, queryParam('channelId', 'string', 'The unique id to assign the channel on creation.'), ...idParams],
    errors: [{ code: 400, reason: 'Invalid parameters for originating a channel.' }, { code: 409, reason: 'Channel with given unique ID already exists.' }],
    handle: doOriginate,
  },
  {
    resource: R, path: '/channels/{channelId}', method: 'GET', nickname: 'get', summary: 'Channel details.', responseClass: 'Channel', params: [channelIdParam],
    errors: [{ code: 404, reason: 'Channel not found' }],
    handle: (core, a) => ok(findChannel(core, a.str('channelId') ?? '').toJson()),
  },
  {
    resource: R, path: '/channels/{channelId}', method: 'POST', nickname: 'originateWithId', summary: 'Create a new channel (originate with id).', responseClass: 'Channel',
    params: [pathParam('channelId', 'The unique id to assign the channel on creation.'), ...originateParams, ...idParams],
    errors: [{ code: 400, reason: 'Invalid parameters for originating a channel.' }, { code: 409, reason: 'Channel with given unique ID already exists.' }],
    handle: doOriginate,
  },
  {
    resource: R, path: '/channels/{channelId}', method: 'DELETE', nickname: 'hangup', summary: 'Delete (i.e. hangup) a channel.', responseClass: 'void',
    params: [channelIdParam, queryParam('reason_code', 'string', 'The reason code for hanging up the channel for detail use.'),
      queryParam('reason', 'string', 'Reason for hanging up the channel for simple use.', { allowableValues: [...HANGUP_REASONS.keys()] })],
    errors: [{ code: 400, reason: 'Invalid reason for hangup provided' }, { code: 404, reason: 'Channel not found' }],
    handle: (core, a) => {
      const ch = findChannel(core, a.str('channelId') ?? '');
      ariHangup(core, ch, hangupCause(a));
      return noContent();
    },
  },
  controlOp('/channels/{channelId}/continue', 'POST', 'continueInDialplan', 'Exit application; continue execution in the dialplan.',
    (core, a) => {
      const to = { context: a.str('context'), extension: a.str('extension'), priority: a.int('priority'), label: a.str('label') };
      continueInDialplan(core, channelOf(core, a), Object.fromEntries(Object.entries(to).filter(([, v]) => v !== undefined)));
    },
    [queryParam('context', 'string', 'The context to continue to.'), queryParam('extension', 'string', 'The extension to continue to.'),
      queryParam('priority', 'int', 'The priority to continue to.'), queryParam('label', 'string', "The label to continue to - will supersede 'priority' if both are provided.")]),
  {
    resource: R, path: '/channels/{channelId}/move', method: 'POST', nickname: 'move', summary: 'Move the channel from one Stasis application to another.', responseClass: 'void',
    params: [channelIdParam, queryParam('app', 'string', 'The channel will be passed to this Stasis application.', { required: true }),
      queryParam('appArgs', 'string', "The application arguments to pass to the Stasis application provided by 'app'.")],
    errors: [{ code: 404, reason: 'Channel not found' }, { code: 409, reason: 'Channel not in a Stasis application' }],
    handle: (core, a) => {
      const ch = findControl(core, a.str('channelId') ?? '');
      const app = a.str('app');
      if (!app) throw new AriError(400, 'Missing parameter app');
      moveToApp(core, ch, app, a.str('appArgs'));
      return noContent();
    },
  },
  controlOp('/channels/{channelId}/redirect', 'POST', 'redirect', 'Redirect the channel to a different location.',
    (core, a) => redirect(core, channelOf(core, a), a.str('endpoint')),
    [queryParam('endpoint', 'string', 'The endpoint to redirect the channel to', { required: true })]),
  controlOp('/channels/{channelId}/answer', 'POST', 'answer', 'Answer a channel.', (core, a) => answer(core, channelOf(core, a))),
  controlOp('/channels/{channelId}/ring', 'POST', 'ring', 'Indicate ringing to a channel.', (core, a) => { channelOf(core, a).ringing = true; }),
  controlOp('/channels/{channelId}/ring', 'DELETE', 'ringStop', 'Stop ringing indication on a channel if locally generated.', (core, a) => { channelOf(core, a).ringing = false; }),
  controlOp('/channels/{channelId}/dtmf', 'POST', 'sendDTMF', 'Send provided DTMF to a given channel.', (core, a) => sendDtmf(channelOf(core, a), a.str('dtmf')),
    [queryParam('dtmf', 'string', 'DTMF To send.'), queryParam('before', 'int', 'Amount of time to wait before DTMF digits (specified in milliseconds) start.', { defaultValue: 0 }),
      queryParam('between', 'int', 'Amount of time in between DTMF digits (specified in milliseconds).', { defaultValue: 100 }),
      queryParam('duration', 'int', 'Length of each DTMF digit (specified in milliseconds).', { defaultValue: 100 }),
      queryParam('after', 'int', 'Amount of time to wait after DTMF digits (specified in milliseconds) end.', { defaultValue: 0 })]),
  controlOp('/channels/{channelId}/mute', 'POST', 'mute', 'Mute a channel.', (core, a) => { channelOf(core, a); muteDirection(a); },
    [queryParam('direction', 'string', 'Direction in which to mute audio', { allowableValues: ['both', 'in', 'out'], defaultValue: 'both' })]),
  controlOp('/channels/{channelId}/mute', 'DELETE', 'unmute', 'Unmute a channel.', (core, a) => { channelOf(core, a); muteDirection(a); },
    [queryParam('direction', 'string', 'Direction in which to unmute audio', { allowableValues: ['both', 'in', 'out'], defaultValue: 'both' })]),
  // ARI's hold only indicates hold to the phone: no ChannelHold (that event is for a phone that holds)
  controlOp('/channels/{channelId}/hold', 'POST', 'hold', 'Hold a channel.', (core, a) => { channelOf(core, a).onHold = true; }),
  controlOp('/channels/{channelId}/hold', 'DELETE', 'unhold', 'Remove a channel from hold.', (core, a) => { channelOf(core, a).onHold = false; }),
  controlOp('/channels/{channelId}/moh', 'POST', 'startMoh', 'Play music on hold to a channel.', (core, a) => { channelOf(core, a).moh = a.str('mohClass') ?? 'default'; },
    [queryParam('mohClass', 'string', "Music on hold class to use")]),
  controlOp('/channels/{channelId}/moh', 'DELETE', 'stopMoh', 'Stop playing music on hold to a channel.', (core, a) => { channelOf(core, a).moh = undefined; }),
  {
    resource: R, path: '/channels/{channelId}/play', method: 'POST', nickname: 'play', summary: 'Start playback of media.', responseClass: 'Playback',
    params: [channelIdParam, ...playParams, queryParam('playbackId', 'string', 'Playback ID.')], errors: NOT_IN_STASIS, handle: doPlay,
  },
  {
    resource: R, path: '/channels/{channelId}/play/{playbackId}', method: 'POST', nickname: 'playWithId', summary: 'Start playback of media and specify the playbackId.', responseClass: 'Playback',
    params: [channelIdParam, pathParam('playbackId', 'Playback ID.'), ...playParams], errors: NOT_IN_STASIS, handle: doPlay,
  },
  {
    resource: R, path: '/channels/{channelId}/variable', method: 'GET', nickname: 'getChannelVar', summary: 'Get the value of a channel variable or function.', responseClass: 'Variable',
    params: [channelIdParam, queryParam('variable', 'string', 'The channel variable or function to get', { required: true })],
    errors: [{ code: 400, reason: 'Missing variable parameter.' }, { code: 404, reason: 'Channel or variable not found' }, { code: 409, reason: 'Channel not in a Stasis application' }],
    handle: (core, a) => {
      const name = a.str('variable');
      if (!name) throw new AriError(400, 'Variable name is required');
      const ch = core.channels.get(a.str('channelId') ?? '');
      if (!ch) throw new AriError(404, 'Provided channel was not found');
      return ok({ value: getVariable(ch, name) });
    },
  },
  {
    resource: R, path: '/channels/{channelId}/variable', method: 'POST', nickname: 'setChannelVar', summary: 'Set the value of a channel variable or function.', responseClass: 'void',
    params: [channelIdParam, queryParam('variable', 'string', 'The channel variable or function to set', { required: true }),
      queryParam('value', 'string', 'The value to set the variable to'),
      queryParam('report_events', 'boolean', 'Whether this variable should be included in channel events.', { defaultValue: false })],
    errors: [{ code: 400, reason: 'Missing variable parameter.' }, { code: 404, reason: 'Channel not found' }, { code: 409, reason: 'Channel not in a Stasis application' }],
    handle: (core, a) => {
      const name = a.str('variable');
      if (!name) throw new AriError(400, 'Variable name is required');
      const ch = findControl(core, a.str('channelId') ?? '');
      setVariable(core, ch, name, a.str('value') ?? '', a.bool('report_events') ?? false);
      return noContent();
    },
  },
  {
    resource: R, path: '/channels/{channelId}/snoop', method: 'POST', nickname: 'snoopChannel', summary: 'Start snooping.', responseClass: 'Channel',
    params: [channelIdParam, ...snoopParams, queryParam('snoopId', 'string', 'Unique ID to assign to snooping channel')],
    errors: [{ code: 400, reason: 'Invalid parameters' }, { code: 404, reason: 'Channel not found' }], handle: doSnoop,
  },
  {
    resource: R, path: '/channels/{channelId}/snoop/{snoopId}', method: 'POST', nickname: 'snoopChannelWithId', summary: 'Start snooping.', responseClass: 'Channel',
    params: [channelIdParam, pathParam('snoopId', 'Unique ID to assign to snooping channel'), ...snoopParams],
    errors: [{ code: 400, reason: 'Invalid parameters' }, { code: 404, reason: 'Channel not found' }], handle: doSnoop,
  },
  controlOp('/channels/{channelId}/transfer_progress', 'POST', 'transfer_progress', 'Inform the channel about the progress of the attended/blind transfer.',
    (core, a) => transferProgress(core, channelOf(core, a), a.str('states')),
    [queryParam('states', 'string', 'The state of the progress', { required: true })]),
];
