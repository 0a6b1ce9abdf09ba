// An AMI server stand-in over TCP that speaks what a real Asterisk 23.4 was recorded saying
// (../../../shared/ami-fixtures/session.jsonl): the greeting line, `Key: value` blocks ending in a
// blank line, ActionID echoed, list actions as `EventList: start` + items + `...Complete`.
// It keeps a small state (hints, devices, PJSIP endpoints and contacts) so list actions answer
// what pushed events changed, including while no client was connected.
import net from 'node:net';
import { EventEmitter } from 'node:events';
import { deviceStateWords, normaliseDeviceState, type DeviceState } from '../../lib/supervision/ami-port.ts';

export type Fields = Array<[string, string]>;

export interface AmiUser {
  secret: string;
  /** write classes (manager.conf `write =`); default: all */
  write?: string[];
}

export interface AmiServerOptions {
  users?: Record<string, AmiUser>;
  /** Asterisk waits about a second before answering a wrong secret; 0 here unless a test wants it */
  authFailureDelayMs?: number;
  /** res_pjsip_notify loaded: false answers PJSIPNotify as an unknown command (as recorded) */
  pjsipNotify?: boolean;
  /** actions left unanswered, as a hung Asterisk or a half-open TCP connection would (e.g. ['Ping']) */
  unanswered?: string[];
  /** TCP port on 127.0.0.1; 0 (default) picks a free one */
  port?: number;
}

interface Hint { exten: string; context: string; hint: string; status: number }
interface Endpoint { name: string; aor: string; staticContacts: string[] }
interface Contact { id: string; aor: string; endpoint: string; uri: string; status: string }

const STATUS_TEXT: Record<number, string> = {
  [-2]: 'Removed', [-1]: 'Deactivated', 0: 'Idle', 1: 'InUse', 2: 'Busy', 4: 'Unavailable', 8: 'Ringing', 9: 'InUse&Ringing', 16: 'Hold', 17: 'InUse&Hold',
};

/** Write classes of the actions the stand-in knows (as `manager show command` lists them). */
const ACTION_CLASSES: Record<string, string[]> = {
  extensionstatelist: ['call', 'reporting'],
  devicestatelist: ['call', 'reporting'],
  pjsipshowendpoints: ['system'],
  pjsipshowcontacts: ['system'],
  pjsipnotify: ['system'],
  ping: [],
};

class Session {
  loggedIn = false;
  events = true;
  user = '';
  private rest = '';
  private lines: string[] = [];
  readonly id = `0x7fed2c${Math.floor(Math.random() * 0xffffff).toString(16).padStart(6, '0')}`;
  readonly openedAt = new Date();

  constructor(readonly socket: net.Socket) {}

  /** Split what arrived into action blocks (a blank line ends each). */
  feed(chunk: string): Fields[] {
    this.rest += chunk;
    const parts = this.rest.split(/\r?\n/);
    this.rest = parts.pop() ?? '';
    const blocks: Fields[] = [];
    for (const line of parts) {
      if (line === '') {
        if (this.lines.length) blocks.push(this.lines.map(splitLine));
        this.lines = [];
      } else {
        this.lines.push(line);
      }
    }
    return blocks;
  }

  write(fields: Fields): void {
    if (this.socket.destroyed) return;
    this.socket.write(fields.map(([k, v]) => `${k}: ${v}\r\n`).join('') + '\r\n');
  }
}

function splitLine(line: string): [string, string] {
  const i = line.indexOf(':');
  if (i < 0) return [line.trim(), ''];
  return [line.slice(0, i).trim(), line.slice(i + 1).trim()];
}

function header(fields: Fields, name: string): string | undefined {
  return fields.find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
}

function headers(fields: Fields, name: string): string[] {
  return fields.filter(([k]) => k.toLowerCase() === name.toLowerCase()).map(([, v]) => v);
}

function tv(d: Date): string {
  return d.toISOString().replace('Z', '+0000');
}

export interface ReceivedAction { user: string; fields: Fields }

export class AmiServerStandIn extends EventEmitter<{ login: [string]; loginFailed: [string]; action: [ReceivedAction]; disconnect: [] }> {
  readonly greeting = 'Asterisk Call Manager/12.0.0';
  private readonly server: net.Server;
  private readonly sessions = new Set<Session>();
  private readonly users: Record<string, AmiUser>;
  private readonly startedAt = Date.now();
  private readonly hints: Hint[] = [];
  private readonly devices = new Map<string, DeviceState>();
  private readonly endpoints: Endpoint[] = [];
  private readonly contacts: Contact[] = [];
  /** every action received, in order (secrets included: it is a test double) */
  readonly received: ReceivedAction[] = [];
  loginAttempts = 0;

  private constructor(private readonly opts: AmiServerOptions) {
    super();
    this.users = { ...(opts.users ?? { admin: { secret: 'amp111' } }) };
    this.server = net.createServer((socket) => this.accept(socket));
  }

  static async start(opts: AmiServerOptions = {}): Promise<AmiServerStandIn> {
    const s = new AmiServerStandIn(opts);
    await new Promise<void>((resolve, reject) => {
      s.server.once('error', reject);
      s.server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
    });
    return s;
  }

  get port(): number {
    const a = this.server.address();
    if (a === null || typeof a === 'string') throw new Error('AMI stand-in not listening');
    return a.port;
  }

  /** logged-in sessions */
  get clients(): number {
    return [...this.sessions].filter((s) => s.loggedIn).length;
  }

  // ------------------------------------------------------------ state, set silently

  addHint(exten: string, context: string, hint: string, status = 0): this {
    this.hints.push({ exten, context, hint, status });
    return this;
  }

  /**
   * a PJSIP endpoint; its device state is the device `PJSIP/<name>`. Static contacts (aor
   * `contact=`) show in EndpointList `Contacts` but, as recorded, not in PJSIPShowContacts.
   */
  addEndpoint(name: string, state: DeviceState = 'NOT_INUSE', opts: { aor?: string; staticContacts?: string[] } = {}): this {
    this.endpoints.push({ name, aor: opts.aor ?? name, staticContacts: opts.staticContacts ?? [] });
    if (!this.devices.has(`PJSIP/${name}`)) this.devices.set(`PJSIP/${name}`, state);
    return this;
  }

  /** change an AMI user's secret (as an admin editing manager.conf and reloading) */
  setSecret(user: string, secret: string): this {
    this.users[user] = { ...this.users[user], secret };
    return this;
  }

  addContact(aor: string, uri: string, status = 'Reachable', endpoint = aor): this {
    this.contacts.push({ id: `${aor};@${Math.abs(hash(uri)).toString(16)}`, aor, endpoint, uri, status });
    return this;
  }

  setDevice(device: string, state: DeviceState): this {
    this.devices.set(device, state);
    return this;
  }

  /** change a hint's state without telling anyone (as if it happened while nobody listened) */
  setExtensionState(exten: string, context: string, status: number): this {
    const h = this.hints.find((x) => x.exten === exten && x.context === context);
    if (!h) throw new Error(`no hint ${exten}@${context} in the stand-in`);
    h.status = status;
    return this;
  }

  setContactStatus(aor: string, uri: string, status: string): this {
    const c = this.contacts.find((x) => x.aor === aor && x.uri === uri);
    if (c) c.status = status;
    return this;
  }

  // ------------------------------------------------------------ pushed events (state + broadcast)

  extensionStatus(exten: string, context: string, status: number): void {
    this.setExtensionState(exten, context, status);
    const h = this.hints.find((x) => x.exten === exten && x.context === context)!;
    this.broadcast([['Event', 'ExtensionStatus'], ['Privilege', 'call,all'], ['Exten', exten], ['Context', context], ['Hint', h.hint], ['Status', String(status)], ['StatusText', STATUS_TEXT[status] ?? 'Unknown']]);
  }

  deviceStateChange(device: string, state: DeviceState): void {
    this.devices.set(device, state);
    this.broadcast([['Event', 'DeviceStateChange'], ['Privilege', 'call,all'], ['Device', device], ['State', state]]);
  }

  /** ContactStatus as res_pjsip raises it; `Removed` also drops the contact from PJSIPShowContacts */
  contactStatus(aor: string, uri: string, status: string, endpoint = aor): void {
    const i = this.contacts.findIndex((x) => x.aor === aor && x.uri === uri);
    if (status === 'Removed') {
      if (i >= 0) this.contacts.splice(i, 1);
    } else if (i < 0) {
      this.addContact(aor, uri, status === 'Created' ? 'Unknown' : status, endpoint);
    } else if (status !== 'Created' && status !== 'Updated') {
      this.contacts[i]!.status = status;
    }
    this.broadcast([['Event', 'ContactStatus'], ['Privilege', 'system,all'], ['URI', uri], ['ContactStatus', status], ['AOR', aor], ['EndpointName', endpoint], ['RoundtripUsec', status === 'Reachable' ? '1534' : '0']]);
  }

  peerStatus(endpoint: string, status: 'Reachable' | 'Unreachable'): void {
    this.broadcast([['Event', 'PeerStatus'], ['Privilege', 'system,all'], ['ChannelType', 'PJSIP'], ['Peer', `PJSIP/${endpoint}`], ['PeerStatus', status]]);
  }

  /** any block, as is, to every logged-in session with events on */
  broadcast(fields: Fields): void {
    for (const s of this.sessions) if (s.loggedIn && s.events) s.write(fields);
  }

  /** cut every TCP connection at once, as a restarting Asterisk or a broken network would */
  dropConnections(): void {
    for (const s of this.sessions) s.socket.destroy();
    this.sessions.clear();
  }

  async close(): Promise<void> {
    this.dropConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ------------------------------------------------------------ protocol

  private accept(socket: net.Socket): void {
    const session = new Session(socket);
    this.sessions.add(session);
    socket.setEncoding('utf8');
    socket.setNoDelay(true);
    socket.write(`${this.greeting}\r\n`);
    socket.on('data', (chunk: string) => {
      for (const block of session.feed(chunk)) this.handle(session, block);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.sessions.delete(session);
      this.emit('disconnect');
    });
  }

  private handle(s: Session, fields: Fields): void {
    const action = header(fields, 'Action') ?? '';
    const id = header(fields, 'ActionID');
    const idField: Fields = id !== undefined ? [['ActionID', id]] : [];
    this.received.push({ user: s.user, fields });
    this.emit('action', { user: s.user, fields });
    const name = action.toLowerCase();
    if (this.opts.unanswered?.some((a) => a.toLowerCase() === name)) return;

    if (name === 'login') { this.login(s, fields, idField); return; }
    if (name === 'logoff') {
      s.write([['Response', 'Goodbye'], ...idField, ['Message', 'Thanks for all the fish.']]);
      s.socket.end();
      return;
    }
    if (!s.loggedIn) {
      s.write([['Response', 'Error'], ...idField, ['Message', 'Authentication Required']]);
      return;
    }
    const known = name in ACTION_CLASSES && (name !== 'pjsipnotify' || this.opts.pjsipNotify !== false);
    if (!known) {
      s.write([['Response', 'Error'], ...idField, ['Message', `Invalid/unknown command: ${action}. Use Action: ListCommands to show available commands.`]]);
      this.securityEvent(s, 'RequestBadFormat', [['RequestType', `Action: ${action}`]]);
      return;
    }
    const write = this.users[s.user]?.write;
    const needs = ACTION_CLASSES[name] ?? [];
    if (write && needs.length && !needs.some((c) => write.includes(c))) {
      s.write([['Response', 'Error'], ...idField, ['Message', 'Permission denied']]);
      return;
    }
    switch (name) {
      case 'ping':
        s.write([['Response', 'Success'], ...idField, ['Ping', 'Pong'], ['Timestamp', (Date.now() / 1000).toFixed(6)]]);
        return;
      case 'extensionstatelist':
        this.list(s, idField, 'Extension Statuses will follow', 'ExtensionStateListComplete', this.hints.map((h) => [
          ['Event', 'ExtensionStatus'], ...idField, ['Exten', h.exten], ['Context', h.context], ['Hint', h.hint], ['Status', String(h.status)], ['StatusText', STATUS_TEXT[h.status] ?? 'Unknown'],
        ]));
        return;
      case 'devicestatelist':
        this.list(s, idField, 'Device State Changes will follow', 'DeviceStateListComplete', [...this.devices].map(([device, state]) => [
          ['Event', 'DeviceStateChange'], ...idField, ['Device', device], ['State', state],
        ]));
        return;
      case 'pjsipshowendpoints':
        if (!this.endpoints.length) { s.write([['Response', 'Error'], ...idField, ['Message', 'No endpoints found\n']]); return; }
        this.list(s, idField, 'A listing of Endpoints follows, presented as EndpointList events', 'EndpointListComplete', this.endpoints.map((e) => [
          ['Event', 'EndpointList'], ...idField, ['ObjectType', 'endpoint'], ['ObjectName', e.name], ['Transport', ''], ['Aor', e.aor], ['Auths', ''], ['OutboundAuths', ''],
          ['Contacts', [...e.staticContacts, ...this.contacts.filter((c) => c.aor === e.aor).map((c) => c.uri)].map((uri) => `${e.aor}/${uri},`).join('')],
          ['DeviceState', deviceStateWords(normaliseDeviceState(this.devices.get(`PJSIP/${e.name}`) ?? 'UNKNOWN'))],
          ['ActiveChannels', '0'],
        ]));
        return;
      case 'pjsipshowcontacts':
        // recorded: Asterisk answers an empty list with an error whose message ends in a newline
        if (!this.contacts.length) { s.write([['Response', 'Error'], ...idField, ['Message', 'No Contacts found\n']]); return; }
        this.list(s, idField, 'A listing of Contacts follows, presented as ContactList events', 'ContactListComplete', this.contacts.map((c) => [
          ['Event', 'ContactList'], ...idField, ['ObjectType', 'contact'], ['ObjectName', c.id], ['ViaAddr', ''], ['ViaPort', '0'], ['QualifyTimeout', '3.000000'],
          ['CallId', ''], ['RegServer', ''], ['PruneOnBoot', 'no'], ['Path', ''], ['Endpoint', c.endpoint], ['AuthenticateQualify', 'no'], ['Uri', c.uri],
          ['QualifyFrequency', '60'], ['UserAgent', ''], ['ExpirationTime', '0'], ['OutboundProxy', ''], ['Status', c.status], ['RoundtripUsec', 'N/A'],
        ]));
        return;
      case 'pjsipnotify': {
        const endpoint = (header(fields, 'Endpoint') ?? '').replace(/^(pj)?sip\//i, '');
        if (!headers(fields, 'Variable').length) { s.write([['Response', 'Error'], ...idField, ['Message', 'PJSIPNotify requires either an endpoint name, a SIP URI, or a channel.']]); return; }
        if (!this.endpoints.some((e) => e.name === endpoint)) { s.write([['Response', 'Error'], ...idField, ['Message', `Unable to retrieve endpoint ${endpoint}`]]); return; }
        s.write([['Response', 'Success'], ...idField, ['Message', 'NOTIFY sent']]);
        return;
      }
    }
  }

  private login(s: Session, fields: Fields, idField: Fields): void {
    this.loginAttempts += 1;
    const user = header(fields, 'Username') ?? '';
    const secret = header(fields, 'Secret') ?? '';
    const account = this.users[user];
    if (!account || account.secret !== secret) {
      this.emit('loginFailed', user);
      setTimeout(() => {
        s.write([['Response', 'Error'], ...idField, ['Message', 'Authentication failed']]);
        s.socket.end();
      }, this.opts.authFailureDelayMs ?? 0);
      return;
    }
    s.loggedIn = true;
    s.user = user;
    // `Events: off` silences the session; anything else (or nothing) leaves the events on
    s.events = (header(fields, 'Events') ?? 'on').toLowerCase() !== 'off';
    s.write([['Response', 'Success'], ...idField, ['Message', 'Authentication accepted']]);
    const uptime = String(Math.floor((Date.now() - this.startedAt) / 1000));
    if (s.events) {
      s.write([['Event', 'FullyBooted'], ['Privilege', 'system,all'], ['Uptime', uptime], ['LastReload', uptime], ['Status', 'Fully Booted']]);
      this.securityEvent(s, 'SuccessfulAuth', [['AccountID', user]], true);
    }
    this.emit('login', user);
  }

  private securityEvent(s: Session, event: string, extra: Fields, successfulAuth = false): void {
    if (!s.events) return;
    const now = tv(new Date());
    const local = `IPV4/TCP/${s.socket.localAddress ?? '127.0.0.1'}/${s.socket.localPort ?? 0}`;
    const remote = `IPV4/TCP/${s.socket.remoteAddress ?? '127.0.0.1'}/${s.socket.remotePort ?? 0}`;
    const common: Fields = [['Event', event], ['Privilege', 'security,all'], ['EventTV', now], ['Severity', successfulAuth ? 'Informational' : 'Error'], ['Service', 'AMI'], ['EventVersion', '1']];
    if (successfulAuth) {
      s.write([...common, ...extra, ['SessionID', s.id], ['LocalAddress', local], ['RemoteAddress', remote], ['UsingPassword', '0'], ['SessionTV', tv(s.openedAt)]]);
    } else {
      s.write([...common, ['SessionID', s.id], ['LocalAddress', local], ['RemoteAddress', remote], ...extra, ['SessionTV', tv(s.openedAt)], ['AccountID', s.user]]);
    }
  }

  private list(s: Session, idField: Fields, message: string, complete: string, items: Fields[]): void {
    s.write([['Response', 'Success'], ...idField, ['EventList', 'start'], ['Message', message]]);
    for (const item of items) s.write(item);
    s.write([['Event', complete], ...idField, ['EventList', 'Complete'], ['ListItems', String(items.length)]]);
  }
}

function hash(text: string): number {
  let h = 0;
  for (const c of text) h = (h * 31 + c.charCodeAt(0)) | 0;
  return h;
}
