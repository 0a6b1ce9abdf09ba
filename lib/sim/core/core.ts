// The simulated Asterisk's state (channels, bridges, endpoints, devices, apps) and event emission.
import type { TimeSource } from '../../domain/clock.ts';
import type { EventType } from '../ari/models.ts';
import type { Behaviour, ContinuedView, OriginateView, SimProbe } from '../types.ts';
import { AppRegistry, type Route, type SimApp } from './apps.ts';
import type { SimBridge } from './bridge.ts';
import type { SimChannel } from './channel.ts';
import { SimEndpoint } from './endpoint.ts';
import { ariTimestamp } from './format.ts';
import { IdFactory } from './ids.ts';
import { Prng } from './prng.ts';
import { SimScheduler } from './scheduler.ts';

export interface CoreOptions {
  time: TimeSource;
  seed: number;
  asteriskId: string;
  playbackMs: number;
  onError: (err: unknown) => void;
}

const ENDED_KEPT = 1000;

export interface PlaybackState {
  id: string;
  media: string[];
  index: number;
  targetUri: string;
  language: string;
  state: 'queued' | 'playing' | 'done';
  channelId?: string;
  bridgeId?: string;
}

export class SimCore {
  readonly scheduler: SimScheduler;
  readonly apps = new AppRegistry();
  readonly asteriskId: string;
  readonly playbackMs: number;
  readonly channels = new Map<string, SimChannel>();
  /** the most recently destroyed channels, for inspection (oldest dropped past ENDED_KEPT) */
  readonly ended = new Map<string, SimChannel>();
  readonly bridges = new Map<string, SimBridge>();
  readonly endpoints = new Map<string, SimEndpoint>();
  /** Stasis: device states and mailboxes persist across restarts (astdb), as in Asterisk */
  readonly deviceStates = new Map<string, string>();
  readonly mailboxes = new Map<string, { old: number; new: number }>();
  readonly playbacks = new Map<string, PlaybackState>();
  readonly continuedLog: ContinuedView[] = [];
  readonly originateLog: OriginateView[] = [];
  /** PUT /applications/{app}/eventFilter exists (Asterisk 13.26 / 16.3+); off, it is an older Asterisk: not documented, 404 */
  eventFilterSupported = true;
  /** the benchmark's observer of phone-side moments (undefined: no cost) */
  probe: SimProbe | undefined;
  ids = new IdFactory();
  rng: Prng;
  startupTime: number;

  constructor(private readonly opts: CoreOptions) {
    this.scheduler = new SimScheduler(opts.time, opts.onError);
    this.asteriskId = opts.asteriskId;
    this.playbackMs = opts.playbackMs;
    this.rng = new Prng(opts.seed);
    this.startupTime = opts.time.now();
  }

  now(): number {
    return this.opts.time.now();
  }

  timestamp(): string {
    return ariTimestamp(this.now());
  }

  /**
   * Send an event to every app it concerns and whose event filter lets it through. `fields` is only
   * built when someone listens, so the noise of thousands of channels costs nothing without subscribers.
   */
  emit(type: EventType, fields: () => Record<string, unknown>, route: Route): void {
    const targets = this.apps.recipients(route, type);
    if (targets.length === 0) return;
    const head = { type, timestamp: this.timestamp() };
    const body = fields();
    for (const app of targets) this.deliver(app, { ...head, ...body, asterisk_id: this.asteriskId, application: app.name });
  }

  deliver(app: SimApp, event: Record<string, unknown>): void {
    app.sink?.send(JSON.stringify(event));
  }

  /** a destroyed channel stays visible to inspection for a while */
  remember(ch: SimChannel): void {
    this.ended.set(ch.id, ch);
    if (this.ended.size > ENDED_KEPT) {
      const oldest = this.ended.keys().next().value;
      if (oldest !== undefined) this.ended.delete(oldest);
    }
  }

  /**
   * The site's dialplan as far as a Local channel sees it: extension number -> the endpoint behind it
   * (`200` -> `PJSIP/ext200`). A number without an entry rings `PJSIP/<number>` when that endpoint
   * exists (sites that name endpoints after extensions), else it is unallocated (cause 1).
   */
  readonly extensions = new Map<string, string>();

  setEndpoint(name: string, behaviour: Behaviour, context?: string): SimEndpoint {
    const existing = this.endpoints.get(name);
    if (existing) {
      existing.behaviour = behaviour;
      if (context !== undefined) existing.context = context;
      return existing;
    }
    const ep = new SimEndpoint(name, behaviour, context ?? 'default');
    this.endpoints.set(name, ep);
    return ep;
  }

  /** Asterisk restarted: calls, bridges and apps are gone without a word; astdb data stays */
  restart(): void {
    this.scheduler.reset();
    this.channels.clear();
    this.ended.clear();
    this.bridges.clear();
    this.playbacks.clear();
    this.apps.clear();
    for (const ep of this.endpoints.values()) ep.channelIds.clear();
    this.ids = new IdFactory();
    this.startupTime = this.now();
  }
}
