// The read side through the server, on PostgreSQL against SQLite: the same
// rows (tests/unit/data/pg_read_data.sql, put in with sqlite3 and psql, so
// the test needs no write ported) and the same GraphQL queries, nested
// several levels deep (on PostgreSQL each level is one more read pass), with
// filters on columns, nested objects and event payloads, must give the same
// answers. Needs the ctest fixture pg (its URL in MESD_TEST_PG_FILE).
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { startServer } from './lib/server.mjs';
import { freshPgDb, psql } from './lib/pg.mjs';

const data = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../unit/data/pg_read_data.sql'), 'utf8');

const OP = 'id kind name externalId externalRevision templateID variantName producesSerial seq updatedAt archivedAt'
  + ' consumedSerials { id name externalId }';
const queries = [
  `{ operations { ${OP} steps { id name instructionText actions { id description } }
     subOperations { subId subGroup position optional archivedAt parent { id }
       sub { ${OP} subOperations { sub { id producesSerial } } steps { id actions { id } } } } } }`,
  '{ operations(where: {_or: [{producesSerial: {_eq: true}}, {name: {_gt: "Beta"}}]}, limit: 3, offset: 1) { id } }',
  '{ operations(where: {_not: {externalId: {_is_null: true}}, name: {_like: "%a%"}}) { id name } }',
  `{ operation(id: "prod") { ${OP} subOperations { sub { id subOperations { sub { id name } } } } } }`,
  '{ subOperations(where: {sub: {kind: {_eq: PROCESS}}}) { parentId subId parent { name } sub { name } } }',
  '{ stations { id name processes { id name consumedSerials { id } steps { id } } } }',
  '{ stations(where: {name: {_like: "%tation%"}}) { id } }',
  '{ operators { id name } }',
  `{ operationOrders { id externalOrderId secondaryExternalOrderId status orderIndex reservedSerialNumber
     operation { id kind producesSerial } parent { id parent { id } } children { id status children { id } }
     station { id name processes { id } } operator { id name } createdAt updatedAt startedAt completedAt } }`,
  '{ operationOrders(where: {id: {_in: ["1", "abc", "7.0"]}}) { id } }',
  '{ operationOrders(where: {operator: {name: {_gt: "B"}}}, limit: 5, offset: 0) { id operator { name } } }',
  '{ operationOrders(where: {parent: {parent: {externalOrderId: {_eq: "SO-1"}}}}) { id } }',
  '{ workOrders { id status station { id } operation { id } } }',
  '{ workOrders(stationId: "st1") { id status } }',
  '{ workOrders(stationId: "st2", status: [IN_PROGRESS, COMPLETED]) { id } }',
  `{ operationOrderCompletes { seq externalOrderId secondaryExternalOrderId wip at orderIndex reservedSerialNumber
     operation { id name subOperations { subId } } operationSummary { startedAt cycleTime }
     endState { producedSerial at station { id name } operator { id name } } } }`,
  '{ operationOrderCompletes(where: {endState: {station: {id: {_eq: "st1"}}}}, afterSeq: 1) { seq } }',
  '{ operationOrderCompletes(where: {wip: {_eq: false}, operationSummary: {cycleTime: {_gt: 750}}}) { seq } }',
  `{ noteEvents { seq at id externalId text metadata images eventType type { id name }
     state { operationOrder { id status operation { id } } operation { id } station { id name } operator { id name } } } }`,
  '{ noteEvents(where: {state: {operationOrder: {status: {_eq: COMPLETED}}}}) { seq } }',
  '{ noteEvents(where: {type: {name: {_eq: "Defect"}}, text: {_like: "%part"}}, afterSeq: 0, limit: 1) { seq } }',
  '{ workOrderEvents { seq at status workOrder { id status operation { id } } } }',
  '{ workOrderEvents(stationId: "st1", afterSeq: 1, limit: 2) { seq status } }',
  '{ operations(where: {name: {_like: 3}}) { id } }',
];

// JSON objects have no order: a note's metadata is compared with its keys
// sorted (PostgreSQL keeps the payload as jsonb, whose text orders keys).
function sortKeys(v) {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])]));
  return v;
}
function comparable(answer) {
  for (const n of answer?.data?.noteEvents ?? []) if ('metadata' in n) n.metadata = sortKeys(n.metadata);
  return answer;
}

// A server on db (a SQLite file or a PostgreSQL URL: the last --db wins),
// the rows put in by load(), every query's answer.
async function answers(dir, dbArgs, load) {
  mkdirSync(dir);
  const srv = await startServer({ dir, args: dbArgs });
  try {
    load();
    const out = [];
    for (const q of queries) out.push(comparable(await srv.gql(q, {}, srv.adminToken)));
    return out;
  } finally {
    await srv.stop();
  }
}

test('every read through the server answers on PostgreSQL as on SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mesd-reads-'));
  try {
    const sqlite = await answers(join(dir, 'sqlite'), [], () =>
      execFileSync('sqlite3', [join(dir, 'sqlite', 'mesd.db')], { input: data.replaceAll('%D', "x'00'") }));
    const url = freshPgDb('e2e_reads_postgres');
    const pg = await answers(join(dir, 'pg'), ['--db', url], () => psql(url, data.replaceAll('%D', "'\\x00'")));
    assert.equal(pg.length, queries.length);
    for (let i = 0; i < queries.length; i++) assert.deepEqual(pg[i], sqlite[i], queries[i]);
    // the answers hold rows (a comparison of empty answers would prove nothing)
    assert.equal(sqlite[0].data.operations.length, 8);
    assert.ok(sqlite[8].data.operationOrders.some((o) => o.children.length > 0 && o.operator === null));
    assert.deepEqual(sqlite[9].data.operationOrders.map((o) => o.id), ['1', '7']);
    assert.equal(sqlite[15].data.operationOrderCompletes.length, 3);
    assert.equal(sqlite[18].data.noteEvents.length, 3);
    assert.match(sqlite.at(-1).errors[0].message, /cannot represent a non string value/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
