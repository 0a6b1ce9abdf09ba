// Every error the API answers with is `{ error: { code, message, field?, details? } }`. Typed errors
// of the domain, the operations and the store are mapped to a status here, in one place, by code.
import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { DomainError, type DomainErrorCode } from '../domain/errors.ts';
import { OperationError, type OperationErrorCode, type OperationFailure } from '../calls/operations-port.ts';
import { StoreError } from '../store/index.ts';
import type { StoreErrorCode } from '../store/index.ts';

export interface FieldProblem {
  /** where: `body.target`, `query.from`, `params.id` */
  field: string;
  message: string;
}

export interface ErrorBody {
  error: { code: string; message: string; field?: string; details?: FieldProblem[]; failure?: OperationFailure };
}

/** An error the API answers with as it is: status, stable code, a message for people. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: { field?: string; details?: FieldProblem[]; headers?: Record<string, string>; failure?: OperationFailure } = {},
  ) {
    super(message);
  }
}

export const unauthorized = (message = 'authentication required: log in for a token (Authorization: Bearer <token>) or send x-api-key') =>
  new ApiError(401, 'unauthorized', message, { headers: { 'www-authenticate': 'Bearer realm="attendant"' } });
export const forbidden = (message: string) => new ApiError(403, 'forbidden', message);
export const notFound = (what: string) => new ApiError(404, 'not_found', `${what} not found`);
export const unprocessable = (field: string, message: string) => new ApiError(422, 'unprocessable', `${field}: ${message}`, { field, details: [{ field, message }] });

const DOMAIN_STATUS: Readonly<Record<DomainErrorCode, number>> = {
  invalid_transition: 409,
  wrong_call: 409,
  not_due: 409,
  already_logged_in: 409,
  invalid_schedule: 422,
};

const OPERATION_STATUS: Readonly<Record<OperationErrorCode, number>> = {
  unknown_call: 404,
  unknown_attendant: 404,
  not_found: 404,
  slot_empty: 404,
  not_your_call: 403,
  invalid_state: 409,
  target_busy: 409,
  no_answer: 409,
  slot_taken: 409,
  invalid_target: 422,
  invalid_value: 422,
  outside_numbering_plan: 422,
  number_not_allowed: 403,
  quota_exceeded: 409,
  // Asterisk refused or failed: the request was fine, the upstream was not
  ari_failed: 502,
};

const STORE_STATUS: Readonly<Record<StoreErrorCode, number>> = {
  store_invalid_id: 400,
  store_invalid_op: 400,
  store_corrupt: 500,
  store_unavailable: 503,
  store_command_failed: 503,
  store_fenced: 503,
};

/** The zod issues of one input location as field problems, `unrecognized_keys` named key by key. */
export function fieldProblems(location: 'body' | 'query' | 'params', error: z.ZodError): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const issue of error.issues) {
    const base = [location, ...issue.path.map(String)].join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ field: `${base}.${key}`, message: 'unknown field' });
    } else {
      out.push({ field: base, message: issue.message });
    }
  }
  return out;
}

export function invalidInput(problems: FieldProblem[]): ApiError {
  const first = problems[0] ?? { field: 'body', message: 'invalid' };
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  return new ApiError(400, 'invalid_request', `${first.field}: ${first.message}${more}`, { field: first.field, details: problems });
}

/** Any thrown value to an ApiError; unknown errors become a 500 whose details stay in the log. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof OperationError) return new ApiError(OPERATION_STATUS[err.code] ?? 409, err.code, err.message, err.failure ? { failure: err.failure } : {});
  if (err instanceof DomainError) return new ApiError(DOMAIN_STATUS[err.code] ?? 409, err.code, err.message);
  if (err instanceof StoreError) {
    const status = STORE_STATUS[err.code] ?? 500;
    // a corrupt record is our problem: do not show its content
    return new ApiError(status, err.code, status >= 500 ? 'the state store cannot answer right now' : err.message);
  }
  if (err instanceof RangeError) return new ApiError(422, 'unprocessable', err.message);
  const bodyParser = bodyParserError(err);
  if (bodyParser) return bodyParser;
  return new ApiError(500, 'internal', 'internal error');
}

/** Errors of express.json and of the router (bad percent-encoding) carry `type` / `status`. */
function bodyParserError(err: unknown): ApiError | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { type?: unknown; status?: unknown; statusCode?: unknown };
  switch (e.type) {
    case 'entity.parse.failed': return new ApiError(400, 'invalid_json', 'the body is not valid JSON');
    case 'entity.too.large': return new ApiError(413, 'payload_too_large', 'the body is larger than the limit');
    case 'encoding.unsupported':
    case 'charset.unsupported': return new ApiError(415, 'unsupported_media_type', 'send UTF-8 JSON');
    case 'request.aborted': return new ApiError(400, 'bad_request', 'the request was aborted');
    default: break;
  }
  const status = typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : undefined;
  if (status !== undefined && status >= 400 && status < 500) return new ApiError(status, 'bad_request', 'malformed request');
  return undefined;
}

export function sendError(res: import('express').Response, err: ApiError): void {
  for (const [k, v] of Object.entries(err.extra.headers ?? {})) res.setHeader(k, v);
  const body: ErrorBody = { error: { code: err.code, message: err.message } };
  if (err.extra.field !== undefined) body.error.field = err.extra.field;
  if (err.extra.details !== undefined) body.error.details = err.extra.details;
  if (err.extra.failure !== undefined) body.error.failure = err.extra.failure;
  res.status(err.status).json(body);
}

/** The last middleware: maps, logs what is ours to fix, never shows a stack trace. */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const api = toApiError(err);
    if (api.status >= 500) {
      log.error({ err, method: req.method, path: req.path, code: api.code }, 'request failed');
    } else if (!(err instanceof ApiError)) {
      log.debug({ method: req.method, path: req.path, code: api.code, status: api.status }, 'request refused');
    }
    if (res.headersSent) { res.end(); return; }
    sendError(res, api);
  };
}
