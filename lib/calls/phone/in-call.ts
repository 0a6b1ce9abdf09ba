// In-call commands from the attendant set's keypad: DTMF on the attendant's answered leg is fed to
// the pure keypad reducer (lib/domain/keypad.ts) with an inter-digit timer on the TimeSource; a
// complete command runs the same operation as the console's key. The caller's own DTMF never does:
// only a leg an attendant talks on is listened to.
import { KEYPAD_IDLE, keypadTimeout, pressKey, type KeypadCommand, type KeypadScheme, type KeypadState, type KeypadStep } from '../../domain/keypad.ts';
import type { TimerHandle } from '../../domain/clock.ts';
import { callOfLeg, type PhoneDeps } from './deps.ts';

interface LegKeys {
  state: KeypadState;
  timer?: TimerHandle;
  /** an operation is running: keys wait for it to end */
  running: boolean;
}

type Run = (attendantId: string, callId: string, number: string) => Promise<unknown>;

export class InCallKeys {
  private readonly legs = new Map<string, LegKeys>();
  private readonly scheme: KeypadScheme;
  private readonly commands: Readonly<Record<KeypadCommand, Run>>;

  constructor(private readonly d: PhoneDeps) {
    const { prefix, keys } = d.ctx.config.phone.keypad;
    this.scheme = { prefix, keys };
    const { ops } = d;
    this.commands = {
      blindTransfer: (a, c, n) => ops.blindTransfer(a, c, n),
      consult: (a, c, n) => ops.consult(a, c, n),
      complete: (a, c) => ops.completeTransfer(a, c),
      cancel: (a, c) => ops.cancelConsult(a, c),
      swap: (a, c) => ops.swap(a, c),
      conference: (a, c) => ops.conference(a, c),
      hold: (a, c) => ops.hold(a, c),
      park: (a, c) => ops.park(a, c),
    };
  }

  /** ChannelDtmfReceived */
  key(channelId: string, digit: string): void {
    const { ctx } = this.d;
    if (!callOfLeg(ctx, channelId)) return;
    let keys = this.legs.get(channelId);
    if (!keys) this.legs.set(channelId, (keys = { state: KEYPAD_IDLE, running: false }));
    if (keys.running) return;
    keys.timer?.cancel();
    delete keys.timer;
    this.step(channelId, keys, pressKey(this.scheme, keys.state, digit));
  }

  private step(leg: string, keys: LegKeys, step: KeypadStep): void {
    const { ctx, feedback } = this.d;
    keys.state = step.state;
    if (step.waiting) {
      keys.timer = ctx.time.schedule(ctx.config.phone.keypad.interDigit * 1000, () => {
        delete keys.timer;
        this.step(leg, keys, keypadTimeout(keys.state));
      });
    }
    if (step.error) {
      ctx.log.info({ leg, err: step.error }, 'keypad command refused');
      feedback.tone(leg, false);
    }
    if (step.fire) void this.execute(leg, keys, step.fire.command, step.fire.number ?? '');
  }

  private async execute(leg: string, keys: LegKeys, command: KeypadCommand, number: string): Promise<void> {
    const { ctx, feedback } = this.d;
    const call = callOfLeg(ctx, leg);
    if (!call) return;
    keys.running = true;
    let ok = true;
    try {
      await this.commands[command](call.attendant, call.id, number);
      ctx.log.info({ leg, callId: call.id, attendant: call.attendant, command, number }, 'keypad command');
    } catch (err) {
      ok = false;
      ctx.log.info({ leg, callId: call.id, attendant: call.attendant, command, number, err: (err as Error).message }, 'keypad command refused');
    } finally {
      keys.running = false;
    }
    // a command that released the leg (transfer, hold, park) needs no sound: the set's call ended
    if (callOfLeg(ctx, leg)) feedback.tone(leg, ok);
  }

  /** the leg left: forget its keys */
  forget(channelId: string): void {
    this.legs.get(channelId)?.timer?.cancel();
    this.legs.delete(channelId);
  }

  stop(): void {
    for (const k of this.legs.values()) k.timer?.cancel();
    this.legs.clear();
  }
}
