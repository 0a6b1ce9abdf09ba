// /bridges operations.
import type { BridgeKind, SimBridge } from '../core/bridge.ts';
import { addChannels, createBridge, destroyBridge, removeChannels } from '../core/bridging.ts';
import type { SimChannel } from '../core/channel.ts';
import type { SimCore } from '../core/core.ts';
import { AriError } from '../core/errors.ts';
import { bodyParam, bridgeIdParam, pathParam, queryParam } from './params.ts';
import { noContent, ok, type RouteArgs, type RouteResult, type RouteSpec } from './route.ts';

const R = 'bridges';
const BRIDGE_FLAGS = ['mixing', 'holding', 'dtmf_events', 'proxy_media', 'video_sfu', 'video_single', 'sdp_label'];

/** find_bridge: 404 when unknown */
function findBridge(core: SimCore, a: RouteArgs): SimBridge {
  const bridge = core.bridges.get(a.str('bridgeId') ?? '');
  if (!bridge) throw new AriError(404, 'Bridge not found');
  return bridge;
}

/** control_list_create: every id must be a channel (400) in Stasis (422) */
function channelList(core: SimCore, a: RouteArgs): SimChannel[] {
  const ids = a.list('channel');
  if (ids.length === 0) throw new AriError(400, 'Missing parameter channel');
  return ids.map((id) => {
    const ch = core.channels.get(id);
    if (!ch) throw new AriError(400, 'Channel not found');
    if (!ch.stasisApp) throw new AriError(422, 'Channel not in Stasis application');
    return ch;
  });
}

function typeFlags(type: string | undefined): string[] {
  const flags = (type ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (flags.some((f) => !BRIDGE_FLAGS.includes(f))) throw new AriError(500, 'Unable to create bridge');
  return flags;
}

function bridgeKind(flags: readonly string[]): BridgeKind {
  return flags.includes('holding') ? 'holding' : 'mixing';
}

/**
 * POST /bridges?bridgeId= and POST /bridges/{bridgeId}: as Asterisk 23 does it (res/ari/resource_bridges.c),
 * an id whose bridge exists is refused with 409 on both routes, with or without a type: the swagger's
 * "create or update" is not what the server does (fixture session-2.jsonl, scenario 14).
 */
function doCreate(core: SimCore, a: RouteArgs): RouteResult {
  const id = a.str('bridgeId');
  if (id !== undefined && core.bridges.has(id)) throw new AriError(409, `Bridge with id '${id}' already exists`);
  const flags = typeFlags(a.str('type'));
  const bridge = createBridge(core, bridgeKind(flags), a.str('name') ?? '', id);
  // res_stasis: dtmf_events and proxy_media take the native capability away
  bridge.noNative = flags.includes('dtmf_events') || flags.includes('proxy_media');
  return ok(bridge.toJson());
}

const createParams = [
  queryParam('type', 'string', 'Comma separated list of bridge type attributes (mixing, holding, dtmf_events, proxy_media, video_sfu, video_single, sdp_label).'),
  queryParam('name', 'string', 'Name to give to the bridge being created.'),
  bodyParam('variables', 'The "variables" key in the body object holds variable key/value pairs to set on the bridge on creation.'),
];

export const bridgeRoutes: RouteSpec[] = [
  {
    resource: R, path: '/bridges', method: 'GET', nickname: 'list', summary: 'List all active bridges in Asterisk.', responseClass: 'List[Bridge]', params: [],
    handle: (core) => ok([...core.bridges.values()].map((b) => b.toJson())),
  },
  {
    resource: R, path: '/bridges', method: 'POST', nickname: 'create', summary: 'Create a new bridge.', responseClass: 'Bridge',
    params: [createParams[0]!, queryParam('bridgeId', 'string', 'Unique ID to give to the bridge being created.'), createParams[1]!, createParams[2]!],
    errors: [{ code: 409, reason: 'Bridge with the same bridgeId already exists' }],
    handle: (core, a) => doCreate(core, a),
  },
  {
    resource: R, path: '/bridges/{bridgeId}', method: 'POST', nickname: 'createWithId', summary: 'Create a new bridge or updates an existing one.', responseClass: 'Bridge',
    params: [createParams[0]!, pathParam('bridgeId', 'Unique ID to give to the bridge being created.'), createParams[1]!, createParams[2]!],
    errors: [{ code: 409, reason: 'Bridge with the same bridgeId already exists' }],
    handle: (core, a) => doCreate(core, a),
  },
  {
    resource: R, path: '/bridges/{bridgeId}', method: 'GET', nickname: 'get', summary: 'Get bridge details.', responseClass: 'Bridge', params: [bridgeIdParam],
    errors: [{ code: 404, reason: 'Bridge not found' }],
    handle: (core, a) => ok(findBridge(core, a).toJson()),
  },
  {
    resource: R, path: '/bridges/{bridgeId}', method: 'DELETE', nickname: 'destroy', summary: 'Shut down a bridge.', responseClass: 'void', params: [bridgeIdParam],
    errors: [{ code: 404, reason: 'Bridge not found' }],
    handle: (core, a) => { destroyBridge(core, findBridge(core, a)); return noContent(); },
  },
  {
    resource: R, path: '/bridges/{bridgeId}/addChannel', method: 'POST', nickname: 'addChannel', summary: 'Add a channel to a bridge.', responseClass: 'void',
    params: [bridgeIdParam, queryParam('channel', 'string', 'Ids of channels to add to bridge', { required: true, allowMultiple: true }),
      queryParam('role', 'string', "Channel's role in the bridge"),
      queryParam('absorbDTMF', 'boolean', 'Absorb DTMF coming from this channel, preventing it to pass through to the bridge', { defaultValue: false }),
      queryParam('mute', 'boolean', 'Mute audio from this channel, preventing it to pass through to the bridge', { defaultValue: false }),
      queryParam('inhibitConnectedLineUpdates', 'boolean', 'Do not present the identity of the newly connected channel to other bridge members', { defaultValue: false })],
    errors: [{ code: 400, reason: 'Channel not found' }, { code: 404, reason: 'Bridge not found' }, { code: 409, reason: 'Bridge not in Stasis application; Channel currently recording' }, { code: 422, reason: 'Channel not in Stasis application' }],
    handle: (core, a) => {
      const bridge = findBridge(core, a);
      const role = a.str('role');
      addChannels(core, bridge, channelList(core, a), { ...(role ? { role } : {}), inhibitConnectedLine: a.bool('inhibitConnectedLineUpdates') ?? false });
      return noContent();
    },
  },
  {
    resource: R, path: '/bridges/{bridgeId}/removeChannel', method: 'POST', nickname: 'removeChannel', summary: 'Remove a channel from a bridge.', responseClass: 'void',
    params: [bridgeIdParam, queryParam('channel', 'string', 'Ids of channels to remove from bridge', { required: true, allowMultiple: true })],
    errors: [{ code: 400, reason: 'Channel not found' }, { code: 404, reason: 'Bridge not found' }, { code: 409, reason: 'Bridge not in Stasis application' }, { code: 422, reason: 'Channel not in this bridge' }],
    handle: (core, a) => { removeChannels(core, findBridge(core, a), channelList(core, a)); return noContent(); },
  },
  {
    resource: R, path: '/bridges/{bridgeId}/moh', method: 'POST', nickname: 'startMoh', summary: 'Play music on hold to a bridge or change the MOH class that is playing.', responseClass: 'void',
    params: [bridgeIdParam, queryParam('mohClass', 'string', "Channel's id")],
    errors: [{ code: 404, reason: 'Bridge not found' }, { code: 409, reason: 'Bridge not in Stasis application' }],
    // the music comes from an internal announcer channel: nothing an app sees
    handle: (core, a) => { findBridge(core, a).moh = a.str('mohClass') ?? 'default'; return noContent(); },
  },
  {
    resource: R, path: '/bridges/{bridgeId}/moh', method: 'DELETE', nickname: 'stopMoh', summary: 'Stop playing music on hold to a bridge.', responseClass: 'void',
    params: [bridgeIdParam],
    errors: [{ code: 404, reason: 'Bridge not found' }, { code: 409, reason: 'Bridge not in Stasis application' }],
    handle: (core, a) => {
      const bridge = findBridge(core, a);
      if (bridge.moh === undefined) throw new AriError(409, "Bridge isn't playing music");
      bridge.moh = undefined;
      return noContent();
    },
  },
];
