/*
 * gen/serialize.mjs: result serialization of every leaf type from JSON
 * values (schemas/scalars.graphql): which values each built-in scalar and
 * enum accepts, how it converts them, and the error when it cannot.
 */
// [field, JSON value text, note]; the field is queried alone with root {field: value}.
const ROWS = [
  ['i', ['1', '-7', '0', '1.0', '-0', '2147483647', '-2147483648', '2147483648', '-2147483649', '1.5', '1e3', '1e100', 'true', 'false',
    '"12"', '"-3"', '"1e3"', '"1.5"', '"abc"', '""', '" 7 "', '"0x1F"', '[1]', '{"a": 1}', 'null',
    '-0.0', '1e-300', '2147483647.0000001', '"2147483648"', '"-0"']],
  ['f', ['1', '1.5', '-0.25', '1e308', '5e-324', '1e21', '123456789.125', '0.1', 'true', 'false', '"1.5"', '"abc"', '""', '"  "', '[1.5]', '{}', 'null',
    '0.30000000000000004', '123456789012345678901', '2.5e-7', '1.7976931348623157e308', '4.35', '-1e-300', '1e-6', '1e-7', '100.0', '"1e400"']],
  ['s', ['"s"', '""', '"é😀\\n\\t\\"\\\\\\u0001\\u2028"', '1', '-1.5', '1e21', '1e-7', '0.000001', '123e-20', 'true', 'false', '[]', '["a"]', '{"a": 1}', 'null',
    '123456789012345678901', '1.7976931348623157e308', '2e-7', '0.30000000000000004', '100', '1e20', '12345678.9', '-0.0', '{"a b": 1, "é": "\\u0001", "": []}']],
  ['b', ['true', 'false', '1', '0', '-1', '1.5', '"true"', '""', '[true]', '{}', 'null']],
  ['id', ['"x"', '""', '1', '-5', '0', '1e20', '1.5', '1.0', 'true', '[1]', '{"id": 1}', 'null',
    '1e21', '123456789012345678901', '-0.0', '9007199254740993']],
  ['e', ['"RED"', '"BLUE"', '"red"', '"PURPLE"', '""', '1', 'true', '["RED"]', 'null']],
  ['j', ['{"b": 1, "a": [true, null, {"z": "é"}], "c": {}}', '[]', '"x"', '1.5', '-0', 'false', 'null', '[[[[[1]]]]]']],
  ['d', ['"2020-01-01"', '20200101', '{"y": 2020}']],
  ['iNN', ['1', '"x"', 'null', '1.5']],
  ['li', ['[1, null, 3]', '[1, "2", 3.5, true, "x"]', '1', '[]']],
  ['lf', ['[1, 1.5, "2.5", "x"]']],
  ['ls', ['["a", 1, true, null, {"o": 1}]']],
  ['lb', ['[true, 0, 1, "x"]']],
  ['lid', ['["a", 1, 1.5, null]']],
  ['le', ['["RED", "NOPE", null, "GREEN"]']],
  ['lj', ['[{"a": 1}, [1], "s", null]']],
  ['lli', ['[[1, "x"], null, [2.5], "y"]']],
  ['liNN', ['[1, null, 2]', '[1, "x", 2]', '[1, 2]']],
];

export default function () {
  const cases = [];
  for (const [field, values] of ROWS) {
    for (const v of values) {
      cases.push({ name: `${field} <- ${v}`, schema: 'scalars', query: `{ ${field} }\n`, root: `{"${field}": ${v}}` });
    }
  }
  // All fields at once: errors in field order, data in selection order.
  cases.push({
    name: 'all fields at once',
    schema: 'scalars',
    query: '{ e id b s f i j d li le }\n',
    root: '{"i": "x", "f": "y", "s": {"k": "v"}, "b": "no", "id": true, "e": "GREY", "j": {"any": 1}, "d": "2020", "li": [1, "z"], "le": ["RED", 1]}',
    exit: 1,
    errors: 8,
  });
  cases.push({
    name: 'aliases of the same leaf',
    schema: 'scalars',
    query: '{ a: i b: i c: s i }\n',
    root: '{"i": 5, "s": 6}',
    exit: 0,
  });
  return cases;
}
