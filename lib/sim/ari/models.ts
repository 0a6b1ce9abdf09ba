// Swagger models the simulator's documents declare: the shapes it returns and the events it sends.
// ari-client builds Channel/Bridge/... instances from event properties typed with these names, and
// throws on an event whose type has no model, so every event type emitted must be listed here.

export interface ModelProperty {
  type: string;
  required?: boolean;
  allowableValues?: { valueType: 'LIST'; values: string[] };
}

export interface Model {
  id: string;
  description: string;
  properties: Record<string, ModelProperty>;
  discriminator?: string;
  subTypes?: string[];
}

/** `string*` is a required string; `List[Channel]`, `CallerID`, ... name other models */
function model(id: string, description: string, props: Record<string, string>, extra: Partial<Model> = {}): Model {
  const properties: Record<string, ModelProperty> = {};
  for (const [name, spec] of Object.entries(props)) {
    const required = spec.endsWith('*');
    properties[name] = { type: required ? spec.slice(0, -1) : spec, ...(required ? { required: true } : {}) };
  }
  return { id, description, properties, ...extra };
}

function list(values: string[]): ModelProperty['allowableValues'] {
  return { valueType: 'LIST', values };
}

const channel = model('Channel', 'A channel between Asterisk and an endpoint.', {
  id: 'string*', protocol_id: 'string*', name: 'string*', state: 'string*', caller: 'CallerID*', connected: 'CallerID*',
  accountcode: 'string*', dialplan: 'DialplanCEP*', creationtime: 'Date*', language: 'string*', channelvars: 'object',
  caller_rdnis: 'string', tenantid: 'string',
});
const stateProp = channel.properties.state;
if (stateProp) stateProp.allowableValues = list(['Down', 'Rsrved', 'OffHook', 'Dialing', 'Ring', 'Ringing', 'Up', 'Busy', 'Dialing Offhook', 'Pre-ring', 'Unknown']);

const bridge = model('Bridge', 'The merging of media from one or more channels.', {
  id: 'string*', technology: 'string*', bridge_type: 'string*', bridge_class: 'string*', creator: 'string*', name: 'string*',
  channels: 'List[string]*', video_mode: 'string', video_source_id: 'string', creationtime: 'Date*', bridgevars: 'object',
});
const endpoint = model('Endpoint', 'An external device that may offer or accept calls.', {
  technology: 'string*', resource: 'string*', state: 'string', channel_ids: 'List[string]*',
});
const deviceState = model('DeviceState', 'A device state as Asterisk knows it.', { name: 'string*', state: 'string*' });
const playback = model('Playback', 'A media playback on a channel or bridge.', {
  id: 'string*', media_uri: 'string*', next_media_uri: 'string', target_uri: 'string*', language: 'string', state: 'string*',
});

/** models per resource document (the events document gets EVENT_MODELS as well) */
export const RESOURCE_MODELS: Record<string, Model[]> = {
  asterisk: [
    model('BuildInfo', 'Information about how Asterisk was built.', { os: 'string*', kernel: 'string*', options: 'string*', machine: 'string*', date: 'string*', user: 'string*' }),
    model('SystemInfo', 'Information about the Asterisk system.', { version: 'string*', entity_id: 'string*' }),
    model('SetId', 'Effective user and group.', { user: 'string*', group: 'string*' }),
    model('ConfigInfo', 'Information about Asterisk configuration.', { name: 'string*', default_language: 'string*', max_channels: 'int', max_open_files: 'int', max_load: 'double', setid: 'SetId*' }),
    model('StatusInfo', 'Information about Asterisk status.', { startup_time: 'Date*', last_reload_time: 'Date*' }),
    model('AsteriskInfo', 'Asterisk system information.', { build: 'BuildInfo', system: 'SystemInfo', config: 'ConfigInfo', status: 'StatusInfo' }),
    model('AsteriskPing', 'Asterisk ping information.', { asterisk_id: 'string*', ping: 'string*', timestamp: 'string*' }),
    model('Variable', 'The value of a variable.', { value: 'string*' }),
  ],
  endpoints: [endpoint],
  channels: [
    model('DialplanCEP', 'Dialplan location (context/extension/priority).', { context: 'string*', exten: 'string*', priority: 'long*', app_name: 'string*', app_data: 'string*' }),
    model('CallerID', 'Caller identification.', { name: 'string*', number: 'string*' }),
    channel,
    model('Variable', 'The value of a variable.', { value: 'string*' }),
    playback,
  ],
  bridges: [bridge, playback],
  playbacks: [playback],
  deviceStates: [deviceState],
  mailboxes: [model('Mailbox', 'Represents the state of a mailbox.', { name: 'string*', old_messages: 'int*', new_messages: 'int*' })],
  applications: [model('Application', 'A Stasis application.', {
    name: 'string*', channel_ids: 'List[string]*', bridge_ids: 'List[string]*', endpoint_ids: 'List[string]*',
    device_names: 'List[string]*', events_allowed: 'List[object]*', events_disallowed: 'List[object]*',
  })],
  events: [channel, bridge, endpoint, deviceState, playback,
    model('DialplanCEP', 'Dialplan location.', { context: 'string*', exten: 'string*', priority: 'long*', app_name: 'string*', app_data: 'string*' }),
    model('CallerID', 'Caller identification.', { name: 'string*', number: 'string*' }),
    model('ReferTo', 'Refer-To information, with the channels Asterisk could resolve.', { requested_destination: 'RequiredDestination*', destination_channel: 'Channel', connected_channel: 'Channel', bridge: 'Bridge' }),
    model('ReferredBy', 'Referred-By information: where the REFER came from.', { source_channel: 'Channel*', connected_channel: 'Channel', bridge: 'Bridge' }),
    model('RequiredDestination', 'The destination the phone asked for.', { protocol_id: 'string', destination: 'string', additional_protocol_params: 'List[AdditionalParam]' }),
    model('AdditionalParam', 'A protocol parameter of a transfer.', { parameter_name: 'string*', parameter_value: 'string*' }),
  ],
};

/** every event type the simulator can send, with its own properties (besides type/timestamp/application) */
const EVENT_PROPS = {
  DeviceStateChanged: { device_state: 'DeviceState*' },
  PlaybackStarted: { playback: 'Playback*' },
  PlaybackContinuing: { playback: 'Playback*' },
  PlaybackFinished: { playback: 'Playback*' },
  ApplicationMoveFailed: { channel: 'Channel*', destination: 'string*', args: 'List[string]*' },
  ApplicationReplaced: {},
  BridgeCreated: { bridge: 'Bridge*' },
  BridgeDestroyed: { bridge: 'Bridge*' },
  ChannelCreated: { channel: 'Channel*' },
  ChannelDestroyed: { cause: 'int*', cause_txt: 'string*', tech_cause: 'int', channel: 'Channel*' },
  ChannelEnteredBridge: { bridge: 'Bridge*', channel: 'Channel' },
  ChannelLeftBridge: { bridge: 'Bridge*', channel: 'Channel*' },
  ChannelStateChange: { channel: 'Channel*' },
  ChannelDtmfReceived: { digit: 'string*', duration_ms: 'int*', channel: 'Channel*' },
  ChannelDialplan: { channel: 'Channel*', dialplan_app: 'string*', dialplan_app_data: 'string*' },
  ChannelCallerId: { caller_presentation: 'int*', caller_presentation_txt: 'string*', channel: 'Channel*' },
  ChannelHangupRequest: { cause: 'int', tech_cause: 'int', soft: 'boolean', channel: 'Channel*' },
  ChannelVarset: { variable: 'string*', value: 'string*', channel: 'Channel' },
  ChannelHold: { channel: 'Channel*', musicclass: 'string' },
  ChannelUnhold: { channel: 'Channel*' },
  ChannelConnectedLine: { channel: 'Channel*' },
  ChannelTransfer: { state: 'string', refer_to: 'ReferTo*', referred_by: 'ReferredBy*' },
  EndpointStateChange: { endpoint: 'Endpoint*' },
  Dial: { caller: 'Channel', peer: 'Channel*', forward: 'string', forwarded: 'Channel', dialstring: 'string', dialstatus: 'string*' },
  StasisEnd: { channel: 'Channel*' },
  StasisStart: { args: 'List[string]*', channel: 'Channel*', replace_channel: 'Channel' },
} as const;

export type EventType = keyof typeof EVENT_PROPS;

export const EVENT_TYPES = Object.keys(EVENT_PROPS) as EventType[];

export const EVENT_MODELS: Model[] = [
  model('Message', 'Base type for errors and events.', { type: 'string*', asterisk_id: 'string' }, { discriminator: 'type', subTypes: ['Event'] }),
  model('Event', 'Base type for asynchronous events from Asterisk.', { application: 'string*', timestamp: 'Date*' }, { subTypes: [...EVENT_TYPES] }),
  ...EVENT_TYPES.map((t) => model(t, `${t} event.`, EVENT_PROPS[t])),
];
