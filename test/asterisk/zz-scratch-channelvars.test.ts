// SCRATCH (not committed): does Asterisk report an originate variable with report_events in GET /channels while the leg rings?
import { site } from './support/hooks.ts';
import { AST } from './support/asterisk.ts';

describe('scratch: channelvars', () => {
  it('reports', async function () {
    this.timeout(30_000);
    const s = site();
    await s.phone('att2', { kind: 'ringing' });
    const auth = 'Basic ' + Buffer.from(`${AST.ariUser}:${AST.ariPassword}`).toString('base64');
    const base = s.asterisk.ariUrl.replace(/\/$/, '');
    const res = await fetch(`${base}/ari/channels?endpoint=PJSIP/att2&app=attendant&appArgs=${encodeURIComponent('@present,x,att2')}&channelId=scratch-1&timeout=10`, {
      method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify({ variables: { ATTENDANT_ROUTE: { value: 'attendant,x', report_events: true }, PLAIN: 'y' } }),
    });
    process.stdout.write(`originate ${res.status} ${await res.text()}\n`);
    await new Promise((r) => setTimeout(r, 1500));
    const list = await fetch(`${base}/ari/channels`, { headers: { authorization: auth } });
    process.stdout.write(`list ${list.status} ${await list.text()}\n`);
    await fetch(`${base}/ari/channels/scratch-1`, { method: 'DELETE', headers: { authorization: auth } });
  });
});
