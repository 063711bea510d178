// bench/webhooks/drive.mjs JSON: the webhook benchmark's driver. Registers
// `subs` webhook subscriptions on operationsStream (all to the one local
// receiver), then appends `events` Operation events (processCreate, `batch`
// aliased creates a request) and waits until the receiver holds
// events × subs deliveries. Prints one line "WEBHOOKS_RESULT {json}":
// deliveries per second from the first request sent to the last delivery
// received, and the receiver's order and duplicate counts.
const cfg = JSON.parse(process.argv[2]);
const { http, token, rx, subs = 8, events = 5000, batch = 50, timeoutS = 300 } = cfg;
async function gql(query, variables) {
  const res = await fetch(http, { method: 'POST', headers: { 'content-type': 'application/json', 'x-pico-api-org': token },
    body: JSON.stringify({ query, variables }) });
  const body = await res.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}
const stats = async () => (await fetch(`${rx}/stats`)).json();
for (let i = 0; i < subs; i++) {
  await gql(`mutation ($input: SubscribeRequestInput!) { webhookSubscribe(input: $input) { secret } }`,
    { input: { subscriptionID: `bench-${i}`, webhookUrl: `${rx}/hook`, responseFragment: 'fragment B on Operation { id externalId name }' } });
}
const want = events * subs;
const t0 = performance.timeOrigin + performance.now();
for (let from = 0; from < events; from += batch) {
  const fields = [];
  for (let i = from; i < Math.min(events, from + batch); i++) {
    fields.push(`p${i}: processCreate(input: { process: { id: "bench_p${i}", name: "Bench ${i}", partNumber: "BP-${i}" } })`);
  }
  await gql(`mutation { ${fields.join(' ')} }`);
}
const tEmitted = performance.timeOrigin + performance.now();
let s = await stats();
const deadline = Date.now() + timeoutS * 1000;
while (s.total < want && Date.now() < deadline) {
  await new Promise((r) => setTimeout(r, 100));
  s = await stats();
}
const per = Object.values(s.subs);
const result = {
  subs, events, want, delivered: s.total,
  emitMs: Math.round(tEmitted - t0),
  seconds: +((s.lastMs - t0) / 1000).toFixed(2),
  perSecond: s.lastMs > t0 ? Math.round(s.total / ((s.lastMs - t0) / 1000)) : 0,
  outOfOrder: per.reduce((a, x) => a + x.outOfOrder, 0),
  repeated: per.reduce((a, x) => a + x.repeated, 0),
  complete: s.total >= want,
};
console.log(`WEBHOOKS_RESULT ${JSON.stringify(result)}`);
