// The console's copy of the switchboard: replaced by a snapshot, moved on by events.
export class ConsoleState {
  constructor() {
    this.attendants = new Map();
    this.groups = new Map();
    this.calls = new Map();
    this.supervision = { extensions: [], trunks: [], connected: false, source: 'none' };
    this.classes = new Map();
    /** server time minus this browser's time (the controller's clock is the reference) */
    this.offset = 0;
    this.seq = 0;
  }

  now() {
    return Date.now() + this.offset;
  }

  syncClock(serverNow) {
    if (typeof serverNow === 'number') this.offset = serverNow - Date.now();
  }

  loadSnapshot(msg) {
    const d = msg.data;
    this.attendants = new Map(d.attendants.map((a) => [a.id, a]));
    this.groups = new Map(d.groups.map((g) => [g.id, g]));
    this.calls = new Map(d.calls.map((c) => [c.id, c]));
    this.supervision = d.supervision;
    this.classes = new Map(d.classes.map((c) => [c.id, c]));
    this.seq = msg.seq;
    this.syncClock(msg.now);
  }

  /** one event {seq, kind, at, data} */
  apply(e) {
    this.seq = e.seq;
    const d = e.data;
    switch (e.kind) {
      case 'call':
        if (d.removed) this.calls.delete(d.id);
        else this.calls.set(d.id, d);
        break;
      case 'attendant':
        this.attendants.set(d.id, d);
        break;
      case 'group':
        this.groups.set(d.id, d);
        break;
      case 'queue': {
        const g = this.groups.get(d.group);
        if (g) this.groups.set(d.group, { ...g, queue: d.callIds });
        break;
      }
      case 'device': {
        const list = d.kind === 'trunk' ? this.supervision.trunks : this.supervision.extensions;
        const item = list.find((x) => x.id === d.id);
        if (item) { item.state = d.state; item.since = d.at; }
        break;
      }
      default:
        break;
    }
  }

  /** waiting calls across every group, in serving order: priority, then age */
  waiting() {
    return [...this.calls.values()]
      .filter((c) => c.state === 'waiting' || c.state === 'ringing')
      .sort((a, b) => b.priority - a.priority || a.arrivedAt - b.arrivedAt);
  }

  /** calls on hold at a position, and every parked call */
  slots(position) {
    return [...this.calls.values()].filter((c) => (c.state === 'held' && c.attendant === position) || c.state === 'parked');
  }

  currentCall(position) {
    const me = this.attendants.get(position);
    const id = me?.currentCall;
    if (id && this.calls.has(id)) return this.calls.get(id);
    // a call this position handles that is not the presented one (e.g. consultation in progress)
    return [...this.calls.values()].find((c) => c.attendant === position && ['talking', 'consulting', 'conference', 'transferring'].includes(c.state));
  }
}
