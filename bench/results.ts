// The shape of bench/results.json, and the targets of issue #9 it is reported against.
import type { Latency } from './figures.ts';

export interface PhaseResult {
  target: 'controller' | 'baseline';
  /** new calls per second asked for, and really offered by the generator */
  rate: number;
  offeredRate: number;
  placed: number;
  /** calls placed after the warm-up */
  counted: number;
  /** share of the counted calls whose first leg rang before the caller hung up */
  presentedRatio: number;
  /** placed → first leg ringing (simulator clock), ms */
  presentation: Latency;
  /** counted calls presented within 50 ms, per second of counted offer: what the controller really serves */
  presentedFastPerSecond: number;
  /** counted calls handed back to the dialplan (admission control) before any leg rang: share, and placed → back */
  handedBack: { ratio: number; latency: Latency };
  /** counted calls neither presented nor handed back before the caller hung up */
  lostRatio: number;
  /** StasisStart frame in → originate request out (controller probe), ms; baseline: not measured */
  decision: Latency | null;
  /** CPU of the process under test (controller or baseline) per placed call */
  cpuMsPerCall: number;
  /**
   * Redis per presented call: the store's requests (each write is one script call) and commands, the
   * round trips the controller waited for (pipelined writes share one), the server's commands and CPU;
   * null for the baseline, and when no call was presented
   */
  redis: {
    requestsPerCall: number; commandsPerCall: number; roundTripsPerCall: number; serverCommandsPerCall: number; serverCpuMsPerCall: number;
  } | null;
  /** waiting calls + unwritten store batches during the load: max, and whether it grew */
  backlog: { max: number; growing: boolean } | null;
  controllerLagP99Ms: number | null;
  /** frames (ARI events) that reached the controller's WebSocket during the load and its teardown, per placed call; baseline: null */
  ariFramesPerCall: number | null;
  /** the simulator's side: its CPU, the ARI requests and events per call it served, its event-loop lag */
  sim: {
    cpuPercent: number; cpuMsPerCall: number; requestsPerCall: number; requestsByRoute: Record<string, number>;
    eventsPerCall: number; eventsByType: Record<string, number>; lagP99Ms: number;
  };
  /** everything was torn down after the load (no channel, no call left) */
  drained: boolean;
  /** p99 presentation < 50 ms, ≥ 99 % presented, backlog not growing, ≥ 95 % of the rate offered */
  sustained: boolean;
}

export interface Target {
  target: string;
  measured: number | null;
  /** the rate the figure was taken at, when it depends on one */
  atRate?: number;
  met: boolean;
}

export interface BenchResults {
  date: string;
  quick: boolean;
  machine: { cpus: number; node: string; loadavgBefore: number[]; loadavgAfter: number[] };
  settings: {
    attendants: number; groups: string[]; answerDelayMs: [number, number]; holdMs: number;
    durationMs: number; warmupMs: number; logLevel: string; redis: 'throwaway' | 'REDIS_URL';
  };
  rates: Array<{ rate: number; controller: PhaseResult; baseline: PhaseResult; ratio: { p50: number; p99: number } }>;
  sustained: { rate: number; below: number | null; steps: Array<{ rate: number; sustained: boolean; p99: number; presentedRatio: number }> };
  heap: { waitingCalls: number; bytesPerCall: number };
  targets: { decisionP99: Target; redisRoundTrips: Target; heapPerWaitingCall: Target; sustainedRate: Target };
}

export const TARGETS = { decisionP99Ms: 2, decisionAtRate: 200, redisRoundTrips: 3, heapBytes: 4096, sustainedRate: 500 } as const;
