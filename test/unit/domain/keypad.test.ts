// The keypad reducer: keys of the attendant set during a call become commands.
import assert from 'node:assert/strict';
import { KEYPAD_DEFAULTS } from '../../../lib/config.ts';
import { KEYPAD_IDLE, keypadTimeout, pressKey, type KeypadScheme, type KeypadState, type KeypadStep } from '../../../lib/domain/keypad.ts';

const STAR: KeypadScheme = { prefix: '*', keys: KEYPAD_DEFAULTS };
const HASH: KeypadScheme = { prefix: '#', keys: KEYPAD_DEFAULTS };

/** press each key in turn; the steps that produced a command or an error, and the last state */
function keys(scheme: KeypadScheme, digits: string, from: KeypadState = KEYPAD_IDLE): { steps: KeypadStep[]; state: KeypadState } {
  const steps: KeypadStep[] = [];
  let state = from;
  for (const d of digits) {
    const step = pressKey(scheme, state, d);
    if (step.fire || step.error) steps.push(step);
    state = step.state;
  }
  return { steps, state };
}

describe('keypad commands (pure)', () => {
  it('given the default scheme, when *1201# is keyed, then a blind transfer to 201 fires', () => {
    const { steps, state } = keys(STAR, '*1201#');
    assert.deepEqual(steps.map((s) => s.fire), [{ command: 'blindTransfer', number: '201' }]);
    assert.deepEqual(state, KEYPAD_IDLE);
  });

  it('given each command without a number, when its key follows the prefix, then it fires at once', () => {
    const fired = ['*3', '*4', '*5', '*6', '*7', '*8'].map((k) => keys(STAR, k).steps[0]?.fire?.command);
    assert.deepEqual(fired, ['complete', 'cancel', 'swap', 'conference', 'hold', 'park']);
  });

  it('given *2 and a number, when the inter-digit timeout runs out, then the consultation fires with the number so far', () => {
    const { state } = keys(STAR, '*2345');
    assert.deepEqual(keypadTimeout(state).fire, { command: 'consult', number: '345' });
  });

  it('given keys outside a command, then they are ordinary DTMF: nothing fires, no error, no timer', () => {
    for (const d of '0123456789#ABCD') {
      const step = pressKey(STAR, KEYPAD_IDLE, d);
      assert.deepEqual(step, { state: KEYPAD_IDLE, waiting: false });
    }
  });

  it('given incomplete or wrong commands, then each ends in an error and the keypad is idle again', () => {
    assert.equal(keys(STAR, '*9').steps[0]?.error, 'no command on key 9');
    assert.equal(keys(STAR, '*1#').steps[0]?.error, 'no number before the end key');
    assert.match(keys(STAR, '*12A').steps[0]?.error ?? '', /not a digit/);
    assert.match(keys(STAR, `*1${'5'.repeat(33)}`).steps[0]?.error ?? '', /too long/);
    assert.equal(keypadTimeout({ stage: 'command' }).error, 'incomplete command');
    assert.equal(keypadTimeout({ stage: 'number', command: 'blindTransfer', digits: '' }).error, 'incomplete command');
    assert.deepEqual(keypadTimeout(KEYPAD_IDLE), { state: KEYPAD_IDLE, waiting: false });
  });

  it('given a number being keyed, when the prefix comes again, then it starts over', () => {
    const { steps } = keys(STAR, '*120*7');
    assert.deepEqual(steps.map((s) => s.fire), [{ command: 'hold' }]);
  });

  it('given # as the prefix, then * ends the number', () => {
    assert.deepEqual(keys(HASH, '#1201*').steps.map((s) => s.fire), [{ command: 'blindTransfer', number: '201' }]);
    assert.deepEqual(keys(HASH, '*1201#').steps, []);
  });

  it('given other keys configured, then the commands follow them', () => {
    const scheme: KeypadScheme = { prefix: '*', keys: { ...KEYPAD_DEFAULTS, hold: '0', park: '9' } };
    assert.deepEqual([keys(scheme, '*0').steps[0]?.fire, keys(scheme, '*9').steps[0]?.fire], [{ command: 'hold' }, { command: 'park' }]);
    assert.ok(keys(scheme, '*7').steps[0]?.error, 'keys(scheme, \'*7\').steps[0]?.error');
  });

  it('given a key that waits for more, then the step says so (the inter-digit timer runs)', () => {
    assert.equal(pressKey(STAR, KEYPAD_IDLE, '*').waiting, true);
    assert.equal(pressKey(STAR, { stage: 'command' }, '1').waiting, true);
    assert.equal(pressKey(STAR, { stage: 'command' }, '7').waiting, false);
  });
});
