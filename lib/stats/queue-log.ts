// Asterisk queue_log lines from what the controller decided, so reporting tools that read app_queue's
// queue_log (`time|callid|queue|agent|EVENT|params`) can read Attendant's groups. Pure: the tracker is
// fed each batch's action-log lines and attendant records, and answers the lines they make.
//
// Mapping (the parameters are app_queue's, times in whole seconds unless said):
//   arrive in a group            ENTERQUEUE|url|callerid|position          (url always empty)
//   presentation not answered    RINGNOANSWER|ringtime ms                   (agent = the attendant rung)
//   first answer                 CONNECT|holdtime|leg channel id|ringtime
//   caller hangs up              COMPLETECALLER|holdtime|calltime|origposition
//   attendant releases           COMPLETEAGENT|holdtime|calltime|origposition
//   transferred (blind, consultation, night bell)
//                                TRANSFER|target|context|holdtime|calltime|origposition
//   abandoned while waiting      ABANDON|position|origposition|waittime
//   overflow (no mutual help)    EXITWITHTIMEOUT|position|origposition|waittime, then ENTERQUEUE in the next group
//   fallback after failures      EXITWITHTIMEOUT|position|origposition|waittime
//   log in / log out of a group  ADDMEMBER| / REMOVEMEMBER|                 (callid NONE)
//   absent / DND                 PAUSE|absent or PAUSE|dnd; back: UNPAUSE|
// A call overflowing with mutual help stays its own group's visit (as the statistics count it): no lines
// for the helping groups; whoever answers it is the agent of the CONNECT in its own group.
import type { AttendantRecord, AttendantState, CallRecord, LogEntryInput } from '../domain/model.ts';
import { queueScore } from '../domain/presentation.ts';
import { attendantLegOf, attendantOf, consultTargetOf } from '../domain/call.ts';

export const QUEUE_LOG_EVENTS = [
  'ENTERQUEUE', 'RINGNOANSWER', 'CONNECT', 'COMPLETECALLER', 'COMPLETEAGENT', 'ABANDON', 'EXITWITHTIMEOUT',
  'TRANSFER', 'ADDMEMBER', 'REMOVEMEMBER', 'PAUSE', 'UNPAUSE',
] as const;
export type QueueLogEvent = (typeof QUEUE_LOG_EVENTS)[number];

export interface QueueLogLine {
  /** ms epoch (written as whole seconds) */
  time: number;
  callId: string;
  queue: string;
  agent: string;
  event: QueueLogEvent;
  params: string[];
}

/** `|` separates fields and a line ends the entry: neither may appear inside one */
function field(v: string): string {
  return v.replace(/[|\r\n]/g, ' ');
}

export function formatQueueLogLine(l: QueueLogLine): string {
  return [String(Math.floor(l.time / 1000)), l.callId, l.queue, l.agent, l.event, ...l.params].map(field).join('|');
}

/** what the tracker needs to know of the controller's state when it reads a batch */
export interface QueueLogView {
  /** the call as the batch left it (an ended call: its last record) */
  call(callId: string): CallRecord | undefined;
  /** ids of the calls now in a group's queue */
  queue(group: string): readonly string[];
  /** the transfer context written in TRANSFER lines */
  transferContext: string;
}

interface CallTrack {
  /** the group whose queue visit is open (undefined: none, e.g. a call adopted without a group) */
  group: string;
  enteredAt: number;
  origPosition: number;
  connectedAt?: number;
  agent?: string;
  /**
   * attendant -> when its presentation started (RINGNOANSWER and CONNECT ring times); made at the
   * first presentation, so the thousands of calls that only wait cost no Map each
   */
  rings?: Map<string, number>;
}

interface MemberTrack {
  groups: string[];
  paused: boolean;
}

const PAUSED: ReadonlySet<AttendantState> = new Set(['absent', 'dnd']);
const sec = (ms: number): string => String(Math.max(0, Math.round(ms / 1000)));

/** The queue_log's memory of open visits and members; one per controller, fed in commit order. */
export class QueueLogTracker {
  private readonly calls = new Map<string, CallTrack>();
  private readonly members = new Map<string, MemberTrack>();

  /** what a (re)started controller holds: open visits and members, so nothing is entered twice */
  prime(attendants: Iterable<AttendantRecord>, calls: Iterable<CallRecord>, view: QueueLogView): void {
    for (const a of attendants) this.members.set(a.id, memberOf(a));
    for (const c of calls) {
      const connectedAt = c.firstAnsweredAt ?? c.answeredAt;
      this.calls.set(c.id, {
        group: c.group, enteredAt: c.arrivedAt, origPosition: positionOf(c, view.queue(c.group), view),
        ...(connectedAt !== undefined ? { connectedAt } : {}), ...(attendantOf(c) ? { agent: attendantOf(c)! } : {}),
      });
    }
  }

  /** the lines a batch makes: its action-log lines in order, then its attendants' membership changes */
  read(entries: readonly LogEntryInput[], attendants: readonly AttendantRecord[], now: number, view: QueueLogView): QueueLogLine[] {
    const out: QueueLogLine[] = [];
    for (const e of entries) this.entry(e, view, out);
    for (const a of attendants) this.member(a, now, out);
    return out;
  }

  private entry(e: LogEntryInput, view: QueueLogView, out: QueueLogLine[]): void {
    const id = e.callId;
    if (id === undefined) return;
    const t = e.time;
    switch (e.action) {
      case 'arrive': {
        if (!e.result.startsWith('queue:')) return;
        // a queue-length overflow in the same batch moved the call on already: it entered here first
        this.enter(id, e.result.slice('queue:'.length), t, e.numbers[0] ?? '', view, out);
        return;
      }
      case 'overflow': {
        const track = this.calls.get(id);
        if (e.detail?.mutualHelp === 'true' || !track) return;
        const pos = positionIn(view, id, track.group);
        out.push({ time: t, callId: id, queue: track.group, agent: 'NONE', event: 'EXITWITHTIMEOUT', params: [String(pos), String(track.origPosition), sec(t - track.enteredAt)] });
        this.calls.delete(id);
        this.enter(id, e.result, t, e.numbers[0] ?? '', view, out);
        return;
      }
      case 'present': {
        const track = this.calls.get(id);
        if (!track) return;
        for (const a of e.result.split(',')) if (a) (track.rings ??= new Map()).set(a, t);
        return;
      }
      case 'presentation-ended': {
        const track = this.calls.get(id);
        if (!track) return;
        const started = track.rings?.get(e.operator) ?? t;
        track.rings?.delete(e.operator);
        out.push({ time: t, callId: id, queue: track.group, agent: e.operator, event: 'RINGNOANSWER', params: [String(Math.max(0, t - started))] });
        return;
      }
      case 'answer': {
        const track = this.calls.get(id);
        if (!track || track.connectedAt !== undefined) return;
        const started = track.rings?.get(e.operator) ?? t;
        delete track.rings;
        track.connectedAt = t;
        track.agent = e.operator;
        const c = view.call(id);
        const leg = (c && attendantLegOf(c)) ?? '';
        out.push({ time: t, callId: id, queue: track.group, agent: e.operator, event: 'CONNECT', params: [sec(t - track.enteredAt), leg, sec(t - started)] });
        return;
      }
      case 'end': {
        const track = this.calls.get(id);
        if (!track) return;
        this.calls.delete(id);
        this.end(id, track, e, view, out);
        return;
      }
      default:
        return;
    }
  }

  private enter(id: string, group: string, t: number, caller: string, view: QueueLogView, out: QueueLogLine[]): void {
    const pos = positionIn(view, id, group);
    this.calls.set(id, { group, enteredAt: t, origPosition: pos });
    out.push({ time: t, callId: id, queue: group, agent: 'NONE', event: 'ENTERQUEUE', params: ['', caller, String(pos)] });
  }

  private end(id: string, track: CallTrack, e: LogEntryInput, view: QueueLogView, out: QueueLogLine[]): void {
    const t = e.time;
    const reason = e.result;
    const line = (agent: string, event: QueueLogEvent, params: string[]) => out.push({ time: t, callId: id, queue: track.group, agent, event, params });
    const waited = (): string[] => [String(positionIn(view, id, track.group)), String(track.origPosition), sec(t - track.enteredAt)];
    const connected = track.connectedAt;
    const agent = track.agent ?? (e.operator !== 'system' ? e.operator : 'NONE');
    if (reason === 'completed-transfer') {
      const c = view.call(id);
      const named = c?.state === 'transferring' ? c.transferTarget : c && consultTargetOf(c);
      const target = named ?? / to (\S+)$/.exec(e.detail?.detail ?? '')?.[1] ?? '';
      const at = connected ?? t;
      line(agent, 'TRANSFER', [target, view.transferContext, sec(at - track.enteredAt), sec(t - at), String(track.origPosition)]);
      return;
    }
    if (connected !== undefined && (reason === 'completed' || reason === 'lost' || reason === 'abandoned')) {
      // the attendant released the call (console key, or hung up its set): app_queue's COMPLETEAGENT
      const byAgent = reason === 'completed' && /^attendant /.test(e.detail?.detail ?? '');
      line(agent, byAgent ? 'COMPLETEAGENT' : 'COMPLETECALLER', [sec(connected - track.enteredAt), sec(t - connected), String(track.origPosition)]);
      return;
    }
    if (connected === undefined && (reason === 'abandoned' || reason === 'lost' || reason === 'completed')) {
      line('NONE', 'ABANDON', waited());
      return;
    }
    // fallback after failed presentations, a divert of a waiting call, anything else: it left without an attendant
    if (connected !== undefined) line(agent, 'COMPLETEAGENT', [sec(connected - track.enteredAt), sec(t - connected), String(track.origPosition)]);
    else line('NONE', 'EXITWITHTIMEOUT', waited());
  }

  private member(a: AttendantRecord, now: number, out: QueueLogLine[]): void {
    const before = this.members.get(a.id) ?? { groups: [], paused: false };
    const after = memberOf(a);
    this.members.set(a.id, after);
    const line = (queue: string, event: QueueLogEvent, params: string[]) => out.push({ time: now, callId: 'NONE', queue, agent: a.id, event, params });
    for (const g of before.groups) if (!after.groups.includes(g)) line(g, 'REMOVEMEMBER', ['']);
    for (const g of after.groups) {
      const was = before.groups.includes(g);
      if (!was) line(g, 'ADDMEMBER', ['']);
      if (after.paused && (!was || !before.paused)) line(g, 'PAUSE', [a.state]);
      else if (!after.paused && was && before.paused) line(g, 'UNPAUSE', ['']);
    }
  }
}

function memberOf(a: AttendantRecord): MemberTrack {
  return { groups: [...a.groups], paused: PAUSED.has(a.state) };
}

/** 1-based place in the group's queue (priority, then age), counted among the calls now in it */
function positionIn(view: QueueLogView, id: string, group: string): number {
  const c = view.call(id);
  return c ? positionOf(c, view.queue(group), view) : view.queue(group).filter((q) => q !== id).length + 1;
}

function positionOf(c: CallRecord, queue: readonly string[], view: QueueLogView): number {
  const score = queueScore(c.priority, c.arrivedAt);
  let ahead = 0;
  for (const other of queue) {
    if (other === c.id) continue;
    const o = view.call(other);
    if (o && queueScore(o.priority, o.arrivedAt) < score) ahead++;
  }
  return ahead + 1;
}
