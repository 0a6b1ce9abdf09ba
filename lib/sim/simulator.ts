// The Simulator object: the in-process face of the simulated Asterisk (phones, inspection, faults).
import type { Server } from 'node:http';
import type { WebSocketServer } from 'ws';
import type { SimCore } from './core/core.ts';
import type { SimChannel } from './core/channel.ts';
import { endpointChanged } from './core/channel-state.ts';
import * as phones from './core/phones.ts';
import type { EventSockets } from './http/ws.ts';
import type { Faults } from './http/faults.ts';
import type {
  Behaviour, BridgeView, ChannelView, ContinuedView, DeviceStateView, EndpointOptions, FailRequestsOptions,
  MailboxView, OriginateView, PlaceCallOptions, RequestStats,
} from './types.ts';

export interface EndpointView {
  name: string;
  behaviour: Behaviour;
  context: string;
  state: 'online' | 'offline';
  channelIds: string[];
}

export class Simulator {
  /** base URL for ari-client: ari.connect(sim.url, user, password) */
  readonly url: string;
  /** the ARI root, e.g. http://127.0.0.1:8088/ari */
  readonly ariUrl: string;
  /** the events WebSocket for an app, with credentials */
  readonly eventsUrl: (app: string, subscribeAll?: boolean) => string;
  readonly controlUrl: string;

  constructor(
    readonly core: SimCore,
    private readonly sockets: EventSockets,
    private readonly faults: Faults,
    private readonly server: Server,
    private readonly wss: WebSocketServer,
    readonly host: string,
    readonly port: number,
    credentials: { user: string; password: string },
  ) {
    this.url = `http://${host}:${port}`;
    this.ariUrl = `${this.url}/ari`;
    this.controlUrl = `${this.url}/sim`;
    const key = `${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}`;
    this.eventsUrl = (app, subscribeAll = false) => `ws://${host}:${port}/ari/events?app=${encodeURIComponent(app)}&api_key=${key}${subscribeAll ? '&subscribeAll=true' : ''}`;
  }

  // ---- endpoints (scripted phones and dialplan stand-ins)

  setEndpoint(name: string, behaviour: Behaviour, options: EndpointOptions = {}): void {
    if (!/^[^/]+\/.+$/.test(name)) throw new Error(`endpoint name must be tech/resource, got '${name}'`);
    const before = this.core.endpoints.get(name)?.online;
    const ep = this.core.setEndpoint(name, behaviour, options.context);
    if (before !== undefined && before !== ep.online) endpointChanged(this.core, name);
  }

  /** the site's extension `number` rings `endpoint` when dialled through a Local channel (Local/<number>@<context>) */
  setExtension(number: string, endpoint: string): void {
    this.core.extensions.set(number, endpoint);
  }

  removeEndpoint(name: string): boolean {
    return this.core.endpoints.delete(name);
  }

  endpoints(): EndpointView[] {
    return [...this.core.endpoints.values()].map((e) => ({
      name: e.name, behaviour: e.behaviour, context: e.context, state: e.online ? 'online' : 'offline', channelIds: [...e.channelIds],
    }));
  }

  // ---- the phone side

  placeCall(opts: PlaceCallOptions): string {
    return phones.placeCall(this.core, opts);
  }

  /** the caller (or any phone) hangs up: BYE when answered (cause 16), CANCEL before (127 / 487) */
  hangupCaller(channelId: string, cause?: number): void {
    phones.hangupCaller(this.core, channelId, cause);
  }

  answerChannel(channelId: string): void {
    phones.answerChannel(this.core, channelId);
  }

  rejectChannel(channelId: string, cause?: number): void {
    phones.rejectChannel(this.core, channelId, cause);
  }

  sendDtmf(channelId: string, digits: string, durationMs?: number): void {
    phones.sendDtmf(this.core, channelId, digits, durationMs);
  }

  pressTransfer(channelId: string, destination: string, replacesChannelId?: string): void {
    phones.pressTransfer(this.core, channelId, destination, replacesChannelId);
  }

  phoneHold(channelId: string, held: boolean, musicClass?: string): void {
    phones.phoneHold(this.core, channelId, held, musicClass);
  }

  // ---- inspection

  /** live channels, then the last 1,000 destroyed ones (hungUp: true, with their cause) */
  channels(): ChannelView[] {
    return [...this.core.channels.values(), ...this.core.ended.values()].map((c) => this.viewOf(c));
  }

  private viewOf(c: SimChannel): ChannelView {
    return {
      id: c.id, name: c.name, state: c.state, ...(c.endpoint ? { endpoint: c.endpoint } : {}),
      ...(c.bridge ? { bridgeId: c.bridge.id } : {}), inStasis: c.stasisApp !== undefined, ...(c.stasisApp ? { app: c.stasisApp } : {}),
      hungUp: c.hungUp, ...(c.hungUp ? { hangupCause: c.hangupCause } : {}), caller: { ...c.caller }, connected: { ...c.connected }, ringing: c.ringing, onHold: c.onHold,
      ...(c.moh !== undefined ? { moh: c.moh } : {}), dtmfSent: c.dtmfSent, variables: Object.fromEntries(c.vars),
      ...(c.snoopTarget && c.snoopDirections ? { snoop: { target: c.snoopTarget.id, ...c.snoopDirections } } : {}),
    };
  }

  /** one channel, live or among the last 1,000 destroyed: cheap enough to poll in a loop */
  channel(id: string): ChannelView | undefined {
    const c = this.core.channels.get(id) ?? this.core.ended.get(id);
    return c ? this.viewOf(c) : undefined;
  }

  bridges(): BridgeView[] {
    return [...this.core.bridges.values()].map((b) => ({
      id: b.id, name: b.name, type: b.kind, channels: b.toJson().channels, moh: b.moh !== undefined,
    }));
  }

  deviceStates(): DeviceStateView[] {
    return [...this.core.deviceStates.entries()].map(([name, state]) => ({ name, state }));
  }

  mailboxes(): MailboxView[] {
    return [...this.core.mailboxes.entries()].map(([name, b]) => ({ name, oldMessages: b.old, newMessages: b.new }));
  }

  continued(): ContinuedView[] {
    return this.core.continuedLog.map((c) => ({ ...c }));
  }

  originated(): OriginateView[] {
    return this.core.originateLog.map((o) => ({ ...o, appArgs: [...o.appArgs] }));
  }

  requests(): RequestStats {
    return this.faults.stats();
  }

  /** the last 1,000 REST requests as `METHOD /route/{template}`, oldest first (which came before which) */
  requestOrder(): string[] {
    return this.faults.recent();
  }

  /** REST requests served under /ari (the api-docs documents are not counted) */
  requestCount(): number {
    return this.faults.stats().total;
  }

  connectedApps(): string[] {
    return this.sockets.connectedApps();
  }

  /** event WebSockets open now (two controllers: only the active one may hold one) */
  openSockets(): number {
    return this.sockets.size;
  }

  /** resolves once the work Asterisk does "right after" a request has run (not timers: advance those) */
  idle(): Promise<void> {
    return this.core.scheduler.idle();
  }

  // ---- faults

  /** the whole Asterisk restarts: channels, bridges and apps vanish without events, sockets drop */
  restart(opts: { bootMs?: number } = {}): void {
    this.sockets.drop();
    this.faults.abortDelayed();
    this.core.restart();
    if (opts.bootMs) this.faults.bootFor(opts.bootMs);
  }

  failRequests(opts: FailRequestsOptions): void {
    this.faults.failRequests(opts);
  }

  delayRequests(ms: number): void {
    this.faults.delayMs = Math.max(0, ms);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  /**
   * An Asterisk older than 13.26 / 16.3 (false): PUT /applications/{app}/eventFilter is neither
   * documented nor routed (404 `Resource not found`); filters already set stay in force. Default true.
   */
  setEventFilterSupport(supported: boolean): void {
    this.core.eventFilterSupported = supported;
  }

  /** close the event socket(s) only; calls and bridges stay */
  dropWebSocket(app?: string): number {
    return this.sockets.drop(app);
  }

  /** stop listening and drop every connection */
  async stop(): Promise<void> {
    this.sockets.drop();
    this.core.scheduler.reset();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** same as stop() */
  close(): Promise<void> {
    return this.stop();
  }
}
