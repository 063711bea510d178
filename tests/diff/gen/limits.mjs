/*
 * gen/limits.mjs: the limits graphql-js 16 puts on validation: at most 100
 * errors (then "Too many validation errors…"), and the work budgets of
 * OverlappingFieldsCanBeMerged and of fragment traversal ("Validation
 * aborted."); plus large documents that stay within every limit.
 */
const fields = (n, f) => Array.from({ length: n }, (_, i) => f(i)).join(' ');

export default function () {
  const cases = [];
  for (const n of [99, 100, 101, 150]) {
    cases.push({
      name: `${n} unknown fields`,
      schema: 'pets',
      query: `{ dog { ${fields(n, (i) => `unknown${i}`)} } }\n`,
      exit: 1,
      errors: Math.min(n, 101),
      ...(n > 100 ? { contains: ['Too many validation errors, error limit reached. Validation aborted.'] } : { lacks: ['Too many'] }),
    });
  }
  cases.push({
    name: 'error limit reached across rules',
    schema: 'pets',
    query: `query Q(${fields(60, (i) => `$v${i}: Int`)}) { dog { ${fields(60, (i) => `u${i}`)} } }\n`,
    exit: 1,
    errors: 101,
  });
  cases.push({
    name: 'the same field 710 times exceeds the overlap budget',
    schema: 'pets',
    query: `{ dog { ${fields(710, () => 'name')} } }\n`,
    exit: 1,
    contains: ['Validation aborted.'],
  });
  cases.push({
    name: 'the same field 700 times is within the overlap budget',
    schema: 'pets',
    query: `{ dog { ${fields(700, () => 'name')} } }\n`,
    exit: 0,
  });
  cases.push({
    name: 'many operations spreading a wide fragment exceed the fragment budget',
    schema: 'pets',
    query:
      // Each operation spreads its own fragment too, so that no two share the cached traversal.
      fields(200, (i) => `query Q${i} { dog { ...F ...H${i} } }`) +
      `\nfragment F on Dog { ${fields(300, () => '...G')} }\nfragment G on Dog { name }\n` +
      fields(200, (i) => `fragment H${i} on Dog { name }`) + '\n',
    operation: 'Q0',
    exit: 1,
    contains: ['Validation aborted.'],
  });
  cases.push({
    name: 'many operations spreading a small fragment',
    schema: 'pets',
    query: fields(200, (i) => `query Q${i} { dog { ...F } }`) + `\nfragment F on Dog { ...G ...G }\nfragment G on Dog { name }\n`,
    operation: 'Q199',
    root: '{"dog": {"name": "Rex"}}',
    exit: 0,
  });
  cases.push({
    name: 'a long conflict message is abbreviated and its locations capped',
    schema: 'pets',
    query: `{ x: dog { ${fields(60, (i) => `field${i}: name`)} } x: dog { ${fields(60, (i) => `field${i}: barks`)} } }\n`,
    exit: 1,
    errors: 1,
    contains: ['are different fields and subfields', '... Use different aliases'],
  });
  cases.push({
    name: 'a response name longer than 1000 characters is abbreviated',
    schema: 'pets',
    query: `{ dog { ${'A'.repeat(1100)}: name ${'A'.repeat(1100)}: barks } }\n`,
    exit: 1,
    errors: 1,
    contains: ['A...\\" conflict because'],
  });
  cases.push({
    name: 'deep conflicts nest their reasons',
    schema: 'pets',
    query: `{ x: dog { y: mother { ${fields(30, (i) => `f${i}: name`)} } } x: dog { y: mother { ${fields(30, (i) => `f${i}: nickname`)} } } }\n`,
    exit: 1,
    errors: 1,
  });
  cases.push({
    name: 'a thousand aliases',
    schema: 'pets',
    query: `{ dog { ${fields(1000, (i) => `a${i}: name`)} } }\n`,
    root: '{"dog": {"name": "Rex"}}',
    exit: 0,
  });
  cases.push({
    name: 'a long list result',
    schema: 'nulls',
    query: '{ ints list { x } }\n',
    root: JSON.stringify({ ints: Array.from({ length: 2000 }, (_, i) => (i % 7 ? i : null)), list: Array.from({ length: 500 }, (_, i) => ({ x: i })) }),
    exit: 0,
  });
  cases.push({
    name: 'many field errors',
    schema: 'nulls',
    query: '{ intsNN list { xNN } }\n',
    root: JSON.stringify({ intsNN: [1, 'x', 2], list: Array.from({ length: 300 }, (_, i) => ({ xNN: i % 2 ? i : null })) }),
    exit: 1,
    errors: 151,
  });
  return cases;
}
