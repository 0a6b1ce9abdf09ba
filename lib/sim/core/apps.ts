// Stasis applications and ARI's subscription model: which events reach which app.
//
// An app hears about a channel, bridge, endpoint or device only while it is subscribed to it.
// Subscriptions are counted ("interested" in res_stasis): originate and an explicit subscribe add
// one each, being in Stasis adds one, a channel of the app inside a bridge adds one to the bridge.
// A channel's subscriptions end when it is destroyed. subscribeAll=true hears everything.
//
// One WebSocket per app, as in Asterisk (app_update): when a second socket registers the same app,
// the newer one takes over, the older one receives ApplicationReplaced and no more events for that
// app; its socket stays open. With no socket the app is inactive and its events are lost, while the
// app object (and its channels in Stasis) live on until nothing refers to it.
//
// Event type filter (PUT /applications/{app}/eventFilter, res_stasis app.c since 13.26 / 16.3): the
// app keeps the `allowed` and `disallowed` arrays it was given, as given; an event goes out when its
// type is in no disallowed entry and (allowed empty) or in an allowed entry. It belongs to the app
// object, so it outlives a socket that drops while the app has channels, and is gone with the app.

export interface EventSink {
  readonly id: number;
  send(text: string): void;
}

export class SimApp {
  sink: EventSink | undefined;
  subscribeAll = false;
  readonly channels = new Map<string, number>();
  readonly bridges = new Map<string, number>();
  readonly endpoints = new Map<string, number>();
  readonly devices = new Set<string>();
  /** the filter arrays as the app set them (undefined: never set, or reset) */
  private eventsAllowed: readonly FilterEntry[] | undefined;
  private eventsDisallowed: readonly FilterEntry[] | undefined;

  constructor(readonly name: string) {}

  /** stasis_app_event_allowed: not disallowed, and allowed (an empty allowed list allows all) */
  allows(type: string): boolean {
    return !matches(this.eventsDisallowed, type, false) && matches(this.eventsAllowed, type, true);
  }

  /**
   * stasis_app_event_filter_set: disallowed first, then allowed, each as app_event_filter_set does it.
   * False for a bad definition (the route answers 400); like Asterisk, a disallowed list already
   * set stays set when the allowed one then turns out bad.
   */
  setEventFilter(body: unknown): boolean {
    const disallowed = filterUpdate(body, 'disallowed');
    if (disallowed === 'bad') return false;
    if (disallowed !== 'keep') this.eventsDisallowed = disallowed;
    const allowed = filterUpdate(body, 'allowed');
    if (allowed === 'bad') return false;
    if (allowed !== 'keep') this.eventsAllowed = allowed;
    return true;
  }

  get active(): boolean {
    return this.sink !== undefined;
  }

  get idle(): boolean {
    return !this.active && this.channels.size === 0 && this.bridges.size === 0 && this.endpoints.size === 0 && this.devices.size === 0;
  }

  toJson(): Record<string, unknown> {
    const sorted = (m: Iterable<string>) => [...m].sort();
    return {
      name: this.name,
      channel_ids: sorted(this.channels.keys()),
      bridge_ids: sorted(this.bridges.keys()),
      endpoint_ids: sorted(this.endpoints.keys()),
      device_names: sorted(this.devices),
      events_allowed: [...(this.eventsAllowed ?? [])],
      events_disallowed: [...(this.eventsDisallowed ?? [])],
    };
  }
}

/** one entry of a filter list: an object with a non-empty string `type` (other keys are kept as sent) */
type FilterEntry = Readonly<Record<string, unknown>> & { readonly type: string };

function matches(list: readonly FilterEntry[] | undefined, type: string, empty: boolean): boolean {
  if (!list || list.length === 0) return empty;
  return list.some((e) => e.type === type);
}

/**
 * app_event_filter_set for one list: the body's array for `key` (undefined: reset), 'keep' when the
 * body is an object that names the other list only, 'bad' for anything but an array of typed objects.
 * No body or `{}` resets both lists; a bare array sets both.
 */
function filterUpdate(body: unknown, key: 'allowed' | 'disallowed'): FilterEntry[] | undefined | 'keep' | 'bad' {
  let list = body;
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
    const fields = body as Record<string, unknown>;
    if (Object.keys(fields).length === 0) list = undefined;
    else if (!(key in fields)) return 'keep';
    else list = fields[key];
  }
  if (list === undefined) return undefined;
  if (!Array.isArray(list)) return 'bad';
  for (const e of list as unknown[]) {
    const type = e !== null && typeof e === 'object' && !Array.isArray(e) ? (e as Record<string, unknown>).type : undefined;
    if (typeof type !== 'string' || type === '') return 'bad';
  }
  return list as FilterEntry[];
}

/** what an event is about, to decide who hears it */
export interface Route {
  channels?: readonly { id: string; endpoint: string | undefined }[];
  bridgeId?: string;
  endpoint?: string;
  device?: string;
  /** apps that hear it regardless (subscribed just before the object went away) */
  also?: ReadonlySet<SimApp>;
}

type Kind = 'channels' | 'bridges' | 'endpoints';

export class AppRegistry {
  private readonly apps = new Map<string, SimApp>();

  get(name: string): SimApp | undefined {
    return this.apps.get(name);
  }

  all(): SimApp[] {
    return [...this.apps.values()];
  }

  isActive(name: string): boolean {
    return this.apps.get(name)?.active ?? false;
  }

  /** a WebSocket registers apps; returns the sinks that lost an app to it (they get ApplicationReplaced) */
  attach(names: readonly string[], subscribeAll: boolean, sink: EventSink): Array<{ app: SimApp; previous: EventSink }> {
    const replaced: Array<{ app: SimApp; previous: EventSink }> = [];
    for (const name of names) {
      let app = this.apps.get(name);
      if (!app) {
        app = new SimApp(name);
        this.apps.set(name, app);
      }
      if (app.sink && app.sink.id !== sink.id) replaced.push({ app, previous: app.sink });
      app.sink = sink;
      app.subscribeAll = subscribeAll;
    }
    return replaced;
  }

  /** a WebSocket closed: its apps become inactive */
  detach(sink: EventSink): void {
    for (const app of this.apps.values()) {
      if (app.sink?.id !== sink.id) continue;
      app.sink = undefined;
      this.retireIfIdle(app);
    }
  }

  /** the apps currently listening that this event concerns and whose filter lets `type` through */
  recipients(route: Route, type: string): SimApp[] {
    const out: SimApp[] = [];
    for (const app of this.apps.values()) {
      if (!app.sink || !app.allows(type)) continue;
      if (app.subscribeAll || route.also?.has(app) || this.concerns(app, route)) out.push(app);
    }
    return out;
  }

  private concerns(app: SimApp, route: Route): boolean {
    if (route.channels) {
      for (const c of route.channels) {
        if (app.channels.has(c.id)) return true;
        if (c.endpoint && this.hearsEndpoint(app, c.endpoint)) return true;
      }
    }
    if (route.bridgeId !== undefined && app.bridges.has(route.bridgeId)) return true;
    if (route.endpoint !== undefined && this.hearsEndpoint(app, route.endpoint)) return true;
    return route.device !== undefined && app.devices.has(route.device);
  }

  private hearsEndpoint(app: SimApp, endpoint: string): boolean {
    if (app.endpoints.size === 0) return false;
    return app.endpoints.has(endpoint) || app.endpoints.has(endpoint.slice(0, endpoint.indexOf('/')));
  }

  /** apps subscribed to a bridge right now */
  subscribersOfBridge(bridgeId: string): Set<SimApp> {
    const out = new Set<SimApp>();
    for (const app of this.apps.values()) if (app.bridges.has(bridgeId)) out.add(app);
    return out;
  }

  subscribe(appName: string, kind: Kind, id: string): boolean {
    const app = this.apps.get(appName);
    if (!app) return false;
    const m = app[kind];
    m.set(id, (m.get(id) ?? 0) + 1);
    return true;
  }

  unsubscribe(appName: string, kind: Kind, id: string): boolean {
    const app = this.apps.get(appName);
    if (!app) return false;
    const m = app[kind];
    const n = m.get(id);
    if (n === undefined) return false;
    if (n <= 1) m.delete(id);
    else m.set(id, n - 1);
    this.retireIfIdle(app);
    return true;
  }

  /** the object is gone: every app's interest in it ends */
  forget(kind: Kind, id: string): void {
    for (const app of this.apps.values()) {
      if (app[kind].delete(id)) this.retireIfIdle(app);
    }
  }

  subscribeDevice(appName: string, device: string): boolean {
    const app = this.apps.get(appName);
    if (!app) return false;
    app.devices.add(device);
    return true;
  }

  unsubscribeDevice(appName: string, device: string): boolean {
    const app = this.apps.get(appName);
    if (!app || !app.devices.delete(device)) return false;
    this.retireIfIdle(app);
    return true;
  }

  /** Asterisk restarted: no app survives */
  clear(): void {
    this.apps.clear();
  }

  private retireIfIdle(app: SimApp): void {
    if (app.idle) this.apps.delete(app.name);
  }
}
