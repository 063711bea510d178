/*
 * gen/introspection.mjs: graphql-js's own getIntrospectionQuery() text, with
 * its options, executed on every shared schema (root {}): the full
 * introspection result must be the same, field for field and in order.
 */
import { getIntrospectionQuery } from 'graphql/index.mjs';

const SCHEMAS = ['minimal', 'pets', 'starwars', 'kitchen', 'abstract', 'inputs', 'scalars', 'nulls', 'boxes'];

const ALL = {
  descriptions: true,
  specifiedByUrl: true,
  directiveIsRepeatable: true,
  schemaDescription: true,
  inputValueDeprecation: true,
  oneOf: true,
};

const OPTIONS = {
  default: {},
  'no descriptions': { descriptions: false },
  'every option': ALL,
  'every option without descriptions': { ...ALL, descriptions: false },
  specifiedByUrl: { specifiedByUrl: true },
  directiveIsRepeatable: { directiveIsRepeatable: true },
  schemaDescription: { schemaDescription: true },
  inputValueDeprecation: { inputValueDeprecation: true },
  oneOf: { oneOf: true },
  'directive deprecation': { ...ALL, experimentalDirectiveDeprecation: true },
  'typeDepth 2': { typeDepth: 2 },
  'typeDepth 0': { typeDepth: 0 },
};

// Every option on the schemas rich in features; the default and every option on the others.
const RICH = new Set(['kitchen', 'starwars', 'pets']);

export default function () {
  const cases = [];
  for (const schema of SCHEMAS) {
    for (const [label, options] of Object.entries(OPTIONS)) {
      if (!RICH.has(schema) && label !== 'default' && label !== 'every option') continue;
      cases.push({ name: `${schema}/${label}`, schema, query: getIntrospectionQuery(options), root: '{}', exit: 0 });
    }
  }
  // The same query without --root: it only validates.
  cases.push({ name: 'kitchen/validation only', schema: 'kitchen', query: getIntrospectionQuery(ALL), exit: 0 });
  return cases;
}
