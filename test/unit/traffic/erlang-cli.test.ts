import assert from 'node:assert/strict';
import { runErlangCommand } from '../../../lib/cli/erlang.ts';

const run = (line: string) => runErlangCommand(line.split(' ').filter((s) => s !== ''));

function json(line: string): Record<string, unknown> {
  const r = run(line);
  assert.equal(r.exitCode, 0, r.stdout);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

function approx(actual: unknown, expected: number, digits = 4): void {
  assert.equal(typeof actual, 'number');
  assert.equal(Number((actual as number).toPrecision(digits)), expected);
}

describe('erlang command', () => {
  it('given traffic and lines, when running erlang b, then it prints the blocking probability', () => {
    const r = run('b --traffic 10 --lines 15');
    assert.equal(r.exitCode, 0);
    assert.equal(r.stdout, [
      'offered traffic (E)   10',
      'lines                 15',
      'blocking probability  0.0364969 (3.65 %)',
      '',
    ].join('\n'));
  });

  it('given traffic and a target blocking, when running erlang b, then it prints the lines needed', () => {
    const out = json('b --traffic 10 --blocking 0.01 --format json');
    assert.equal(out.lines, 18);
    assert.equal(out.targetBlocking, 0.01);
    approx(out.blocking, 0.007142);
  });

  it('given traffic, agents, AHT and target, when running erlang c, then it prints P(wait), ASA, SL and occupancy', () => {
    const out = json('c --traffic 8 --agents 10 --aht 180 --target-seconds 20 --format json');
    approx(out.probabilityOfWaiting, 0.4092);
    approx(out.averageSpeedOfAnswer, 36.83);
    approx(out.serviceLevel, 0.6724);
    assert.equal(out.occupancy, 0.8);
    const text = run('c --traffic 8 --agents 10 --aht 180 --target-seconds 20').stdout;
    assert.match(text, /^probability of waiting +0\.40918 \(40\.92 %\)$/m);
    assert.match(text, /^occupancy +0\.8 \(80\.00 %\)$/m);
  });

  it('given a target level, when running erlang c, then it prints the agents needed', () => {
    const out = json('c --traffic 8 --aht 180 --target-seconds 20 --target-level 0.8 --format json');
    assert.equal(out.agents, 11);
    approx(out.serviceLevel, 0.8245);
    const capped = json('c --traffic 10 --aht 180 --target-seconds 20 --target-level 0.8 --max-occupancy 0.6 --format json');
    assert.equal(capped.agents, 17);
    assert.equal(capped.maxOccupancy, 0.6);
  });

  it('given --format csv, when running, then it prints a header and one record', () => {
    const r = run('b --traffic 10 --lines 15 --format csv');
    assert.equal(r.exitCode, 0);
    const [header, record, rest] = r.stdout.split('\r\n');
    assert.equal(header, 'traffic,lines,blocking');
    assert.match(record ?? '', /^10,15,0\.03649694547\d*$/);
    assert.equal(rest, '');
  });

  it('given traffic at or above the agents, when running erlang c, then ASA is reported infinite (null in JSON)', () => {
    const out = json('c --traffic 12 --agents 10 --aht 180 --target-seconds 20 --format json');
    assert.equal(out.probabilityOfWaiting, 1);
    assert.equal(out.averageSpeedOfAnswer, null);
    assert.match(run('c --traffic 12 --agents 10 --aht 180 --target-seconds 20').stdout, /average speed of answer \(s\) +infinite/);
  });

  it('given a leading "erlang" word, when running, then it is ignored', () => {
    assert.equal(runErlangCommand(['erlang', 'b', '--traffic', '10', '--lines', '15']).exitCode, 0);
  });

  it('given --help, when running, then it prints the usage and succeeds', () => {
    const r = run('--help');
    assert.equal(r.exitCode, 0);
    assert.match(r.stdout, /^Usage: erlang \[options\] \[model\]/);
    assert.match(r.stdout, /--target-level <L>/);
  });

  const BAD: Array<[line: string, flag: RegExp]> = [
    ['b --traffic abc --lines 3', /--traffic/],
    ['b --traffic=-1 --lines 3', /--traffic/],
    ['b --traffic -1 --lines 3', /--traffic/],
    ['b --traffic -3 --blocking 0.01', /--traffic must be a number >= 0/],
    ['b --lines 3', /--traffic/],
    ['b --traffic 1 --lines 2.5', /--lines/],
    ['b --traffic 1 --lines', /--lines/],
    ['b --traffic 1 --blocking 0', /--blocking/],
    ['b --traffic 1', /--lines or --blocking/],
    ['b --traffic 1 --lines 2 --blocking 0.1', /--lines or --blocking/],
    ['b --traffic 1 --lines 2 --agents 3', /--agents/],
    ['b --traffic 1 --lines 2 --format xml', /--format/],
    ['b --traffic 1 --lines 2 --bogus', /--bogus/],
    ['c --traffic 8 --agents 10 --target-seconds 20', /--aht/],
    ['c --traffic 8 --agents 0 --aht 180 --target-seconds 20', /--agents/],
    ['c --traffic 8 --aht 180 --target-seconds 20 --target-level 1', /--target-level/],
    ['c --traffic 8 --aht 180 --target-seconds x --agents 9', /--target-seconds/],
    ['c --traffic 8 --agents 10 --aht 180 --target-seconds 20 --max-occupancy 0.9', /--max-occupancy/],
    ['c --traffic 8 --aht 180 --target-seconds 20 --target-level 0.8 --max-occupancy 2', /--max-occupancy/],
    ['c --traffic 8 --aht 180 --target-seconds 20 --lines 3 --agents 9', /--lines/],
  ];

  for (const [line, flag] of BAD) {
    it(`given "erlang ${line}", when running, then it exits 2 with one line naming ${flag.source}`, () => {
      const r = run(line);
      assert.equal(r.exitCode, 2);
      assert.match(r.stdout, flag);
      assert.match(r.stdout, /^erlang: [^\n]+\n$/);
    });
  }

  it('given no model or an unknown one, when running, then it exits 2 and says to use b or c', () => {
    for (const line of ['', 'x --traffic 1', 'b c --traffic 1 --lines 1']) {
      const r = run(line);
      assert.equal(r.exitCode, 2, line);
      assert.match(r.stdout, /^erlang: [^\n]+\n$/);
    }
  });
});
