// The query response cache seen from a client of a real `mesd serve`: a
// query asked again gives the same answer, and once a mutation's answer has
// arrived every query sees what it wrote — a deploy that appends events
// (processCreate) as much as one that appends none (stationCreate), many
// times in a row; variables keep answers apart (roles and stations: the
// unit tests, as no query of the API answers differently by role today).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

async function data(query, variables, token) {
  const r = await srv.gql(query, variables, token);
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  return r.data;
}

test('a query asked again answers the same; after each deploy it sees the deploy', async () => {
  const ops = '{ operations { id name consumedSerials { id } } }';
  const stations = '{ stations { id processes { id } } }';
  for (let i = 0; i < 12; i++) {
    const id = `cache_p_${i}`;
    const before = await data(ops);
    assert.deepEqual(await data(ops), before);
    assert.equal(before.operations.some((o) => o.id === id), false);
    await data(`mutation { processCreate(input: { process: { id: "${id}", name: "P ${i}",
      consumedSerials: [{ id: "sn_${i}", name: "Serial", partNumber: "PN-${i}" }] } }) }`);
    const after = await data(ops);
    assert.deepEqual(after.operations.find((o) => o.id === id), { id, name: `P ${i}`, consumedSerials: [{ id: `sn_${i}` }] });

    // a station deploy appends no event: the next answer still shows it
    const st = `cache_st_${i}`;
    await data(stations);
    await data(stations);
    await data(`mutation { stationCreate(input: { station: { id: "${st}", name: "S", processIds: ["${id}"] } }) }`);
    const s = await data(stations);
    assert.deepEqual(s.stations.find((x) => x.id === st), { id: st, processes: [{ id }] });
  }
  // a redeploy with a new name
  await data('mutation { processCreate(input: { process: { id: "cache_p_0", name: "Renamed" } }) }');
  assert.equal((await data(ops)).operations.find((o) => o.id === 'cache_p_0').name, 'Renamed');
});

test('variables keep answers apart', async () => {
  const q = 'query($id: ID!) { operation(id: $id) { id name } }';
  await data('mutation { a: processCreate(input: { process: { id: "var_a", name: "A" } }) b: processCreate(input: { process: { id: "var_b", name: "B" } }) }');
  for (let i = 0; i < 2; i++) {
    assert.deepEqual(await data(q, { id: 'var_a' }), { operation: { id: 'var_a', name: 'A' } });
    assert.deepEqual(await data(q, { id: 'var_b' }), { operation: { id: 'var_b', name: 'B' } });
  }
});

async function metric(server, name) {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  assert.ok(line, `${name} in /metrics`);
  return Number(line.split(' ')[1]);
}

test('--query-cache-entries 0 turns the cache off; the default answers repeats from it', async () => {
  const off = await startServer({ args: ['--query-cache-entries', '0'] });
  try {
    for (let i = 0; i < 3; i++) assert.equal((await off.gql('{ __typename }')).data.__typename, 'Query');
    assert.equal(await metric(off, 'mesd_query_cache_hits_total'), 0);
    assert.equal(await metric(off, 'mesd_query_cache_entries'), 0);
  } finally {
    assert.deepEqual(await off.stop(), { code: 0, signal: null });
  }
  const hits = await metric(srv, 'mesd_query_cache_hits_total');
  await data('{ __typename }');
  await data('{ __typename }');
  assert.ok(await metric(srv, 'mesd_query_cache_hits_total') >= hits + 1);
});
