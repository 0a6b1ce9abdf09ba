import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { ConfigError, applyEnv, loadConfigFile, parseConfig } from '../../lib/config.ts';
import { compileNumberingPlan } from '../../lib/domain/numbering.ts';

function base(): Record<string, unknown> {
  return {
    asterisk: { ari: { url: 'http://127.0.0.1:8088', user: 'attendant', password: 'pw' } },
    attendants: [
      { id: 'att1', name: 'Alice', device: 'PJSIP/att1' },
      { id: 'att2', name: 'Bob', device: 'PJSIP/att2' },
    ],
    groups: [
      { id: 'operators', name: 'Operators', members: ['att1', 'att2'] },
      { id: 'backup', name: 'Backup', members: ['att2'] },
    ],
  };
}

function problems(raw: unknown): string[] {
  try {
    parseConfig(raw);
  } catch (err) {
    assert.ok(err instanceof ConfigError, 'a ConfigError');
    return err.problems;
  }
  assert.fail('the configuration was accepted');
}

function withGroup(patch: Record<string, unknown>, index = 1): Record<string, unknown> {
  const cfg = base();
  const groups = cfg.groups as Array<Record<string, unknown>>;
  groups[index] = { ...groups[index], ...patch };
  return cfg;
}

describe('configuration', () => {
  it('given the shipped example, when loaded, then it is valid and has defaults filled in', () => {
    const cfg = loadConfigFile(new URL('../../config/example.yaml', import.meta.url).pathname, {});
    assert.equal(cfg.asterisk.ari.app, 'attendant');
    assert.equal(cfg.timers.absentAfter, 80);
    assert.ok(cfg.groups.length >= 2, 'cfg.groups.length >= 2');
    assert.ok(cfg.classes.some((c) => c.id === 'urgent' && c.priority === 9), 'cfg.classes.some((c) => c.id === \'urgent\' && c.priority === 9)');
  });

  it('given the example site, then every number its directory, tables, attendants and BLF grid name is an extension of its own numbering plan', () => {
    const cfg = loadConfigFile(new URL('../../config/example.yaml', import.meta.url).pathname, {});
    const plan = compileNumberingPlan(cfg.numbering);
    const numbers = [
      ...cfg.directory.entries.map((e) => e.number), ...cfg.attendants.flatMap((a) => (a.extension ? [a.extension] : [])),
      ...cfg.supervision.extensions.map((e) => e.number),
      ...cfg.groups.flatMap((g) => [...Object.values(g.table), g.fallback]).flatMap((d) => (d?.type === 'extension' ? [d.number] : [])),
    ];
    assert.ok(numbers.length > 10, 'numbers.length > 10');
    for (const n of numbers) assert.equal(plan.extension(n).ok, true, n);
  });

  it('given a minimal file, when parsed, then the defaults are the documented ones', () => {
    const cfg = parseConfig(base());
    assert.equal(cfg.timers.absentAfter, 80);
    assert.equal(cfg.timers.recall, 30);
    assert.equal(cfg.groups[0]!.strategy, 'longest-idle');
    assert.equal(cfg.groups[0]!.ringTimeout, 15);
    assert.equal(cfg.redis.prefix, 'att:');
    assert.deepEqual(cfg.classes.map((c) => c.id), ['external', 'internal', 'recall', 'urgent', 'dnd', 'wakeup-failed']);
  });

  it('given no http, numbering or quotas sections, then the login limits, the numbering plan and the quotas are the documented defaults', () => {
    const cfg = parseConfig(base());
    assert.deepEqual(cfg.http, { host: '127.0.0.1', port: 8080, trustProxy: [], login: { window: 60, perAddress: 20, perUser: 5, maxDelay: 30, concurrentHashes: 1 } });
    assert.deepEqual(cfg.numbering, { internal: ['_ZX', '_ZXX', '_ZXXX'], external: [], emergency: ['112'], phoneContexts: ['attendant-sets', 'attendant-internal'] });
    assert.deepEqual(cfg.quotas, { wakeupsPerExtension: 5, wakeups: 2000, messagesPerExtension: 25, messages: 10_000, dnd: 2000 });
  });

  it('given a bad pattern, prefix, role, emergency number, context, proxy address or quota, then each is named by its path', () => {
    const found = problems({
      ...base(),
      http: { trustProxy: ['10.0.0.0/8', '::1', 'loopback', '10.0.0.0/33', 'proxy.example'], login: { perUser: 0 } },
      numbering: {
        internal: ['_2XX', '2XX'],
        external: [{ prefix: '0', role: 'operator' }, { prefix: '0', role: 'supervisor' }, { prefix: '', role: 'admin' }, { prefix: '9', role: 'everyone' }],
        emergency: ['1 12'],
        phoneContexts: ['from internal'],
      },
      quotas: { dnd: 0 },
    });
    for (const path of ['http.trustProxy[3]', 'http.trustProxy[4]', 'http.login.perUser', 'numbering.internal[1]', 'numbering.external[2].prefix', 'numbering.external[3].role', 'numbering.emergency[0]', 'numbering.phoneContexts[0]', 'quotas.dnd']) {
      assert.ok(found.some((p) => p.startsWith(`${path}:`)), `${path} named in ${JSON.stringify(found)}`);
    }
    assert.equal(found.filter((p) => p.startsWith('http.trustProxy')).length, 2, 'an address, a range, loopback are fine');
    const dup = problems({ ...base(), numbering: { external: [{ prefix: '0', role: 'operator' }, { prefix: '0', role: 'supervisor' }] } });
    assert.deepEqual(dup, ['numbering.external[0].prefix: prefix "0" is listed twice', 'numbering.external[1].prefix: prefix "0" is listed twice']);
  });

  it('given statistics and a loss group, when parsed, then T and the zone default to 20 s and UTC, maxQueue 0 is allowed and a bad zone or a negative maxQueue is named', () => {
    const cfg = parseConfig(withGroup({ maxQueue: 0 }, 0));
    assert.deepEqual(cfg.statistics, { serviceTargetSeconds: 20, timezone: 'UTC' });
    assert.equal(cfg.groups[0]!.maxQueue, 0);
    assert.equal(parseConfig({ ...base(), statistics: { timezone: 'Europe/Paris', serviceTargetSeconds: 30 } }).statistics.serviceTargetSeconds, 30);
    assert.throws(() => parseConfig({ ...base(), statistics: { timezone: 'Mars/Olympus' } }), (e: unknown) => e instanceof ConfigError && /statistics\.timezone: unknown time zone/.test(e.message));
    assert.throws(() => parseConfig(withGroup({ maxQueue: -1 }, 0)), (e: unknown) => e instanceof ConfigError && /groups\[0\]\.maxQueue/.test(e.message));
  });

  it('given no retention section, then the store keeps 90 days of logs and 400 of statistics; a negative or fractional day count is named', () => {
    assert.deepEqual(parseConfig(base()).retention, { logDays: 90, queueLogDays: 90, statsDays: 400 });
    assert.deepEqual(parseConfig({ ...base(), retention: { logDays: 0 } }).retention, { logDays: 0, queueLogDays: 90, statsDays: 400 });
    const p = problems({ ...base(), retention: { statsDays: -1, queueLogDays: 1.5 } });
    assert.ok(p.some((x) => x.startsWith('retention.statsDays')), p.join('; '));
    assert.ok(p.some((x) => x.startsWith('retention.queueLogDays')), p.join('; '));
  });

  it('given no admission section, then the backlog bound and its wait are the documented defaults; a bad bound names its field', () => {
    assert.deepEqual(parseConfig(base()).admission, { backlog: 50, maxWait: 0.03, storeBacklog: 1000 });
    assert.deepEqual(parseConfig({ ...base(), admission: { backlog: 5 } }).admission, { backlog: 5, maxWait: 0.03, storeBacklog: 1000 });
    const p = problems({ ...base(), admission: { backlog: 0, maxWait: -1, storeBacklog: 5 } });
    assert.ok(p.some((x) => x.startsWith('admission.storeBacklog: must be at least 10 writes')), p.join('; '));
    assert.ok(p.some((x) => x.startsWith('admission.backlog: must be at least 1 call')), p.join('; '));
    assert.ok(p.some((x) => x.startsWith('admission.maxWait: must be at least 0.001 s')), p.join('; '));
    const q = problems({ ...base(), admission: { backlog: 2.5, maxWait: 'soon', limit: 3 } });
    assert.ok(q.some((x) => x.startsWith('admission.backlog: must be a whole number')), q.join('; '));
    assert.ok(q.some((x) => x.startsWith('admission.maxWait: must be a number of seconds')), q.join('; '));
    assert.ok(q.some((x) => x.startsWith('admission')), q.join('; '));
  });

  it('given a missing required field, then the problem names its path', () => {
    const cfg = base();
    delete (cfg.asterisk as { ari: Record<string, unknown> }).ari.password;
    assert.deepEqual(problems(cfg).filter((p) => p.startsWith('asterisk.ari.password:')).length, 1);
  });

  it('given a wrong type, then the problem names the field with its index', () => {
    const p = problems(withGroup({ ringTimeout: 'fifteen' }, 1));
    assert.ok(p.some((x) => x.startsWith('groups[1].ringTimeout:')), p.join('\n'));
  });

  it('given an unknown overflow group, then it is named as in the documentation', () => {
    const p = problems(withGroup({ overflow: { to: 'sales', waitSeconds: 30 } }, 1));
    assert.ok(p.includes('groups[1].overflow.to: unknown group "sales"'), p.join('\n'));
  });

  it('given an unknown member and an unknown table group, then both are named', () => {
    const p = problems(withGroup({ members: ['att9'], table: { day: { type: 'group' }, night: { type: 'group', group: 'nobody' } } }, 0));
    assert.ok(p.includes('groups[0].members[0]: unknown attendant "att9"'), p.join('\n'));
    assert.ok(p.includes('groups[0].table.night.group: unknown group "nobody"'), p.join('\n'));
  });

  it('given duplicate ids and a shared device, then each duplicate is named', () => {
    const cfg = base();
    (cfg.attendants as Array<Record<string, unknown>>).push({ id: 'att1', name: 'Again', device: 'PJSIP/att2' });
    const p = problems(cfg);
    assert.ok(p.includes('attendants[2].id: duplicate id "att1"'), p.join('\n'));
    assert.ok(p.includes('attendants[2].device: device "PJSIP/att2" is used by another attendant'), p.join('\n'));
  });

  it('given a schedule rule that ends before it starts, then the rule is named', () => {
    const p = problems(withGroup({ table: { day: { type: 'group' }, night: { type: 'extension', number: '2000' } }, schedule: { rules: [{ days: ['mon'], from: '18:00', to: '08:00' }] } }, 0));
    assert.ok(p.some((x) => x.startsWith('groups[0].schedule.rules[0].to: must be later than from')), p.join('\n'));
  });

  it('given a bad time, an unknown weekday and an unknown time zone, then each is named', () => {
    const p = problems(withGroup({ schedule: { timezone: 'Mars/Olympus', rules: [{ days: ['funday'], from: '8am', to: '18:00' }] } }, 0));
    assert.ok(p.some((x) => x.startsWith('groups[0].schedule.timezone: unknown time zone')), p.join('\n'));
    assert.ok(p.some((x) => x.startsWith('groups[0].schedule.rules[0].days[0]:')), p.join('\n'));
    assert.ok(p.some((x) => x.startsWith('groups[0].schedule.rules[0].from: must be HH:MM')), p.join('\n'));
  });

  it('given a schedule that switches to night with no night destination, then it is refused', () => {
    const p = problems(withGroup({ schedule: { rules: [{ days: ['mon'], from: '08:00', to: '18:00' }] } }, 0));
    assert.ok(p.includes('groups[0].schedule.otherwise: the table has no "night" destination'), p.join('\n'));
  });

  it('given a type error and an unknown overflow group in another group, then both are told at once', () => {
    const cfg = withGroup({ overflow: { to: 'sales', waitSeconds: 30 } }, 1);
    (cfg.groups as Array<Record<string, unknown>>)[0]!.ringTimeout = 'fifteen';
    (cfg.users as unknown) = [{ name: 'x', role: 'operator', passwordHash: 'nope', attendant: 'att9' }];
    const p = problems(cfg);
    assert.ok(p.some((x) => x.startsWith('groups[0].ringTimeout:')), p.join('\n'));
    assert.ok(p.includes('groups[1].overflow.to: unknown group "sales"'), p.join('\n'));
    assert.ok(p.some((x) => x.startsWith('users[0].passwordHash:')), p.join('\n'));
    assert.ok(p.includes('users[0].attendant: unknown attendant "att9"'), p.join('\n'));
  });

  it('given a type error in the very group whose overflow names an unknown group, then both are told', () => {
    const p = problems(withGroup({ ringTimeout: -1, overflow: { to: 'sales', waitSeconds: 30 }, members: ['att1', 'nobody'] }, 1));
    assert.ok(p.some((x) => x.startsWith('groups[1].ringTimeout:')), p.join('\n'));
    assert.ok(p.includes('groups[1].overflow.to: unknown group "sales"'), p.join('\n'));
    assert.ok(p.includes('groups[1].members[1]: unknown attendant "nobody"'), p.join('\n'));
  });

  it('given positions and startLoggedIn, then restore is the default and a bad value is named', () => {
    assert.equal(parseConfig(base()).positions, 'restore');
    const cfg = base();
    cfg.positions = 'logged-in';
    (cfg.attendants as Array<Record<string, unknown>>)[1]!.startLoggedIn = false;
    const parsed = parseConfig(cfg);
    assert.equal(parsed.positions, 'logged-in');
    assert.equal(parsed.attendants[1]!.startLoggedIn, false);
    cfg.positions = 'always';
    assert.ok(problems(cfg).some((x) => x.startsWith('positions:')), 'positions is named');
  });

  it('given an overflow with no threshold or to itself, then it is refused', () => {
    assert.ok(problems(withGroup({ overflow: { to: 'operators' } }, 1)).some((x) => x.startsWith('groups[1].overflow: needs queueLength or waitSeconds')), 'problems(withGroup({ overflow: { to: \'operators\' } }, 1)).some((x) => x.startsWith(\'gro...');
    assert.ok(problems(withGroup({ overflow: { to: 'backup', waitSeconds: 5 } }, 1)).includes('groups[1].overflow.to: a group cannot overflow to itself'), 'problems(withGroup({ overflow: { to: \'backup\', waitSeconds: 5 } }, 1)).includes(\'groups...');
  });

  it('given a misspelt key, then it is named instead of silently ignored', () => {
    const p = problems(withGroup({ ringTimout: 10 }, 0));
    assert.ok(p.some((x) => x.startsWith('groups[0]') && x.includes('ringTimout')), p.join('\n'));
  });

  it('given secrets in the environment, then they override the file', () => {
    const cfg = parseConfig(applyEnv(base(), { ATTENDANT_ARI_PASSWORD: 'from-env', REDIS_URL: 'redis://127.0.0.1:6390', ATTENDANT_REDIS_PASSWORD: 's3cret' }));
    assert.equal(cfg.asterisk.ari.password, 'from-env');
    assert.equal(cfg.redis.url, 'redis://:s3cret@127.0.0.1:6390');
  });

  it('given a file that is not YAML or does not exist, then the error says which file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'att-cfg-'));
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'groups: [unclosed');
    assert.throws(() => loadConfigFile(bad, {}), (e: ConfigError) => e.problems[0]!.includes('not valid YAML'));
    assert.throws(() => loadConfigFile(join(dir, 'none.yaml'), {}), (e: ConfigError) => e.problems[0]!.includes('cannot read'));
    const good = join(dir, 'good.yaml');
    writeFileSync(good, stringify(base()));
    assert.equal(loadConfigFile(good, {}).attendants.length, 2);
  });

  it('given no phone section, then the feature codes, keypad keys and sounds are the documented defaults', () => {
    const cfg = parseConfig(base());
    assert.deepEqual(cfg.phone.featureCodes, {
      login: '*50', logout: '*51', 'dnd-on': '*52', present: '*53', mode: '*54', retrieve: '*55', 'park-retrieve': '*58', 'queue-pickup': '*59', callback: '*69',
    });
    assert.deepEqual(cfg.phone.keypad, {
      enabled: true, prefix: '*', interDigit: 3, keys: { blindTransfer: '1', consult: '2', complete: '3', cancel: '4', swap: '5', conference: '6', hold: '7', park: '8' },
    });
    assert.deepEqual([cfg.phone.transferKey, cfg.phone.sounds, cfg.phone.callbackContext], [true, { ok: 'sound:beep', error: 'sound:beeperr' }, 'attendant-sets']);
    assert.equal(cfg.attendants[0]!.supervisor, false);
  });

  it('given a phone section with some codes and keys, then the others keep their defaults', () => {
    const cfg = parseConfig({ ...base(), phone: { featureCodes: { callback: '*70' }, keypad: { keys: { park: '9' } } } });
    assert.deepEqual([cfg.phone.featureCodes.callback, cfg.phone.featureCodes.login], ['*70', '*50']);
    assert.deepEqual([cfg.phone.keypad.keys.park, cfg.phone.keypad.keys.hold], ['9', '7']);
  });

  it('given a feature code that starts another, a key used twice or a bad code, then each is named by its path', () => {
    const p = problems({ ...base(), phone: { featureCodes: { login: '*5', logout: '*6x' }, keypad: { keys: { hold: '8' } } } });
    assert.ok(p.some((x) => x.startsWith('phone.featureCodes.logout:')), p.join('\n'));
    const clash = problems({ ...base(), phone: { featureCodes: { login: '*5' }, keypad: { keys: { hold: '8' } } } });
    assert.ok(clash.some((x) => /^phone\.featureCodes\.login: "\*5" is also the start of /.test(x)), clash.join('\n'));
    assert.ok(clash.some((x) => x === 'phone.keypad.keys.hold: key "8" is used by another command'), clash.join('\n'));
    assert.ok(clash.some((x) => x === 'phone.keypad.keys.park: key "8" is used by another command'), clash.join('\n'));
  });
});
