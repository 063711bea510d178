// hist.mjs: a latency histogram small enough to keep one per process and
// merge, because the benchmark has one latency per (completion, subscriber)
// pair: tens of millions of them, too many to keep as numbers. Buckets of
// 10 µs up to 100 ms, then 1 ms up to 60 s (anything later lands in the last
// bucket); negative latencies (an event that reached a subscriber before its
// completion's answer reached the client) get the same buckets mirrored, so
// they are counted, not hidden. The exact minimum and maximum are kept beside.
const FINE = 10000; // 10 µs buckets below 100 ms
const COARSE = 60000; // 1 ms buckets from 100 ms to 60.1 s
const SIZE = FINE + COARSE;

function bucketOf(abs) {
  if (abs < 100) return Math.floor(abs * 100);
  return FINE + Math.min(COARSE - 1, Math.floor(abs - 100));
}
const middleOf = (b) => (b < FINE ? (b + 0.5) / 100 : 100 + (b - FINE) + 0.5);

export class Hist {
  constructor() {
    this.pos = new Uint32Array(SIZE);
    this.neg = new Uint32Array(SIZE);
    this.count = 0;
    this.min = Infinity;
    this.max = -Infinity;
  }

  add(ms) {
    (ms < 0 ? this.neg : this.pos)[bucketOf(Math.abs(ms))]++;
    this.count++;
    if (ms < this.min) this.min = ms;
    if (ms > this.max) this.max = ms;
  }

  // sparse form for IPC: [bucket, count] pairs of the non-empty buckets
  toJSON() {
    const sparse = (a) => { const out = []; a.forEach((c, b) => { if (c) out.push([b, c]); }); return out; };
    return { pos: sparse(this.pos), neg: sparse(this.neg), count: this.count, min: this.min, max: this.max };
  }

  merge(j) {
    for (const [b, c] of j.pos) this.pos[b] += c;
    for (const [b, c] of j.neg) this.neg[b] += c;
    this.count += j.count;
    this.min = Math.min(this.min, j.min ?? Infinity);
    this.max = Math.max(this.max, j.max ?? -Infinity);
  }

  // the p-th percentile (nearest rank), as the middle of its bucket, clamped
  // to the exact extremes so a one-bucket spread does not report past them
  percentile(p) {
    if (!this.count) return null;
    const rank = Math.max(1, Math.ceil((p / 100) * this.count));
    let seen = 0;
    for (let b = SIZE - 1; b >= 0; b--) {
      seen += this.neg[b];
      if (seen >= rank) return Math.max(this.min, -middleOf(b));
    }
    for (let b = 0; b < SIZE; b++) {
      seen += this.pos[b];
      if (seen >= rank) return Math.min(this.max, middleOf(b));
    }
    return this.max;
  }

  negatives() { return this.neg.reduce((a, c) => a + c, 0); }
}
