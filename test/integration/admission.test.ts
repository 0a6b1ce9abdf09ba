// Admission control under a flood: callers received and not yet handled wait in a bounded backlog;
// past it a caller goes back at once, to its group's fallback destination, else on in the dialplan
// after Stasis() (the dialplan's own fallback); counted by a metric, said by one log line. No timing
// is asserted: how fast is the benchmark's business (docs/benchmark.md).
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger } from '../../lib/log.ts';
import { Harness } from '../support/harness.ts';
import { auditText } from '../support/log-audit.ts';

const FLOOD = 400;
const BOUND = 5;

function logLines() {
  const lines: Array<{ level: number; msg: string; callers?: number; reason?: string; group?: string }> = [];
  const logger = createLogger('warn', new Writable({
    write: (chunk: Buffer | string, _enc, done) => {
      const text = chunk.toString();
      auditText(text, 'controller');
      for (const l of text.split('\n')) if (l) lines.push(JSON.parse(l) as (typeof lines)[number]);
      done();
    },
  }));
  return { lines, logger };
}

describe('admission control', function () {
  this.timeout(60_000);
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it(`given a backlog bound of ${BOUND}, when ${FLOOD} callers arrive at once, then each is either handled or handed back to the fallback, the backlog never passes its bound, and a metric and one log line say so`, async () => {
    const log = logLines();
    h = await Harness.start({
      config: {
        admission: { backlog: BOUND },
        attendants: [{ id: 'att1', name: 'Alice', device: 'PJSIP/att1' }, { id: 'att2', name: 'Bob', device: 'PJSIP/att2' }],
        groups: [
          { id: 'operators', name: 'Operators', members: ['att1'], fallback: { type: 'extension', number: '2000' } },
          { id: 'backup', name: 'Backup', members: ['att2'] },
        ],
      },
      log: log.logger,
    });
    const sim = h.sim;
    const inbound = h.switchboard.inbound;
    const group = new Map<string, string>();
    for (let i = 0; i < FLOOD; i++) {
      const g = i % 2 ? 'backup' : 'operators';
      group.set(h.call({ group: g, number: `0155${String(i).padStart(6, '0')}` }), g);
    }
    const continued = () => new Map(sim.continued().filter((c) => group.has(c.channelId)).map((c) => [c.channelId, c]));
    const handled = () => [...group.keys()].filter((id) => h!.callRecord(id)).length;
    await h.until('every caller handled or handed back', () => handled() + continued().size === FLOOD, 30_000);

    const back = continued();
    assert.ok(back.size > 0, 'some callers were handed back');
    assert.ok(handled() > 0, 'some callers were taken');
    assert.equal(inbound.shedCount, back.size);
    assert.ok(inbound.peakBacklog <= BOUND, `backlog peaked at ${inbound.peakBacklog}`);
    assert.equal(inbound.backlog, 0);
    for (const [id, c] of back) {
      assert.equal(h.callRecord(id), undefined, 'a caller handed back is not also a call');
      if (group.get(id) === 'operators') assert.deepEqual([c.how, c.context, c.extension, c.priority], ['continue', 'attendant-out', '2000', 1]);
      // no fallback destination: on in the dialplan after Stasis() (the simulator's caller entered at from-pstn,0,1)
      else assert.deepEqual([c.how, c.context, c.extension, c.priority], ['continue', 'from-pstn', '0', 2]);
    }
    // the handed-back callers leave the app; the ones taken wait or ring, in order
    await h.until('handed-back callers out of Stasis', () => [...back.keys()].every((id) => !sim.channels().some((ch) => ch.id === id && ch.inStasis)));

    const body = (await h.controller.metrics!.scrape()).body;
    const shed = [...body.matchAll(/^attendant_calls_shed_total\{group="(\w+)",reason="(\w+)"\} (\d+)$/gm)];
    assert.equal(shed.reduce((n, m) => n + Number(m[3]), 0), back.size);
    const byGroup = (g: string) => shed.filter((m) => m[1] === g).reduce((n, m) => n + Number(m[3]), 0);
    assert.equal(byGroup('operators'), [...back.keys()].filter((id) => group.get(id) === 'operators').length);
    assert.match(body, /^attendant_admission_backlog 0$/m);

    // one line for the whole flood (the clock did not move): rate-limited, it counts the callers of its interval
    const lines = log.lines.filter((l) => l.msg === 'overload: callers handed back to the dialplan');
    assert.equal(lines.length, 1, JSON.stringify(lines));
    assert.equal(lines[0]!.level, 40);
    assert.equal(lines[0]!.reason, 'backlog');
  });

  it('given a caller who hangs up while in the backlog, then it is never handled', async () => {
    h = await Harness.start({
      config: {
        admission: { backlog: 1000 },
        attendants: [{ id: 'att1', name: 'Alice', device: 'PJSIP/att1' }],
        groups: [{ id: 'operators', name: 'Operators', members: ['att1'] }],
      },
      login: false,
    });
    const inbound = h.switchboard.inbound;
    const id = h.call();
    // its StasisStart is taken in, its StasisEnd arrives before the backlog is handled
    inbound.receive({ id: 'ghost', name: 'PJSIP/pstn-ghost', state: 'Up', caller: { name: '', number: '1' }, connected: { name: '', number: '' } }, ['external', 'operators']);
    inbound.forget('ghost');
    await h.until('the real caller is handled', () => h!.callRecord(id) !== undefined);
    await h.settle();
    assert.equal(h.callRecord('ghost'), undefined);
    assert.equal(inbound.backlog, 0);
  });
});
