// Stand-in for the switchboard's Operations until lib/calls implements them: every command is
// refused with OperationError('invalid_state') (409), so the API's validation, authentication and
// role checks already hold. Directory search works from the configuration's inline entries.
import { OperationError, type DirectoryEntry, type Operations } from '../calls/operations-port.ts';
import type { Config } from '../config.ts';

export function pendingOperations(config: Config): Operations {
  const refuse = async (): Promise<never> => { throw new OperationError('invalid_state', 'not available yet'); };
  const entries: DirectoryEntry[] = config.directory.entries.map((e) => ({ ...e }));
  return {
    answerWaiting: refuse, hangup: refuse, blindTransfer: refuse, consult: refuse, completeTransfer: refuse, cancelConsult: refuse,
    swap: refuse, conference: refuse, split: refuse, leaveConference: refuse, hold: refuse, retrieve: refuse, park: refuse,
    pickupParked: refuse, monitor: refuse, stopMonitor: refuse, setExtensionDnd: refuse, listExtensionDnd: refuse,
    scheduleWakeup: refuse, cancelWakeup: refuse, listWakeups: refuse, leaveMessage: refuse, markMessageRead: refuse, listMessages: refuse,
    searchDirectory(query: string): DirectoryEntry[] {
      const q = query.trim().toLowerCase();
      if (!q) return [];
      return entries.filter((e) => [e.name, e.number, e.shortCode, e.department, e.location].some((v) => v?.toLowerCase().includes(q)));
    },
  };
}
