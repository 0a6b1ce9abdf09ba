// Whose position a request acts at: an operator only at their own; a supervisor (or admin) at
// any position they name, else at their own.
import type { ApiDeps } from './deps.ts';
import { ApiError, forbidden, notFound } from './errors.ts';
import { hasRole, type Principal } from './auth/sessions.ts';

export function actingAttendant(deps: ApiDeps, who: Principal, requested: string | undefined): string {
  if (requested !== undefined && requested !== who.attendant && !hasRole(who.role, 'supervisor')) {
    throw forbidden(`operators act only at their own position${who.attendant ? ` (${who.attendant})` : ''}`);
  }
  const id = requested ?? who.attendant;
  if (id === undefined) {
    throw new ApiError(422, 'no_position', 'body.attendant: this login has no attendant position: name one', { field: 'body.attendant', details: [{ field: 'body.attendant', message: 'required: this login has no position' }] });
  }
  if (!deps.switchboard.view.attendant(id)) throw notFound(`attendant "${id}"`);
  return id;
}

/** the position named in a path: operators may touch only their own */
export function ownPosition(deps: ApiDeps, who: Principal, id: string): string {
  if (id !== who.attendant && !hasRole(who.role, 'supervisor')) throw forbidden('operators act only at their own position');
  if (!deps.switchboard.view.attendant(id)) throw notFound(`attendant "${id}"`);
  return id;
}
