// Public shapes of the simulator: phone behaviours, options, and the inspection views tests read.
import type { TimeSource } from '../domain/clock.ts';

/**
 * How a scripted phone (an endpoint) reacts when the simulator dials it.
 * - answer: rings (unless `ring: false`, an auto-answer set) then answers after `afterMs`
 * - ring: rings until hung up or the originate timeout (cause 19)
 * - manual: rings until the test calls answerChannel() or rejectChannel()
 * - busy: answers 486 at once (cause 17)
 * - offline: no registered contact; PJSIP originate then fails with 500 Allocation failed,
 *   a Local channel whose dialplan dials it ends with cause 20 (Subscriber absent)
 * - hangupAfter: answers after `answerAfterMs`, then hangs up (BYE) `hangupAfterMs` later
 * - random: answers after a seeded random delay in [minMs, maxMs]
 * - unallocated: a Local channel to a number the dialplan does not have: ends at once with cause 1
 */
export type Behaviour =
  | { kind: 'answer'; afterMs?: number; ring?: boolean }
  | { kind: 'ring' }
  | { kind: 'manual' }
  | { kind: 'busy' }
  | { kind: 'offline' }
  | { kind: 'hangupAfter'; answerAfterMs: number; hangupAfterMs: number }
  | { kind: 'random'; minMs: number; maxMs: number }
  | { kind: 'unallocated' };

/** Told when phone-side moments happen (the benchmark times presentations with it). */
export interface SimProbe {
  /** an originated leg starts ringing at its phone (180 Ringing) */
  ringing(channelId: string): void;
  /** a channel leaves Stasis for the dialplan (POST /continue): back in the dialplan */
  continued?(channelId: string): void;
}

export interface EndpointOptions {
  /** dialplan context an originated leg shows (pjsip endpoint `context=`); default `default` */
  context?: string;
}

export interface SimulatorOptions {
  /** 0 or absent: a free port */
  port?: number;
  host?: string;
  user: string;
  password: string;
  seed?: number;
  time?: TimeSource;
  /** endpoint name (`PJSIP/att1`, `Local/300@sim-ring`) to its behaviour */
  endpoints?: Record<string, Behaviour | (Behaviour & EndpointOptions)>;
  /** `asterisk_id` on events; default 02:fc:00:00:00:01 */
  asteriskId?: string;
  /** how long a played sound lasts before PlaybackFinished; default 1000 ms */
  playbackMs?: number;
}

export interface PlaceCallOptions {
  /** endpoint the caller comes from, e.g. `PJSIP/pstn` (registered on the fly when unknown) */
  from?: string;
  callerNumber: string;
  callerName?: string;
  context?: string;
  exten: string;
  priority?: number;
  /** Stasis application the dialplan hands the call to; default `attendant` */
  app?: string;
  appArgs: string[];
}

export interface ChannelView {
  id: string;
  name: string;
  state: string;
  endpoint?: string;
  bridgeId?: string;
  inStasis: boolean;
  app?: string;
  hungUp: boolean;
  /** Q.850 cause once hung up */
  hangupCause?: number;
  caller: { name: string; number: string };
  connected: { name: string; number: string };
  /** a Snoop channel: the channel it listens to and the directions asked for */
  snoop?: { target: string; spy: string; whisper: string };
  /** what the app asked the channel to indicate (ring, hold, music) */
  ringing: boolean;
  onHold: boolean;
  moh?: string;
  /** DTMF the app sent to the phone */
  dtmfSent: string;
  variables: Record<string, string>;
}

export interface BridgeView {
  id: string;
  name: string;
  type: string;
  channels: string[];
  moh: boolean;
}

export interface DeviceStateView { name: string; state: string }
export interface MailboxView { name: string; oldMessages: number; newMessages: number }

/** a channel that left Stasis for the dialplan (continue, redirect, failed Stasis) */
export interface ContinuedView {
  channelId: string;
  name: string;
  how: 'continue' | 'redirect' | 'stasis-failed' | 'move' | 'dialplan-originate';
  context?: string;
  extension?: string;
  priority?: number;
  label?: string;
  endpoint?: string;
  app?: string;
  at: number;
}

export interface OriginateView {
  channelId: string;
  endpoint: string;
  app?: string;
  appArgs: string[];
  callerId?: string;
  timeout: number;
  at: number;
}

export interface FailRequestsOptions {
  /** 500 / 503: Asterisk in trouble; 400 / 404 / 405 / 501: a request this Asterisk refuses (an older one, say) */
  status: 400 | 404 | 405 | 500 | 501 | 503;
  /** how many matching requests fail (default: all until forMs ends or clearFaults) */
  count?: number;
  forMs?: number;
  /** ARI path prefix after /ari, e.g. `/channels` */
  pathPrefix?: string;
  /** only requests of this HTTP method (`POST /channels` originates, `DELETE /channels/{id}` hangs up) */
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
}

export interface RequestStats {
  total: number;
  /** by `METHOD /route/{template}` */
  byRoute: Record<string, number>;
}
