// Generates validate_expected.json (the cases of validate_cases.cjs with
// graphql-js 16's validation errors) for tests/unit/test_validate.c:
//   node tests/unit/data/gen_validate_cases.cjs
const g = require('graphql');
const fs = require('fs');
const SDL = fs.readFileSync(__dirname + '/validate_schema.graphql', 'utf8');
const schema = g.buildSchema(SDL);

const cases = require('./validate_cases.cjs');
const out = [];
for (const c of cases) {
  const s = c.sdl ? g.buildSchema(c.sdl) : schema;
  let errors;
  try {
    errors = g.validate(s, g.parse(c.query), undefined, c.max ? { maxErrors: c.max } : undefined)
      .map((e) => ({ message: e.message, locations: (e.locations || []).map((l) => [l.line, l.column]) }));
  } catch (e) {
    errors = [{ message: e.message, locations: (e.locations || []).map((l) => [l.line, l.column]), thrown: true }];
  }
  out.push({ ...c, errors });
}
fs.writeFileSync(__dirname + '/validate_expected.json', JSON.stringify(out, null, 1) + '\n');
