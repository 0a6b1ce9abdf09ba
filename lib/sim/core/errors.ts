// Failure answers: AriError carries the exact status and body Asterisk sends; SimError is for the control API.

export class AriError extends Error {
  readonly body: Record<string, unknown>;

  constructor(readonly status: number, message: string, body?: Record<string, unknown>) {
    super(message);
    this.body = body ?? { message };
  }
}

/** ast_ari_response_alloc_failed: the one answer whose body uses `error`, not `message` */
export function allocationFailed(): AriError {
  return new AriError(500, 'Allocation failed', { error: 'Allocation failed' });
}

/** a control-API (phone side) request the simulator cannot honour */
export class SimError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}
