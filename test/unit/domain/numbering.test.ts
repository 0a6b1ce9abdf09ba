// The numbering plan: Asterisk patterns, emergency numbers, external prefixes by role, extensions.
import assert from 'node:assert/strict';
import { compileNumberingPlan, DEFAULT_NUMBERING, patternProblem, patternToRegExp, type NumberingSettings } from '../../../lib/domain/numbering.ts';

const HOTEL: NumberingSettings = {
  internal: ['_2XX', '_2XXX', '_9XXX', '_1[0-3]X', '555'],
  external: [
    { prefix: '0', role: 'operator', name: 'national' },
    { prefix: '00', role: 'supervisor', name: 'international' },
    { prefix: '08', role: 'none', name: 'premium rate' },
    { prefix: '+', role: 'admin' },
  ],
  emergency: ['112', '15', '17', '18'],
};

describe('numbering plan', () => {
  describe('Asterisk patterns', () => {
    it('given X, Z, N, a class and the . and ! tails, when compiled, then they match what Asterisk matches', () => {
      const m = (p: string, n: string) => patternToRegExp(p).test(n);
      assert.deepEqual(['200', '299', '20', '2000', '300'].map((n) => m('_2XX', n)), [true, true, false, false, false]);
      assert.deepEqual(['10', '01', '99'].map((n) => m('_ZX', n)), [true, false, true]);
      assert.deepEqual(['21', '11'].map((n) => m('_NX', n)), [true, false]);
      assert.deepEqual(['105', '135', '145'].map((n) => m('_1[0-3]X', n)), [true, true, false]);
      assert.deepEqual(['00', '0', '0033155512000'].map((n) => m('_0.', n)), [true, false, true]);
      assert.deepEqual(['0', '0*1#'].map((n) => m('_0!', n)), [true, true]);
      assert.deepEqual(['555', '5551'].map((n) => m('555', n)), [true, false], 'without _ a literal number');
      assert.equal(m('_*5X', '*56'), true);
    });

    it('given malformed patterns, when checked, then each is named', () => {
      for (const bad of ['2XX', '_', '_2.X', '_[5-1]', '_2Y', '', '_[2-]X]']) assert.ok(patternProblem(bad), `"${bad}" refused`);
      assert.equal(patternProblem('_2XX'), undefined);
      assert.throws(() => patternToRegExp('_2Y'), RangeError);
    });
  });

  describe('dialling (transfer, consultation, three-way)', () => {
    const plan = compileNumberingPlan(HOTEL);

    it('given internal extensions, then any role may dial them, named by their pattern', () => {
      const v = plan.dial('201', 'operator');
      assert.deepEqual(v, { ok: true, number: '201', kind: 'internal', rule: 'numbering.internal[0]' });
      assert.equal(plan.dial('9004', 'operator').ok, true);
      assert.equal(plan.dial('555', 'operator').ok, true);
    });

    it('given an emergency number, then every role may always dial it', () => {
      assert.deepEqual(plan.dial('15', 'operator'), { ok: true, number: '15', kind: 'emergency', rule: 'numbering.emergency' });
    });

    it('given external prefixes, then the longest that matches decides the least role', () => {
      assert.deepEqual(plan.dial('0155512000', 'operator'), { ok: true, number: '0155512000', kind: 'external', rule: 'numbering.external[0]' });
      const intl = plan.dial('0044207946000', 'operator');
      assert.equal(intl.ok, false);
      assert.ok(!intl.ok && intl.why === 'role' && intl.rule === 'numbering.external[1]', 'the international prefix needs a supervisor');
      assert.match(!intl.ok ? intl.message : '', /needs the supervisor role \(numbering\.external\[1\], prefix "00" \(international\)\); this position dials as operator/);
      assert.equal(plan.dial('0044207946000', 'supervisor').ok, true);
      assert.equal(plan.dial('0044207946000', 'admin').ok, true, 'an admin may what a supervisor may');
    });

    it('given a barred prefix, then nobody may dial it, admin included', () => {
      const v = plan.dial('0899123456', 'admin');
      assert.ok(!v.ok && v.why === 'barred' && v.rule === 'numbering.external[2]', 'barred by the premium-rate prefix');
      assert.match(!v.ok ? v.message : '', /barred by numbering\.external\[2\], prefix "08" \(premium rate\)/);
    });

    it('given a number no rule takes, a prefix alone, or something that is no number, then refused as outside or malformed', () => {
      for (const n of ['3001', '+', '0', '99999']) {
        const v = plan.dial(n, 'admin');
        assert.ok(!v.ok && v.why === 'outside' && v.rule === 'numbering', n);
      }
      assert.match((plan.dial('+', 'admin') as { message: string }).message, /outside the numbering plan/);
      for (const n of ['', 'reception', '1'.repeat(33), '20 1']) assert.ok(!plan.dial(n, 'admin').ok && (plan.dial(n, 'admin') as { why: string }).why === 'malformed', n);
    });
  });

  describe('extensions (DND, messages, wake-up calls)', () => {
    const plan = compileNumberingPlan(HOTEL);

    it('given an internal extension, then it may be booked; an outside or external number may not, naming numbering.internal', () => {
      assert.equal(plan.extension('201').ok, true);
      for (const n of ['0155512000', '3001', '+33155512000']) {
        const v = plan.extension(n);
        assert.ok(!v.ok && v.why === 'outside' && v.rule === 'numbering.internal', n);
      }
    });

    it('given an emergency number that an internal pattern would take, then it is not an extension', () => {
      const plan2 = compileNumberingPlan({ ...HOTEL, internal: ['_1XX'], emergency: ['112'] });
      const v = plan2.extension('112');
      assert.ok(!v.ok && v.why === 'emergency' && v.rule === 'numbering.emergency', 'an emergency number is no extension');
      assert.equal(plan2.extension('113').ok, true);
    });
  });

  describe('the default plan', () => {
    const plan = compileNumberingPlan(DEFAULT_NUMBERING);

    it('given the extensions of the example site and the tests (10-9999), then they are internal; 112 is emergency; nothing outside is allowed', () => {
      for (const n of ['10', '101', '200', '202', '2000', '2100', '9001', '9004', '3000']) assert.equal(plan.dial(n, 'operator').ok, true, n);
      assert.equal(plan.dial('112', 'operator').ok, true);
      for (const n of ['0155501234', '+33155512000', '+', '0', '1', '12345']) assert.equal(plan.dial(n, 'admin').ok, false, n);
      assert.equal(plan.extension('112').ok, false);
    });
  });
});
