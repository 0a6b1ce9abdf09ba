// The routing table: who owns each channel and bridge the controller makes or takes, in what role,
// for which call. IdMaker (ids.ts) registers every id it makes; a flow that takes a channel it did not
// make (a caller's StasisStart, an attendant set's feature call, a pair handed off) registers it
// there; recovery rebuilds the table after a restart from the store's records and from what Asterisk
// reports. The switchboard hands each ARI event to the one owner the table names, and code that asks
// "what is this id for" asks the table: no id is ever read back (parsed) to learn it.
//
// Lifetimes. A channel that came to the app by itself (a caller, a phone's feature code) is the app's
// only while in Stasis: Asterisk sends it nothing after its StasisEnd (recorded: a caller's StasisEnd
// has no ChannelDestroyed after it), so its route goes with its StasisEnd. A channel the controller
// originated stays subscribed: its ChannelDestroyed comes after its StasisEnd and is still its owner's
// (a transfer target that hangs up while it is being bridged), so its route goes with its
// ChannelDestroyed, and is kept at most until LEFT_KEPT more have left, in case it never comes. A
// bridge's route goes when a flow destroys it (ARI sends no BridgeDestroyed to the app: `routedAri`
// drops it with the DELETE). No id is made twice (ids.ts), so a stale route is never a new channel's.
//
// Bridge names. A bridge the controller creates is given a name that says its role and its call
// (`bridgeName`), and Asterisk reports the name back in GET /bridges: after a restart that is how a
// bridge the store forgot (a pair handed off, a leftover holding bridge) is known again
// (`bridgeRouteOfName`). Format: `attendant:<role>:<callId | group>`, defined and read only here.
//
// The route variable. A leg the controller originates carries its route in a channel variable set
// with the originate and reported (`report_events`): Asterisk 23 lists it in GET /channels as
// `channelvars.ATTENDANT_ROUTE` from the first moment, while the leg still rings (recorded on
// 23.4.1; its Stasis args show only once it answers). After a restart that is how a ringing leg the
// store never recorded (killed between the originate and the write) is known as the controller's.
// Format: `<owner>:<callId>` (`routeVariable`, read by `routeOfChannelVars`), defined and read only here.
import type { AriPort } from '../asterisk/port.ts';
import type { BridgeRole } from '../domain/ids.ts';

export type { BridgeRole };

/**
 * Who answers for a channel:
 * caller: a caller in the app (inbound, and the operations on its call);
 * attendant: an attendant set's side: a presentation leg, then the call's leg once answered; a set's
 *   own feature call (the phone), which a pick-up makes the call's leg;
 * transfer: a blind transfer's target; consultation: a consulted party (a transfer target once a
 *   consultation completes while it rings);
 * monitor: a supervisor's monitoring leg; snoop: the snoop channel it listens through;
 * handoff: one side of a pair handed off (a completed transfer, a three-way call left, the night bell);
 * wakeup: a room's wake-up try; night-bell: the night bell; room: a room phone's feature code.
 */
export type ChannelOwner = 'caller' | 'attendant' | 'transfer' | 'consultation' | 'monitor' | 'snoop' | 'handoff' | 'wakeup' | 'night-bell' | 'room';

export interface ChannelRoute {
  readonly owner: ChannelOwner;
  /** the call the channel belongs to (a caller's own id), when it belongs to one */
  readonly callId?: string;
  /** the controller originated it (IdMaker), as opposed to a channel that came to the app by itself */
  readonly originated?: boolean;
}

export interface BridgeRoute {
  readonly role: BridgeRole;
  /** the call it is for (not for a wait bridge) */
  readonly callId?: string;
  /** a wait bridge's group */
  readonly group?: string;
}

const BRIDGE_ROLES: ReadonlySet<string> = new Set<BridgeRole>(['call', 'hold', 'xfer', 'bell', 'wait', 'monitor']);
const NAME_PREFIX = 'attendant';
/** routes of channels that left the app kept for their late ChannelDestroyed (bounded: some never get one) */
export const LEFT_KEPT = 2000;

/** the name a bridge with this route is created with (reported back by GET /bridges) */
export function bridgeName(route: BridgeRoute): string {
  return `${NAME_PREFIX}:${route.role}:${route.role === 'wait' ? route.group ?? '' : route.callId ?? ''}`;
}

/** the route a bridge name made by `bridgeName` says, or undefined for any other name */
export function bridgeRouteOfName(name: string | undefined): BridgeRoute | undefined {
  if (!name) return undefined;
  const first = name.indexOf(':');
  const second = first < 0 ? -1 : name.indexOf(':', first + 1);
  if (second < 0 || name.slice(0, first) !== NAME_PREFIX) return undefined;
  const role = name.slice(first + 1, second);
  const ref = name.slice(second + 1);
  if (!BRIDGE_ROLES.has(role) || !ref) return undefined;
  return role === 'wait' ? { role, group: ref } : { role: role as BridgeRole, callId: ref };
}

/** the channel variable a leg's route is carried in */
export const ROUTE_VARIABLE = 'ATTENDANT_ROUTE';
const CHANNEL_OWNERS: ReadonlySet<string> = new Set<ChannelOwner>(['caller', 'attendant', 'transfer', 'consultation', 'monitor', 'snoop', 'handoff', 'wakeup', 'night-bell', 'room']);

/** the reported variables an originate gives a leg with this route */
export function routeVariable(route: ChannelRoute): Record<string, string> {
  return { [ROUTE_VARIABLE]: `${route.owner}:${route.callId ?? ''}` };
}

/** the route a channel's reported variables carry (a leg the controller originated), or undefined */
export function routeOfChannelVars(vars: Readonly<Record<string, string>> | undefined): ChannelRoute | undefined {
  const value = vars?.[ROUTE_VARIABLE];
  const colon = value ? value.indexOf(':') : -1;
  if (!value || colon < 0) return undefined;
  const owner = value.slice(0, colon);
  const callId = value.slice(colon + 1);
  if (!CHANNEL_OWNERS.has(owner)) return undefined;
  return { owner: owner as ChannelOwner, originated: true, ...(callId ? { callId } : {}) };
}

export class Routes {
  private readonly channelRoutes = new Map<string, ChannelRoute>();
  private readonly bridgeRoutes = new Map<string, BridgeRoute>();
  /** channels that left the app, oldest first */
  private readonly left = new Set<string>();
  /** when each route was last taken (a count of takes): what a reconciliation may prune */
  private readonly takenAt = new Map<string, number>();
  private takes = 0;
  /** routes a reconciliation found missing from Asterisk: dropped if the next one finds them missing too */
  private missing = new Set<string>();

  channel(id: string): ChannelRoute | undefined {
    return this.channelRoutes.get(id);
  }

  bridge(id: string): BridgeRoute | undefined {
    return this.bridgeRoutes.get(id);
  }

  /** the channel is `route.owner`'s from now on (made, taken, or handed to another flow) */
  takeChannel(id: string, route: ChannelRoute): void {
    this.channelRoutes.set(id, route);
    this.takenAt.set(id, ++this.takes);
    this.left.delete(id);
  }

  /** the channel is `route.owner`'s unless it is routed already (recovery: what this run knows wins) */
  adoptChannel(id: string, route: ChannelRoute): void {
    if (!this.channelRoutes.has(id)) this.takeChannel(id, route);
  }

  /** StasisEnd: gone, unless the controller originated it (kept for its ChannelDestroyed, among the last LEFT_KEPT that left) */
  channelLeft(id: string): void {
    const route = this.channelRoutes.get(id);
    if (!route) return;
    if (!route.originated) {
      this.dropChannel(id);
      return;
    }
    this.left.delete(id);
    this.left.add(id);
    if (this.left.size > LEFT_KEPT) {
      const oldest = this.left.values().next().value!;
      this.left.delete(oldest);
      this.channelRoutes.delete(oldest);
      this.takenAt.delete(oldest);
    }
  }

  /** ChannelDestroyed: the channel is gone for good */
  dropChannel(id: string): void {
    this.channelRoutes.delete(id);
    this.left.delete(id);
    this.takenAt.delete(id);
  }

  takeBridge(id: string, route: BridgeRoute): void {
    this.bridgeRoutes.set(id, route);
    this.takenAt.set(`bridge:${id}`, ++this.takes);
  }

  adoptBridge(id: string, route: BridgeRoute): void {
    if (!this.bridgeRoutes.has(id)) this.takeBridge(id, route);
  }

  dropBridge(id: string): void {
    this.bridgeRoutes.delete(id);
    this.takenAt.delete(`bridge:${id}`);
  }

  /** a point in time for `prune`: routes taken after it are kept */
  mark(): number {
    return this.takes;
  }

  /**
   * After a reconciliation read what Asterisk has: a route whose channel or bridge Asterisk did not
   * list, at this reconciliation and at the one before, is dropped (its end was missed in a drop,
   * Asterisk restarted). Missing once is not enough: an originate or a bridge sent just before the
   * read may reach Asterisk after it. Routes taken after `mark` (the read's start) are never missing.
   */
  prune(mark: number, channels: ReadonlySet<string>, bridges: ReadonlySet<string>): void {
    const missing = new Set<string>();
    for (const id of [...this.channelRoutes.keys()]) {
      if (channels.has(id) || (this.takenAt.get(id) ?? 0) > mark) continue;
      if (this.missing.has(id)) this.dropChannel(id);
      else missing.add(id);
    }
    for (const id of [...this.bridgeRoutes.keys()]) {
      const key = `bridge:${id}`;
      if (bridges.has(id) || (this.takenAt.get(key) ?? 0) > mark) continue;
      if (this.missing.has(key)) this.dropBridge(id);
      else missing.add(key);
    }
    this.missing = missing;
  }

  /** the reported variables to originate leg `id` with: its route (`routeVariable`), nothing when it has none */
  reportedOf(id: string): Record<string, string> {
    const r = this.channelRoutes.get(id);
    return r ? routeVariable(r) : {};
  }

  /** the name to create bridge `id` with: its route's (`bridgeName`), else the id itself */
  nameOf(id: string): string {
    const r = this.bridgeRoutes.get(id);
    return r ? bridgeName(r) : id;
  }

  get channelCount(): number {
    return this.channelRoutes.size;
  }

  get bridgeCount(): number {
    return this.bridgeRoutes.size;
  }
}

/**
 * The ARI port the flows use: the same, but destroying a bridge drops its route (Asterisk sends no
 * BridgeDestroyed to the app, so the DELETE is where a bridge is known gone).
 */
export function routedAri(ari: AriPort, routes: Routes): AriPort {
  const destroyBridge = (id: string): Promise<void> => {
    routes.dropBridge(id);
    return ari.destroyBridge(id);
  };
  return new Proxy(ari, {
    get(target, prop) {
      if (prop === 'destroyBridge') return destroyBridge;
      const v: unknown = Reflect.get(target, prop, target);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}
