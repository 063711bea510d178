// rawhttp.mjs: a minimal HTTP/1.1 keep-alive client for the benchmark's
// completions: one TCP connection, one request in flight, the request's
// bytes written at once and the answer framed by its Content-Length. The
// clients share two cores with the servers they measure; node:http's client
// cost more CPU per request than mesd spent on the completion itself, so
// this keeps the driver's share small. Not a general client: no chunked
// answers (mesd sends Content-Length), no redirects, no pipelining.
import net from 'node:net';

const HEADER_END = Buffer.from('\r\n\r\n');

export class RawConn {
  constructor(url, headers) {
    const u = new URL(url);
    this.host = u.hostname;
    this.port = Number(u.port);
    this.head = `POST ${u.pathname} HTTP/1.1\r\nHost: ${u.host}\r\n`
      + Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
    this.sock = null;
    this.buf = Buffer.alloc(0);
    this.waiting = null; // { resolve, reject } of the request in flight
  }

  connect() {
    this.sock = net.connect({ host: this.host, port: this.port, noDelay: true });
    this.sock.on('data', (d) => { this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d; this.parse(); });
    const fail = (e) => {
      this.sock = null;
      this.buf = Buffer.alloc(0);
      const w = this.waiting;
      this.waiting = null;
      if (w) w.reject(e);
    };
    this.sock.on('error', fail);
    this.sock.on('close', () => fail(new Error('connection closed')));
  }

  // resolves to { status, body } (body: the answer's text)
  post(body) {
    if (this.waiting) return Promise.reject(new Error('one request at a time'));
    if (!this.sock) this.connect();
    const payload = Buffer.from(body);
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      // one write: with noDelay two would be two segments
      this.sock.write(Buffer.concat([Buffer.from(`${this.head}Content-Length: ${payload.length}\r\n\r\n`), payload]));
    });
  }

  close() {
    if (this.sock) this.sock.end();
  }

  parse() {
    const end = this.buf.indexOf(HEADER_END);
    if (end < 0 || !this.waiting) return;
    const head = this.buf.subarray(0, end).toString('latin1');
    const status = Number(head.slice(9, 12));
    const m = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    if (!m) {
      this.waiting.reject(new Error(`HTTP ${status} without Content-Length`));
      this.waiting = null;
      this.sock.destroy();
      return;
    }
    const total = end + 4 + Number(m[1]);
    if (this.buf.length < total) return;
    const body = this.buf.subarray(end + 4, total).toString();
    this.buf = this.buf.subarray(total);
    const w = this.waiting;
    this.waiting = null;
    w.resolve({ status, body });
  }
}
