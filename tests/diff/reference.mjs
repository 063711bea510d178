#!/usr/bin/env node
/*
 * reference.mjs: `mesd check` implemented with graphql-js 16, the answer the
 * differential suite (run.mjs) holds mesd to. Same flags, same JSON on
 * stdout, same exit status (docs/cli.md):
 *   2  the schema does not load: {"errors":[…]}
 *   1  syntax error, validation errors, an operation that cannot be chosen,
 *      variables that do not coerce, or field errors during execution
 *   0  {"valid":true}, or {"data":…} when --root is given
 *
 * The schema is built the way buildSchema does it, but from its pieces so
 * that every SDL error is its own error object with locations (buildSchema
 * would throw one Error joining the messages): parse, validateSDL,
 * buildASTSchema(assumeValidSDL), then validateSchema (which graphql-js runs
 * lazily at validate/execute time; mesd refuses such a schema up front).
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import {
  parse,
  validate,
  execute,
  buildASTSchema,
  validateSchema,
  GraphQLError,
} from 'graphql/index.mjs';
import { validateSDL } from 'graphql/validation/validate.mjs';
import { buildExecutionContext } from 'graphql/execution/execute.mjs';

export const EXIT_OK = 0;
export const EXIT_DOC = 1;
export const EXIT_SCHEMA = 2;

/* The JSON graphql-js would put in a response for an error (GraphQLError's toJSON). */
function errorJSON(e) {
  if (e instanceof GraphQLError) return e.toJSON();
  return { message: String(e && e.message !== undefined ? e.message : e) };
}

function errors(code, list) {
  return { code, out: { errors: list.map(errorJSON) } };
}

/* Builds the schema from SDL text; returns { schema } or { code, out }. */
export function loadSchema(sdl) {
  let doc;
  try {
    doc = parse(sdl);
  } catch (e) {
    return errors(EXIT_SCHEMA, [e]);
  }
  const sdlErrors = validateSDL(doc);
  if (sdlErrors.length) return errors(EXIT_SCHEMA, sdlErrors);
  let schema;
  try {
    schema = buildASTSchema(doc, { assumeValidSDL: true });
  } catch (e) {
    return errors(EXIT_SCHEMA, [e]);
  }
  const schemaErrors = validateSchema(schema);
  if (schemaErrors.length) return errors(EXIT_SCHEMA, schemaErrors);
  return { schema };
}

/*
 * One `mesd check` run. Inputs are texts: sdl (required), query (undefined:
 * none), variables (JSON text or undefined), operation (or undefined), root
 * (JSON text or undefined). Returns { code, out } where out is the response
 * object exactly as graphql-js builds it (serialize it with JSON.stringify).
 */
export function check({ sdl, query, variables, operation, root }) {
  const loaded = loadSchema(sdl);
  if (!loaded.schema) return loaded;
  const { schema } = loaded;
  if (query === undefined) return { code: EXIT_OK, out: { valid: true } };

  let document;
  try {
    document = parse(query);
  } catch (e) {
    return errors(EXIT_DOC, [e]);
  }
  const validationErrors = validate(schema, document);
  if (validationErrors.length) return errors(EXIT_DOC, validationErrors);

  const variableValues = variables === undefined ? undefined : JSON.parse(variables);
  const args = { schema, document, variableValues, operationName: operation };
  if (root === undefined) {
    // No execution: still choose the operation and coerce the variables.
    const ctx = buildExecutionContext(args);
    if (Array.isArray(ctx)) return errors(EXIT_DOC, ctx);
    return { code: EXIT_OK, out: { valid: true } };
  }
  const result = execute({ ...args, rootValue: JSON.parse(root) });
  if (typeof result.then === 'function') throw new Error('execution did not complete synchronously');
  const out = JSON.parse(JSON.stringify(result));
  return { code: out.errors ? EXIT_DOC : EXIT_OK, out };
}

/* The command line: reference.mjs check --schema FILE [--query FILE] [--variables JSON|@FILE] [--operation NAME] [--root FILE] */
function main(argv) {
  const args = argv[0] === 'check' ? argv.slice(1) : argv;
  const flags = {};
  for (let i = 0; i < args.length; i++) {
    const m = /^--([a-z]+)(?:=(.*))?$/s.exec(args[i]);
    if (!m || !['schema', 'query', 'variables', 'operation', 'root'].includes(m[1])) {
      process.stderr.write(`reference: unexpected argument '${args[i]}'\n`);
      return EXIT_SCHEMA;
    }
    flags[m[1]] = m[2] !== undefined ? m[2] : args[++i];
  }
  if (flags.schema === undefined) {
    process.stderr.write('usage: reference.mjs check --schema FILE [--query FILE] [--variables JSON|@FILE] [--operation NAME] [--root FILE]\n');
    return EXIT_SCHEMA;
  }
  const read = (p) => readFileSync(p === '-' ? 0 : p, 'utf8');
  let variables = flags.variables;
  if (variables !== undefined && variables.startsWith('@')) variables = read(variables.slice(1));
  const { code, out } = check({
    sdl: read(flags.schema),
    query: flags.query === undefined ? undefined : read(flags.query),
    variables,
    operation: flags.operation,
    root: flags.root === undefined ? undefined : read(flags.root),
  });
  process.stdout.write(JSON.stringify(out) + '\n');
  return code;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = main(process.argv.slice(2));
