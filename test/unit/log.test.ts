import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger, withCallContext } from '../../lib/log.ts';

function capture(level: string) {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({ write(chunk: Buffer, _e, done) { lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>); done(); } });
  return { lines, log: createLogger(level, sink) };
}

describe('decision logs name the call\'s group and attendant', () => {
  const calls = new Map([['c1', { group: 'operators', attendant: 'att1' }], ['c2', { group: 'backup' }]]);

  it('given a line about a known call, when logged, then group and attendant are added; what the line names itself wins', () => {
    const { lines, log } = capture('info');
    const looked: string[] = [];
    const l = withCallContext(log, (id) => { looked.push(id); return calls.get(id); });
    l.info({ callId: 'c1', leg: 'c1-p1' }, 'answered');
    l.warn({ callId: 'c2' }, 'waiting');
    l.info({ callId: 'c1', group: 'backup' }, 'overflow');
    l.info({ callId: 'gone' }, 'late');
    l.info('plain message');
    assert.deepEqual(lines.map((x) => [x.msg, x.group, x.attendant]), [
      ['answered', 'operators', 'att1'], ['waiting', 'backup', undefined], ['overflow', 'backup', 'att1'], ['late', undefined, undefined], ['plain message', undefined, undefined],
    ]);
    assert.equal(lines[0]!.leg, 'c1-p1', 'the line keeps its own fields');
    l.debug({ callId: 'c1' }, 'below the level');
    assert.deepEqual(looked, ['c1', 'c2', 'c1', 'gone'], 'nothing is looked up for a disabled level');
    assert.equal(lines.length, 5, 'the debug line is not written');
  });
});
