// Generates introspection_expected.json for tests/unit/test_introspection.c:
// graphql-js's answers to introspection queries over the schemas of this
// directory.   node tests/unit/data/gen_introspection.cjs
const g = require('graphql');
const fs = require('fs');
const full = g.getIntrospectionQuery({
  descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true,
  inputValueDeprecation: true, experimentalDirectiveDeprecation: true, oneOf: true,
});
const schemas = ['introspection_rich.graphql', 'introspection_minimal.graphql', 'execute_schema.graphql'];
const queries = [
  ['getIntrospectionQuery()', g.getIntrospectionQuery(), null],
  ['getIntrospectionQuery(all options)', full, null],
  ['__type and __typename', '{ __type(name: "Root") { name kind fields { name } } t2: __type(name: "Nope") { name } __typename }', 'introspection_rich.graphql'],
  ['enum values', '{ __type(name: "Order") { enumValues { name } all: enumValues(includeDeprecated: true) { name isDeprecated deprecationReason } } }', 'introspection_rich.graphql'],
  ['input fields', '{ __type(name: "Filter") { inputFields { name } all: inputFields(includeDeprecated: true) { name isDeprecated deprecationReason } isOneOf } o: __type(name: "OneOf") { isOneOf } r: __type(name: "Root") { isOneOf } }', 'introspection_rich.graphql'],
  ['directive args', '{ __schema { directives { name isRepeatable isDeprecated args { name } allArgs: args(includeDeprecated: true) { name isDeprecated } } } }', 'introspection_rich.graphql'],
  ['field args and defaults', '{ __type(name: "Root") { fields(includeDeprecated: true) { name args(includeDeprecated: true) { name isDeprecated deprecationReason defaultValue } } } }', 'introspection_rich.graphql'],
  ['root typenames', 'mutation { __typename }', 'introspection_rich.graphql'],
  ['specifiedByURL and description', '{ __type(name: "Date") { specifiedByURL description } j: __type(name: "JSON") { specifiedByURL } __schema { description queryType { name } } }', 'introspection_rich.graphql'],
  ['ofType chains', '{ __type(name: "Root") { fields { name type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } }', 'introspection_rich.graphql'],
  ['wrapping types fields', '{ __type(name: "Root") { fields { type { name description specifiedByURL fields { name } interfaces { name } possibleTypes { name } enumValues { name } inputFields { name } isOneOf } } } }', 'introspection_rich.graphql'],
  ['interfaces and possible types', '{ n: __type(name: "Node") { interfaces { name } possibleTypes { name } } m: __type(name: "Named") { interfaces { name } possibleTypes { name } } r: __type(name: "Result") { possibleTypes { name } interfaces { name } } t: __type(name: "Thing") { interfaces { name } possibleTypes { name } } }', 'introspection_rich.graphql'],
  ['introspection with fragments and aliases', 'query Q { s: __schema { ...S } } fragment S on __Schema { q: queryType { ...T } types { ... on __Type { name } } } fragment T on __Type { __typename n: name k: kind }', 'introspection_minimal.graphql'],
  ['__type with a variable', 'query ($n: String!) { __type(name: $n) { name } }', 'introspection_minimal.graphql', '{"n":"Query"}'],
];
const out = [];
for (const [name, query, only, vars] of queries) {
  for (const file of schemas) {
    if (only && only !== file) continue;
    const schema = g.buildSchema(fs.readFileSync(__dirname + '/' + file, 'utf8'));
    const doc = g.parse(query);
    const errs = g.validate(schema, doc);
    if (errs.length) throw new Error(name + ': ' + errs.map(e => e.message).join('; '));
    const r = g.execute({ schema, document: doc, variableValues: vars ? JSON.parse(vars) : undefined });
    out.push({ name, schema: file, query, vars: vars || null, expected: JSON.stringify(r) });
  }
}
fs.writeFileSync(__dirname + '/introspection_expected.json', JSON.stringify(out, null, 1) + '\n');
