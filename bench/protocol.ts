// What the bench process and its children (simulator, controller, baseline) say to each other.

export interface SimSetup {
  user: string;
  password: string;
  seed: number;
  /** attendant sets, answering after a seeded random delay */
  devices: string[];
  answerMinMs: number;
  answerMaxMs: number;
}

export interface LoadRequest {
  /** Stasis app the callers go to: the controller's or the baseline's */
  app: string;
  /** target groups, used in turn */
  groups: string[];
  /** new calls per second */
  rate: number;
  durationMs: number;
  /** each caller hangs up this long after it was placed */
  holdMs: number;
  /** calls placed before this are not counted (the system settles) */
  warmupMs: number;
}

export interface LoadResult {
  placed: number;
  /** how long placing took: placed / offeredMs is the rate really offered */
  offeredMs: number;
  /** calls counted (placed after the warm-up) */
  counted: number;
  /** every placed call whose first leg rang */
  presented: number;
  /** placed → first leg ringing, for the counted calls presented before they hung up */
  latenciesMs: number[];
  /** placed → back in the dialplan (POST /continue), for the counted calls handed back before any leg rang */
  handedBackMs: number[];
  /** simulator CPU (user + system) over the load */
  cpuMs: number;
  /** ARI requests the simulator served per placed call, by route */
  requestsByRoute: Record<string, number>;
  /** ARI events the simulator sent per placed call (to the app under test), by type */
  eventsByType: Record<string, number>;
  lagP99Ms: number;
}

export interface ControllerSample {
  calls: number;
  /** calls in the group queues */
  waiting: number;
  /** store batches not yet written */
  backlog: number;
  /** callers received and not yet handled (admission control's backlog), and those handed back so far */
  admission: number;
  shed: number;
  /** callers with ARI steps queued or running */
  serialActive: number;
  /** attendants by state (idle, ringing, busy, ...) */
  attendants: Record<string, number>;
  cpuMs: number;
  heapUsed: number;
  /** the Redis store's own count since connect */
  redis: { commands: number; roundTrips: number } | undefined;
  /** the ledger's pipelined sends of writes since start (several writes share one round trip) */
  storeFlights: number;
  lagP99Ms: number;
}
