/*
 * gen/suggestions.mjs: "Did you mean …?" lists, whose content and order come
 * from graphql-js's lexical distance (with transpositions, case changes
 * counting as one edit), naturalCompare for ties and a cap of 5 items.
 */
const QUERIES = [
  // field names
  ['f', '{ f }'], ['F', '{ F }'], ['f12', '{ f12 }'], ['F1', '{ F1 }'], ['fa_', '{ fa_ }'], ['FAa', '{ FAa }'],
  ['f00', '{ f00 }'], ['f100', '{ f100 }'], ['item', '{ item }'], ['ITEM1', '{ ITEM1 }'], ['item0', '{ item0 }'],
  ['Item', '{ Item }'], ['bacd transposed', '{ badc }'], ['abcd swapped', '{ bcad }'], ['acdb', '{ acdb }'],
  ['long name far from all', '{ completelyDifferentName }'], ['empty-ish', '{ q }'],
  // argument names
  ['argument alpa', '{ x(alpa: 1) }'], ['argument ALPHA', '{ x(ALPHA: 1) }'], ['argument alpha3', '{ x(alpha3: 1) }'],
  ['argument beta', '{ x(beta: 1) }'],
  // enum values in literals
  ['enum VAL3', '{ e(v: VAL3) }'], ['enum val1', '{ e(v: val1) }'], ['enum VA', '{ e(v: VA) }'], ['enum vAL', '{ e(v: vAL) }'],
  ['enum string', '{ e(v: "VAL") }'],
  // input object fields in literals
  ['input field', '{ i(v: {field: 1}) }'], ['input fild1', '{ i(v: {fild1: 1}) }'], ['input FIELD1', '{ i(v: {FIELD1: 1}) }'],
  // abstract types: implementations suggested, interfaces first
  ['interface field on implementations', '{ it { b } }'], ['union field', '{ u { a } }'], ['union field b', '{ u { b } }'],
  ['interface field typo', '{ it { aa } }'],
  // type names
  ['type name', 'query Q($v: Inn) { i(v: $v) }'], ['type name lowercase', '{ it { ... on t1 { a } } }'],
  ['type name iface', '{ it { ... on Iface3 { a } } }'], ['type name Ints', 'query Q($v: Ints) { f0 @include(if: $v) }'],
];

const VARIABLES = [
  ['enum variable val2', 'E', '"val2"'], ['enum variable VAL_1', 'E', '"VAL_1"'], ['enum variable v', 'E', '"v"'],
  ['input variable fields', 'In', '{"fieldd": 1, "Field1": 2, "fiel": 3}'],
];

export default function () {
  const cases = [];
  for (const [name, query] of QUERIES) cases.push({ name, schema: 'suggest', query, exit: 1 });
  for (const [name, type, value] of VARIABLES) {
    const field = type === 'E' ? 'e' : 'i';
    cases.push({ name, schema: 'suggest', query: `query Q($v: ${type}) { ${field}(v: $v) }`, variables: `{"v": ${value}}`, exit: 1 });
  }
  return cases;
}
