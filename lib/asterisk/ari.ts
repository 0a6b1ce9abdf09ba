// The ARI port: opens the Stasis app's events WebSocket (ari-socket.ts), reconnects with backoff,
// reads every event once at the edge (ari-events.ts) and exposes the typed AriPort. REST requests go through
// ari-rest.ts (a keep-alive pool that keeps Asterisk's status). ari-client is not used: its swagger
// resources dropped statuses and its event dispatch cost CPU on every frame (see ari-socket.ts).
import type { Logger } from 'pino';
import type { TimeSource } from '../domain/clock.ts';
import type { AriEvent, AriPort, BridgeInfo, ChannelInfo, DeviceState, OriginateRequest, TransferProgress } from './port.ts';
import { AriError, ARI_EVENT_TYPES } from './port.ts';
import { ariProbe } from './probe.ts';
import { createAriRest, type AriRest, type Query } from './ari-rest.ts';
import { openEventSocket, type EventSocket } from './ari-socket.ts';
import { parseAriEvent } from './ari-events.ts';

export { parseAriEvent };

/** what the ARI link is doing: the controller's /healthz and the console show it */
export type AriLinkState = 'up' | 'connecting' | 'unauthorized' | 'down';

/** a failed opening: the upgrade's HTTP status (a refused login is 401), 503 when Asterisk did not answer */
export function connectFailure(err: unknown): { status: number; message: string } {
  const message = err instanceof Error ? err.message : String(err);
  const said = (err as { status?: unknown } | null)?.status;
  const status = typeof said === 'number' ? said : Number(/^(\d{3}) : /.exec(message)?.[1] ?? (/ECONNREFUSED|EHOSTUNREACH|ENOTFOUND|ETIMEDOUT|ECONNRESET|socket hang up/.test(message) ? 503 : 0));
  return { status, message };
}

/** the event filter body: only the types Attendant consumes (an empty allowed list would mean all) */
export const EVENT_FILTER = { allowed: ARI_EVENT_TYPES.map((type) => ({ type })) };

export interface AriConnectOptions {
  url: string;
  user: string;
  password: string;
  app: string;
  log: Logger;
  /** first reconnect delay; doubles up to maxDelayMs */
  minDelayMs?: number;
  maxDelayMs?: number;
  /** a REST request without an answer after this long fails (status 504), so no caller waits on a hung Asterisk; default 5000 */
  requestTimeoutMs?: number;
  /** the clock of request timeouts (tests share a manual one with the simulator); default real time */
  time?: TimeSource;
  /**
   * On each socket opening, before the port reports itself connected (so before any reconcile), ask
   * Asterisk to send the app only ARI_EVENT_TYPES; refused (an Asterisk before 13.26 / 16.3), one
   * warning and the app runs unfiltered. Default true.
   */
  eventFilter?: boolean;
  /** REST sockets kept open to Asterisk (ari-rest.ts); default 32 */
  maxSockets?: number;
}

class AriSocketPort implements AriPort {
  readonly app: string;
  /** the events socket while it is open */
  private socket: EventSocket | undefined;
  private connected = false;
  private closing = false;
  private readonly eventListeners: Array<(e: AriEvent) => void> = [];
  private readonly connectionListeners: Array<(up: boolean) => void> = [];
  private retryTimer: NodeJS.Timeout | undefined;
  private delay: number;
  /** the event filter request of the socket opened last; the port is connected once it is answered */
  private filtering: Promise<void> = Promise.resolve();
  /** socket openings and losses: a filter answer for a socket lost since does not mark the port connected */
  private socketEpoch = 0;
  private filterRefused = false;
  private state: AriLinkState = 'connecting';
  /** settled after the first try, whatever its outcome */
  private tried: () => void = () => undefined;
  private readonly firstTry = new Promise<void>((resolve) => { this.tried = resolve; });
  /** ends the pause between two tries (close) */
  private wake: () => void = () => undefined;

  /** every REST request goes here */
  private readonly rest: AriRest;

  constructor(private readonly opts: AriConnectOptions) {
    this.app = opts.app;
    this.rest = createAriRest({ url: opts.url, user: opts.user, password: opts.password, ...(opts.requestTimeoutMs !== undefined ? { timeoutMs: opts.requestTimeoutMs } : {}), ...(opts.time ? { time: opts.time } : {}), ...(opts.maxSockets !== undefined ? { maxSockets: opts.maxSockets } : {}) });
    this.delay = opts.minDelayMs ?? 250;
  }

  onEvent(listener: (event: AriEvent) => void): void { this.eventListeners.push(listener); }
  onConnection(listener: (up: boolean) => void): void { this.connectionListeners.push(listener); }
  isConnected(): boolean { return this.connected; }
  linkState(): AriLinkState { return this.state; }
  triedOnce(): Promise<void> { return this.firstTry; }

  /**
   * Connect, retrying with backoff until the app runs; resolves on the first success. Every failure is
   * an outage, a refused login (401 / 403: a wrong password in the configuration or in ari.conf) too:
   * one log line per try naming the user and URL, never an exception, and the next try may succeed
   * once the password is fixed on either side.
   */
  async open(): Promise<void> {
    for (;;) {
      if (this.closing) throw new Error('ARI port closed');
      try {
        await this.attempt();
        this.tried();
        return;
      } catch (err) {
        this.tried();
        if (this.closing) throw new Error('ARI port closed');
        const { status, message } = connectFailure(err);
        const where = { user: this.opts.user, url: this.opts.url, retryInMs: this.delay };
        if (status === 401 || status === 403) {
          this.state = 'unauthorized';
          this.opts.log.error({ ...where, status }, `ARI refused user "${this.opts.user}" at ${this.opts.url} (${status}): check asterisk.ari.user / password against Asterisk's ari.conf; retrying`);
        } else {
          this.state = 'down';
          this.opts.log.warn({ ...where, status, err: message }, `ARI at ${this.opts.url} not reachable; retrying`);
        }
        await new Promise<void>((r) => { this.retryTimer = setTimeout(r, this.delay); this.wake = r; });
        this.delay = Math.min(this.delay * 2, this.opts.maxDelayMs ?? 10_000);
      }
    }
  }

  private async attempt(): Promise<void> {
    const holder: { socket?: EventSocket } = {};
    const socket = await openEventSocket({
      url: this.opts.url, user: this.opts.user, password: this.opts.password, app: this.opts.app,
      onEvent: (raw) => this.dispatch(raw),
      onClose: () => { if (holder.socket) this.socketClosed(holder.socket); },
    });
    holder.socket = socket;
    if (this.closing) {
      socket.close();
      throw new Error('ARI port closed');
    }
    this.socket = socket;
    ariProbe?.attach(socket.ws);
    this.socketOpened(socket);
    await this.filtering;
    this.delay = this.opts.minDelayMs ?? 250;
  }

  /** every opening (the first and each reconnect): filter, then report the port up */
  private socketOpened(socket: EventSocket): void {
    const epoch = ++this.socketEpoch;
    this.filtering = Promise.all([this.setEventFilter(), this.rest.warm()]).then(() => {
      if (epoch === this.socketEpoch && this.socket === socket && !this.closing) this.setConnected(true);
    });
  }

  /** the socket closed (Asterisk stopped or restarted, the network dropped): down, and open again with backoff */
  private socketClosed(socket: EventSocket): void {
    if (this.socket !== socket) return;
    this.socket = undefined;
    this.socketEpoch++;
    this.setConnected(false);
    if (this.closing) return;
    this.state = 'connecting';
    this.opts.log.warn({ url: this.opts.url, retryInMs: this.delay }, 'ARI WebSocket closed; reconnecting');
    this.retryTimer = setTimeout(() => { void this.open().catch(() => undefined); }, this.delay);
  }

  /**
   * PUT /applications/{app}/eventFilter with ARI_EVENT_TYPES as the allowed list. The filter belongs
   * to the app on Asterisk, which may have forgotten it (restarted, or the app retired while no socket
   * held it), so it is set on every opening. Never fails: refused, the app runs unfiltered.
   */
  private async setEventFilter(): Promise<void> {
    if (this.opts.eventFilter === false) return;
    try {
      await this.rest.request('applications.filter', 'PUT', `/applications/${encodeURIComponent(this.app)}/eventFilter`, {}, EVENT_FILTER);
      this.opts.log.debug({ allowed: ARI_EVENT_TYPES }, 'ARI event filter set');
    } catch (err) {
      // an Asterisk before 13.26 / 16.3 has no such route: any refusal leaves the app unfiltered
      this.filterRefusedBy(err instanceof AriError ? err : new AriError(0, String(err), 'applications.filter'));
    }
  }

  /** one warning for the first refusal; later ones (each reconnect) are only noted */
  private filterRefusedBy(err: AriError): void {
    const fields = { status: err.status, err: err.message };
    if (this.filterRefused) this.opts.log.info(fields, 'ARI event filter refused again; still unfiltered');
    else this.opts.log.warn(fields, 'ARI event filter refused: running unfiltered (every event of the app is received, the unused ones dropped here)');
    this.filterRefused = true;
  }

  private setConnected(up: boolean): void {
    if (this.connected === up) return;
    this.connected = up;
    this.state = up ? 'up' : 'down';
    this.opts.log.info({ up }, up ? 'ARI WebSocket connected' : 'ARI WebSocket lost');
    for (const l of this.connectionListeners) l(up);
  }

  private dispatch(raw: unknown): void {
    const event = parseAriEvent(raw);
    if (!event) return;
    if (ariProbe && event.type === 'StasisStart' && !event.args[0]?.startsWith('@')) ariProbe.callerArrived(event.channel.id);
    for (const l of this.eventListeners) {
      try { l(event); } catch (err) { this.opts.log.error({ err, type: event.type }, 'event handler failed'); }
    }
  }

  /** a REST request over the keep-alive pool; refused while the WebSocket is down (events could not follow) */
  private async call<T>(operation: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, query?: Query, body?: unknown): Promise<T> {
    if (!this.socket) throw new AriError(503, 'ARI not connected', operation);
    return this.rest.request<T>(operation, method, path, query, body);
  }

  async originate(req: OriginateRequest): Promise<ChannelInfo> {
    const query: Query = { endpoint: req.endpoint, app: this.app, appArgs: req.appArgs?.length ? req.appArgs.join(',') : undefined, callerId: req.callerId, timeout: req.timeout, channelId: req.channelId };
    const variables: Record<string, string | { value: string; report_events: true }> = { ...req.variables };
    for (const [name, value] of Object.entries(req.reported ?? {})) variables[name] = { value, report_events: true };
    return plainChannel(await this.call<ChannelInfo>('channels.originate', 'POST', '/channels', query, Object.keys(variables).length ? { variables } : undefined));
  }

  async answer(channelId: string) { await this.call('channels.answer', 'POST', `${ch(channelId)}/answer`); }
  async ring(channelId: string) { await this.call('channels.ring', 'POST', `${ch(channelId)}/ring`); }
  async ringStop(channelId: string) { await this.call('channels.ringStop', 'DELETE', `${ch(channelId)}/ring`); }
  async hangup(channelId: string, reason?: string) { await this.call('channels.hangup', 'DELETE', ch(channelId), { reason }); }
  async continueInDialplan(channelId: string, to: { context?: string; extension?: string; priority?: number; label?: string }) {
    await this.call('channels.continueInDialplan', 'POST', `${ch(channelId)}/continue`, { ...to });
  }
  async redirect(channelId: string, endpoint: string) { await this.call('channels.redirect', 'POST', `${ch(channelId)}/redirect`, { endpoint }); }
  async startMoh(channelId: string, mohClass?: string) { await this.call('channels.startMoh', 'POST', `${ch(channelId)}/moh`, { mohClass }); }
  async stopMoh(channelId: string) { await this.call('channels.stopMoh', 'DELETE', `${ch(channelId)}/moh`); }
  async hold(channelId: string) { await this.call('channels.hold', 'POST', `${ch(channelId)}/hold`); }
  async unhold(channelId: string) { await this.call('channels.unhold', 'DELETE', `${ch(channelId)}/hold`); }
  async play(channelId: string, media: string, playbackId?: string) { await this.call('channels.play', 'POST', `${ch(channelId)}/play`, { media, playbackId }); }
  async setVariable(channelId: string, variable: string, value: string) { await this.call('channels.setChannelVar', 'POST', `${ch(channelId)}/variable`, { variable, value }); }
  async getVariable(channelId: string, variable: string): Promise<string> {
    const r = await this.call<{ value?: string }>('channels.getChannelVar', 'GET', `${ch(channelId)}/variable`, { variable });
    return r.value ?? '';
  }
  async sendDtmf(channelId: string, dtmf: string) { await this.call('channels.sendDTMF', 'POST', `${ch(channelId)}/dtmf`, { dtmf }); }
  async transferProgress(channelId: string, state: TransferProgress) { await this.call('channels.transfer_progress', 'POST', `${ch(channelId)}/transfer_progress`, { states: state }); }
  async snoop(channelId: string, o: { spy: string; whisper: string; appArgs?: string[]; snoopId?: string }): Promise<ChannelInfo> {
    const query: Query = { app: this.app, spy: o.spy, whisper: o.whisper, appArgs: o.appArgs?.length ? o.appArgs.join(',') : undefined };
    const path = o.snoopId ? `${ch(channelId)}/snoop/${encodeURIComponent(o.snoopId)}` : `${ch(channelId)}/snoop`;
    return plainChannel(await this.call<ChannelInfo>(o.snoopId ? 'channels.snoopChannelWithId' : 'channels.snoopChannel', 'POST', path, query));
  }
  async getChannel(channelId: string): Promise<ChannelInfo> { return plainChannel(await this.call<ChannelInfo>('channels.get', 'GET', ch(channelId))); }
  async startupTime(): Promise<string> {
    const info = await this.call<{ status?: { startup_time?: string } }>('asterisk.getInfo', 'GET', '/asterisk/info', { only: 'status' });
    return info.status?.startup_time ?? '';
  }
  async listChannels(): Promise<ChannelInfo[]> { return (await this.call<ChannelInfo[]>('channels.list', 'GET', '/channels')).map(plainChannel); }

  async createBridge(type: 'mixing' | 'holding', name?: string, bridgeId?: string, opts: { dtmfEvents?: boolean } = {}): Promise<BridgeInfo> {
    const query: Query = { type: opts.dtmfEvents ? `${type},dtmf_events` : type, name };
    const made = bridgeId
      ? await this.call<BridgeInfo>('bridges.createWithId', 'POST', br(bridgeId), query)
      : await this.call<BridgeInfo>('bridges.create', 'POST', '/bridges', query);
    return plainBridge(made);
  }
  async destroyBridge(bridgeId: string) { await this.call('bridges.destroy', 'DELETE', br(bridgeId)); }
  async addChannel(bridgeId: string, channelIds: string[], role?: string) {
    await this.call('bridges.addChannel', 'POST', `${br(bridgeId)}/addChannel`, { channel: channelIds.join(','), role });
  }
  async removeChannel(bridgeId: string, channelIds: string[]) { await this.call('bridges.removeChannel', 'POST', `${br(bridgeId)}/removeChannel`, { channel: channelIds.join(',') }); }
  async bridgeStartMoh(bridgeId: string, mohClass?: string) { await this.call('bridges.startMoh', 'POST', `${br(bridgeId)}/moh`, { mohClass }); }
  async bridgeStopMoh(bridgeId: string) { await this.call('bridges.stopMoh', 'DELETE', `${br(bridgeId)}/moh`); }
  async listBridges(): Promise<BridgeInfo[]> { return (await this.call<BridgeInfo[]>('bridges.list', 'GET', '/bridges')).map(plainBridge); }

  async setDeviceState(name: string, state: DeviceState) { await this.call('deviceStates.update', 'PUT', `/deviceStates/${encodeURIComponent(name)}`, { deviceState: state }); }
  async listDeviceStates(): Promise<Array<{ name: string; state: string }>> {
    return (await this.call<Array<{ name?: unknown; state?: unknown }>>('deviceStates.list', 'GET', '/deviceStates')).map((d) => ({ name: String(d.name ?? ''), state: String(d.state ?? '') }));
  }
  async setMailbox(name: string, oldMessages: number, newMessages: number) { await this.call('mailboxes.update', 'PUT', `/mailboxes/${encodeURIComponent(name)}`, { oldMessages, newMessages }); }

  async close(): Promise<void> {
    this.closing = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.wake();
    const socket = this.socket;
    this.socket = undefined;
    socket?.close();
    this.rest.close();
    this.setConnected(false);
  }
}

const ch = (channelId: string) => `/channels/${encodeURIComponent(channelId)}`;
const br = (bridgeId: string) => `/bridges/${encodeURIComponent(bridgeId)}`;

// only the data fields Attendant reads (Asterisk's JSON carries more)
function plainChannel(c: ChannelInfo): ChannelInfo {
  return { id: c.id, name: c.name, state: c.state, caller: c.caller, connected: c.connected, ...(c.dialplan ? { dialplan: c.dialplan } : {}), ...(c.creationtime ? { creationtime: c.creationtime } : {}), ...(c.channelvars ? { channelvars: c.channelvars } : {}) };
}
function plainBridge(b: BridgeInfo): BridgeInfo {
  return { id: b.id, bridge_type: b.bridge_type, name: b.name, channels: [...(b.channels ?? [])] };
}

/** An ARI port that says how its link is doing. */
export interface AriLink extends AriPort {
  linkState(): AriLinkState;
  /** connect (retrying for ever, with backoff) and start the Stasis app; resolves on the first success */
  open(): Promise<void>;
  /** resolves once the first try of open() succeeded or failed */
  triedOnce(): Promise<void>;
}

/** The port, not yet connected: `open()` connects (the controller serves its API meanwhile). */
export function createAriLink(opts: AriConnectOptions): AriLink {
  return new AriSocketPort(opts);
}

/** Connect to ARI (retrying until Asterisk answers) and start the Stasis app. */
export async function connectAri(opts: AriConnectOptions): Promise<AriLink> {
  const port = new AriSocketPort(opts);
  await port.open();
  return port;
}
