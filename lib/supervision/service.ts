// Feeds the BLF grid from AMI: live events as they come, and a full resynchronisation
// (ExtensionStateList, DeviceStateList, PJSIPShowEndpoints, PJSIPShowContacts) after every
// (re)connect, because whatever changed while the session was down sent no event to us.
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { Clock } from '../domain/clock.ts';
import { silentLogger } from '../log.ts';
import type { AmiError, AmiEvent, AmiPort, Unsubscribe } from './ami-port.ts';
import { BlfGrid, type BlfChange, type BlfSnapshot, type ResyncLists, type SupervisionConfig } from './blf.ts';

export interface SupervisionSnapshot extends BlfSnapshot {
  /** AMI session up: when false the lamps show the last known states, possibly stale */
  connected: boolean;
  /** ms since the epoch of the last completed resynchronisation */
  resyncedAt?: number;
}

export interface ResyncReport {
  at: number;
  changes: number;
  missingHints: string[];
  missingTrunks: string[];
  /** list actions that failed (name: reason); their facts were kept as they were */
  failed: Record<string, string>;
}

export interface SupervisionEvents {
  change: [BlfChange];
  connection: [boolean];
  resync: [ResyncReport];
  /** AMI gave up (refused login after a reconnect): the grid will not move any more */
  failed: [AmiError];
}

export interface SupervisionOptions {
  clock?: Clock;
  log?: Logger;
}

const systemClock: Clock = { now: () => Date.now() };

export class SupervisionService extends EventEmitter<SupervisionEvents> {
  private readonly grid: BlfGrid;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly unsubscribe: Unsubscribe[] = [];
  private connected = false;
  private resyncedAt: number | undefined;
  /** live events held while the lists are read, replayed on top of them in arrival order */
  private buffer: AmiEvent[] | undefined;
  private running: Promise<ResyncReport> | undefined;
  /** lists the AMI user may not run (write= without system, as shipped): not asked again */
  private readonly notPermitted = new Set<string>();
  private again = false;
  private stopped = false;

  constructor(private readonly ami: AmiPort, config: SupervisionConfig, opts: SupervisionOptions = {}) {
    super();
    this.clock = opts.clock ?? systemClock;
    this.log = opts.log ?? silentLogger();
    this.grid = new BlfGrid(config, this.clock.now());
  }

  /** Subscribe to the port and, when it is already up, read the whole grid. */
  async start(): Promise<void> {
    this.unsubscribe.push(
      this.ami.on('event', (e) => this.onEvent(e)),
      this.ami.on('up', () => {
        this.setConnected(true);
        this.resync().catch((err: Error) => this.log.warn({ reason: err.message }, 'BLF resync failed; the next reconnect retries'));
      }),
      this.ami.on('down', (reason) => { this.log.warn({ reason }, 'BLF supervision paused: AMI down'); this.setConnected(false); }),
      this.ami.on('failed', (err) => { this.setConnected(false); this.emit('failed', err); }),
    );
    if (this.ami.isConnected()) {
      this.setConnected(true);
      // the lamps are a help, not a service: a failed first read leaves them unknown, it does not stop the controller
      await this.resync().catch((err: Error) => this.log.warn({ reason: err.message }, 'BLF resync failed; the next reconnect retries'));
    }
  }

  stop(): void {
    this.stopped = true;
    for (const u of this.unsubscribe.splice(0)) u();
  }

  snapshot(): SupervisionSnapshot {
    return { ...this.grid.snapshot(), connected: this.connected, ...(this.resyncedAt !== undefined ? { resyncedAt: this.resyncedAt } : {}) };
  }

  /** Read the lists and rebuild the grid; a call while one runs schedules one more run after it. */
  resync(): Promise<ResyncReport> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const run = this.readLists().finally(() => {
      this.running = undefined;
      if (this.again && !this.stopped && this.ami.isConnected()) {
        this.again = false;
        void this.resync().catch((err: Error) => this.log.warn({ reason: err.message }, 'BLF resync failed; the next reconnect retries'));
      }
    });
    this.running = run;
    return run;
  }

  private async readLists(): Promise<ResyncReport> {
    this.buffer = [];
    const failed: Record<string, string> = {};
    const settle = async <T>(name: string, p: () => Promise<T>): Promise<T | undefined> => {
      if (this.notPermitted.has(name)) return undefined;
      try {
        return await p();
      } catch (err) {
        // AMI's own answer when the user's write= classes lack the action's: a setting, not an outage
        if ((err as { code?: string }).code === 'ami_permission_denied') {
          this.notPermitted.add(name);
          this.log.info({ action: name }, 'BLF: the AMI user may not run this list (no write=system, as shipped); its lamps follow device states and ContactStatus / PeerStatus events');
          return undefined;
        }
        failed[name] = (err as Error).message;
        return undefined;
      }
    };
    try {
      // AMI answers by ActionID, so the four lists can be asked for at once
      const [hints, devices, endpoints, contacts] = await Promise.all([
        settle('ExtensionStateList', () => this.ami.extensionStateList()),
        settle('DeviceStateList', () => this.ami.deviceStateList()),
        settle('PJSIPShowEndpoints', () => this.ami.pjsipShowEndpoints()),
        settle('PJSIPShowContacts', () => this.ami.pjsipShowContacts()),
      ]);
      if (Object.keys(failed).length > 0 && Object.keys(failed).length + this.notPermitted.size === 4) {
        throw new Error(`BLF resync failed: ${Object.entries(failed).map(([k, v]) => `${k}: ${v}`).join('; ')}`);
      }
      const lists: ResyncLists = {
        ...(hints ? { hints } : {}), ...(devices ? { devices } : {}), ...(endpoints ? { endpoints } : {}), ...(contacts ? { contacts } : {}),
      };
      const at = this.clock.now();
      const outcome = this.grid.resync(lists, at);
      for (const c of outcome.changes) this.emit('change', c);
      const replayed = this.flushBuffer();
      const report: ResyncReport = { at, changes: outcome.changes.length + replayed, missingHints: outcome.missingHints, missingTrunks: outcome.missingTrunks, failed };
      if (Object.keys(failed).length) this.log.warn({ failed }, 'BLF resync: some lists could not be read; their lamps keep the last known state');
      if (outcome.missingHints.length) this.log.warn({ missing: outcome.missingHints }, 'BLF resync: no hint for these supervised extensions (add exten => <number>,hint,<device> in their context)');
      if (outcome.missingTrunks.length) this.log.warn({ missing: outcome.missingTrunks }, 'BLF resync: Asterisk does not report these trunk endpoints');
      this.log.info({ changes: report.changes }, 'BLF grid resynchronised');
      this.resyncedAt = at;
      this.emit('resync', report);
      return report;
    } finally {
      // whatever happened, buffered events are real events: never lose them
      this.flushBuffer();
    }
  }

  private flushBuffer(): number {
    const events = this.buffer ?? [];
    this.buffer = undefined;
    let changes = 0;
    for (const e of events) changes += this.apply(e);
    return changes;
  }

  private onEvent(e: AmiEvent): void {
    if (this.buffer) { this.buffer.push(e); return; }
    this.apply(e);
  }

  private apply(e: AmiEvent): number {
    const at = this.clock.now();
    let changes: BlfChange[];
    switch (e.type) {
      case 'ExtensionStatus': changes = this.grid.applyExtensionStatus(e, at); break;
      case 'DeviceStateChange': changes = this.grid.applyDeviceState(e.device, e.state, at); break;
      case 'ContactStatus': changes = this.grid.applyContactStatus(e, at); break;
      case 'PeerStatus': changes = this.grid.applyPeerStatus(e, at); break;
      default: return 0;
    }
    for (const c of changes) {
      this.log.debug({ kind: c.kind, id: c.id, state: c.state, previous: c.previous }, 'BLF lamp changed');
      this.emit('change', c);
    }
    return changes.length;
  }

  private setConnected(up: boolean): void {
    if (this.connected === up) return;
    this.connected = up;
    this.emit('connection', up);
  }
}
