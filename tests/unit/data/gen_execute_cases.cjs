// Generates execute_expected.json (the cases of execute_cases.cjs with
// graphql-js's answers) for tests/unit/test_execute.c:
//   node tests/unit/data/gen_execute_cases.cjs
// The resolvers here are the ones test_execute.c binds in C.
const g = require('graphql');
const fs = require('fs');
const SDL = fs.readFileSync(__dirname + '/execute_schema.graphql', 'utf8');
const ROOT = fs.readFileSync(__dirname + '/execute_root.json', 'utf8');

function makeSchema() {
  const s = g.buildSchema(SDL);
  const q = s.getQueryType().getFields();
  q.echo.resolve = (_, args) => JSON.stringify(args);
  q.echoNN.resolve = (_, args) => JSON.stringify(args);
  q.fail.resolve = () => { throw new g.GraphQLError('boom', { extensions: { code: 'BOOM' } }); };
  q.failNN.resolve = () => { throw new g.GraphQLError('boom', { extensions: { code: 'BOOM' } }); };
  q.failList.resolve = () => ['a', new Error('item'), 'c'];
  let counter = 0;
  const m = s.getMutationType().getFields();
  m.inc.resolve = () => ++counter;
  m.fail.resolve = () => { throw new Error('mutation failed'); };
  return s;
}

const cases = require('./execute_cases.cjs');
const out = [];
for (const c of cases) {
  const schema = makeSchema();
  const doc = g.parse(c.query);
  const errs = g.validate(schema, doc);
  if (errs.length) throw new Error(c.name + ': invalid: ' + errs.map(e => e.message).join('; '));
  const root = JSON.parse(c.root || ROOT);
  const r = g.execute({ schema, document: doc, rootValue: root,
                        variableValues: c.vars ? JSON.parse(c.vars) : undefined, operationName: c.op });
  out.push({ ...c, expected: JSON.stringify(r) });
}
fs.writeFileSync(__dirname + '/execute_expected.json', JSON.stringify(out, null, 1) + '\n');
