// Erlang B and Erlang C dimensioning, pure arithmetic.
//
// Terms used throughout:
// - Traffic intensity A (offered traffic), in Erlangs: the mean number of servers
//   that would be busy if every call were served, A = n·h / T (n calls of mean
//   holding time h in an observation time T), equivalently A = λ·h.
// - Erlang B ("lost calls cleared"): a call that finds all N lines busy is
//   rejected and disappears. B(N, A) is the probability of that (the blocking,
//   or grade of service). Used for trunks and lines.
// - Erlang C ("lost calls held"/delayed): a call that finds all N servers busy
//   waits in an unlimited FIFO queue without abandoning. C(N, A) is the
//   probability that a call has to wait at all. Used for attendants/agents.
// - Service level: the fraction of calls answered within a target time T.
// - Occupancy: the fraction of time the servers are busy, A / N.
//
// Both models assume Poisson arrivals; Erlang C also assumes exponentially
// distributed holding times. Real attendant traffic abandons, so Erlang C is
// pessimistic about waiting and is used as a planning upper bound.

function requireTraffic(traffic: number, name = 'traffic'): void {
  if (typeof traffic !== 'number' || !Number.isFinite(traffic) || traffic < 0) {
    throw new RangeError(`${name} must be a finite number >= 0 Erlangs, got ${String(traffic)}`);
  }
}

function requireCount(count: number, name: string): void {
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${String(count)}`);
  }
}

function requirePositive(value: number, name: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${name} must be a finite number > 0, got ${String(value)}`);
  }
}

function requireNonNegative(value: number, name: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`${name} must be a finite number >= 0, got ${String(value)}`);
  }
}

/**
 * Erlang B blocking probability for `traffic` Erlangs offered to `lines` lines.
 *
 * Uses the recursion B(0) = 1, B(n) = A·B(n−1) / (n + A·B(n−1)). Every step
 * stays in [0, 1], so there are no factorials or powers to overflow, and the
 * cost is O(lines): 1,000 lines at 1,000 Erlangs is a thousand multiply-adds.
 * With zero lines every call is blocked (1); with zero traffic none is (0 for lines ≥ 1).
 */
export function erlangB(traffic: number, lines: number): number {
  requireTraffic(traffic);
  requireCount(lines, 'lines');
  let b = 1;
  for (let n = 1; n <= lines; n++) {
    const ab = traffic * b;
    b = ab / (n + ab);
  }
  return b;
}

/**
 * Erlang C probability that a call has to wait (all `agents` busy on arrival).
 *
 * Derived from Erlang B: C = N·B / (N − A·(1 − B)). When A ≥ N the queue grows
 * without bound, every call waits, and the result is 1.
 */
export function erlangC(traffic: number, agents: number): number {
  requireTraffic(traffic);
  requireCount(agents, 'agents');
  if (traffic >= agents) return 1;
  return cFromB(traffic, agents, erlangB(traffic, agents));
}

function cFromB(traffic: number, agents: number, b: number): number {
  return (agents * b) / (agents - traffic * (1 - b));
}

/**
 * Average speed of answer (mean wait of all calls, including those answered at
 * once), in seconds: ASA = C·h / (N − A). Infinity when A ≥ N.
 */
export function averageSpeedOfAnswer(traffic: number, agents: number, ahtSeconds: number): number {
  requirePositive(ahtSeconds, 'ahtSeconds');
  const c = erlangC(traffic, agents);
  if (traffic >= agents) return Number.POSITIVE_INFINITY;
  return (c * ahtSeconds) / (agents - traffic);
}

/**
 * Service level: probability that a call is answered within `targetSeconds`,
 * SL = 1 − C·e^(−(N−A)·T/h). 0 when A ≥ N (the queue is unstable).
 */
export function serviceLevel(traffic: number, agents: number, ahtSeconds: number, targetSeconds: number): number {
  requirePositive(ahtSeconds, 'ahtSeconds');
  requireNonNegative(targetSeconds, 'targetSeconds');
  const c = erlangC(traffic, agents);
  if (traffic >= agents) return 0;
  return 1 - c * Math.exp((-(agents - traffic) * targetSeconds) / ahtSeconds);
}

/**
 * Agent occupancy A / N: the fraction of logged-in time spent on calls.
 * Capped at 1, because with A ≥ N the agents are simply always busy.
 * (Named apart from traffic.ts `occupancy`, which measures it from sessions.)
 */
export function agentOccupancy(traffic: number, agents: number): number {
  requireTraffic(traffic);
  requireCount(agents, 'agents');
  if (agents === 0) throw new RangeError('agents must be >= 1 for occupancy, got 0');
  return Math.min(1, traffic / agents);
}

/** Traffic intensity in Erlangs from a call rate and a mean holding time: A = λ·h. */
export function trafficFromCalls(callsPerHour: number, ahtSeconds: number): number {
  requireNonNegative(callsPerHour, 'callsPerHour');
  requireNonNegative(ahtSeconds, 'ahtSeconds');
  return (callsPerHour * ahtSeconds) / 3600;
}

/**
 * The smallest number of lines N with B(N, traffic) ≤ targetBlocking.
 * targetBlocking must lie in (0, 1]; 0 could only be met with zero traffic.
 */
export function linesForBlocking(traffic: number, targetBlocking: number): number {
  requireTraffic(traffic);
  if (typeof targetBlocking !== 'number' || !Number.isFinite(targetBlocking) || targetBlocking <= 0 || targetBlocking > 1) {
    throw new RangeError(`targetBlocking must be in (0, 1], got ${String(targetBlocking)}`);
  }
  // Walk the same recursion as erlangB and stop at the first N that meets the
  // target. B(N) falls to 0 as N grows past A, so this ends after roughly
  // A + a few·√A steps.
  let b = 1;
  let n = 0;
  while (b > targetBlocking) {
    n += 1;
    const ab = traffic * b;
    b = ab / (n + ab);
  }
  return n;
}

export interface AgentsForServiceLevelInput {
  /** offered traffic in Erlangs */
  traffic: number;
  /** average handling (holding) time in seconds */
  ahtSeconds: number;
  /** answer-within time T of the service-level target, in seconds */
  targetSeconds: number;
  /** fraction of calls to answer within T, in [0, 1) */
  targetLevel: number;
  /** optional upper bound on occupancy A/N, in (0, 1] */
  maxOccupancy?: number;
}

export interface StaffingReport {
  agents: number;
  serviceLevel: number;
  probabilityOfWaiting: number;
  /** seconds */
  averageSpeedOfAnswer: number;
  occupancy: number;
}

/**
 * The smallest number of agents N that answers `targetLevel` of calls within
 * `targetSeconds` under Erlang C (and keeps occupancy ≤ maxOccupancy if given),
 * with the figures at that N.
 */
export function agentsForServiceLevel(input: AgentsForServiceLevelInput): StaffingReport {
  const { traffic, ahtSeconds, targetSeconds, targetLevel, maxOccupancy } = input;
  requireTraffic(traffic);
  requirePositive(ahtSeconds, 'ahtSeconds');
  requireNonNegative(targetSeconds, 'targetSeconds');
  // SL < 1 for any positive traffic, so a target of 1 could never be met.
  if (typeof targetLevel !== 'number' || !Number.isFinite(targetLevel) || targetLevel < 0 || targetLevel >= 1) {
    throw new RangeError(`targetLevel must be in [0, 1), got ${String(targetLevel)}`);
  }
  if (maxOccupancy !== undefined
    && (typeof maxOccupancy !== 'number' || !Number.isFinite(maxOccupancy) || maxOccupancy <= 0 || maxOccupancy > 1)) {
    throw new RangeError(`maxOccupancy must be in (0, 1], got ${String(maxOccupancy)}`);
  }

  // Fewer than ⌊A⌋+1 agents cannot hold the queue; the occupancy cap may ask for more.
  let n = Math.floor(traffic) + 1;
  if (maxOccupancy !== undefined) n = Math.max(n, Math.ceil(traffic / maxOccupancy));
  // Advance Erlang B incrementally instead of recomputing it for every N.
  let b = erlangB(traffic, n);
  for (;;) {
    const c = cFromB(traffic, n, b);
    const sl = 1 - c * Math.exp((-(n - traffic) * targetSeconds) / ahtSeconds);
    if (sl >= targetLevel) {
      return {
        agents: n,
        serviceLevel: sl,
        probabilityOfWaiting: c,
        averageSpeedOfAnswer: (c * ahtSeconds) / (n - traffic),
        occupancy: traffic / n,
      };
    }
    n += 1;
    const ab = traffic * b;
    b = ab / (n + ab);
  }
}
