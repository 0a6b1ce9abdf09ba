// In-call commands keyed on the attendant set's keypad (DTMF on the attendant's leg), as a pure
// reducer: one key (or the inter-digit timeout) in, the next collecting state and maybe a command out.
// A command starts with the prefix (`*`), then its key; transfer and consultation then take the
// number, ended by the other star key (`#`) or by the inter-digit timeout. The prefix again starts over.
import type { KeypadCommand } from '../config.ts';

export type { KeypadCommand };

/** the prefix and the key of each command (config `phone.keypad`) */
export interface KeypadScheme {
  prefix: string;
  keys: Readonly<Record<KeypadCommand, string>>;
}

/** commands that take the number that follows */
const WITH_NUMBER: ReadonlySet<KeypadCommand> = new Set<KeypadCommand>(['blindTransfer', 'consult']);
const MAX_NUMBER = 32;

export type KeypadState =
  | { stage: 'idle' }
  | { stage: 'command' }
  | { stage: 'number'; command: KeypadCommand; digits: string };

export const KEYPAD_IDLE: KeypadState = { stage: 'idle' };

export interface KeypadStep {
  state: KeypadState;
  /** a complete command to run */
  fire?: { command: KeypadCommand; number?: string };
  /** the keys made no command: the set hears the error tone */
  error?: string;
  /** more keys are expected: the inter-digit timer runs */
  waiting: boolean;
}

const idle = (extra: Omit<KeypadStep, 'state' | 'waiting'> = {}): KeypadStep => ({ state: KEYPAD_IDLE, waiting: false, ...extra });

function commandOf(scheme: KeypadScheme, key: string): KeypadCommand | undefined {
  return (Object.keys(scheme.keys) as KeypadCommand[]).find((c) => scheme.keys[c] === key);
}

/** the key that ends a number: whichever of * and # is not the prefix */
export function endKey(scheme: KeypadScheme): string {
  return scheme.prefix === '#' ? '*' : '#';
}

/** One DTMF key on the attendant's leg. Keys outside a command (not after the prefix) are ordinary DTMF. */
export function pressKey(scheme: KeypadScheme, state: KeypadState, key: string): KeypadStep {
  if (key === scheme.prefix) return { state: { stage: 'command' }, waiting: true };
  switch (state.stage) {
    case 'idle':
      return idle();
    case 'command': {
      const command = commandOf(scheme, key);
      if (!command) return idle({ error: `no command on key ${key}` });
      if (WITH_NUMBER.has(command)) return { state: { stage: 'number', command, digits: '' }, waiting: true };
      return idle({ fire: { command } });
    }
    case 'number': {
      if (key === endKey(scheme)) return state.digits ? idle({ fire: { command: state.command, number: state.digits } }) : idle({ error: 'no number before the end key' });
      if (!/^[0-9]$/.test(key)) return idle({ error: `"${key}" is not a digit of a number` });
      if (state.digits.length >= MAX_NUMBER) return idle({ error: 'number too long' });
      return { state: { ...state, digits: state.digits + key }, waiting: true };
    }
  }
}

/** The inter-digit timeout ran out: a number collected so far is used, anything else is incomplete. */
export function keypadTimeout(state: KeypadState): KeypadStep {
  if (state.stage === 'number' && state.digits) return idle({ fire: { command: state.command, number: state.digits } });
  if (state.stage === 'idle') return idle();
  return idle({ error: 'incomplete command' });
}
