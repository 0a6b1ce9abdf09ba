// Mocha root hooks (loaded by .mocharc.json): after the whole run, no log line written by a
// controller of any test may hold a configured secret (test/support/log-audit.ts).
import assert from 'node:assert/strict';
import { logAudit } from './log-audit.ts';

export const mochaHooks = {
  afterAll(): void {
    const { linesSeen, secrets, findings } = logAudit();
    if (process.env.LOG_AUDIT_REPORT) process.stdout.write(`log audit: ${linesSeen} log lines checked against ${secrets} secrets, ${findings.length} findings\n`);
    assert.deepEqual(findings.slice(0, 20), [], `${findings.length} log lines hold a configured secret`);
  },
};
