// The live feed: WebSocket /api/events, authenticated by a first message (the token stays out of
// URLs and logs), resumed with since=<seq>&epoch=<epoch> after a drop, reconnecting by itself.
export class LiveFeed {
  constructor({ token, onMessage, onStatus, onRejected }) {
    this.token = token;
    this.onMessage = onMessage;
    this.onStatus = onStatus;
    this.onRejected = onRejected;
    this.seq = undefined;
    this.epoch = undefined;
    this.attempt = 0;
    this.stopped = false;
    this.ws = undefined;
    this.timer = undefined;
  }

  start() {
    this.stopped = false;
    this.connect();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    this.ws?.close(1000, 'bye');
    this.ws = undefined;
  }

  connect() {
    const proto = location.protocol === 'https:' ? 'wss' : 'ws';
    const q = this.seq !== undefined ? `?since=${this.seq}&epoch=${encodeURIComponent(this.epoch ?? '')}` : '';
    this.onStatus('connecting');
    const ws = new WebSocket(`${proto}://${location.host}/api/events${q}`);
    this.ws = ws;
    ws.addEventListener('open', () => ws.send(JSON.stringify({ type: 'auth', token: this.token })));
    ws.addEventListener('message', (ev) => {
      let msg;
      try { msg = JSON.parse(ev.data); } catch { return; }
      if (msg.type === 'hello') { this.attempt = 0; this.epoch = msg.epoch; this.onStatus('live'); }
      if (msg.type === 'snapshot') { this.seq = msg.seq; this.epoch = msg.epoch; }
      if (msg.type === 'event') this.seq = msg.seq;
      this.onMessage(msg);
    });
    ws.addEventListener('close', (ev) => {
      if (this.ws !== ws) return;
      this.ws = undefined;
      if (this.stopped) return;
      // 4401: the token is refused; 4000: the session was ended (logout, shift change)
      if (ev.code === 4401 || ev.code === 4000) { this.onStatus('offline'); this.onRejected(ev.code); return; }
      this.onStatus('reconnecting');
      const delay = Math.min(10_000, 500 * 2 ** this.attempt) * (0.75 + Math.random() * 0.5);
      this.attempt++;
      this.timer = setTimeout(() => this.connect(), delay);
    });
  }
}
