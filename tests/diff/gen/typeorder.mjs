/*
 * gen/typeorder.mjs: the order of __schema.types, possibleTypes and
 * interfaces, which graphql-js derives from the order in which it meets
 * types (roots first, then each type's references, depth first), with
 * built-in scalars where they are first referenced.
 */
const Q = '{ __schema { types { name kind interfaces { name } possibleTypes { name } fields { name } enumValues { name } inputFields { name } } directives { name args { name type { name ofType { name } } } } } }';

const SDLS = {
  'types defined before the query type': `
type B { c: C a: A }
type A { s: String }
type C { f: Float id: ID }
type Query { b: B n: Int }`,
  'schema definition with mutation first': `
schema { mutation: M query: Q subscription: S }
type S { s: Boolean }
type M { m: ID }
type Q { q: Float }`,
  'built-in scalars only used by arguments': `
type Query { a(x: ID, y: Float): String }`,
  'built-in scalars only used by custom directives': `
type Query { a: Int }
directive @d(x: Float, y: ID) on FIELD`,
  'unused types keep their place': `
type Unused1 { x: Float }
type Query { a: Int }
type Unused2 { y: ID }
enum Lonely { A }`,
  'implementations in definition order': `
type Query { n: Node }
type Z implements Node { id: ID }
interface Node { id: ID }
type A implements Node { id: ID }
type M implements Node { id: ID }`,
  'interfaces of interfaces': `
type Query { c: C }
interface A { a: Int }
interface B implements A { a: Int b: Int }
interface C implements B & A { a: Int b: Int c: Int }
type X implements C & A & B { a: Int b: Int c: Int }
type Y implements A { a: Int }`,
  'extensions append fields, values, members and interfaces': `
type Query { a: Int }
extend type Query { z: Z }
type Z { z: Int }
extend type Z implements I { i: Int }
interface I { i: Int }
extend interface I { j: String }
extend type Z { j: String }
enum E { B }
extend enum E { A }
extend type Query { e: E u: U in(x: In): Int }
union U = Z
extend union U = W
type W { w: Int }
input In { b: Int }
extend input In { a: Int }`,
  'types reached only through input objects': `
type Query { f(a: In): Int }
input In { b: In2 l: [In3!] }
input In2 { e: E2 }
input In3 { s: Sc }
enum E2 { X }
scalar Sc`,
  'union members in union order': `
type Query { u: U }
union U = C | A | B
type A { a: Int }
type B { b: Int }
type C { c: Int }`,
  'a type named like an introspection type prefix': `
type Query { a: Schema t: Type }
type Schema { s: Int }
type Type { t: Int }`,
};

export default function () {
  return Object.entries(SDLS).map(([name, sdl]) => ({ name, sdl: sdl.trimStart(), query: Q, root: '{}', exit: 0 }));
}
