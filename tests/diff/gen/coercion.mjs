/*
 * gen/coercion.mjs: variable coercion. Each row gives a variable type, a
 * value (ABSENT: not in --variables) and whether graphql-js accepts it; the
 * query uses the variable as the argument of the field taking its named
 * type (schemas/inputs.graphql), without --root (coercion alone) and, for
 * the accepted ones, with --root as well.
 */
const ABSENT = Symbol('absent');
const OK = 0;
const ERR = 1;

// The field taking the variable's type: Int -> int, [Int!] -> ints, [[Int]] -> intss.
function fieldFor(type) {
  const depth = (type.match(/\[/g) || []).length;
  const named = type.replace(/[[\]!]/g, '').split('=')[0].trim();
  const base = named.toLowerCase();
  return base + 's'.repeat(depth);
}

const T = (type, value, exit, contains) => ({ type, value, exit, contains });

const ROWS = [
  // Int
  T('Int', 1, OK), T('Int', 0, OK), T('Int', -0, OK), T('Int', 2147483647, OK), T('Int', -2147483648, OK),
  T('Int', 2147483648, ERR, 'Variable \\"$v\\" got invalid value 2147483648; Int cannot represent non 32-bit signed integer value: 2147483648'),
  T('Int', -2147483649, ERR), T('Int', 1e100, ERR, 'Int cannot represent non 32-bit signed integer value: 1e+100'),
  T('Int', 1.5, ERR, 'Int cannot represent non-integer value: 1.5'), T('Int', '1', ERR, 'Int cannot represent non-integer value: \\"1\\"'),
  T('Int', true, ERR), T('Int', null, OK), T('Int', ABSENT, OK), T('Int', [1], ERR, 'Int cannot represent non-integer value: [1]'),
  T('Int', {}, ERR, 'Int cannot represent non-integer value: {}'), T('Int', '', ERR),
  T('Int!', 3, OK), T('Int!', null, ERR, 'Variable \\"$v\\" of non-null type \\"Int!\\" must not be null.'),
  T('Int!', ABSENT, ERR, 'Variable \\"$v\\" of required type \\"Int!\\" was not provided.'),
  T('Int = 5', ABSENT, OK), T('Int = 5', null, OK), T('Int = 5', 'x', ERR), T('Int! = 5', ABSENT, OK), T('Int! = 5', null, ERR),
  // Float
  T('Float', 1, OK), T('Float', 1.5, OK), T('Float', -1.5e-10, OK), T('Float', 1e308, OK), T('Float', 0, OK),
  T('Float', '1.5', ERR, 'Float cannot represent non numeric value: \\"1.5\\"'), T('Float', true, ERR), T('Float', false, ERR),
  T('Float', [1.5], ERR), T('Float', { x: 1 }, ERR, 'Float cannot represent non numeric value: { x: 1 }'),
  // String
  T('String', 's', OK), T('String', '', OK), T('String', 'é😀\n\u0000"', OK), T('String', 1, ERR, 'String cannot represent a non string value: 1'),
  T('String', 1.25, ERR, 'String cannot represent a non string value: 1.25'), T('String', true, ERR),
  T('String', ['a'], ERR, 'String cannot represent a non string value: [\\"a\\"]'), T('String', { a: 1, b: 'x' }, ERR, 'String cannot represent a non string value: { a: 1, b: \\"x\\" }'),
  T('String', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], ERR, '[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, ... 2 more items]'),
  T('String', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], ERR, '... 1 more item]'),
  T('String', { a: { b: { c: { d: 1 } } } }, ERR, '{ a: { b: [Object] } }'),
  T('String', [[[[1]]]], ERR, '[[[Array]]]'), T('String', [], ERR, 'String cannot represent a non string value: []'),
  T('String', { a: [], b: {}, c: null }, ERR, '{ a: [], b: {}, c: null }'),
  T('String', 1e21, ERR, 'String cannot represent a non string value: 1e+21'), T('String', 1e-7, ERR, 'value: 1e-7'), T('String', 123456789012, ERR),
  T('String', 0.1, ERR, 'value: 0.1'), T('String', { 'a b': 1, 'é': '\u0001\u2028', '': [] }, ERR, '{ a b: 1, é: \\"\\\\u0001\u2028\\", : [] }'),
  T('String', 0.30000000000000004, ERR, 'value: 0.30000000000000004'), T('String', 123456789012345678901, ERR, 'value: 123456789012345680000'), T('String', -0, ERR, 'String cannot represent a non string value: 0'),
  // Boolean
  T('Boolean', true, OK), T('Boolean', false, OK), T('Boolean', 1, ERR, 'Boolean cannot represent a non boolean value: 1'),
  T('Boolean', 0, ERR), T('Boolean', 'true', ERR, 'Boolean cannot represent a non boolean value: \\"true\\"'), T('Boolean', [true], ERR),
  // ID
  T('ID', 'abc', OK), T('ID', 42, OK), T('ID', -1, OK), T('ID', 1e20, OK), T('ID', 1.5, ERR, 'ID cannot represent value: 1.5'),
  T('ID', true, ERR, 'ID cannot represent value: true'), T('ID', { id: 1 }, ERR, 'ID cannot represent value: { id: 1 }'), T('ID', ['1'], ERR),
  // enums
  T('Color', 'RED', OK), T('Color', 'OLD', OK), T('Color', null, OK),
  T('Color', 'red', ERR, 'Value \\"red\\" does not exist in \\"Color\\" enum. Did you mean the enum value \\"RED\\" or \\"OLD\\"?'),
  T('Color', 'PURPLE', ERR, 'Value \\"PURPLE\\" does not exist in \\"Color\\" enum.'), T('Color', 'BLU', ERR, 'Did you mean the enum value \\"BLUE\\" or \\"OLD\\"?'),
  T('Color', 1, ERR, 'Enum \\"Color\\" cannot represent non-string value: 1.'), T('Color', true, ERR), T('Color', ['RED'], ERR), T('Color', '', ERR),
  // custom scalars take any JSON value
  T('Custom', { a: [1, { b: null }], c: 'x' }, OK), T('Custom', 'x', OK), T('Custom', 1.5, OK), T('Custom', [1, 'a', null], OK), T('Custom', false, OK),
  T('Custom!', null, ERR),
  // lists
  T('[Int]', [1, null, 2], OK), T('[Int]', 7, OK), T('[Int]', null, OK), T('[Int]', [], OK),
  T('[Int]', [1, 'a'], ERR, 'Variable \\"$v\\" got invalid value \\"a\\" at \\"v[1]\\"; Int cannot represent non-integer value: \\"a\\"'),
  T('[Int]', [[1]], ERR, 'at \\"v[0]\\"'), T('[Int]', 'a', ERR), T('[Int]', { 0: 1 }, ERR),
  T('[Int!]', [null], ERR, 'Variable \\"$v\\" got invalid value null at \\"v[0]\\"; Expected non-nullable type \\"Int!\\" not to be null.'),
  T('[Int!]', [1, null, 'x', 3, true], ERR), T('[Int!]!', null, ERR), T('[Int!]!', ABSENT, ERR), T('[Int!]!', [1], OK),
  T('[[Int]]', [[1], [2, null], null], OK), T('[[Int]]', [1, 2], OK), T('[[Int]]', 1, OK), T('[[Int]]', [[1, 'x']], ERR, 'at \\"v[0][1]\\"'),
  T('[[Int!]!]', [[1], null], ERR, 'at \\"v[1]\\"; Expected non-nullable type \\"[Int!]!\\" not to be null.'),
  T('[Color!]', ['RED', 'GREEN'], OK), T('[Color!]', 'RED', OK), T('[Color!]', ['RED', 'nope'], ERR, 'at \\"v[1]\\"'),
  T('[Float]', [1, 1.5, -2e-3], OK), T('[Boolean]', [true, 1], ERR), T('[String]', ['a', 1, 'b', false], ERR), T('[ID]', [1, 'a', 2.5], ERR),
  // input objects
  T('Point', { x: 1 }, OK), T('Point', { x: 1, y: 2, label: 'p' }, OK), T('Point', { x: 1, label: null }, OK),
  T('Point', {}, ERR, 'Variable \\"$v\\" got invalid value {}; Field \\"x\\" of required type \\"Int!\\" was not provided.'),
  T('Point', { x: null }, ERR, 'got invalid value null at \\"v.x\\"; Expected non-nullable type \\"Int!\\" not to be null.'),
  T('Point', { x: 1, y: null }, ERR, 'at \\"v.y\\"'),
  T('Point', { x: 1, z: 2 }, ERR, 'Field \\"z\\" is not defined by type \\"Point\\".'),
  T('Point', { x: 1, lable: 'a' }, ERR, 'Field \\"lable\\" is not defined by type \\"Point\\". Did you mean \\"label\\"?'),
  T('Point', 'point', ERR, 'Variable \\"$v\\" got invalid value \\"point\\"; Expected type \\"Point\\" to be an object.'),
  T('Point', [{ x: 1 }], ERR, 'Expected type \\"Point\\" to be an object.'), T('Point', 5, ERR),
  T('Point', { x: 'a', y: 'b', q: 1, r: 2 }, ERR), T('Point', { y: 1, label: 3, extra: true }, ERR),
  T('Point!', ABSENT, ERR), T('Point = {x: 3}', ABSENT, OK), T('Point = {x: 3}', { y: 1 }, ERR),
  T('Filter', { color: 'RED', colors: ['GREEN'], point: { x: 1 }, nested: { nested: { ids: [1, '2'] } }, when: { any: ['thing'] } }, OK),
  T('Filter', { nested: { nested: { color: 'BAD' } } }, ERR, 'at \\"v.nested.nested.color\\"'),
  T('Filter', { nested: { point: { x: 1.5 } }, colors: [null] }, ERR, 'at \\"v.colors[0]\\"'),
  T('Filter', { point: {}, nested: 'x', ids: [true] }, ERR),
  T('Filter', { flag: null }, OK), T('Filter', { flag: 'yes' }, ERR),
  T('[Point]', [{ x: 1 }, { x: 'bad' }, null, {}], ERR, 'at \\"v[1].x\\"'),
  // oneOf
  T('One', { a: 1 }, OK), T('One', { b: 'x' }, OK), T('One', { p: { x: 1 } }, OK),
  T('One', { a: 1, b: 'x' }, ERR, 'Variable \\"$v\\" got invalid value { a: 1, b: \\"x\\" }; Exactly one key must be specified for OneOf type \\"One\\".'),
  T('One', {}, ERR, 'Exactly one key must be specified for OneOf type \\"One\\".'),
  T('One', { a: null }, ERR, 'Variable \\"$v\\" got invalid value null at \\"v.a\\"; Field \\"a\\" must be non-null.'),
  T('One', { a: 'x' }, ERR), T('One', { a: 'x', b: 1 }, ERR), T('One', { c: 1 }, ERR), T('One', { p: {} }, ERR),
  T('One', { a: null, b: null }, ERR), T('[One]', [{ a: 1 }, { b: 'y' }], OK), T('[One]', [{ a: 1 }, { a: 1, b: 'y' }], ERR, 'at \\"v[1]\\"'),
];

// JSON numbers written in ways JSON.stringify would not write them: the engine must read them the same.
const RAW = [
  ['Int', '1.0', OK], ['Int', '1e2', OK], ['Int', '1E+2', OK], ['Int', '-0.0', OK], ['Int', '100e-2', OK], ['Int', '2147483647.0', OK],
  ['Int', '1.000001', ERR], ['Int', '21474836470e-1', OK], ['Int', '21474836480e-1', ERR], ['Int', '0.5e1', OK], ['ID', '10.0', OK], ['ID', '1e3', OK],
  ['Float', '1e400', ERR], ['Float', '-1e400', ERR], ['Float', '4.9e-324', OK], ['String', '"\\u00e9\\ud83d\\ude00"', OK],
  ['Int', '9007199254740993', ERR], ['ID', '9007199254740993', OK], ['[Int]', '[1.0, 2e0]', OK],
];

export default function () {
  const cases = [];
  const seen = new Map();
  const add = (type, valueText, exit, contains) => {
    const label = `${type} <- ${valueText === undefined ? 'absent' : valueText}`;
    const n = (seen.get(label) || 0) + 1;
    seen.set(label, n);
    const name = n > 1 ? `${label} (${n})` : label;
    const query = `query Q($v: ${type}) { ${fieldFor(type)}(v: $v) }\n`;
    const variables = valueText === undefined ? '{}' : `{"v": ${valueText}}`;
    const base = { schema: 'inputs', query, variables, exit };
    if (contains) base.contains = [contains];
    if (exit === ERR) base.lacks = ['"data"'];
    cases.push({ name: `variables/${name}`, ...base });
    // Accepted values: execute too (coercion happens again in execute).
    if (exit === OK) cases.push({ name: `execute/${name}`, ...base, root: '{"int": 1, "ints": 2, "point": 3, "one": 4, "filter": 5}' });
  };
  for (const r of ROWS) add(r.type, r.value === ABSENT ? undefined : JSON.stringify(r.value), r.exit, r.contains);
  for (const [type, text, exit] of RAW) add(type, text, exit);
  return cases.concat(more());
}

// Several variables at once: error order, the 50-error limit, defaults and unused inputs.
function more() {
  const cases = [];
  cases.push({
    name: 'variables/errors in variable definition order',
    schema: 'inputs',
    query: 'query Q($c: Boolean, $a: Int, $e: [Color], $b: String!, $d: Point) { many(a: $a, b: $b, c: $c, d: $d, e: $e) }\n',
    variables: '{"a": "x", "b": null, "c": "no", "d": {"y": true}, "e": ["RED", 1]}',
    exit: ERR,
    errors: 6,
  });
  cases.push({
    name: 'variables/extra variables are ignored',
    schema: 'inputs',
    query: 'query Q($a: Int) { many(a: $a) }\n',
    variables: '{"a": 1, "zzz": {"anything": [1]}, "b": "unused"}',
    exit: OK,
  });
  cases.push({
    name: 'variables/no variables and a required one',
    schema: 'inputs',
    query: 'query Q($a: Int!) { many(a: $a) }\n',
    exit: ERR,
  });
  const n = 55;
  const defs = Array.from({ length: n }, (_, i) => `$v${i}: Int`).join(', ');
  const uses = Array.from({ length: n }, (_, i) => `f${i}: int(v: $v${i})`).join(' ');
  const vars = Object.fromEntries(Array.from({ length: n }, (_, i) => [`v${i}`, 'bad']));
  cases.push({
    name: 'variables/the 50-error limit',
    schema: 'inputs',
    query: `query Q(${defs}) { ${uses} }\n`,
    variables: JSON.stringify(vars),
    exit: ERR,
    errors: 51,
    contains: ['Too many errors processing variables, error limit reached. Execution aborted.'],
  });
  const vars50 = Object.fromEntries(Array.from({ length: n }, (_, i) => [`v${i}`, i < 50 ? 'bad' : i]));
  cases.push({
    name: 'variables/exactly 50 errors',
    schema: 'inputs',
    query: `query Q(${defs}) { ${uses} }\n`,
    variables: JSON.stringify(vars50),
    exit: ERR,
    errors: 50,
    lacks: ['Too many errors'],
  });
  const vars51 = Object.fromEntries(Array.from({ length: n }, (_, i) => [`v${i}`, i < 51 ? 'bad' : i]));
  cases.push({
    name: 'variables/51 errors',
    schema: 'inputs',
    query: `query Q(${defs}) { ${uses} }\n`,
    variables: JSON.stringify(vars51),
    exit: ERR,
    errors: 51,
    contains: ['Too many errors processing variables'],
  });
  cases.push({
    name: 'variables/one variable with many errors',
    schema: 'inputs',
    query: 'query Q($v: [Int]) { ints(v: $v) }\n',
    variables: JSON.stringify({ v: Array.from({ length: 60 }, () => 'x') }),
    exit: ERR,
    errors: 51,
  });
  return cases;
}
