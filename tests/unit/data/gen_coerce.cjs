// Generates coerce_expected.json for tests/unit/test_coerce.c: each case with
// graphql-js 16's answer on coerce_schema.graphql:
//   node tests/unit/data/gen_coerce.cjs
// Kinds: vars (getVariableValues), args (getArgumentValues of the first field,
// variables taken as already coerced), serialize, literal (parseLiteral),
// value (parseValue through coerceInputValue's default onError), default
// (introspection's defaultValue of Query.defaults' arguments), ast
// (print(astFromValue(JSON value, type))).
const g = require('graphql');
const fs = require('fs');
const { getVariableValues, getArgumentValues } = require('graphql/execution/values.js');
const schema = g.buildSchema(fs.readFileSync(__dirname + '/coerce_schema.graphql', 'utf8'), { assumeValid: true });

const errs = (list) => JSON.stringify(list.map((e) => e.toJSON()));
const err = (e) => 'ERROR: ' + e.message;
const typeOf = (s) => g.typeFromAST(schema, g.parseType(s));

const V = (query, variables, maxErrors) => ({ kind: 'vars', query, variables, maxErrors });
const cases = [
  // Int
  ...['1', '1.0', '-0', '1e3', '1.5', '"1"', 'true', '2147483647', '2147483648', '-2147483648', '-2147483649',
      '9007199254740993', '1e400', '[1]', '{"a":1}', 'null', '[]', '""'].map((v) => V('query ($v: Int) { f(req: 1) }', `{"v":${v}}`)),
  // Float
  ...['1', '1.5', '"1.5"', '1e400', '-1e400', 'false', '[1.5]', '1e308', '9007199254740993'].map((v) => V('query ($v: Float) { f(req: 1) }', `{"v":${v}}`)),
  // String, Boolean, ID
  ...['"x"', '1', 'true', '{"a":1}', '[1,2]', '"\\u0000\\n"'].map((v) => V('query ($v: String) { f(req: 1) }', `{"v":${v}}`)),
  ...['true', '0', '"true"', 'null'].map((v) => V('query ($v: Boolean) { f(req: 1) }', `{"v":${v}}`)),
  ...['"x"', '1', '1.0', '1.5', '1e21', 'true', '9007199254740993', '-0', '{"a":[1]}'].map((v) => V('query ($v: ID) { f(req: 1) }', `{"v":${v}}`)),
  // enums
  ...['"RED"', '"red"', '"PURPLE"', '"GREN"', '1', 'true', '{"x":"RED"}', '""', '"BLUEE"'].map((v) => V('query ($v: Color) { f(req: 1) }', `{"v":${v}}`)),
  V('query ($v: [Color]) { f(req: 1) }', '{"v":["RED","bad",1]}'),
  V('query ($v: [Color]) { f(req: 1) }', '{"v":"GREEN"}'),
  // non-null and missing
  V('query ($v: Int!) { f(req: 1) }', '{}'),
  V('query ($v: Int!) { f(req: 1) }', '{"v":null}'),
  V('query ($v: Int! = 3) { f(req: 1) }', '{}'),
  V('query ($v: Int = 3) { f(req: 1) }', '{}'),
  V('query ($v: Int = 3) { f(req: 1) }', '{"v":null}'),
  V('query ($v: [Int!]! = [1, 2]) { f(req: 1) }', '{}'),
  V('query ($v: Int, $w: String) { f(req: 1) }', '{"w":"x","other":1}'),
  // not input types
  V('query ($v: Query, $w: Nope, $x: [Query!]) { f(req: 1) }', '{"v":1}'),
  // lists
  ...['[1,"a",3]', '1', 'null', '[null]', '[[1]]', '"x"', '[1,2.5,{"a":1},true,null]'].map((v) => V('query ($v: [Int]) { f(req: 1) }', `{"v":${v}}`)),
  ...['[[1],[2,null]]', '[1]', '[[1,"a"]]', '[]', '[null]', '1'].map((v) => V('query ($v: [[Int!]!]) { f(req: 1) }', `{"v":${v}}`)),
  // input objects
  ...['{"point":{"y":1}}', '{"point":{"x":"a","y":2.5}}', '{"list":[1,null,"x"],"nn":null}', '{"list":1,"nn":[]}',
      '{"colors":"RED","nn":1}', '{"deep":[[1,"a"],2],"nn":[]}', '{"poin":1,"nn":[]}', '"x"', '[1]', '{}',
      '{"nn":[],"point":{"x":1,"z":2,"lable":"l"}}', '{"nn":[],"b":1,"2":2,"1":3}', '{"nn":[],"point":[{"x":1}]}',
      '{"nn":[1],"point":{"x":1}}', '{"nn":[], "poitn": {}, "lsit": [], "color": 1}']
    .map((v) => V('query ($v: Nested) { f(req: 1) }', `{"v":${v}}`)),
  V('query ($v: Point!) { f(req: 1) }', '{"v":{"x":1,"label":null}}'),
  V('query ($v: Defaults) { f(req: 1) }', '{"v":{}}'),
  V('query ($v: Defaults) { f(req: 1) }', '{"v":{"s":null,"l":[2],"p":{"x":5,"y":null}}}'),
  // oneOf
  ...['{}', '{"a":1,"b":"x"}', '{"a":null}', '{"a":null,"b":null}', '{"a":1}', '{"p":{"x":1}}', '{"a":1,"c":2}',
      '{"b":"x","a":"y"}', '{"p":{}}', '{"a":"x"}', '{"a":null,"b":"x"}']
    .map((v) => V('query ($v: One) { f(req: 1) }', `{"v":${v}}`)),
  // custom scalar
  ...['1', '{"a":[1,{"b":null}]}', 'null', '"x"'].map((v) => V('query ($v: JSON) { f(req: 1) }', `{"v":${v}}`)),
  // several variables, error limit
  V('query ($a: Int, $b: Int!, $c: String, $d: Nested) { f(req: 1) }', '{"a":"x","c":1,"d":{"list":["a","b","c"]}}'),
  V('query ($a: Int, $b: Int!, $c: String, $d: Nested) { f(req: 1) }', '{"a":"x","c":1,"d":{"list":["a","b","c"]}}', 3),
  V('query ($a: Int, $b: Int!, $c: String, $d: Nested) { f(req: 1) }', '{"a":"x","c":1,"d":{"list":["a","b","c"]}}', 1),
  V('query ($a: Int, $b: Int!) { f(req: 1) }', '{"a":"x"}', 2),
  V('query ($a: [Int]) { f(req: 1) }', '{"a":[' + Array.from({ length: 60 }, (_, i) => `"${i}"`).join(',') + ']}'),
];

const A = (query, variables) => ({ kind: 'args', query, variables });
cases.push(
  A('{ f(req: 1, i: 2, fl: 3, s: "x", b: true, id: 4, c: RED, j: {a: [1, B, "c", null, 1.5]}, list: 5) }', '{}'),
  A('{ f(req: 1, i: 1.5) }', '{}'),
  A('{ f }', '{}'),
  A('{ f(req: null) }', '{}'),
  A('{ f(req: $v) }', '{}'),
  A('{ f(req: $v) }', '{"v":null}'),
  A('{ f(req: $v, i: $w) }', '{"v":3}'),
  A('{ f(req: $v, i: $w) }', '{"v":3,"w":null}'),
  A('{ f(req: 1, d: {}) }', '{}'),
  A('{ f(req: 1, d: {l: $x, n: $y, s: null}) }', '{"y":4}'),
  A('{ f(req: 1, list: [1, $x, 3]) }', '{}'),
  A('{ f(req: 1, nn: [[1, $x]]) }', '{}'),
  A('{ f(req: 1, nn: [[1], 2]) }', '{}'),
  A('{ f(req: 1, nn: [[1], null]) }', '{}'),
  A('{ f(req: 1, n: {nn: [], point: {y: 2}}) }', '{}'),
  A('{ f(req: 1, n: {nn: $n, point: {x: 2, unknown: 1}}) }', '{"n":[1]}'),
  A('{ f(req: 1, o: {a: 1, b: "x"}) }', '{}'),
  A('{ f(req: 1, o: {a: null}) }', '{}'),
  A('{ f(req: 1, o: {a: $x}) }', '{}'),
  A('{ f(req: 1, o: {b: "x"}) }', '{}'),
  A('{ f(req: 1, c: "RED") }', '{}'),
  A('{ f(req: 1, c: PURPLE) }', '{}'),
  A('{ f(req: 1, i: 2147483648) }', '{}'),
  A('{ f(req: 1, id: 1.5) }', '{}'),
  A('{ f(req: 1, req: 2) }', '{}'),
  A('{ f(req: 1, j: {a: $x, b: [$x, $y]}) }', '{"y":"Y"}'),
  A('{ f(req: $v, list: $l, n: $n) }', '{"v":7,"l":[1,2],"n":{"nn":[]}}'),
  A('{ f(req: 1, fl: 1e400) }', '{}'),
);

const S = (type, value) => ({ kind: 'serialize', type, value });
for (const [type, values] of Object.entries({
  Int: ['1', '1.0', '1.5', '-0', 'true', 'false', '"12"', '" 12 "', '"0x1F"', '"1e3"', '"1.5"', '""', '"  "', '"abc"', '"Infinity"',
        '2147483648', '"2147483648"', '1e400', 'null', '[1]', '{"a":1}', '"\\u00a012\\u2028"', '"+5"', '"-5"', '".5e1"', '"5."',
        '"0b101"', '"0o17"', '"-0x1"', '"1_000"', '9007199254740993'],
  Float: ['1', '1.5', 'true', '"1.5"', '""', '"abc"', '1e400', '"Infinity"', '"-Infinity"', '[1]', '{}', '1e21', '"1e400"'],
  String: ['"x"', '1', '1.5', 'true', 'false', '1e21', '1e400', '[1]', '{"a":1}', 'null', '-0', '9007199254740993', '"\\ud83d\\ude00"'],
  Boolean: ['true', '0', '1', '-1.5', '"true"', '""', '[]', '{}', '1e400'],
  ID: ['"x"', '1', '1.0', '1.5', '1e21', 'true', '[1]', '{"a":1}', '-0', '9007199254740993'],
  Color: ['"RED"', '"PURPLE"', '1', 'true', '"red"', '["RED"]'],
  JSON: ['1', '{"a":[1,{"b":null}]}', '"x"', '1.0', '1e21'],
})) for (const v of values) cases.push(S(type, v));

const L = (type, literal) => ({ kind: 'literal', type, literal });
for (const [type, lits] of Object.entries({
  Int: ['1', '-0', '1.5', '"1"', 'true', 'null', 'RED', '2147483648', '-2147483649', '99999999999999999999', '[1]', '{a: 1}', '"""block"""'],
  Float: ['1', '1.5', '1e400', '"1.5"', 'RED', '[1.5]'],
  String: ['"x"', '"""  b\n  c"""', '1', 'RED', 'true', '{a: "x"}'],
  Boolean: ['true', '1', '"true"'],
  ID: ['"x"', '1', '1.5', 'true', 'ID'],
  Color: ['RED', '"RED"', 'red', 'PURPLE', '1', 'GREN', 'null', '[RED]', '{RED: 1}'],
  JSON: ['1', '1.5', '"x"', 'ABC', '[1, {a: B}]', '{a: {b: [true, null]}}', '99999999999999999999'],
})) for (const l of lits) cases.push(L(type, l));

const P = (type, value) => ({ kind: 'value', type, value });
cases.push(P('Int', '"1"'), P('[Int]', '[1, "x"]'), P('Point', '{"y":1}'), P('Nested', '{"nn":[],"point":{"x":"a"}}'),
  P('One', '{"a":null}'), P('Color', '"RED"'), P('[[Int]]', '[[1],[2]]'), P('Int!', 'null'));

for (const arg of schema.getQueryType().getFields().defaults.args) cases.push({ kind: 'default', arg: arg.name });

const T = (type, value) => ({ kind: 'ast', type, value });
cases.push(T('Int', '1'), T('Int!', 'null'), T('Int', 'null'), T('[Int]', '[1, null, 2]'), T('[Int!]', '[1, null, 2]'),
  T('Float', '1.5'), T('Float', '1e21'), T('Float', '1e-7'), T('Float', '1'), T('String', '"a\\n\\"b\\u0001\\u0080"'),
  T('ID', '"123"'), T('ID', '"0123"'), T('ID', '"-1"'), T('ID', '"abc"'), T('Color', '"RED"'), T('[Color]', '"BLUE"'),
  T('Boolean', 'false'), T('Point', '{"x":1,"y":null,"extra":3}'), T('Point', '[1]'), T('Point', '1'),
  T('Defaults', '{"s":"x","ids":["1","x"],"cs":[]}'), T('JSON', '{"a":1}'), T('JSON', '[1]'), T('JSON', '"x"'),
  T('JSON', '1e400'), T('Float', '1e400'), T('Color', '"PURPLE"'), T('Int', '1.5'), T('String', '1'), T('ID', '1'));

// answers
for (const c of cases) {
  try {
    if (c.kind === 'vars') {
      const op = g.parse(c.query).definitions[0];
      const r = getVariableValues(schema, op.variableDefinitions, JSON.parse(c.variables), c.maxErrors === undefined ? { maxErrors: 50 } : { maxErrors: c.maxErrors });
      c.expected = r.errors ? errs(r.errors) : JSON.stringify(r.coerced);
    } else if (c.kind === 'args') {
      const field = g.parse(c.query).definitions[0].selectionSet.selections[0];
      const def = schema.getQueryType().getFields()[field.name.value];
      c.expected = JSON.stringify(getArgumentValues(def, field, JSON.parse(c.variables)));
    } else if (c.kind === 'serialize') {
      c.expected = JSON.stringify(schema.getType(c.type).serialize(JSON.parse(c.value)));
    } else if (c.kind === 'literal') {
      const r = schema.getType(c.type).parseLiteral(g.parseValue(c.literal), undefined);
      c.expected = r === undefined ? 'UNDEFINED' : JSON.stringify(r);
    } else if (c.kind === 'value') {
      c.expected = JSON.stringify(g.coerceInputValue(JSON.parse(c.value), typeOf(c.type)));
    } else if (c.kind === 'default') {
      const arg = schema.getQueryType().getFields().defaults.args.find((a) => a.name === c.arg);
      const ast = g.astFromValue(arg.defaultValue, arg.type);
      c.expected = ast ? g.print(ast) : 'NULL';
    } else if (c.kind === 'ast') {
      const ast = g.astFromValue(JSON.parse(c.value), typeOf(c.type));
      c.expected = ast ? g.print(ast) : 'NULL';
    }
  } catch (e) {
    c.expected = c.kind === 'args' ? errs([e]) : err(e);
  }
}
fs.writeFileSync(__dirname + '/coerce_expected.json', JSON.stringify(cases, null, 1) + '\n');
console.log(`${cases.length} cases`);
