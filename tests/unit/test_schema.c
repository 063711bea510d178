/*
 * test_schema.c: the schema builder and validator against graphql-js 16.15.
 *
 * The table cases give an SDL document and what graphql-js answers for it:
 * the syntax error, or each error of validateSDL (which buildSchema joins into
 * one message), or the error buildASTSchema throws, or each error of
 * validateSchema, with their locations; for a valid schema, the type map's
 * order. The table was produced by running graphql-js itself on each document
 * (parse, validateSDL, buildASTSchema with assumeValidSDL, validateSchema).
 * The other tests check the built schema's details and the helpers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include "schema.h"

typedef struct sdl_case {
    const char *sdl;
    const char *expected;
} sdl_case;

static const sdl_case cases[] = {
    {"type Query { a: Int }\n",
     "OK: Query Int Boolean String __Schema __Type __TypeKind __Field __InputValue __EnumValue __Directive __DirectiveLocation\n"},
    {"type Query { a: Foo } type Foo { b: Boolean } scalar String\n",
     "OK: Query Foo Boolean String __Schema __Type __TypeKind __Field __InputValue __EnumValue __Directive __DirectiveLocation\n"},
    {"schema { query: String }\n",
     "Query root type must be Object type, it cannot be String. @ 1:17\n"},
    {"\"d\" type Query { a: Int } \"x\" type Query { b: Int } extend type Query { a: Int } extend interface Query @foo\n",
     "There can be only one type named \"Query\". @ 1:10 1:36\nField \"Query.a\" can only be defined once. @ 1:18 1:73\nCannot extend non-interface type \"Query\". @ 1:27 1:82\nUnknown directive \"@foo\". @ 1:105\n"},
    {"type Query {a: Int} query Q($v: Foo @bar) { a @skip(if: true, if: false) @skip(if: $v) ...F } fragment F on Bar { b(x: {a:1, a:2}) }\n",
     "Unknown type \"Foo\". @ 1:33\nUnknown directive \"@bar\". @ 1:37\nThe directive \"@skip\" can only be used once at this location. @ 1:47 1:74\nThere can be only one argument named \"if\". @ 1:53 1:63\nUnknown type \"Bar\". @ 1:109\nThere can be only one input field named \"a\". @ 1:121 1:126\n"},
    {"extend input Foo { a: Int @x } input Foo { b: Int } directive @x on INPUT_FIELD_DEFINITION type Query { a: Int }\n",
     "Directive \"@x\" may not be used on ARGUMENT_DEFINITION. @ 1:27\n"},
    {"extend scalar String @foo\n",
     "Cannot extend type \"String\" because it is not defined. @ 1:15\nUnknown directive \"@foo\". @ 1:22\n"},
    {"type Query { a: Int @deprecated(reason: 1) }\n",
     "Argument \"reason\" has invalid value 1. @ 1:41\n"},
    {"input A { b: A = {} } type Query { a(x: A): Int }\n",
     "Maximum call stack size exceeded\n"},
    {"input A { b: Int = {} c: Int! = null @deprecated } type Query { a(x: A, y: Int! = \"s\" @deprecated): Int }\n",
     "Required input field A.c cannot be deprecated. @ 1:38 1:26\nRequired argument Query.a(y:) cannot be deprecated. @ 1:87 1:76\n"},
    {"type Query { a(x: Foo = 1): Int } type Foo { b: Int }\n",
     "Unexpected input type: Foo\n"},
    {"type Query { a(x: [Foo] = [null, 1]): Int } type Foo { b: Int }\n",
     "Unexpected input type: Foo\n"},
    {"type Query { a(x: Foo = null): Int } type Foo { b: Int }\n",
     "The type of Query.a(x:) must be Input Type but got: Foo. @ 1:19\n"},
    {"type Query { a: Int }\ntype Query2 { b: Int }\nschema { query: Query2 }\nschema { query: Query }\n",
     "Must provide only one schema definition. @ 4:1\nThere can be only one query type in schema. @ 3:10 4:10\n"},
    {"schema { query: Query query: Query mutation: M } extend schema { mutation: M subscription: S subscription: S }\ntype Query { a: Int } type M { a: Int } type S { a: Int }\n",
     "There can be only one query type in schema. @ 1:10 1:23\nThere can be only one mutation type in schema. @ 1:36 1:66\nThere can be only one subscription type in schema. @ 1:78 1:94\n"},
    {"enum E { A B A } extend enum E { B C } type Query { e: E }\n",
     "Enum value \"E.A\" can only be defined once. @ 1:10 1:14\nEnum value \"E.B\" can only be defined once. @ 1:12 1:34\n"},
    {"type Query { a(x: Int, y: Int, x: String, y: Int, x: Int): Int b: Int }\ndirective @d(a: Int, a: Int) on FIELD\n",
     "Argument \"Query.a(x:)\" can only be defined once. @ 1:16 1:32 1:51\nArgument \"Query.a(y:)\" can only be defined once. @ 1:24 1:43\nArgument \"@d(a:)\" can only be defined once. @ 2:14 2:22\n"},
    {"directive @d on FIELD\ndirective @d on QUERY\ntype Query { a: Int }\n",
     "There can be only one directive named \"@d\". @ 1:12 2:12\n"},
    {"type Query { a: Strin b: Quer c: __Typ d: Int }\n",
     "Unknown type \"Strin\". Did you mean \"String\"? @ 1:17\nUnknown type \"Quer\". Did you mean \"Query\"? @ 1:26\nUnknown type \"__Typ\". Did you mean \"__Type\"? @ 1:34\n"},
    {"type Query { a: Int @deprecated @deprecated }\nextend type Query @foo\ntype Foo @d @d { a: Int }\nextend type Foo @d\ndirective @d on OBJECT\ndirective @r repeatable on OBJECT\nextend type Foo @r @r\n",
     "The directive \"@deprecated\" can only be used once at this location. @ 1:21 1:33\nUnknown directive \"@foo\". @ 2:19\nThe directive \"@d\" can only be used once at this location. @ 3:10 3:13\nThe directive \"@d\" can only be used once at this location. @ 3:10 4:17\n"},
    {"scalar S\nextend type S\nextend union Q\nextend enum Quer\ntype Query { a: Int }\n",
     "Syntax Error: Unexpected Name \"extend\". @ 3:1\n"},
    {"directive @d(a: Int!, b: String! = \"x\", c: [Int]!) on FIELD_DEFINITION\ntype Query { a: Int @d b: Int @d(a: 1) @include @skip(if: true) @specifiedBy c: Int @d(x: 1, cc: 2, aa: 3) }\n",
     "Directive \"@d\" argument \"a\" of type \"Int!\" is required, but it was not provided. @ 2:21\nDirective \"@d\" argument \"c\" of type \"[Int]!\" is required, but it was not provided. @ 2:21\nDirective \"@d\" argument \"c\" of type \"[Int]!\" is required, but it was not provided. @ 2:31\nDirective \"@include\" may not be used on FIELD_DEFINITION. @ 2:40\nDirective \"@include\" argument \"if\" of type \"Boolean!\" is required, but it was not provided. @ 2:40\nDirective \"@skip\" may not be used on FIELD_DEFINITION. @ 2:49\nDirective \"@specifiedBy\" may not be used on FIELD_DEFINITION. @ 2:65\nDirective \"@specifiedBy\" argument \"url\" of type \"String!\" is required, but it was not provided. @ 2:65\nUnknown argument \"x\" on directive \"@d\". Did you mean \"a\", \"b\", or \"c\"? @ 2:88\nUnknown argument \"cc\" on directive \"@d\". Did you mean \"c\"? @ 2:94\nUnknown argument \"aa\" on directive \"@d\". Did you mean \"a\"? @ 2:101\nDirective \"@d\" argument \"a\" of type \"Int!\" is required, but it was not provided. @ 2:85\nDirective \"@d\" argument \"c\" of type \"[Int]!\" is required, but it was not provided. @ 2:85\n"},
    {"type Query { a(x: In = {a: 1, b: {c: 1, c: 2}, a: 3}): Int }\ninput In { a: Int b: In2 }\ninput In2 { c: Int }\n",
     "There can be only one input field named \"c\". @ 1:35 1:41\nThere can be only one input field named \"a\". @ 1:25 1:48\n"},
    {"type Mutation { a: Int }\n",
     "Query root type must be provided.\n"},
    {"schema { query: Q } type Q { a: Int } \n",
     "OK: Q Int Boolean String __Schema __Type __TypeKind __Field __InputValue __EnumValue __Directive __DirectiveLocation\n"},
    {"schema { query: Q mutation: M subscription: S } scalar Q union M = Q enum S { A }\n",
     "Query root type must be Object type, it cannot be Q. @ 1:17\nMutation root type must be Object type if provided, it cannot be M. @ 1:29\nSubscription root type must be Object type if provided, it cannot be S. @ 1:45\nUnion type M can only include Object types, it cannot include Q. @ 1:68\n"},
    {"scalar Query\ntype Mutation { a: Int } input Subscription { a: Int }\n",
     "Query root type must be Object type, it cannot be Query. @ 1:1\nSubscription root type must be Object type if provided, it cannot be Subscription. @ 2:26\n"},
    {"type Query { a: Int }\ndirective @__d(__a: Int, b: Query, c: Int! @deprecated, d: Int! = 1 @deprecated) on FIELD\n",
     "Name \"__d\" must not begin with \"__\", which is reserved by GraphQL introspection. @ 2:1\nName \"__a\" must not begin with \"__\", which is reserved by GraphQL introspection. @ 2:16\nThe type of @__d(b:) must be Input Type but got: Query. @ 2:26\nRequired argument @__d(c:) cannot be deprecated. @ 2:44 2:39\n"},
    {"type Query { __a: Int b(__x: Int, y: Query, z: Int! @deprecated(reason: \"no\")): In c: Int }\ninput In { a: Int }\ntype __Foo { a: Int }\n",
     "Name \"__a\" must not begin with \"__\", which is reserved by GraphQL introspection. @ 1:14\nThe type of Query.b must be Output Type but got: In. @ 1:81\nName \"__x\" must not begin with \"__\", which is reserved by GraphQL introspection. @ 1:25\nThe type of Query.b(y:) must be Input Type but got: Query. @ 1:38\nRequired argument Query.b(z:) cannot be deprecated. @ 1:53 1:48\nName \"__Foo\" must not begin with \"__\", which is reserved by GraphQL introspection. @ 3:1\n"},
    {"type Query { a: Int }\ntype Empty\ninterface EI\nunion EU\nenum EE\ninput EIn\nextend type Empty @d\ndirective @d on OBJECT\n",
     "Type Empty must define one or more fields. @ 2:1 7:1\nType EI must define one or more fields. @ 3:1\nUnion type EU must define one or more member types. @ 4:1\nEnum type EE must define one or more values. @ 5:1\nInput Object type EIn must define one or more fields. @ 6:1\n"},
    {"type Query implements I & Query & String & I & J { a: Int }\ninterface I { a: Int }\ninterface J implements K { a: Int }\ninterface K { a: Int }\n",
     "Type Query must only implement Interface types, it cannot implement Query. @ 1:27\nType Query must only implement Interface types, it cannot implement String. @ 1:35\nType Query can only implement I once. @ 1:23 1:44\nType Query must implement K because it is implemented by J. @ 3:24 1:48\n"},
    {"interface I implements I { a: Int }\ninterface J implements K { a: Int }\ninterface K implements J { a: Int }\ntype Query implements J { a: Int }\n",
     "Type I cannot implement itself because it would create a circular reference. @ 1:24\nType J cannot implement K because it would create a circular reference. @ 3:24 2:24\nType K cannot implement J because it would create a circular reference. @ 2:24 3:24\nType Query must implement K because it is implemented by J. @ 2:24 4:23\n"},
    {"interface I { a: Int b(x: Int, y: String): [String] c: I d(x: [Int]!): Int e: Int }\ntype Query implements I { a: String b(x: Int): [String!]! c: Query d(x: [Int], z: Int!, w: Int! = 2): Int }\n",
     "Interface field I.a expects type Int but Query.a is type String. @ 1:18 2:30\nInterface field argument I.b(y:) expected but Query.b does not provide it. @ 1:32 2:37\nInterface field argument I.d(x:) expects type [Int]! but Query.d(x:) is type [Int]. @ 1:63 2:73\nObject field Query.d includes required argument z that is missing from the Interface field I.d. @ 2:80 1:58\nInterface field I.e expected but Query does not provide it. @ 1:76 2:1\n"},
    {"interface I { a: Int }\nextend interface I { b: Int }\ntype Query implements I { c: Int }\nextend type Query { d: Int }\n",
     "Interface field I.a expected but Query does not provide it. @ 1:15 3:1 4:1\nInterface field I.b expected but Query does not provide it. @ 2:22 3:1 4:1\n"},
    {"union U = Query | I | Query | S | U\nextend union U = I\ninterface I { a: Int }\nscalar S\ntype Query { a: U }\n",
     "Union type U can only include Object types, it cannot include I. @ 1:19 2:18\nUnion type U can only include type Query once. @ 1:11 1:23\nUnion type U can only include Object types, it cannot include S. @ 1:31\nUnion type U can only include Object types, it cannot include U. @ 1:35\nUnion type U can only include type I once. @ 1:19 2:18\n"},
    {"enum E { __A B }\ninput In { __a: Int b: Query c: Int! @deprecated d: Int! = 3 @deprecated e: Int! = \"x\" @deprecated }\ntype Query { a(x: In, y: E): Int }\n",
     "Name \"__A\" must not begin with \"__\", which is reserved by GraphQL introspection. @ 1:10\nName \"__a\" must not begin with \"__\", which is reserved by GraphQL introspection. @ 2:12\nThe type of In.b must be Input Type but got: Query. @ 2:24\nRequired input field In.c cannot be deprecated. @ 2:38 2:33\nRequired input field In.e cannot be deprecated. @ 2:88 2:77\n"},
    {"input O @oneOf { a: Int! b: Int = 3 c: String = \"x\" d: Int = \"bad\" }\ntype Query { a(x: O): Int }\n",
     "OneOf input field O.a must be nullable. @ 1:21\nOneOf input field O.b cannot have a default value. @ 1:26\nOneOf input field O.c cannot have a default value. @ 1:37\n"},
    {"input A { b: B! c: A d: [A!]! }\ninput B { a: A! c: C! }\ninput C { b: B! a: A! x: X! }\ninput X { x: X! }\ntype Query { a(x: A): Int }\n",
     "Cannot reference Input Object \"A\" within itself through a series of non-null fields: \"b.a\". @ 1:11 2:11\nCannot reference Input Object \"B\" within itself through a series of non-null fields: \"c.b\". @ 2:17 3:11\nCannot reference Input Object \"A\" within itself through a series of non-null fields: \"b.c.a\". @ 1:11 2:17 3:17\nCannot reference Input Object \"X\" within itself through a series of non-null fields: \"x\". @ 4:11\n"},
    {"input A { self: A! }\ninput B { c: C! }\ninput C { b: B! }\ntype Query { a(x: A, b: B): Int }\n",
     "Cannot reference Input Object \"A\" within itself through a series of non-null fields: \"self\". @ 1:11\nCannot reference Input Object \"B\" within itself through a series of non-null fields: \"c.b\". @ 2:11 3:11\n"},
    {"type Query { a: Int } extend schema { query: Q2 } type Q2 { b: Int }\n",
     "OK: Query Int Q2 Boolean String __Schema __Type __TypeKind __Field __InputValue __EnumValue __Directive __DirectiveLocation\n"},
    {"extend schema { query: Q2 } type Q2 { b: Int }\n",
     "OK: Q2 Int Boolean String __Schema __Type __TypeKind __Field __InputValue __EnumValue __Directive __DirectiveLocation\n"},
    {"extend schema { query: S } scalar S\n",
     "Query root type must be Object type, it cannot be S. @ 1:24\n"},
    {"\"desc\" schema { query: Q } \"x\" scalar Q\n",
     "Query root type must be Object type, it cannot be Q. @ 1:24\n"},
    {"type Query { a(x: E = B, y: E = C, z: [E] = [A, B], w: E = \"A\"): Int }\nenum E { A B }\n",
     "OK: Query Int E Boolean String __Schema __Type __TypeKind __Field __InputValue __EnumValue __Directive __DirectiveLocation\n"},
    {"type Query { a(i: Int = 2147483648, f: Float = 1, s: String = 1, b: Boolean = 1, id: ID = 1.5): Int }\n",
     "OK: Query Int Float String Boolean ID __Schema __Type __TypeKind __Field __InputValue __EnumValue __Directive __DirectiveLocation\n"},
    {"type Query { a(i: Int = 2147483647, j: Int = -2147483648, f: Float = 1e999, id: ID = 12, c: Cust = {a: [1, B, $x]}): Int } scalar Cust\n",
     "Syntax Error: Unexpected variable \"$x\" in constant value. @ 1:111\n"},
    {"input O @oneOf { a: Int b: Int }\ntype Query { a(x: O = {a: 1}, y: O = {a: 1, b: 2}, z: O = {a: null}, w: O = {}): Int }\ndirective @d(x: O! = {a: null} @deprecated) on FIELD\n",
     "Required argument @d(x:) cannot be deprecated. @ 3:32 3:17\n"},
    {"scalar S @specifiedBy(url: \"http://x\") @specifiedBy(url: 1)\ntype Query { a: S }\n",
     "The directive \"@specifiedBy\" can only be used once at this location. @ 1:10 1:40\n"},
    {"scalar S @specifiedBy(url: null)\ntype Query { a: S }\n",
     "Argument \"url\" of non-null type \"String!\" must not be null. @ 1:28\n"},
    {"scalar S @specifiedBy(url: 5)\ntype Query { a: S b: Int @deprecated(reason: ENUM) }\n",
     "Argument \"url\" has invalid value 5. @ 1:28\n"},
    {"directive @specifiedBy(foo: Int) on SCALAR\nscalar S @specifiedBy(foo: 1)\ntype Query { a: S }\n",
     "Argument \"url\" of required type \"String!\" was not provided. @ 2:10\n"},
    {"directive @deprecated(x: Int) on FIELD_DEFINITION | ENUM_VALUE\ntype Query { a: Int @deprecated(x: 1) b: E }\nenum E { A @deprecated(x: 2) }\n",
     "OK: Query Int E Boolean String __Schema __Type __TypeKind __Field __InputValue __EnumValue __Directive __DirectiveLocation\n"},
    {"type Query { a: Int } enum E { A @deprecated(reason: 1) B @deprecated(reason: null) } input X { a: Int @deprecated(reason: [1]) }\n",
     "Argument \"reason\" has invalid value 1. @ 1:54\n"},
    {"type Query { a(x: X): Int @deprecated(reason: {a: 1}) }  input X { a: Int @deprecated(reason: 2) }\n",
     "Argument \"reason\" has invalid value {a: 1}. @ 1:47\n"},
    {"input A { b: B = {} } input B { a: A = {} } type Query { f(a: A): Int }\n",
     "Maximum call stack size exceeded\n"},
    {"input A { b: [A] = [{}] } type Query { f(a: A): Int }\n",
     "Maximum call stack size exceeded\n"},
    {"input A { b: A = null c: A = 1 } type Query { f(a: A = {c: 1}): Int }\n",
     "OK: A Query Int Boolean String __Schema __Type __TypeKind __Field __InputValue __EnumValue __Directive __DirectiveLocation\n"},
    {"directive @d(a: In = {x: {}}) on FIELD input In { x: In2 } input In2 { y: In = {} } type Query { a: Int }\n",
     "OK: In In2 Query Int Boolean String __Schema __Type __TypeKind __Field __InputValue __EnumValue __Directive __DirectiveLocation\n"},
    {"directive @d(a: Float, b: ID) on FIELD\ntype Query { a: Int }\n",
     "OK: Query Int Float ID Boolean String __Schema __Type __TypeKind __Field __InputValue __EnumValue __Directive __DirectiveLocation\n"},
    {"type Query { a: Boolean b: String c: Int }\ninterface Node { id: ID! }\ntype User implements Node { id: ID! name: String score: Float friends(first: Int = 10, after: String): [User!]! }\nunion SearchResult = User | Post\ntype Post implements Node { id: ID! title: String }\nschema { query: Query mutation: Mut }\ntype Mut { like(id: ID!): Post }\n",
     "OK: Query Boolean String Int Node ID User Float SearchResult Post Mut __Schema __Type __TypeKind __Field __InputValue __EnumValue __Directive __DirectiveLocation\n"},
    {"\"\"\"\nBlock description\n  indented\n\"\"\"\ntype Query {\n  \"field desc\" a(\n    \"arg desc\" x: Int = 5\n  ): Int\n}\n",
     "OK: Query Int Boolean String __Schema __Type __TypeKind __Field __InputValue __EnumValue __Directive __DirectiveLocation\n"},
    {"query { a } type Query { a(x: Int): Int }\nfragment F on Query @foo { a @include(if: true) @deprecated }\nsubscription S @skip(if: true) { ... on Query @oneOf { a } ...F @include }\nmutation M($x: Int @deprecated = 1) { a }\n",
     "Syntax Error: Expected \"$\", found \"=\". @ 4:32\n"},
    {"type Query { a: Int @include(if: true) @skip(if: false) @specifiedBy(url: \"x\") @oneOf }\nscalar S @deprecated @oneOf @include(if: true)\ninterface I @deprecated { a: Int }\nunion U @deprecated = Query\nenum E @deprecated { A @include(if: true) @deprecated }\ninput In @deprecated { a: Int @oneOf }\nextend input In @specifiedBy(url: \"\") { b: Int @deprecated @include(if: true) }\nschema @deprecated { query: Query }\nextend schema @deprecated\ndirective @d(a: Int @deprecated @oneOf) on FIELD\n",
     "Directive \"@include\" may not be used on FIELD_DEFINITION. @ 1:21\nDirective \"@skip\" may not be used on FIELD_DEFINITION. @ 1:40\nDirective \"@specifiedBy\" may not be used on FIELD_DEFINITION. @ 1:57\nDirective \"@oneOf\" may not be used on FIELD_DEFINITION. @ 1:80\nDirective \"@deprecated\" may not be used on SCALAR. @ 2:10\nDirective \"@oneOf\" may not be used on SCALAR. @ 2:22\nDirective \"@include\" may not be used on SCALAR. @ 2:29\nDirective \"@deprecated\" may not be used on INTERFACE. @ 3:13\nDirective \"@deprecated\" may not be used on UNION. @ 4:9\nDirective \"@deprecated\" may not be used on ENUM. @ 5:8\nDirective \"@include\" may not be used on ENUM_VALUE. @ 5:24\nDirective \"@deprecated\" may not be used on INPUT_OBJECT. @ 6:10\nDirective \"@oneOf\" may not be used on INPUT_FIELD_DEFINITION. @ 6:31\nDirective \"@specifiedBy\" may not be used on INPUT_OBJECT. @ 7:17\nDirective \"@include\" may not be used on ARGUMENT_DEFINITION. @ 7:60\nDirective \"@deprecated\" may not be used on SCHEMA. @ 8:8\nThe directive \"@deprecated\" can only be used once at this location. @ 8:8 9:15\nDirective \"@deprecated\" may not be used on SCHEMA. @ 9:15\nDirective \"@oneOf\" may not be used on ARGUMENT_DEFINITION. @ 10:33\n"},
    {"type Query { a: Int }\ndirective @all on QUERY | MUTATION | SUBSCRIPTION | FIELD | FRAGMENT_DEFINITION | FRAGMENT_SPREAD | INLINE_FRAGMENT | VARIABLE_DEFINITION | SCHEMA | SCALAR | OBJECT | FIELD_DEFINITION | ARGUMENT_DEFINITION | INTERFACE | UNION | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION | DIRECTIVE_DEFINITION\nschema @all { query: Query }\n",
     "OK: Query Int Boolean String __Schema __Type __TypeKind __Field __InputValue __EnumValue __Directive __DirectiveLocation\n"},
    {"type Query { a(x: [[In!]]! = [[{a: 1}]]): Int } input In { a: Int b: Int = 2 }\n",
     "OK: Query Int In Boolean String __Schema __Type __TypeKind __Field __InputValue __EnumValue __Directive __DirectiveLocation\n"},
    {"type Query { a: Int } extend type Query { b: String } extend type Query implements I { c: Int } interface I { c: Int }\n",
     "OK: Query Int String I Boolean __Schema __Type __TypeKind __Field __InputValue __EnumValue __Directive __DirectiveLocation\n"},
    {"type Query { a: U } union U = A | B extend union U = C type A { a: Int } type B { b: Int } type C { c: Int }\n",
     "OK: Query U A Int B C Boolean String __Schema __Type __TypeKind __Field __InputValue __EnumValue __Directive __DirectiveLocation\n"},
    {"type Query { a: I } interface I { a: Int } type Z implements I { a: Int } type A implements I { a: Int } interface J implements I { a: Int } type M implements J & I { a: Int }\n",
     "OK: Query I Int Z A J M Boolean String __Schema __Type __TypeKind __Field __InputValue __EnumValue __Directive __DirectiveLocation\n"},
    {"type Query { abcd: Abcde }\ntype Abcdf { a: Int } type Abcdg { a: Int } type Abdce { a: Int } type Abc { a: Int } type Bbcde { a: Int } type abcde { a: Int } type ABCDE { a: Int }\n",
     "Unknown type \"Abcde\". Did you mean \"ABCDE\", \"Abcdf\", \"Abcdg\", \"Abdce\", or \"Bbcde\"? @ 1:20\n"},
    {"type Query { a: S1 b: s c: Flaot d: Strng e: Boolena f: __typ g: __Tipe }\ntype S10 { a: Int } type S2 { a: Int } type S01 { a: Int }\n",
     "Unknown type \"S1\". Did you mean \"S01\", \"S2\", or \"S10\"? @ 1:17\nUnknown type \"s\". Did you mean \"S2\"? @ 1:23\nUnknown type \"Flaot\". Did you mean \"Float\"? @ 1:28\nUnknown type \"Strng\". Did you mean \"String\"? @ 1:37\nUnknown type \"Boolena\". Did you mean \"Boolean\"? @ 1:46\nUnknown type \"__typ\". Did you mean \"__Type\"? @ 1:57\nUnknown type \"__Tipe\". Did you mean \"__Type\"? @ 1:66\n"},
    {"extend type Qurey { a: Int } type Query { a: Int }\n",
     "Cannot extend type \"Qurey\" because it is not defined. Did you mean \"Query\"? @ 1:13\n"},
    {"directive @dd(alpha: Int, beta: Int, alphas: Int, gamma: Int) on FIELD_DEFINITION\ntype Query { a: Int @dd(alpah: 1, bet: 2, x: 3) @deprecated(reson: \"x\") }\n",
     "Unknown argument \"alpah\" on directive \"@dd\". Did you mean \"alpha\" or \"alphas\"? @ 2:25\nUnknown argument \"bet\" on directive \"@dd\". Did you mean \"beta\"? @ 2:35\nUnknown argument \"x\" on directive \"@dd\". @ 2:43\nUnknown argument \"reson\" on directive \"@deprecated\". Did you mean \"reason\"? @ 2:61\n"},
    {"query Q($a: String, $b: Query) { x } type Query { x: Int }\n",
     "Unknown type \"String\". @ 1:13\n"},
    {"type Query { a: }\n",
     "Syntax Error: Expected Name, found \"}\". @ 1:17\n"},
    {"type Query { a: Int } type Query\n",
     "There can be only one type named \"Query\". @ 1:6 1:28\n"},
    {"\"é😀 description\" type Query { a: Int } \"😀\" type Query { b: Int }\n",
     "There can be only one type named \"Query\". @ 1:24 1:51\n"},
    {"enum E { true }\n",
     "Syntax Error: Name \"true\" is reserved and cannot be used for an enum value. @ 1:10\n"},
    {"input A { b: A = {} } type Query { a(x: A): Int }\n",
     "Maximum call stack size exceeded\n"},
    {"{ a }\n",
     "Query root type must be provided.\n"},
    {"query Q { a }\n",
     "Query root type must be provided.\n"},
    {"directive @d on FIELD\n",
     "Query root type must be provided.\n"},
    {"scalar S extend scalar S @specifiedBy(url: \"x\") input I { a: Int } extend input I @oneOf type Query { s: S i(x: I): Int }\n",
     "OK: S I Int Query Boolean String __Schema __Type __TypeKind __Field __InputValue __EnumValue __Directive __DirectiveLocation\n"},
    {"type Query { a: Int @deprecated(reason: \"\"\"block\n  reason\"\"\") b: E } enum E { A @deprecated(reason: \"\") }\n",
     "OK: Query Int E Boolean String __Schema __Type __TypeKind __Field __InputValue __EnumValue __Directive __DirectiveLocation\n"},
    {"type Query { a(x: String = \"\"\"x\"\"\", y: [Int] = 1, z: [[Int]] = [1], w: [Int!] = [null]): Int }\n",
     "OK: Query Int String Boolean __Schema __Type __TypeKind __Field __InputValue __EnumValue __Directive __DirectiveLocation\n"},
    {"type Query { a(x: ID = -12, y: Float = -1.5e3, z: Boolean = false, e: E = null, f: E! = null): Int } enum E { A }\n",
     "OK: Query Int ID Float Boolean E String __Schema __Type __TypeKind __Field __InputValue __EnumValue __Directive __DirectiveLocation\n"},
    {"extend type Subscription { \"desc\" b: Boolean @oneOf }\ntype B { a(c: In, b: [__Schema]!, b: [Query]!): [Float]! @r @oneOf a: __Type __f(c: [In] @include(if: true)): A }\nscalar B @include(if: true)\ntype J { a: [Float!]! }\nenum S { A B C }\n",
     "Cannot extend type \"Subscription\" because it is not defined. @ 1:13\nDirective \"@oneOf\" may not be used on FIELD_DEFINITION. @ 1:46\nField \"B.a\" can only be defined once. @ 2:10 2:68\nArgument \"B.a(b:)\" can only be defined once. @ 2:19 2:35\nUnknown type \"In\". Did you mean \"ID\" or \"Int\"? @ 2:15\nUnknown type \"Query\". @ 2:39\nUnknown directive \"@r\". @ 2:58\nDirective \"@oneOf\" may not be used on FIELD_DEFINITION. @ 2:61\nUnknown type \"In\". Did you mean \"ID\" or \"Int\"? @ 2:86\nDirective \"@include\" may not be used on ARGUMENT_DEFINITION. @ 2:90\nUnknown type \"A\". Did you mean \"B\", \"J\", or \"S\"? @ 2:111\nThere can be only one type named \"B\". @ 2:6 3:8\nDirective \"@include\" may not be used on SCALAR. @ 3:10\n"},
    {"enum C { A B __D }\ntype Subscription @oneOf { b: Float a: Float __f(c: String, a: D!, __z: [Nope] @r): B \"desc\" a(b: In!): In }\ntype Query { q: ID }\n",
     "Field \"Subscription.a\" can only be defined once. @ 2:37 2:94\nDirective \"@oneOf\" may not be used on OBJECT. @ 2:19\nUnknown type \"D\". Did you mean \"C\" or \"ID\"? @ 2:64\nUnknown type \"Nope\". @ 2:74\nUnknown directive \"@r\". @ 2:80\nUnknown type \"B\". Did you mean \"C\"? @ 2:85\nUnknown type \"In\". Did you mean \"ID\" or \"Int\"? @ 2:99\nUnknown type \"In\". Did you mean \"ID\" or \"Int\"? @ 2:105\n"},
    {"type S { b: [__Type] c: [S] @x }\ntype E implements A { id: String! @r @r a: [Subscription] }\ninterface Mutation @deprecated(reason: \"r\") { __f(__z: D, c: [D]): [Query]! a(c: Subscription! @specifiedBy(url: \"u\"), __z: [C!]!): [Subscription] id: In2! }\nscalar S\ntype String implements I & J { b: [__X]! b: Float! @deprecated(reason: 1) @deprecated @specifiedBy(url: \"u\") c: [S] }\n",
     "Unknown directive \"@x\". @ 1:29\nUnknown type \"A\". Did you mean \"E\" or \"S\"? @ 2:19\nUnknown directive \"@r\". @ 2:35\nUnknown directive \"@r\". @ 2:38\nUnknown type \"Subscription\". @ 2:45\nDirective \"@deprecated\" may not be used on INTERFACE. @ 3:20\nUnknown type \"D\". Did you mean \"E\", \"ID\", or \"S\"? @ 3:56\nUnknown type \"D\". Did you mean \"E\", \"ID\", or \"S\"? @ 3:63\nUnknown type \"Query\". @ 3:69\nUnknown type \"Subscription\". @ 3:82\nDirective \"@specifiedBy\" may not be used on ARGUMENT_DEFINITION. @ 3:96\nUnknown type \"C\". Did you mean \"E\" or \"S\"? @ 3:126\nUnknown type \"Subscription\". @ 3:134\nUnknown type \"In2\". Did you mean \"Int\" or \"ID\"? @ 3:152\nThere can be only one type named \"S\". @ 1:6 4:8\nField \"String.b\" can only be defined once. @ 5:32 5:42\nUnknown type \"I\". Did you mean \"E\", \"ID\", or \"S\"? @ 5:24\nUnknown type \"J\". Did you mean \"E\" or \"S\"? @ 5:28\nUnknown type \"__X\". @ 5:36\nThe directive \"@deprecated\" can only be used once at this location. @ 5:52 5:75\nDirective \"@specifiedBy\" may not be used on FIELD_DEFINITION. @ 5:87\n"},
    {"input J { a: [[In2]]! id: In @oneOf \"desc\" a: In! = A }\ntype A implements Query { __f: [Nope]! \"desc\" b: I a: __Type }\n",
     "Field \"J.a\" can only be defined once. @ 1:11 1:44\nUnknown type \"In2\". Did you mean \"Int\" or \"ID\"? @ 1:16\nUnknown type \"In\". Did you mean \"ID\" or \"Int\"? @ 1:27\nDirective \"@oneOf\" may not be used on INPUT_FIELD_DEFINITION. @ 1:30\nUnknown type \"In\". Did you mean \"ID\" or \"Int\"? @ 1:47\nUnknown type \"Query\". @ 2:19\nUnknown type \"Nope\". @ 2:33\nUnknown type \"I\". Did you mean \"A\", \"ID\", or \"J\"? @ 2:50\n"},
    {"type String implements J { c(b: [Float]! @deprecated): [S]! \"desc\" c(c: [__Type], b: [In2]! = {a: 1}, b: __Type): [Boolean!]! }\ninput A { __f: [E] a: [E] b: String @deprecated(reason: 1) a: In = [1] }\ntype I { \"desc\" a: __Type }\ninput J\nenum E { A B A }\n",
     "Field \"String.c\" can only be defined once. @ 1:28 1:68\nArgument \"String.c(b:)\" can only be defined once. @ 1:83 1:103\nUnknown type \"S\". Did you mean \"A\", \"E\", \"I\", or \"J\"? @ 1:57\nUnknown type \"In2\". Did you mean \"Int\", \"I\", or \"ID\"? @ 1:87\nField \"A.a\" can only be defined once. @ 2:20 2:60\nUnknown type \"In\". Did you mean \"I\", \"ID\", or \"Int\"? @ 2:63\nEnum value \"E.A\" can only be defined once. @ 5:10 5:14\n"},
    {"input J { a: In @d @d(a: 1) \"desc\" __f: [[S]!]! @deprecated __f: [Int]! @deprecated(reason: 1) @r }\nenum Int { A B C }\ntype Query { q: E }\n",
     "Field \"J.__f\" can only be defined once. @ 1:36 1:61\nUnknown type \"In\". Did you mean \"ID\" or \"Int\"? @ 1:14\nUnknown directive \"@d\". @ 1:17\nUnknown directive \"@d\". @ 1:20\nUnknown type \"S\". Did you mean \"J\"? @ 1:43\nUnknown directive \"@r\". @ 1:96\nUnknown type \"E\". Did you mean \"J\"? @ 3:17\n"},
    {"type U implements Query & Query @x\nextend type D { a(a: [Int!]!, __z: __Schema! = [1]): S c: __X c: E \"desc\" id: __X }\ninterface D implements I { id: [J]! }\nunion Mutation = Subscription | __X\ntype A implements I\ntype U implements Query & J { c(c: Boolean, __z: [[Float]]! = [1], a: [B]): [In] a(b: Boolean @d(a: 1), a: __Schema!): [__Schema] @include(if: true) @r }\ntype Query { q: D }\n",
     "Unknown directive \"@x\". @ 1:33\nField \"D.c\" can only be defined once. @ 2:56 2:63\nCannot extend non-object type \"D\". @ 3:1 2:1\nUnknown type \"S\". Did you mean \"A\", \"D\", or \"U\"? @ 2:54\nUnknown type \"__X\". @ 2:59\nUnknown type \"E\". Did you mean \"A\", \"D\", or \"U\"? @ 2:66\nUnknown type \"__X\". @ 2:79\nField \"D.id\" can only be defined once. @ 2:75 3:28\nUnknown type \"I\". Did you mean \"A\", \"D\", \"ID\", or \"U\"? @ 3:24\nUnknown type \"J\". Did you mean \"A\", \"D\", or \"U\"? @ 3:33\nUnknown type \"Subscription\". @ 4:18\nUnknown type \"__X\". @ 4:33\nUnknown type \"I\". Did you mean \"A\", \"D\", \"ID\", or \"U\"? @ 5:19\nThere can be only one type named \"U\". @ 1:6 6:6\nUnknown type \"J\". Did you mean \"A\", \"D\", or \"U\"? @ 6:27\nUnknown type \"B\". Did you mean \"A\", \"D\", or \"U\"? @ 6:72\nUnknown type \"In\". Did you mean \"ID\" or \"Int\"? @ 6:78\nUnknown directive \"@d\". @ 6:95\nDirective \"@include\" may not be used on FIELD_DEFINITION. @ 6:131\nUnknown directive \"@r\". @ 6:150\n"},
    {"extend input B @oneOf { c: [Int]! \"desc\" a: [B]! }\ntype B { __f: E c: String id: A c: [Nope]! }\ntype Query { q: String! }\n",
     "Cannot extend non-input object type \"B\". @ 2:1 1:1\nField \"B.c\" can only be defined once. @ 1:25 2:17\nField \"B.c\" can only be defined once. @ 1:25 2:33\nUnknown type \"E\". Did you mean \"B\"? @ 2:15\nUnknown type \"A\". Did you mean \"B\"? @ 2:31\nUnknown type \"Nope\". @ 2:37\n"},
    {"type A { a(b: Float): [Mutation] @deprecated(reason: \"r\") c: C! __f: Float }\ninput D @include(if: true) { __f: Mutation }\nunion Int\ntype String { b: Int \"desc\" b: A __f(__z: In): String c: In }\nunion In = E | E\ntype D implements A & A @include(if: true) @deprecated { \"desc\" __f: Query }\ntype Query { q: [ID] }\n",
     "Unknown type \"Mutation\". @ 1:24\nUnknown type \"C\". Did you mean \"A\" or \"D\"? @ 1:62\nDirective \"@include\" may not be used on INPUT_OBJECT. @ 2:9\nUnknown type \"Mutation\". @ 2:35\nField \"String.b\" can only be defined once. @ 4:15 4:29\nUnknown type \"E\". Did you mean \"A\" or \"D\"? @ 5:12\nUnknown type \"E\". Did you mean \"A\" or \"D\"? @ 5:16\nThere can be only one type named \"D\". @ 2:7 6:6\nField \"D.__f\" can only be defined once. @ 2:30 6:65\nThe directive \"@include\" can only be used once at this location. @ 2:9 6:25\nDirective \"@include\" may not be used on OBJECT. @ 6:25\nDirective \"@deprecated\" may not be used on OBJECT. @ 6:44\n"},
    {"scalar Query\ninterface B implements A & Query { a: [Nope]! @d(a: 1) }\n",
     "Unknown type \"A\". Did you mean \"B\"? @ 2:24\nUnknown type \"Nope\". @ 2:40\nUnknown directive \"@d\". @ 2:47\n"},
    {"interface __X { \"desc\" id(__z: In2!, __z: B): [In2!]! @deprecated(reason: 1) a: [[ID]!]! a: String a: [Subscription] }\ninterface J @deprecated { \"desc\" __f: E }\ninput Int\nenum In2 { A B C }\nenum In\nscalar Query\n",
     "Field \"__X.a\" can only be defined once. @ 1:78 1:90\nField \"__X.a\" can only be defined once. @ 1:78 1:100\nArgument \"__X.id(__z:)\" can only be defined once. @ 1:27 1:38\nUnknown type \"B\". Did you mean \"J\"? @ 1:43\nUnknown type \"Subscription\". @ 1:104\nDirective \"@deprecated\" may not be used on INTERFACE. @ 2:13\nUnknown type \"E\". Did you mean \"J\"? @ 2:39\n"},
    {"directive @deprecated on FIELD_DEFINITION\nextend schema { query: Mutation mutation: Subscription }\nextend schema @x { query: A mutation: I }\ntype Query { q: [Boolean]! }\n",
     "Unknown type \"Mutation\". @ 2:24\nUnknown type \"Subscription\". @ 2:43\nThere can be only one query type in schema. @ 2:17 3:20\nThere can be only one mutation type in schema. @ 2:33 3:29\nUnknown directive \"@x\". @ 3:15\nUnknown type \"A\". @ 3:27\nUnknown type \"I\". Did you mean \"ID\"? @ 3:39\n"},
    {"interface J { \"desc\" __f: E! c(c: Int, a: [B]): D! b(c: ID = \"s\", b: [B], __z: Boolean): Int b: Boolean! }\ntype J { a: ID b: Float! }\ntype A @oneOf @d(a: 1) { \"desc\" __f: [A] \"desc\" __f: [Int]! c: Nope! }\ntype S implements J { a: J __f(c: Float @oneOf): String b: D @deprecated id(a: __Schema): Mutation! }\ntype __X implements Query { a: __X id: A }\ntype Subscription implements Query { id(a: B = \"s\", a: Query!, c: [[Boolean]]! = \"s\" @include(if: true)): Nope }\ntype Query { q: [Subscription] }\n",
     "Field \"J.b\" can only be defined once. @ 1:52 1:94\nUnknown type \"E\". Did you mean \"A\", \"J\", or \"S\"? @ 1:27\nUnknown type \"B\". Did you mean \"A\", \"J\", or \"S\"? @ 1:44\nUnknown type \"D\". Did you mean \"A\", \"ID\", \"J\", or \"S\"? @ 1:49\nUnknown type \"B\". Did you mean \"A\", \"J\", or \"S\"? @ 1:71\nThere can be only one type named \"J\". @ 1:11 2:6\nField \"J.b\" can only be defined once. @ 1:52 2:16\nField \"A.__f\" can only be defined once. @ 3:33 3:49\nDirective \"@oneOf\" may not be used on OBJECT. @ 3:8\nUnknown directive \"@d\". @ 3:15\nUnknown type \"Nope\". @ 3:64\nDirective \"@oneOf\" may not be used on ARGUMENT_DEFINITION. @ 4:41\nUnknown type \"D\". Did you mean \"A\", \"ID\", \"J\", or \"S\"? @ 4:60\nUnknown type \"Mutation\". @ 4:91\nArgument \"Subscription.id(a:)\" can only be defined once. @ 6:41 6:53\nUnknown type \"B\". Did you mean \"A\", \"J\", or \"S\"? @ 6:44\nDirective \"@include\" may not be used on ARGUMENT_DEFINITION. @ 6:86\nUnknown type \"Nope\". @ 6:107\n"},
    {"schema { query: E mutation: U }\nenum Subscription { A B C }\nscalar Query\n",
     "Unknown type \"E\". @ 1:17\nUnknown type \"U\". @ 1:29\n"},
    {"interface U { c: [String] __f: Int b: Nope! }\nschema { query: A }\ntype I { c: [String] __f: Nope! __f: E @include(if: true) @r }\nunion String = U | I\ninterface A { c: __X id: Int! @include(if: true) b: [Nope] }\nunion U = B | String\ntype Query { q: C! }\n",
     "Unknown type \"Nope\". @ 1:39\nField \"I.__f\" can only be defined once. @ 3:22 3:33\nUnknown type \"Nope\". @ 3:27\nUnknown type \"E\". Did you mean \"A\", \"I\", or \"U\"? @ 3:38\nDirective \"@include\" may not be used on FIELD_DEFINITION. @ 3:40\nUnknown directive \"@r\". @ 3:59\nUnknown type \"__X\". @ 5:18\nDirective \"@include\" may not be used on FIELD_DEFINITION. @ 5:31\nUnknown type \"Nope\". @ 5:54\nThere can be only one type named \"U\". @ 1:11 6:7\nUnknown type \"B\". Did you mean \"A\", \"I\", or \"U\"? @ 6:11\nUnknown type \"C\". Did you mean \"A\", \"I\", or \"U\"? @ 7:17\n"},
    {"extend schema { query: In mutation: S }\nextend schema { query: In }\ninterface Subscription { a(b: A = true): [Subscription] __f(c: Int! @deprecated(reason: \"r\"), a: D = true): [[__Schema]!]! }\ntype Query { q: In2! }\n",
     "Unknown type \"In\". Did you mean \"ID\" or \"Int\"? @ 1:24\nUnknown type \"S\". @ 1:37\nThere can be only one query type in schema. @ 1:17 2:17\nUnknown type \"In\". Did you mean \"ID\" or \"Int\"? @ 2:24\nUnknown type \"A\". @ 3:31\nUnknown type \"D\". Did you mean \"ID\"? @ 3:98\nUnknown type \"In2\". Did you mean \"Int\" or \"ID\"? @ 4:17\n"},
    {"extend union A = In | In2\ntype String implements I { \"desc\" id: [D]! }\nenum In2 { A B __D }\nunion A = In2 | C\nextend schema { query: In }\nextend interface S { \"desc\" a(b: I! = A, __z: __Schema @x, c: C @x): __Type id(a: __Type!, b: [__X]): In c: U }\ntype S { a(__z: Boolean! = 1.5, a: Mutation = null @deprecated(reason: \"r\")): Float id: __X! }\n",
     "Unknown type \"In\". Did you mean \"ID\", \"In2\", or \"Int\"? @ 1:18\nUnknown type \"I\". Did you mean \"A\", \"ID\", or \"S\"? @ 2:24\nUnknown type \"D\". Did you mean \"A\", \"ID\", or \"S\"? @ 2:40\nUnknown type \"C\". Did you mean \"A\" or \"S\"? @ 4:17\nUnknown type \"In\". Did you mean \"ID\", \"In2\", or \"Int\"? @ 5:24\nCannot extend non-interface type \"S\". @ 7:1 6:1\nUnknown type \"I\". Did you mean \"A\", \"ID\", or \"S\"? @ 6:34\nUnknown directive \"@x\". @ 6:56\nUnknown type \"C\". Did you mean \"A\" or \"S\"? @ 6:63\nUnknown directive \"@x\". @ 6:65\nUnknown type \"__X\". @ 6:96\nUnknown type \"In\". Did you mean \"ID\", \"In2\", or \"Int\"? @ 6:103\nUnknown type \"U\". Did you mean \"A\" or \"S\"? @ 6:109\nField \"S.a\" can only be defined once. @ 6:29 7:10\nField \"S.id\" can only be defined once. @ 6:77 7:85\nUnknown type \"Mutation\". @ 7:36\nUnknown type \"__X\". @ 7:89\n"},
    {"type Query { c(__z: String = [1] @x, b: [Nope]!): __X! }\nextend interface C implements Query { b: __Schema }\ninput Int { b: ID = [1] @deprecated b: __Type id: A b: Int }\ntype Query { q: __Type }\n",
     "Unknown directive \"@x\". @ 1:34\nUnknown type \"Nope\". @ 1:42\nUnknown type \"__X\". @ 1:51\nCannot extend type \"C\" because it is not defined. @ 2:18\nField \"Int.b\" can only be defined once. @ 3:13 3:37\nField \"Int.b\" can only be defined once. @ 3:13 3:53\nUnknown type \"A\". @ 3:51\nThere can be only one type named \"Query\". @ 1:6 4:6\n"},
    {"union __X = Int | D\ntype U { id(c: [A] = {}): ID! id: E b(b: String! = [1], b: String! @oneOf, a: [B] @deprecated(reason: \"r\")): __X @deprecated(reason: \"r\") @r }\ninterface U implements J & Query { id: Int b(b: [Mutation]!, b: J @d(a: 1) @include(if: true), a: Int = null @deprecated): J! \"desc\" __f: [Boolean] }\ntype A { c(c: Float @oneOf, c: I = true, b: J!): A @deprecated(reason: \"r\") }\nunion String = __X | __X\ntype __X implements A { c: Nope }\nscalar S @x\ntype Query { q: __Schema }\n",
     "Unknown type \"D\". Did you mean \"A\", \"ID\", \"S\", or \"U\"? @ 1:19\nField \"U.id\" can only be defined once. @ 2:10 2:31\nArgument \"U.b(b:)\" can only be defined once. @ 2:39 2:57\nUnknown type \"E\". Did you mean \"A\", \"S\", or \"U\"? @ 2:35\nDirective \"@oneOf\" may not be used on ARGUMENT_DEFINITION. @ 2:68\nUnknown type \"B\". Did you mean \"A\", \"S\", or \"U\"? @ 2:80\nUnknown directive \"@r\". @ 2:139\nThere can be only one type named \"U\". @ 2:6 3:11\nField \"U.id\" can only be defined once. @ 2:10 3:36\nField \"U.b\" can only be defined once. @ 2:37 3:44\nArgument \"U.b(b:)\" can only be defined once. @ 3:46 3:62\nUnknown type \"J\". Did you mean \"A\", \"S\", or \"U\"? @ 3:24\nUnknown type \"Mutation\". @ 3:50\nUnknown type \"J\". Did you mean \"A\", \"S\", or \"U\"? @ 3:65\nUnknown directive \"@d\". @ 3:67\nDirective \"@include\" may not be used on ARGUMENT_DEFINITION. @ 3:76\nUnknown type \"J\". Did you mean \"A\", \"S\", or \"U\"? @ 3:124\nArgument \"A.c(c:)\" can only be defined once. @ 4:12 4:29\nDirective \"@oneOf\" may not be used on ARGUMENT_DEFINITION. @ 4:21\nUnknown type \"I\". Did you mean \"A\", \"ID\", \"S\", or \"U\"? @ 4:32\nUnknown type \"J\". Did you mean \"A\", \"S\", or \"U\"? @ 4:45\nThere can be only one type named \"__X\". @ 1:7 6:6\nUnknown type \"Nope\". @ 6:28\nUnknown directive \"@x\". @ 7:10\n"},
    {"type In implements Query { b(c: Float): [Query] }\nextend schema @r { query: A }\ndirective @deprecated(a: [Nope] = {a: 1}, c: [String]! = {a: 1}, __z: A! @deprecated @oneOf) on FIELD_DEFINITION\ntype Query { q: [Int]! }\n",
     "Unknown directive \"@r\". @ 2:15\nUnknown type \"A\". @ 2:27\nUnknown type \"Nope\". @ 3:27\nUnknown type \"A\". @ 3:71\nDirective \"@deprecated\" may not be used on ARGUMENT_DEFINITION. @ 3:74\nDirective \"@deprecated\" argument \"__z\" of type \"A!\" is required, but it was not provided. @ 3:74\nDirective \"@oneOf\" may not be used on ARGUMENT_DEFINITION. @ 3:86\n"},
    {"union J = Mutation | String\nenum J { A B C }\ntype E { b(b: [A]!, b: Subscription!): __Schema @x __f: U \"desc\" __f: [B]! __f(a: [Int]! @r @deprecated, c: [In], c: [Int] = \"s\"): B! }\nscalar A\ninterface D { id: [Int]! __f: S a: ID __f: [Subscription] }\ntype Mutation { a: __Schema! \"desc\" a: U c(c: Mutation): D b(c: [__Schema]! = \"s\", a: [In2] = null, c: __Schema = 1.5): [C]! }\ntype S implements A { a(b: Int!, c: [S], __z: __X! = 1): [In] b: [[Boolean]]! }\ntype Query { q: [A] }\n",
     "There can be only one type named \"J\". @ 1:7 2:6\nField \"E.__f\" can only be defined once. @ 3:52 3:66\nField \"E.__f\" can only be defined once. @ 3:52 3:76\nArgument \"E.b(b:)\" can only be defined once. @ 3:12 3:21\nArgument \"E.__f(c:)\" can only be defined once. @ 3:106 3:115\nUnknown type \"Subscription\". @ 3:24\nUnknown directive \"@x\". @ 3:49\nUnknown type \"U\". Did you mean \"A\", \"D\", \"E\", \"J\", or \"S\"? @ 3:57\nUnknown type \"B\". Did you mean \"A\", \"D\", \"E\", \"J\", or \"S\"? @ 3:72\nUnknown directive \"@r\". @ 3:90\nUnknown type \"In\". Did you mean \"ID\" or \"Int\"? @ 3:110\nUnknown type \"B\". Did you mean \"A\", \"D\", \"E\", \"J\", or \"S\"? @ 3:132\nField \"D.__f\" can only be defined once. @ 5:26 5:39\nUnknown type \"Subscription\". @ 5:45\nField \"Mutation.a\" can only be defined once. @ 6:17 6:37\nArgument \"Mutation.b(c:)\" can only be defined once. @ 6:62 6:101\nUnknown type \"U\". Did you mean \"A\", \"D\", \"E\", \"J\", or \"S\"? @ 6:40\nUnknown type \"In2\". Did you mean \"Int\" or \"ID\"? @ 6:88\nUnknown type \"C\". Did you mean \"A\", \"D\", \"E\", \"J\", or \"S\"? @ 6:122\nUnknown type \"__X\". @ 7:47\nUnknown type \"In\". Did you mean \"ID\" or \"Int\"? @ 7:59\n"},
    {"extend type C implements J & J { \"desc\" c: In b(b: D, a: A, __z: I @d(a: 1) @r): ID b: [ID]! }\nextend input In2 { a: Float! = [1] b: Mutation! @r b: [[String]]! c: In }\nscalar E @deprecated(reason: \"r\")\ntype Query { a: S! \"desc\" id(c: [__Schema], b: [Mutation], c: [In2]!): ID a: [String] }\n",
     "Field \"C.b\" can only be defined once. @ 1:47 1:85\nCannot extend type \"C\" because it is not defined. Did you mean \"E\"? @ 1:13\nUnknown type \"J\". Did you mean \"E\"? @ 1:26\nUnknown type \"J\". Did you mean \"E\"? @ 1:30\nUnknown type \"In\". Did you mean \"ID\" or \"Int\"? @ 1:44\nUnknown type \"D\". Did you mean \"E\" or \"ID\"? @ 1:52\nUnknown type \"A\". Did you mean \"E\"? @ 1:58\nUnknown type \"I\". Did you mean \"E\" or \"ID\"? @ 1:66\nUnknown directive \"@d\". @ 1:68\nUnknown directive \"@r\". @ 1:77\nField \"In2.b\" can only be defined once. @ 2:36 2:52\nCannot extend type \"In2\" because it is not defined. @ 2:14\nUnknown type \"Mutation\". @ 2:39\nUnknown directive \"@r\". @ 2:49\nUnknown type \"In\". Did you mean \"ID\" or \"Int\"? @ 2:70\nDirective \"@deprecated\" may not be used on SCALAR. @ 3:10\nField \"Query.a\" can only be defined once. @ 4:14 4:75\nArgument \"Query.id(c:)\" can only be defined once. @ 4:30 4:60\nUnknown type \"S\". Did you mean \"E\"? @ 4:17\nUnknown type \"Mutation\". @ 4:49\nUnknown type \"In2\". Did you mean \"Int\" or \"ID\"? @ 4:64\n"},
    {"extend enum Subscription\ninput C { \"desc\" a: String! id: Int @r }\nunion E = C | E\ndirective @deprecated(c: Float = {}, b: [__Type], a: U @d) repeatable on INPUT_OBJECT | INPUT_FIELD_DEFINITION\ntype E { \"desc\" b: Boolean! id: Int! __f(c: In2, b: Nope!): Mutation! }\ninput S { b: [S]! = {a: 1} }\nunion String = J | I\ntype Query { q: In! }\n",
     "Syntax Error: Unexpected Name \"input\". @ 2:1\n"},
    {"extend type A { b(b: C, c: __Schema, a: [D]!): U @r \"desc\" c: Int b: [Nope] @specifiedBy(url: \"u\") }\nextend enum In2\ntype String implements I & Query { \"desc\" id: __X }\ninterface In2 implements J & J { id: Mutation \"desc\" id: ID c(a: U = true, c: [I]!): Nope c: Boolean @deprecated(reason: 1) }\ntype Query { q: Int }\n",
     "Syntax Error: Unexpected Name \"type\". @ 3:1\n"},
    {"enum S { A B A }\nenum __X @deprecated(reason: \"r\") @r @deprecated(reason: \"r\")\ntype A\nextend schema { query: In mutation: C }\nenum __X @deprecated { A B __D }\ntype Mutation implements Query & I { b: S b: A __f: [Boolean]! @deprecated(reason: \"r\") }\ndirective @x(b: Int = [1], __z: __Type) repeatable on OBJECT | FIELD_DEFINITION\ntype Query { q: [Nope]! }\n",
     "Enum value \"S.A\" can only be defined once. @ 1:10 1:14\nThe directive \"@deprecated\" can only be used once at this location. @ 2:10 2:38\nDirective \"@deprecated\" may not be used on ENUM. @ 2:10\nUnknown directive \"@r\". @ 2:35\nDirective \"@deprecated\" may not be used on ENUM. @ 2:38\nUnknown type \"In\". Did you mean \"ID\" or \"Int\"? @ 4:24\nUnknown type \"C\". Did you mean \"A\" or \"S\"? @ 4:37\nThere can be only one type named \"__X\". @ 2:6 5:6\nThe directive \"@deprecated\" can only be used once at this location. @ 2:10 5:10\nDirective \"@deprecated\" may not be used on ENUM. @ 5:10\nField \"Mutation.b\" can only be defined once. @ 6:38 6:43\nUnknown type \"I\". Did you mean \"A\", \"ID\", or \"S\"? @ 6:34\nUnknown type \"Nope\". @ 8:18\n"},
    {"type __X { __f: Subscription __f: [Int] a: [J] c(__z: C = 1.5, c: String = \"s\", a: [Subscription]!): [A]! }\ndirective @d(__z: J! = {}, b: [U] = {a: 1}) repeatable on FIELD_DEFINITION\ntype J { __f(a: ID @oneOf, b: [Mutation] = true, c: [[Mutation]]! = \"s\"): ID! \"desc\" a(b: [C]!, a: __Type, c: __Type = A): [Nope]! \"desc\" b(b: B!, a: [Query!]! = null, c: [J] @d(a: 1)): __X! }\nunion I = S | Query\ntype Query { q: __Schema! }\n",
     "Field \"__X.__f\" can only be defined once. @ 1:12 1:30\nUnknown type \"Subscription\". @ 1:17\nUnknown type \"C\". Did you mean \"I\" or \"J\"? @ 1:55\nUnknown type \"Subscription\". @ 1:85\nUnknown type \"A\". Did you mean \"I\" or \"J\"? @ 1:103\nUnknown type \"U\". Did you mean \"I\" or \"J\"? @ 2:32\nDirective \"@oneOf\" may not be used on ARGUMENT_DEFINITION. @ 3:20\nUnknown type \"Mutation\". @ 3:32\nUnknown type \"Mutation\". @ 3:55\nUnknown type \"C\". Did you mean \"I\" or \"J\"? @ 3:92\nUnknown type \"Nope\". @ 3:125\nUnknown type \"B\". Did you mean \"I\" or \"J\"? @ 3:144\nDirective \"@d\" may not be used on ARGUMENT_DEFINITION. @ 3:176\nUnknown argument \"a\" on directive \"@d\". Did you mean \"b\"? @ 3:179\nUnknown type \"S\". Did you mean \"I\" or \"J\"? @ 4:11\n"},
    {"extend input String { b: [C] = A c: ID }\nenum E { A B A }\ninput I @include(if: true) @oneOf { \"desc\" b: [String] }\nenum Subscription { A B C }\nunion E = A | B\ninterface J { c: [Boolean] @d __f(a: Float = null @x): C }\nscalar A\nextend interface E implements J & I { \"desc\" b: I }\ntype Query { q: A }\n",
     "Cannot extend type \"String\" because it is not defined. @ 1:14\nUnknown type \"C\". Did you mean \"A\", \"E\", \"I\", or \"J\"? @ 1:27\nEnum value \"E.A\" can only be defined once. @ 2:10 2:14\nDirective \"@include\" may not be used on INPUT_OBJECT. @ 3:9\nThere can be only one type named \"E\". @ 2:6 5:7\nUnknown type \"B\". Did you mean \"A\", \"E\", \"I\", or \"J\"? @ 5:15\nUnknown directive \"@d\". @ 6:28\nUnknown directive \"@x\". @ 6:51\nUnknown type \"C\". Did you mean \"A\", \"E\", \"I\", or \"J\"? @ 6:56\nCannot extend non-interface type \"E\". @ 5:1 8:1\n"},
    {"type J { a: Mutation id(__z: __X = 1.5, b: Nope = 1, b: [B!]! = A): Boolean! @include(if: true) \"desc\" b: I b(a: Nope = {a: 1}, b: [String]!): In! }\ntype In implements J & Query { \"desc\" id(c: J!, b: Query = {a: 1} @specifiedBy(url: \"u\"), b: Subscription): [E!]! b: [Boolean] __f(c: I, __z: __Schema): [Boolean] id(__z: Query! = {}, b: [In2]!): U! }\nenum U { A B __D }\ninput U { b: Float! \"desc\" id: [J]! = [1] __f: [Boolean]! @deprecated(reason: 1) }\n",
     "Field \"J.b\" can only be defined once. @ 1:104 1:109\nArgument \"J.id(b:)\" can only be defined once. @ 1:41 1:54\nUnknown type \"Mutation\". @ 1:13\nUnknown type \"__X\". @ 1:30\nUnknown type \"Nope\". @ 1:44\nUnknown type \"B\". Did you mean \"J\" or \"U\"? @ 1:58\nDirective \"@include\" may not be used on FIELD_DEFINITION. @ 1:78\nUnknown type \"I\". Did you mean \"ID\", \"In\", \"J\", or \"U\"? @ 1:107\nUnknown type \"Nope\". @ 1:114\nField \"In.id\" can only be defined once. @ 2:39 2:164\nArgument \"In.id(b:)\" can only be defined once. @ 2:49 2:91\nUnknown type \"Query\". @ 2:24\nUnknown type \"Query\". @ 2:52\nDirective \"@specifiedBy\" may not be used on ARGUMENT_DEFINITION. @ 2:67\nUnknown type \"Subscription\". @ 2:94\nUnknown type \"E\". Did you mean \"J\" or \"U\"? @ 2:110\nUnknown type \"I\". Did you mean \"ID\", \"In\", \"J\", or \"U\"? @ 2:135\nUnknown type \"Query\". @ 2:172\nUnknown type \"In2\". Did you mean \"In\", \"Int\", or \"ID\"? @ 2:189\nThere can be only one type named \"U\". @ 3:6 4:7\n"},
    {"input U @include(if: true) @x { \"desc\" c: Boolean! = A c: __Type! id: [__X] }\ninput D { c: String! @specifiedBy(url: \"u\") __f: I @oneOf __f: C id: [[S]!]! }\nextend enum D\ntype C implements J { __f: Int c(b: [D], c: [In] = null): Nope! }\ninput String { b: E = {a: {}} }\nunion In2 = In | I\nscalar Subscription @r\nextend type A @deprecated(reason: \"r\") { __f(a: [In2]! = null): Nope! __f(__z: Int!): [Mutation]! @d(a: 1) b: [Nope] \"desc\" b: U }\ntype Query { q: __Schema }\n",
     "Syntax Error: Unexpected Name \"type\". @ 4:1\n"},
    {"type D { __f(b: ID): [B] }\ninterface Query implements Query & Query @deprecated(reason: 1) { id: String! b: __Type a(b: Float!, c: Nope!, c: Boolean! @include(if: true) @r): S }\ninterface __X { a: String a: [C] @d }\ntype B { b(a: [In] = \"s\"): [I]! id(a: Float, __z: [J]): U! \"desc\" c(c: Int): Subscription id: [D]! }\n",
     "Argument \"Query.a(c:)\" can only be defined once. @ 2:102 2:112\nDirective \"@deprecated\" may not be used on INTERFACE. @ 2:42\nUnknown type \"Nope\". @ 2:105\nDirective \"@include\" may not be used on ARGUMENT_DEFINITION. @ 2:124\nUnknown directive \"@r\". @ 2:143\nUnknown type \"S\". Did you mean \"B\" or \"D\"? @ 2:148\nField \"__X.a\" can only be defined once. @ 3:17 3:27\nUnknown type \"C\". Did you mean \"B\" or \"D\"? @ 3:31\nUnknown directive \"@d\". @ 3:34\nField \"B.id\" can only be defined once. @ 4:33 4:91\nUnknown type \"In\". Did you mean \"ID\" or \"Int\"? @ 4:16\nUnknown type \"I\". Did you mean \"B\", \"D\", or \"ID\"? @ 4:29\nUnknown type \"J\". Did you mean \"B\" or \"D\"? @ 4:52\nUnknown type \"U\". Did you mean \"B\" or \"D\"? @ 4:57\nUnknown type \"Subscription\". @ 4:78\n"},
    {"input A { b: String! = 1 @deprecated b: [[I]]! a: Subscription! = [1] }\nextend enum A { A B A }\ntype U { \"desc\" id(a: C @specifiedBy(url: \"u\"), __z: ID, c: Nope! = null): [I]! c(b: S @include(if: true), __z: In2 = true @specifiedBy(url: \"u\")): Boolean @x c(__z: String!, a: [ID], c: [String]!): [String] @deprecated(reason: \"r\") a: __Schema }\nunion U = E | S\ntype String implements I { __f(a: I): __Schema \"desc\" c: In }\ntype D implements Query { id(b: Nope = 1.5 @r): [I]! }\ninterface Query implements J & J @oneOf { \"desc\" b: I! __f(__z: E = A): String b: Boolean! b: [In2]! }\ntype I @d { c: [Boolean!]! @include(if: true) a: Boolean! c: Mutation @r __f: [Float] }\ntype Query { q: B! }\n",
     "Field \"A.b\" can only be defined once. @ 1:11 1:38\nUnknown type \"Subscription\". @ 1:51\nEnum value \"A.A\" can only be defined once. @ 2:17 2:21\nCannot extend non-enum type \"A\". @ 1:1 2:1\nField \"U.c\" can only be defined once. @ 3:81 3:160\nUnknown type \"C\". Did you mean \"A\", \"D\", \"I\", or \"U\"? @ 3:23\nDirective \"@specifiedBy\" may not be used on ARGUMENT_DEFINITION. @ 3:25\nUnknown type \"Nope\". @ 3:61\nUnknown type \"S\". Did you mean \"A\", \"D\", \"I\", or \"U\"? @ 3:86\nDirective \"@include\" may not be used on ARGUMENT_DEFINITION. @ 3:88\nUnknown type \"In2\". Did you mean \"Int\", \"I\", or \"ID\"? @ 3:113\nDirective \"@specifiedBy\" may not be used on ARGUMENT_DEFINITION. @ 3:124\nUnknown directive \"@x\". @ 3:157\nThere can be only one type named \"U\". @ 3:6 4:7\nUnknown type \"E\". Did you mean \"A\", \"D\", \"I\", or \"U\"? @ 4:11\nUnknown type \"S\". Did you mean \"A\", \"D\", \"I\", or \"U\"? @ 4:15\nUnknown type \"In\". Did you mean \"I\", \"ID\", or \"Int\"? @ 5:58\nUnknown type \"Nope\". @ 6:33\nUnknown directive \"@r\". @ 6:44\nField \"Query.b\" can only be defined once. @ 7:50 7:80\nField \"Query.b\" can only be defined once. @ 7:50 7:92\nUnknown type \"J\". Did you mean \"A\", \"D\", \"I\", or \"U\"? @ 7:28\nUnknown type \"J\". Did you mean \"A\", \"D\", \"I\", or \"U\"? @ 7:32\nDirective \"@oneOf\" may not be used on INTERFACE. @ 7:34\nUnknown type \"E\". Did you mean \"A\", \"D\", \"I\", or \"U\"? @ 7:65\nUnknown type \"In2\". Did you mean \"Int\", \"I\", or \"ID\"? @ 7:96\nField \"I.c\" can only be defined once. @ 8:13 8:59\nUnknown directive \"@d\". @ 8:8\nDirective \"@include\" may not be used on FIELD_DEFINITION. @ 8:28\nUnknown type \"Mutation\". @ 8:62\nUnknown directive \"@r\". @ 8:71\nThere can be only one type named \"Query\". @ 7:11 9:6\nUnknown type \"B\". Did you mean \"A\", \"D\", \"I\", or \"U\"? @ 9:17\n"},
    {"type Query implements A { c: Int \"desc\" b: U! @r id(b: Boolean, a: [Int]!, __z: [__X]! = true): [__Schema]! @deprecated(reason: \"r\") c(b: [C] = {a: 1}, a: [__Schema]! = 1): __Schema! }\ntype C { c: String @d(a: 1) @r @oneOf c: Nope __f: [Query!]! }\ninterface S { __f: S! \"desc\" c: [Query]! __f: I }\ntype D implements Query { __f(a: I!): ID! }\ninterface String implements J & J @deprecated(reason: 1) { id(c: ID = {a: 1}, c: Nope, c: In2!): [A]! \"desc\" a: C }\n",
     "Field \"Query.c\" can only be defined once. @ 1:27 1:134\nUnknown type \"A\". Did you mean \"C\", \"D\", or \"S\"? @ 1:23\nUnknown type \"U\". Did you mean \"C\", \"D\", or \"S\"? @ 1:44\nUnknown directive \"@r\". @ 1:47\nUnknown type \"__X\". @ 1:82\nField \"C.c\" can only be defined once. @ 2:10 2:39\nUnknown directive \"@d\". @ 2:20\nUnknown directive \"@r\". @ 2:29\nDirective \"@oneOf\" may not be used on FIELD_DEFINITION. @ 2:32\nUnknown type \"Nope\". @ 2:42\nField \"S.__f\" can only be defined once. @ 3:15 3:42\nUnknown type \"I\". Did you mean \"C\", \"D\", \"ID\", or \"S\"? @ 3:47\nUnknown type \"I\". Did you mean \"C\", \"D\", \"ID\", or \"S\"? @ 4:34\nArgument \"String.id(c:)\" can only be defined once. @ 5:63 5:79 5:88\nUnknown type \"J\". Did you mean \"C\", \"D\", or \"S\"? @ 5:29\nUnknown type \"J\". Did you mean \"C\", \"D\", or \"S\"? @ 5:33\nDirective \"@deprecated\" may not be used on INTERFACE. @ 5:35\nUnknown type \"Nope\". @ 5:82\nUnknown type \"In2\". Did you mean \"Int\" or \"ID\"? @ 5:91\nUnknown type \"A\". Did you mean \"C\", \"D\", or \"S\"? @ 5:99\n"},
    {"extend scalar __X\nscalar __X\ninput String { id: E! __f: [In2!]! = 1.5 id: String }\ndirective @deprecated on OBJECT | FIELD_DEFINITION\ndirective @d on SCALAR | ENUM_VALUE | ARGUMENT_DEFINITION\nunion A = Subscription | E\nextend enum E { A B __D }\nextend type __X { c: __Type b: [[Subscription]]! \"desc\" c(a: __Schema! @r @include(if: true), a: In = 1 @include(if: true)): ID @deprecated(reason: \"r\") b: E! }\ntype Query { q: Boolean }\n",
     "Syntax Error: Unexpected Name \"scalar\". @ 2:1\n"},
    {"interface String { b: J! id: [[Subscription]]! }\nextend type I implements I & A { id: [B]! c: String __f(a: [String]!, b: Nope): [Int] }\ninterface B { a(c: Mutation! @deprecated(reason: \"r\"), b: [[String]]! = {a: {}} @oneOf): Int! b: [Int] }\nextend interface J implements Query @r { c(c: [String]! = [1], c: __Type, __z: String): [String] \"desc\" id(__z: C, b: [C] = true): [__Schema] a(c: __X, c: U): [D] id(a: [A]! @r, b: D!): Boolean! }\nenum Mutation { A B A }\ntype Query { q: String }\n",
     "Unknown type \"J\". Did you mean \"B\"? @ 1:23\nUnknown type \"Subscription\". @ 1:32\nCannot extend type \"I\" because it is not defined. Did you mean \"B\"? @ 2:13\nUnknown type \"I\". Did you mean \"B\" or \"ID\"? @ 2:26\nUnknown type \"A\". Did you mean \"B\"? @ 2:30\nUnknown type \"Nope\". @ 2:74\nDirective \"@oneOf\" may not be used on ARGUMENT_DEFINITION. @ 3:81\nField \"J.id\" can only be defined once. @ 4:105 4:164\nArgument \"J.c(c:)\" can only be defined once. @ 4:44 4:64\nArgument \"J.a(c:)\" can only be defined once. @ 4:145 4:153\nCannot extend type \"J\" because it is not defined. Did you mean \"B\"? @ 4:18\nUnknown directive \"@r\". @ 4:37\nUnknown type \"C\". Did you mean \"B\"? @ 4:113\nUnknown type \"C\". Did you mean \"B\"? @ 4:120\nUnknown type \"__X\". @ 4:148\nUnknown type \"U\". Did you mean \"B\"? @ 4:156\nUnknown type \"D\". Did you mean \"B\" or \"ID\"? @ 4:161\nUnknown type \"A\". Did you mean \"B\"? @ 4:171\nUnknown directive \"@r\". @ 4:175\nUnknown type \"D\". Did you mean \"B\" or \"ID\"? @ 4:182\nEnum value \"Mutation.A\" can only be defined once. @ 5:17 5:21\n"},
    {"scalar String\ninput B @d(a: 1) { b: B! b: Mutation }\nextend type D implements Query { __f(b: [[E]]! @include(if: true) @deprecated(reason: \"r\") @oneOf): [B] __f: [In] id(b: String! = true, a: S, c: S): B c: Boolean }\ntype C { id: [Nope] \"desc\" a: String @d \"desc\" b(__z: E = 1.5, b: [C!]!, __z: [B]): [Nope] @deprecated(reason: \"r\") c: [__Type!]! }\nunion B = E | Subscription\nscalar Query\ntype In2 @d { b(c: B, a: E = 1.5): [D]! \"desc\" id: [Nope] @d }\nextend union U\ntype Query { q: String! }\n",
     "Syntax Error: Unexpected Name \"type\". @ 9:1\n"},
    {"interface J @specifiedBy(url: \"u\") { id: J id(c: ID = {a: {}}): [Boolean] id: Int a: [E] }\ntype String { c: B! a: [Mutation] c: __Schema \"desc\" id(c: B, __z: [Boolean]!, c: [Mutation]): C }\ndirective @deprecated on OBJECT | FIELD_DEFINITION\ntype In implements A { \"desc\" __f(b: [Query]): __X __f: [String]! __f: Boolean @x \"desc\" id: __X! }\ninterface Subscription implements A { a(a: [E]): E! id: __Schema! }\ntype Query { q: In2 }\n",
     "Field \"J.id\" can only be defined once. @ 1:38 1:44\nField \"J.id\" can only be defined once. @ 1:38 1:75\nDirective \"@specifiedBy\" may not be used on INTERFACE. @ 1:13\nUnknown type \"E\". Did you mean \"J\"? @ 1:87\nField \"String.c\" can only be defined once. @ 2:15 2:35\nArgument \"String.id(c:)\" can only be defined once. @ 2:57 2:80\nUnknown type \"B\". Did you mean \"J\"? @ 2:18\nUnknown type \"Mutation\". @ 2:25\nUnknown type \"B\". Did you mean \"J\"? @ 2:60\nUnknown type \"Mutation\". @ 2:84\nUnknown type \"C\". Did you mean \"J\"? @ 2:96\nField \"In.__f\" can only be defined once. @ 4:31 4:52\nField \"In.__f\" can only be defined once. @ 4:31 4:67\nUnknown type \"A\". Did you mean \"J\"? @ 4:20\nUnknown type \"__X\". @ 4:48\nUnknown directive \"@x\". @ 4:80\nUnknown type \"__X\". @ 4:94\nUnknown type \"A\". Did you mean \"J\"? @ 5:35\nUnknown type \"E\". Did you mean \"J\"? @ 5:45\nUnknown type \"E\". Did you mean \"J\"? @ 5:50\nUnknown type \"In2\". Did you mean \"In\", \"Int\", or \"ID\"? @ 6:17\n"},
    {"directive @x on SCALAR | ENUM_VALUE | ARGUMENT_DEFINITION\nextend union I = D | U\ntype Query { q: A }\n",
     "Cannot extend type \"I\" because it is not defined. @ 2:14\nUnknown type \"D\". Did you mean \"ID\"? @ 2:18\nUnknown type \"U\". @ 2:22\nUnknown type \"A\". @ 3:17\n"},
    {"interface Subscription implements J { c: __Type }\ndirective @deprecated(b: U = true, __z: [__Type] = {a: 1}, c: __Type) repeatable on OBJECT | FIELD_DEFINITION\ninterface Subscription implements I { c: Boolean! \"desc\" a(a: ID, b: C, a: Query = {a: 1}): In2 b: __Type a: E }\ninput S\nextend schema { query: B }\ntype Query { q: Int }\n",
     "Unknown type \"J\". Did you mean \"S\"? @ 1:35\nUnknown type \"U\". Did you mean \"S\"? @ 2:26\nThere can be only one type named \"Subscription\". @ 1:11 3:11\nField \"Subscription.c\" can only be defined once. @ 1:39 3:39\nField \"Subscription.a\" can only be defined once. @ 3:58 3:107\nArgument \"Subscription.a(a:)\" can only be defined once. @ 3:60 3:73\nUnknown type \"I\". Did you mean \"ID\" or \"S\"? @ 3:35\nUnknown type \"C\". Did you mean \"S\"? @ 3:70\nUnknown type \"In2\". Did you mean \"Int\" or \"ID\"? @ 3:93\nUnknown type \"E\". Did you mean \"S\"? @ 3:110\nUnknown type \"B\". Did you mean \"S\"? @ 5:24\n"},
    {"extend schema { query: Mutation mutation: I }\ninterface Int @d(a: 1) @x @x { a: S! b: [__Type] }\n",
     "Unknown type \"Mutation\". @ 1:24\nUnknown type \"I\". Did you mean \"ID\"? @ 1:43\nUnknown directive \"@d\". @ 2:15\nUnknown directive \"@x\". @ 2:24\nUnknown directive \"@x\". @ 2:27\nUnknown type \"S\". @ 2:35\n"},
    {"interface S implements A & J { a: U! __f(a: [__Type] = [1] @r, __z: Query!): I! __f: Int }\nscalar Subscription\nschema { query: Query mutation: __X }\ntype In @specifiedBy(url: \"u\") { a: Boolean __f(a: I, a: ID!, b: In2 = \"s\" @d(a: 1)): Int! \"desc\" a: [__Type] @deprecated }\nenum B { A B C }\ntype Query { q: Query! }\n",
     "Field \"S.__f\" can only be defined once. @ 1:38 1:81\nUnknown type \"A\". Did you mean \"B\" or \"S\"? @ 1:24\nUnknown type \"J\". Did you mean \"B\" or \"S\"? @ 1:28\nUnknown type \"U\". Did you mean \"B\" or \"S\"? @ 1:35\nUnknown directive \"@r\". @ 1:60\nUnknown type \"I\". Did you mean \"B\", \"ID\", \"In\", or \"S\"? @ 1:78\nUnknown type \"__X\". @ 3:33\nField \"In.a\" can only be defined once. @ 4:34 4:99\nArgument \"In.__f(a:)\" can only be defined once. @ 4:49 4:55\nDirective \"@specifiedBy\" may not be used on OBJECT. @ 4:9\nUnknown type \"I\". Did you mean \"B\", \"ID\", \"In\", or \"S\"? @ 4:52\nUnknown type \"In2\". Did you mean \"In\", \"Int\", or \"ID\"? @ 4:66\nUnknown directive \"@d\". @ 4:76\n"},
    {"type Query { g0(a0: Int): Boolean! }\ntype O0 { g0: [Int] }\nextend type O0 { g1(a0: S0, a1: String): Float }\ntype O1 { g0: Boolean @deprecated(reason: \"old\") }\ntype O2 { g0: Boolean }\ntype O3 { g0: [ID] @deprecated(reason: \"old\") }\nscalar S0\nschema { query: Query mutation: O0 }\n",
     "OK: Query Boolean Int O0 Float String O1 O2 O3 ID S0 __Schema __Type __TypeKind __Field __InputValue __EnumValue __Directive __DirectiveLocation\n"},
    {"interface I0 { id: ID f0: ID }\ninterface I1 { id: ID f1: Float }\ntype Query implements I0 { id: ID f0: ID g0: E0 g1(a0: Int!): ID @deprecated(reason: \"old\") g2: String }\ntype O0 { g0(a0: Float, a1: S0 @deprecated): E0! }\nextend type O0 { g1(a0: ID = \"x\", a1: String!): E0 g2: [Boolean]! g3: S0 }\nenum E0 { A B }\ninput In0 { h0: S0 h1: S0 }\nscalar S0\n",
     "OK: I0 ID I1 Float Query Int String O0 Boolean E0 In0 S0 __Schema __Type __TypeKind __Field __InputValue __EnumValue __Directive __DirectiveLocation\n"},
    {"type O0 { g0(a0: In0! @deprecated, a1: Boolean = true): [U0] g1: Boolean! }\nunion U0 = O2 | O0\ntype O1 { g0: O3 }\ntype O2 { g0(a0: Float, a1: ID = \"x\"): Query! g1: [Query]! g2: Boolean! }\ntype O3 { g0: O0! g1(a0: Int): [Int]! g2(a0: E0, a1: Int): Boolean! }\ntype Query { g0(a0: In0, a1: Float): Int @deprecated(reason: \"old\") g1(a0: E0 = A, a1: Float!): [O3] }\nenum E0 { A B }\ninput In0 @oneOf { h0: ID }\n",
     "Required argument O0.g0(a0:) cannot be deprecated. @ 1:23 1:18\n"},
    {"type O0 implements I0 { id: ID f0: Boolean g0: String g1: [ID] g2: [E0] g3: Query }\ninterface I1 { id: ID f1: ID }\ninterface I0 { id: ID f0: Boolean }\nextend type Query { f0: Boolean f1: ID g0: [Int] g1(a0: E0, a1: [ID] @deprecated): O0 g2: [I1] }\ntype Query implements I0 & I1 { id: ID }\nunion U0 = O0\nenum E0 { A B }\nscalar S0 @specifiedBy(url: \"https://x\")\n",
     "OK: O0 ID Boolean String I1 I0 Query Int U0 E0 S0 __Schema __Type __TypeKind __Field __InputValue __EnumValue __Directive __DirectiveLocation\n"},
    {"input In0 @oneOf { h0: Int h1: Boolean! = true }\ntype O2 { g0(a0: String = \"s\", a1: In0): U0 g1(a0: [String]): O3! g2: O2 g3(a0: Int, a1: In1!): [O1] }\nextend type O0 { g1(a0: Int): O2 }\ntype O3 { g0(a0: String!): O3 g1: Query g2(a0: ID): [Boolean] }\ntype O1 { g0: O1 }\ntype O0 { g0(a0: In0): Boolean }\nunion U0 = O3\ntype Query { g0: O3 g1(a0: Int! @deprecated): U0! @deprecated(reason: \"old\") }\ninput In1 { h0: Float }\n",
     "OneOf input field In0.h1 must be nullable. @ 1:32\nOneOf input field In0.h1 cannot have a default value. @ 1:28\nRequired argument Query.g1(a0:) cannot be deprecated. @ 8:33 8:28\n"},
    {"interface I1 { id: ID f1: String }\ntype Query implements I0 & I1 { id: ID f0: String f1: String g0(a0: Float! @deprecated, a1: String!): [String]! @deprecated(reason: \"old\") g1(a0: E0): Query! g2: O0! }\ninterface I0 { id: ID f0: String }\ntype O0 { g0(a0: Float!, a1: String = \"s\"): Query }\nextend type O0 { g1(a0: ID! = \"x\", a1: Float): [Boolean] }\nenum E0 { A B }\nscalar S0\n",
     "Required argument Query.g0(a0:) cannot be deprecated. @ 2:76 2:69\n"},
    {"type O0 { g0: [O2] }\nextend type O0 { g1: O2! }\ntype Query { g0(a0: ID! @deprecated): [O3]! g1(a0: [String], a1: [ID] = \"x\" @deprecated): Float g2(a0: E0!, a1: In1): O1 g3: String }\ninput In1 { h0: Int h1: Float h2: Int! }\ntype O2 { g0: O2 }\nextend type O2 { g1: Query }\ntype O1 { g0(a0: Float, a1: Float = 1.5): Query }\ndirective @dir(a0: In1) on FIELD_DEFINITION | OBJECT\nenum E0 { A B }\ninput In0 @oneOf { h0: S0 h1: S0 h2: Int }\ntype O3 { g0: O1 g1: [U0] g2: S0 g3: O1 }\nscalar S0\nunion U0 = O3 | O2\n",
     "Required argument Query.g0(a0:) cannot be deprecated. @ 3:25 3:21\n"},
    {"type O0 { g0: Float }\ninterface I0 { id: ID f0: Boolean }\ntype Query { g0(a0: [Float] = 1.5): [Query] g1(a0: Int): String }\ninterface I1 { id: ID f1: String }\n",
     "OK: O0 Float I0 ID Boolean Query String Int I1 __Schema __Type __TypeKind __Field __InputValue __EnumValue __Directive __DirectiveLocation\n"},
    {"type Query implements I0 { id: ID f0: Boolean g0: [Boolean] g1: String g2: [E0]! g3(a0: E0 @deprecated): O2 }\ninterface I0 { id: ID f0: Boolean }\nextend type O3 { f0: Boolean g0: [O1] g1: [Boolean] g2: O3! g3(a0: In0 @deprecated, a1: Boolean): Int! }\ninput In0 { h0: Int h1: Int! h2: Int }\nenum E0 { A B }\ntype O3 implements I0 { id: ID }\ntype O0 { g0(a0: ID): O2 g1: O1 g2(a0: [E0], a1: Boolean): E0 }\ntype O2 { g0(a0: Int): Float g1: E0 g2(a0: [String], a1: ID = \"x\"): [O0] @deprecated(reason: \"old\") }\ntype O1 { g0(a0: String!, a1: Float @deprecated): [O2] g1(a0: Boolean, a1: E0): O2 }\ndirective @dir on FIELD_DEFINITION | OBJECT\n",
     "OK: Query ID Boolean String I0 In0 Int E0 O3 O0 O2 Float O1 __Schema __Type __TypeKind __Field __InputValue __EnumValue __Directive __DirectiveLocation\n"},
    {"enum E0 { A B C @deprecated }\ntype O0 implements I0 { id: ID }\ninterface I1 { id: ID f1: Boolean }\ntype Query { g0(a0: E0 = A): Float g1: O0 g2: [Float]! }\nextend type O0 { f0: Float g0: I0 }\ninterface I0 { id: ID f0: Float }\ninput In0 { h0: Float! }\ndirective @dir on FIELD_DEFINITION | OBJECT\n",
     "OK: E0 O0 ID Float I1 Boolean Query I0 In0 String __Schema __Type __TypeKind __Field __InputValue __EnumValue __Directive __DirectiveLocation\n"},
    {"scalar S0\nextend type O0 { g1: Boolean @deprecated(reason: \"old\") }\ninterface I0 { id: ID f0: ID }\ninput In0 { h0: Float h1: S0 }\ntype O1 { g0: [O2] }\ntype Query { g0(a0: Int!, a1: In0): S0 }\ntype O2 implements I0 { id: ID f0: ID g0: [Int] g1: Int g2(a0: ID = \"x\", a1: String): U0 }\ntype O3 { g0: I0 g1: S0 g2(a0: String = \"s\"): Query! g3: U0! }\nextend type O1 { g1: O1 g2(a0: ID! = \"x\" @deprecated, a1: [In0]): I0 }\nunion U0 = O1\ntype O0 { g0: Float! @deprecated(reason: \"old\") }\n",
     "OK: S0 I0 ID In0 Float O1 Query Int O2 String O3 U0 O0 Boolean __Schema __Type __TypeKind __Field __InputValue __EnumValue __Directive __DirectiveLocation\n"},
    {"interface I0 { id: ID f0: Float }\nenum E0 { A B }\ninterface I1 { id: ID f1: Int }\ndirective @dir(a0: String) on FIELD_DEFINITION | OBJECT\ninput In0 { h0: Float h1: Int! }\ninput In1 { h0: String }\nunion U0 = Query | O0\ntype Query { g0: [Int]! @deprecated(reason: \"old\") }\nscalar S0\ntype O0 implements I1 { id: ID f1: Int g0: ID! g1: Float }\n",
     "OK: I0 ID Float E0 I1 Int In0 In1 String U0 Query S0 O0 Boolean __Schema __Type __TypeKind __Field __InputValue __EnumValue __Directive __DirectiveLocation\n"},
    {"interface I0 { id: ID f0: ID }\ntype Query implements I0 { id: ID f0: ID g0(a0: Int): O4 }\ntype O2 implements I0 { id: ID }\ntype O1 { g0: [O3] g1: O2 g2: E0 g3(a0: S0 @deprecated, a1: Float): O4 }\nscalar S0 @specifiedBy(url: \"https://x\")\ntype O4 implements I0 { id: ID f0: ID g0(a0: S0): O3 g1: ID g2: O3 }\ntype O0 { g0: O3 g1: Query g2(a0: Boolean!): O1 g3: Int }\nextend type O2 { f0: ID g0(a0: Float = 1.5): I0! g1(a0: Boolean, a1: Int): O1 g2: [Int]! }\nenum E0 { A B }\ntype O3 { g0(a0: E0 = A, a1: S0 @deprecated): String g1: Query }\n",
     "OK: I0 ID Query Int O2 Float Boolean O1 S0 O4 O0 E0 O3 String __Schema __Type __TypeKind __Field __InputValue __EnumValue __Directive __DirectiveLocation\n"},
    {"interface I0 { id: ID f0: Boolean }\ninterface I1 { id: ID f1: Int }\ntype Query { g0(a0: In0, a1: String): I1 }\ntype O0 { g0(a0: String): [E0] }\nenum E0 { A B }\nscalar S0 @specifiedBy(url: \"https://x\")\nextend type O1 { f0: Boolean f1: Int g0(a0: [Float], a1: [E0]): Query g1: O0 g2(a0: String @deprecated): O0! g3(a0: [Boolean] = true @deprecated): ID }\ninput In0 { h0: Int h1: String }\ntype O1 implements I0 & I1 { id: ID }\n",
     "OK: I0 ID Boolean I1 Int Query String O0 E0 S0 In0 O1 Float __Schema __Type __TypeKind __Field __InputValue __EnumValue __Directive __DirectiveLocation\n"},
    {"type O3 { g0: Float g1: O1! }\ntype O1 { g0: O1 @deprecated(reason: \"old\") g1(a0: ID = \"x\", a1: ID): String @deprecated(reason: \"old\") g2(a0: Float! = 1.5 @deprecated, a1: Boolean): O3 }\ntype Query implements I0 { id: ID f0: Boolean g0: I0 g1: O1 g2: [Float] }\nunion U0 = O0 | O2\ntype O0 { g0: O0 g1: Boolean g2: Int! g3: O4 }\ninterface I0 { id: ID f0: Boolean }\ntype O4 implements I0 { id: ID f0: Boolean g0: Float! }\ntype O2 implements I0 { id: ID f0: Boolean g0: O3 g1: [O0] }\n",
     "OK: O3 Float O1 String ID Boolean Query U0 O0 Int I0 O4 O2 __Schema __Type __TypeKind __Field __InputValue __EnumValue __Directive __DirectiveLocation\n"},
    {"extend type O1 { f0: Boolean f1: Int g0: [O1] }\ntype O0 implements I1 { id: ID f1: Int g0: [I0]! g1(a0: ID = \"x\", a1: Int): [ID]! g2: O0 g3: Query }\ntype Query { g0: O1 g1: O0 g2: I0! g3: I1 }\nschema { query: Query mutation: O0 }\ntype O1 implements I0 & I1 { id: ID }\ninterface I0 { id: ID f0: Boolean }\ninterface I1 { id: ID f1: Int }\n",
     "OK: O0 ID Int Query O1 Boolean I0 I1 String __Schema __Type __TypeKind __Field __InputValue __EnumValue __Directive __DirectiveLocation\n"},
    {"interface I0 { id: ID f0: Boolean }\ntype O2 { g0: [O3] @deprecated(reason: \"old\") g1: Int }\ntype O0 implements I0 { id: ID f0: Boolean g0: Query g1(a0: String = \"s\", a1: String = \"s\"): Query g2(a0: Int!, a1: [Float]! = 1.5): ID! g3: O0! }\ntype O1 { g0(a0: ID = \"x\"): Float! }\nextend type O1 { g1(a0: Int!): Float g2: O3 g3: O1 }\ntype Query { g0(a0: ID!): [I0] }\ntype O3 { g0: O2 @deprecated(reason: \"old\") g1: I0 g2: Query @deprecated(reason: \"old\") }\ntype O4 implements I0 { id: ID f0: Boolean g0(a0: ID): [I0] g1(a0: [In1]!, a1: Float = 1.5 @deprecated): ID! g2: O4 g3: O3 }\ninput In0 @oneOf { h0: Boolean h1: Int }\ninput In1 { h0: Int! h1: Float h2: Boolean! }\n",
     "OK: I0 ID Boolean O2 Int O0 String Float O1 Query O3 O4 In0 In1 __Schema __Type __TypeKind __Field __InputValue __EnumValue __Directive __DirectiveLocation\n"},
    {"type Query { g0: O1 }\ntype O0 { g0(a0: Float @deprecated, a1: ID): [O0] }\nscalar S0\nenum E0 { A B }\ntype O1 { g0(a0: [E0], a1: E0): Query }\n",
     "OK: Query O0 Float ID S0 E0 O1 Boolean String __Schema __Type __TypeKind __Field __InputValue __EnumValue __Directive __DirectiveLocation\n"},
    {"interface I0 { id: ID f0: ID }\nextend type O4 { f0: ID g0(a0: In1, a1: [E0] = A): O4 g1: O3 }\ntype O1 { g0: Query }\nunion U0 = O2 | Query\ninput In1 { h0: In0! }\ntype O4 implements I0 { id: ID }\ntype O3 implements I0 { id: ID f0: ID g0(a0: Int, a1: Int): Int! @deprecated(reason: \"old\") }\nextend type O2 { f0: ID g0: O1! g1: Query @deprecated(reason: \"old\") g2(a0: [Boolean]!): Boolean }\ninput In0 { h0: Int! h1: Float! = 1.5 h2: [E0] }\ntype Query { g0: [O2] }\ntype O2 implements I0 { id: ID }\ntype O0 { g0(a0: String = \"s\"): [U0] g1(a0: Boolean, a1: String!): Int g2: Int }\nenum E0 { A B C @deprecated }\nschema { query: Query mutation: O0 }\n",
     "OK: I0 ID O1 U0 In1 O4 O3 Int In0 Float Query O2 Boolean O0 String E0 __Schema __Type __TypeKind __Field __InputValue __EnumValue __Directive __DirectiveLocation\n"},
    {"union U0 = O0 | O1\ntype O1 { g0: String g1: O1 }\ntype O0 { g0(a0: In1, a1: [In0]): Float g1: O0 g2: O0! g3(a0: [In0]): [O0] }\ntype Query { g0(a0: Int @deprecated): Float! g1(a0: String = \"s\" @deprecated): Boolean g2: String! g3: O0 }\ninput In0 { h0: String h1: ID }\ninput In1 @oneOf { h0: [String] = \"s\" h1: [ID]! h2: Int }\nschema { query: Query mutation: O0 }\n",
     "OneOf input field In1.h0 cannot have a default value. @ 6:20\nOneOf input field In1.h1 must be nullable. @ 6:43\n"},
    {"type O2 { g0(a0: [String]! = \"s\"): [O4] @deprecated(reason: \"old\") g1: O2 g2: O3 g3: U0! }\ntype Query { g0: Int }\ntype O0 { g0: [O4] g1(a0: Int, a1: [ID]): String! }\nextend type Query { g1: S0 g2(a0: Int): O1 }\ninterface I0 { id: ID f0: Int }\ninput In0 { h0: Int }\ntype O3 implements I0 { id: ID f0: Int g0(a0: S0!, a1: [Boolean] = true): O3 }\ntype O4 { g0(a0: [Boolean] = true): U0 g1: Float g2(a0: [In1]): String }\ninput In1 { h0: S0 h1: [Int] h2: Boolean }\ntype O1 implements I0 { id: ID f0: Int g0: O0! g1: O2 }\nunion U0 = Query\nscalar S0 @specifiedBy(url: \"https://x\")\n",
     "OK: O2 String Query Int O0 ID I0 In0 O3 Boolean O4 Float In1 O1 U0 S0 __Schema __Type __TypeKind __Field __InputValue __EnumValue __Directive __DirectiveLocation\n"},
    {"type O0 { g0(a0: In1): S0 @deprecated(reason: \"old\") }\nextend type O0 { g1: [S0] g2(a0: In0 @deprecated, a1: Int): Query! g3: ID }\ntype Query { g0: O1! @deprecated(reason: \"old\") g1: Float }\ntype O1 { g0(a0: Float): Query }\nextend type O1 { g1: O1 }\ninput In0 { h0: Int h1: S0 h2: S0! }\nscalar S0 @specifiedBy(url: \"https://x\")\ninput In1 { h0: In0 h1: S0 h2: [Float] }\n",
     "OK: O0 Int ID Query Float O1 In0 S0 In1 Boolean String __Schema __Type __TypeKind __Field __InputValue __EnumValue __Directive __DirectiveLocation\n"},
    {"interface I0 { id: ID f0: Boolean }\ntype O1 { g0: I0! g1: Int! g2(a0: S0, a1: [ID]): Float! }\ntype O0 { g0(a0: Boolean): Boolean g1(a0: String): [Int] g2(a0: Int): Query g3: Query }\ntype Query implements I0 { id: ID f0: Boolean g0(a0: [S0]!): [O4] g1: O4 @deprecated(reason: \"old\") }\ntype O2 implements I0 { id: ID f0: Boolean g0: Boolean g1(a0: Boolean = true): O3 g2: O0 }\ntype O3 implements I0 { id: ID f0: Boolean g0: ID g1(a0: [S0], a1: [Boolean]!): S0 g2: I0 }\ntype O4 implements I0 { id: ID f0: Boolean g0(a0: Boolean): [O4] g1: O1! g2: O3 }\ninput In0 { h0: Int h1: Boolean h2: [S0] }\nscalar S0 @specifiedBy(url: \"https://x\")\n",
     "OK: I0 ID Boolean O1 Int Float O0 String Query O2 O3 O4 In0 S0 __Schema __Type __TypeKind __Field __InputValue __EnumValue __Directive __DirectiveLocation\n"},
    {"type Query { g0: Float }\nextend type Query { g1: O0 g2(a0: Boolean): String }\nextend type O0 { g1: Int }\ntype O0 { g0: S0! }\ntype O1 { g0(a0: S0!, a1: Float = 1.5): O1 }\nschema { query: Query mutation: O0 }\nscalar S0\n",
     "OK: Query Float String Boolean O0 Int O1 S0 __Schema __Type __TypeKind __Field __InputValue __EnumValue __Directive __DirectiveLocation\n"},
    {"interface I1 { id: ID f1: Boolean }\ntype O1 { g0: [S0] }\ninput In0 { h0: [S0] }\ntype O0 implements I1 { id: ID f1: Boolean g0: U0 }\ninterface I0 { id: ID f0: Float }\ntype O4 { g0(a0: [In0] @deprecated): O2! }\ntype O2 implements I1 { id: ID f1: Boolean g0: Float }\nunion U0 = O4 | O2\nextend type O1 { g1(a0: [E0], a1: [In0]): Boolean }\ntype O5 { g0: ID g1: S0 }\ntype O3 implements I1 { id: ID f1: Boolean g0: O2 }\nenum E0 { A B }\ntype Query { g0: O0! }\nscalar S0\nschema { query: Query mutation: O0 }\n",
     "OK: I1 ID Boolean O1 In0 O0 I0 Float O4 O2 U0 O5 O3 E0 Query S0 String __Schema __Type __TypeKind __Field __InputValue __EnumValue __Directive __DirectiveLocation\n"},
    {"type TYPE17 { f: Int }\ntype Bool106_1 { f: Int }\ntype Tpye { f: Int }\ntype Itme { f: Int }\ntype TYPE100 { f: Int }\ntype Tpye12 { f: Int }\ntype Itme { f: Int }\ntype Type { f: Int }\ntype Str79 { f: Int }\ntype Query { a: Strin b: Str79 c(x: Tpye41): Int }\nextend type Strin10_0 { g: Int }\ndirective @d(alpha: Int, gamma: Int) on FIELD_DEFINITION\ntype Z { z: Int @d(alph: 1) }\n",
     "There can be only one type named \"Itme\". @ 4:6 7:6\nField \"Itme.f\" can only be defined once. @ 4:13 7:13\nUnknown type \"Strin\". Did you mean \"String\" or \"Str79\"? @ 10:17\nUnknown type \"Tpye41\". Did you mean \"Tpye\", \"Tpye12\", \"TYPE17\", or \"Type\"? @ 10:37\nCannot extend type \"Strin10_0\" because it is not defined. @ 11:13\nUnknown argument \"alph\" on directive \"@d\". Did you mean \"alpha\"? @ 13:20\n"},
    {"type Strin105 { f: Int }\ntype Itme { f: Int }\ntype type { f: Int }\ntype Query { a: type100 b: Str35 c(x: Ints115): Int }\nextend type Bool71_0 { g: Int }\ndirective @d(alpah: Int) on FIELD_DEFINITION\ntype Z { z: Int @d(gama: 1) }\n",
     "Unknown type \"type100\". Did you mean \"type\"? @ 4:17\nUnknown type \"Str35\". Did you mean \"String\"? @ 4:28\nUnknown type \"Ints115\". @ 4:39\nCannot extend type \"Bool71_0\" because it is not defined. @ 5:13\nUnknown argument \"gama\" on directive \"@d\". @ 7:20\n"},
    {"type TYPE { f: Int }\ntype Typ50 { f: Int }\ntype Item67 { f: Int }\ntype Strin51 { f: Int }\ntype Types71 { f: Int }\ntype TYPE_4 { f: Int }\ntype Ints119 { f: Int }\ntype Typ56 { f: Int }\ntype Type33 { f: Int }\ntype Query { a: type72 b: Tpye c(x: Tpye9): Int }\nextend type type { g: Int }\ndirective @d(alpah: Int, beta1: Int, beta10: Int, beta2: Int, gamma: Int) on FIELD_DEFINITION\ntype Z { z: Int @d(betaa: 1) }\n",
     "Unknown type \"type72\". Did you mean \"TYPE\", \"TYPE_4\", \"Type33\", \"Types71\", or \"Typ50\"? @ 10:17\nUnknown type \"Tpye\". Did you mean \"TYPE\"? @ 10:27\nUnknown type \"Tpye9\". Did you mean \"TYPE\", \"TYPE_4\", \"Typ50\", \"Typ56\", or \"Type33\"? @ 10:37\nCannot extend type \"type\" because it is not defined. Did you mean \"TYPE\", \"TYPE_4\", \"Typ50\", \"Typ56\", or \"Type33\"? @ 11:13\nUnknown argument \"betaa\" on directive \"@d\". Did you mean \"beta1\", \"beta2\", or \"beta10\"? @ 13:20\n"},
    {"type Strin67 { f: Int }\ntype Itme118_0 { f: Int }\ntype Strin72_3 { f: Int }\ntype Query { a: Typ91_3 b: Strin97 c(x: type89_0): Int }\nextend type Tpye61_1 { g: Int }\ndirective @d(alpha: Int, alpah: Int, beta1: Int, beta10: Int, beta2: Int) on FIELD_DEFINITION\ntype Z { z: Int @d(betaa: 1) }\n",
     "Unknown type \"Typ91_3\". @ 4:17\nUnknown type \"Strin97\". Did you mean \"Strin67\" or \"String\"? @ 4:28\nUnknown type \"type89_0\". @ 4:41\nCannot extend type \"Tpye61_1\" because it is not defined. @ 5:13\nUnknown argument \"betaa\" on directive \"@d\". Did you mean \"beta1\", \"beta2\", or \"beta10\"? @ 7:20\n"},
    {"type Tpye { f: Int }\ntype Inpt59 { f: Int }\ntype Types24 { f: Int }\ntype Str35 { f: Int }\ntype TYPE18 { f: Int }\ntype Typ3 { f: Int }\ntype Types_0 { f: Int }\ntype Ints_2 { f: Int }\ntype Ints { f: Int }\ntype Query { a: Strin_1 b: Str c(x: Typ88): Int }\nextend type Item18 { g: Int }\ndirective @d(alpha: Int, alpah: Int) on FIELD_DEFINITION\ntype Z { z: Int @d(Alpha: 1) }\n",
     "Unknown type \"Strin_1\". Did you mean \"String\"? @ 10:17\nUnknown type \"Str\". Did you mean \"Str35\"? @ 10:28\nUnknown type \"Typ88\". Did you mean \"TYPE18\", \"Typ3\", or \"Tpye\"? @ 10:37\nCannot extend type \"Item18\" because it is not defined. @ 11:13\nUnknown argument \"Alpha\" on directive \"@d\". Did you mean \"alpah\" or \"alpha\"? @ 13:20\n"},
    {"type Inpt94 { f: Int }\ntype Itme63_0 { f: Int }\ntype Str72 { f: Int }\ntype Query { a: Bool56_2 b: Str107 c(x: Inpt14_3): Int }\nextend type Type66 { g: Int }\ndirective @d(beta1: Int, beta10: Int, beta2: Int) on FIELD_DEFINITION\ntype Z { z: Int @d(beta: 1) }\n",
     "Unknown type \"Bool56_2\". Did you mean \"Boolean\"? @ 4:17\nUnknown type \"Str107\". Did you mean \"Str72\" or \"String\"? @ 4:29\nUnknown type \"Inpt14_3\". Did you mean \"Inpt94\"? @ 4:41\nCannot extend type \"Type66\" because it is not defined. @ 5:13\nUnknown argument \"beta\" on directive \"@d\". Did you mean \"beta1\", \"beta2\", or \"beta10\"? @ 7:20\n"},
    {"type Tpye118 { f: Int }\ntype Item { f: Int }\ntype Type { f: Int }\ntype TYPE_1 { f: Int }\ntype Type80 { f: Int }\ntype Inpt_3 { f: Int }\ntype Item107_4 { f: Int }\ntype type85 { f: Int }\ntype Ints { f: Int }\ntype Strin40_3 { f: Int }\ntype Query { a: Typ94 b: Ints24 c(x: Itme35): Int }\nextend type Itme86 { g: Int }\ndirective @d(alpha: Int, alpah: Int, beta1: Int, beta10: Int, beta2: Int, gamma: Int) on FIELD_DEFINITION\ntype Z { z: Int @d(beta: 1) }\n",
     "Unknown type \"Typ94\". Did you mean \"Type\", \"TYPE_1\", \"Type80\", or \"type85\"? @ 11:17\nUnknown type \"Ints24\". Did you mean \"Ints\" or \"Int\"? @ 11:26\nUnknown type \"Itme35\". Did you mean \"Item\"? @ 11:38\nCannot extend type \"Itme86\" because it is not defined. Did you mean \"Item\"? @ 12:13\nUnknown argument \"beta\" on directive \"@d\". Did you mean \"beta1\", \"beta2\", or \"beta10\"? @ 14:20\n"},
    {"type Inpt3_2 { f: Int }\ntype Str103 { f: Int }\ntype Types_1 { f: Int }\ntype TYPE { f: Int }\ntype Query { a: Itme1 b: Tpye c(x: type43): Int }\nextend type Tpye { g: Int }\ndirective @d(alpha: Int, beta1: Int, gamma: Int) on FIELD_DEFINITION\ntype Z { z: Int @d(bet: 1) }\n",
     "Unknown type \"Itme1\". @ 5:17\nUnknown type \"Tpye\". Did you mean \"TYPE\"? @ 5:26\nUnknown type \"type43\". Did you mean \"TYPE\" or \"Types_1\"? @ 5:36\nCannot extend type \"Tpye\" because it is not defined. Did you mean \"TYPE\"? @ 6:13\nUnknown argument \"bet\" on directive \"@d\". Did you mean \"beta1\"? @ 8:20\n"},
    {"type Typ78 { f: Int }\ntype Tpye10 { f: Int }\ntype TYPE_1 { f: Int }\ntype Inpt92 { f: Int }\ntype Inpt60 { f: Int }\ntype type56 { f: Int }\ntype TYPE69 { f: Int }\ntype Types30 { f: Int }\ntype Bool38 { f: Int }\ntype Str { f: Int }\ntype Query { a: Bool68 b: TYPE84 c(x: Item27): Int }\nextend type TYPE { g: Int }\ndirective @d(alpah: Int, beta1: Int, beta10: Int, beta2: Int) on FIELD_DEFINITION\ntype Z { z: Int @d(Alpha: 1) }\n",
     "Unknown type \"Bool68\". Did you mean \"Bool38\" or \"Boolean\"? @ 11:17\nUnknown type \"TYPE84\". Did you mean \"TYPE69\", \"TYPE_1\", \"Typ78\", \"type56\", or \"Tpye10\"? @ 11:27\nUnknown type \"Item27\". @ 11:39\nCannot extend type \"TYPE\" because it is not defined. Did you mean \"TYPE69\", \"TYPE_1\", \"Typ78\", or \"type56\"? @ 12:13\nUnknown argument \"Alpha\" on directive \"@d\". Did you mean \"alpah\"? @ 14:20\n"},
    {"type Ints85 { f: Int }\ntype Item80 { f: Int }\ntype Item102 { f: Int }\ntype Type91_1 { f: Int }\ntype Query { a: Strin b: Item21 c(x: Itme): Int }\nextend type Itme20 { g: Int }\ndirective @d(alpah: Int, beta10: Int, beta2: Int, gamma: Int) on FIELD_DEFINITION\ntype Z { z: Int @d(Alpha: 1) }\n",
     "Unknown type \"Strin\". Did you mean \"String\"? @ 5:17\nUnknown type \"Item21\". Did you mean \"Item80\" or \"Item102\"? @ 5:26\nUnknown type \"Itme\". @ 5:38\nCannot extend type \"Itme20\" because it is not defined. Did you mean \"Item80\" or \"Item102\"? @ 6:13\nUnknown argument \"Alpha\" on directive \"@d\". Did you mean \"alpah\"? @ 8:20\n"},
    {"type Typ { f: Int }\ntype Types97 { f: Int }\ntype type97 { f: Int }\ntype Inpt89 { f: Int }\ntype Type { f: Int }\ntype Ints { f: Int }\ntype Tpye74 { f: Int }\ntype Item24 { f: Int }\ntype Types2_4 { f: Int }\ntype Ints9_3 { f: Int }\ntype Query { a: Item33_2 b: Typ19 c(x: Typ): Int }\nextend type Ints { g: Int }\ndirective @d(alpha: Int, alpah: Int, beta1: Int, beta10: Int, beta2: Int, gamma: Int) on FIELD_DEFINITION\ntype Z { z: Int @d(alph: 1) }\n",
     "Unknown type \"Item33_2\". Did you mean \"Item24\"? @ 11:17\nUnknown type \"Typ19\". Did you mean \"Typ\", \"Type\", \"type97\", or \"Types97\"? @ 11:29\nUnknown argument \"alph\" on directive \"@d\". Did you mean \"alpah\" or \"alpha\"? @ 14:20\n"},
    {"type Ints111 { f: Int }\ntype Itme3 { f: Int }\ntype Inpt55 { f: Int }\ntype type16 { f: Int }\ntype Query { a: Strin33_4 b: Typ54 c(x: Str): Int }\nextend type Typ_3 { g: Int }\ndirective @d(alpah: Int, beta1: Int, beta2: Int) on FIELD_DEFINITION\ntype Z { z: Int @d(bet: 1) }\n",
     "Unknown type \"Strin33_4\". Did you mean \"String\"? @ 5:17\nUnknown type \"Typ54\". Did you mean \"type16\"? @ 5:30\nUnknown type \"Str\". @ 5:41\nCannot extend type \"Typ_3\" because it is not defined. Did you mean \"type16\"? @ 6:13\nUnknown argument \"bet\" on directive \"@d\". Did you mean \"beta1\" or \"beta2\"? @ 8:20\n"},
};

/* What gql_schema_build answers, in the table's format. */
static void describe(const char *sdl, gql_buf *out) {
    gql_arena a;
    gql_arena_init(&a, 0);
    gql_errors errs;
    gql_errors_init(&errs, &a);
    gql_schema *s = gql_schema_build(sdl, strlen(sdl), &errs);
    if (s) {
        assert_int_equal(errs.count, 0);
        gql_buf_puts(out, "OK:");
        for (uint32_t i = 0; i < s->type_count; i++) {
            gql_buf_printf(out, " %s", s->types[i]->name);
            assert_int_equal(s->types[i]->index, i);
            assert_ptr_equal(gql_schema_type(s, s->types[i]->name), s->types[i]);
        }
        gql_buf_putc(out, '\n');
        gql_schema_free(s);
    } else {
        assert_true(errs.count > 0);
        for (gql_error *e = errs.head; e; e = e->next) {
            gql_buf_puts(out, e->message);
            if (e->location_count) gql_buf_puts(out, " @");
            for (uint32_t i = 0; i < e->location_count; i++)
                gql_buf_printf(out, " %u:%u", e->locations[i].line, e->locations[i].column);
            gql_buf_putc(out, '\n');
        }
    }
    gql_arena_free(&a);
}

static void test_cases(void **state) {
    (void)state;
    int failed = 0;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        gql_buf out;
        gql_buf_init(&out);
        describe(cases[i].sdl, &out);
        gql_buf_putc(&out, 0);
        if (strcmp(out.data, cases[i].expected) != 0) {
            printf("case %zu:\n%s\nexpected:\n%sgot:\n%s", i, cases[i].sdl, cases[i].expected, out.data);
            failed++;
        }
        gql_buf_free(&out);
    }
    assert_int_equal(failed, 0);
}

/* ---- a valid schema, inspected ---------------------------------------------------- */

static const char *const big_sdl =
    "\"\"\"\nThe root\n  indented\n\"\"\"\n"
    "type Query implements Node { id: ID! search(term: String = \"x\", limit: Int! = 10 @deprecated): [Result!]! "
    "old: Int @deprecated nul: Int @deprecated(reason: null) why: Int @deprecated(reason: \"use id\") node(id: ID!): Node }\n"
    "interface Node { id: ID! }\n"
    "type User implements Node & Named { id: ID! name: String }\n"
    "interface Named implements Node { id: ID! name: String }\n"
    "type Org implements Node { id: ID! }\n"
    "union Result = User | Org\n"
    "enum Color { RED GREEN @deprecated BLUE }\n"
    "input Filter @oneOf { a: Int b: String @deprecated }\n"
    "input Range { lo: Int! = 1.5 hi: Int = 3 }\n"
    "scalar Date @specifiedBy(url: \"https://example.com/date\")\n"
    "directive @cache(ttl: Int!) repeatable on FIELD_DEFINITION | OBJECT\n"
    "type Mutation { set(f: Filter, r: Range, c: Color = GREEN): Date }\n";

typedef struct fixture {
    gql_arena arena;
    gql_errors errs;
    gql_schema *s;
} fixture;

static int setup(void **state) {
    fixture *f = test_malloc(sizeof *f);
    gql_arena_init(&f->arena, 0);
    gql_errors_init(&f->errs, &f->arena);
    f->s = gql_schema_build(big_sdl, strlen(big_sdl), &f->errs);
    *state = f;
    return f->s ? 0 : -1;
}

static int teardown(void **state) {
    fixture *f = *state;
    gql_schema_free(f->s);
    gql_arena_free(&f->arena);
    test_free(f);
    return 0;
}

static gql_type *T(gql_schema *s, const char *name) {
    gql_type *t = gql_schema_type(s, name);
    assert_non_null(t);
    return t;
}

static void test_type_map(void **state) {
    gql_schema *s = ((fixture *)*state)->s;
    /* graphql-js: Object.keys(schema.getTypeMap()) */
    static const char *const order[] = {
        "Query", "ID", "String", "Int", "Node", "User", "Named", "Org", "Result", "Color", "Filter", "Range", "Date",
        "Mutation", "Boolean", "__Schema", "__Type", "__TypeKind", "__Field", "__InputValue", "__EnumValue",
        "__Directive", "__DirectiveLocation"};
    assert_int_equal(s->type_count, sizeof order / sizeof *order);
    for (uint32_t i = 0; i < s->type_count; i++) assert_string_equal(s->types[i]->name, order[i]);
    /* Float is not referenced: not in the map (graphql-js omits it), but still at hand */
    assert_null(gql_schema_type(s, "Float"));
    assert_non_null(s->t_float);
    assert_ptr_equal(s->t_int, T(s, "Int"));
    assert_ptr_equal(gql_schema_type_n(s, "Intx", 3), s->t_int);
    assert_null(gql_schema_type(s, "Nope"));
    assert_ptr_equal(s->query, T(s, "Query"));
    assert_ptr_equal(s->mutation, T(s, "Mutation"));
    assert_null(s->subscription);
    assert_true(T(s, "__Type")->builtin);
    assert_true(s->t_string->builtin);
    assert_false(T(s, "Query")->builtin);
    assert_null(s->t_string->ast);
    assert_non_null(T(s, "Query")->ast);
    assert_string_equal(T(s, "Query")->description, "The root\n  indented");
    assert_string_equal(s->t_int->description,
                        "The `Int` scalar type represents non-fractional signed whole numeric values. Int can represent values between -(2^31) and 2^31 - 1.");
}

static void test_fields_and_deprecation(void **state) {
    gql_schema *s = ((fixture *)*state)->s;
    gql_type *q = T(s, "Query");
    assert_int_equal(q->kind, GQL_T_OBJECT);
    assert_int_equal(q->field_count, 6);
    gql_field *search = gql_type_field(q, "search", 6);
    assert_non_null(search);
    assert_ptr_equal(search->parent, q);
    assert_int_equal(search->index, 1);
    assert_string_equal(gql_type_str(&s->arena, search->type), "[Result!]!");
    assert_int_equal(search->arg_count, 2);
    gql_input_value *limit = gql_field_arg(search, "limit", 5);
    assert_non_null(limit);
    assert_string_equal(limit->deprecation_reason, "No longer supported");
    assert_non_null(limit->default_value);
    assert_false(gql_is_required_input(limit));
    assert_null(gql_field_arg(search, "lim", 3));
    assert_string_equal(gql_type_field(q, "old", 3)->deprecation_reason, "No longer supported");
    assert_null(gql_type_field(q, "nul", 3)->deprecation_reason);   /* reason: null is not deprecated */
    assert_string_equal(gql_type_field(q, "why", 3)->deprecation_reason, "use id");
    assert_null(gql_type_field(q, "id", 2)->deprecation_reason);
    assert_null(gql_type_field(q, "__typename", 10));   /* meta fields are not fields of the type */

    gql_type *color = T(s, "Color");
    assert_int_equal(color->value_count, 3);
    assert_string_equal(gql_type_enum_value(color, "GREEN", 5)->deprecation_reason, "No longer supported");
    assert_null(gql_type_enum_value(color, "RED", 3)->deprecation_reason);
    assert_null(gql_type_enum_value(color, "PINK", 4));

    gql_type *filter = T(s, "Filter");
    assert_true(filter->one_of);
    assert_string_equal(gql_type_input_field(filter, "b", 1)->deprecation_reason, "No longer supported");
    gql_type *range = T(s, "Range");
    assert_false(range->one_of);
    /* lo: Int! = 1.5 does not coerce: graphql-js's defaultValue is undefined, so lo is required */
    gql_input_value *lo = gql_type_input_field(range, "lo", 2);
    assert_null(lo->default_value);
    assert_non_null(lo->ast->default_value);
    assert_true(gql_is_required_input(lo));
    assert_non_null(gql_type_input_field(range, "hi", 2)->default_value);

    assert_string_equal(T(s, "Date")->specified_by_url, "https://example.com/date");
    assert_null(s->t_int->specified_by_url);
}

static void test_abstract_types(void **state) {
    gql_schema *s = ((fixture *)*state)->s;
    gql_type *node = T(s, "Node"), *named = T(s, "Named"), *result = T(s, "Result");
    gql_type *user = T(s, "User"), *org = T(s, "Org"), *query = T(s, "Query");
    /* getPossibleTypes(Node): the implementing objects in type map order */
    assert_int_equal(node->possible_count, 3);
    assert_ptr_equal(node->possible_types[0], query);
    assert_ptr_equal(node->possible_types[1], user);
    assert_ptr_equal(node->possible_types[2], org);
    assert_int_equal(result->possible_count, 2);
    assert_ptr_equal(result->possible_types[0], user);
    assert_int_equal(named->possible_count, 1);
    assert_int_equal(named->interface_count, 1);

    assert_true(gql_is_possible_type(node, user));
    assert_false(gql_is_possible_type(node, named));
    assert_true(gql_is_sub_type(node, named));   /* interfaces count for isSubType */
    assert_true(gql_is_sub_type(result, org));
    assert_false(gql_is_sub_type(result, query));
    assert_false(gql_is_sub_type(named, org));
    /* doTypesOverlap */
    assert_true(gql_types_overlap(node, result));
    assert_false(gql_types_overlap(named, org));
    assert_true(gql_types_overlap(org, node));
    assert_true(gql_types_overlap(user, user));
    assert_false(gql_types_overlap(user, org));
    /* isTypeSubTypeOf */
    gql_type *nn_user = gql_type_non_null(s, user), *l_node = gql_type_list(s, node);
    assert_true(gql_is_type_sub_type_of(nn_user, node));
    assert_false(gql_is_type_sub_type_of(user, gql_type_non_null(s, node)));
    assert_true(gql_is_type_sub_type_of(gql_type_list(s, nn_user), l_node));
    assert_false(gql_is_type_sub_type_of(user, l_node));
    assert_false(gql_is_type_sub_type_of(l_node, node));
    assert_false(gql_is_type_sub_type_of(s->t_int, s->t_string));
    /* isEqualType */
    assert_true(gql_types_equal(gql_type_list(s, nn_user), gql_type_list(s, gql_type_non_null(s, user))));
    assert_false(gql_types_equal(l_node, gql_type_list(s, user)));
    /* predicates */
    assert_true(gql_is_abstract_type(node) && gql_is_abstract_type(result) && !gql_is_abstract_type(user));
    assert_true(gql_is_composite_type(user) && gql_is_composite_type(result) && !gql_is_composite_type(s->t_int));
    assert_true(gql_is_leaf_type(s->t_int) && gql_is_leaf_type(T(s, "Color")) && !gql_is_leaf_type(user));
    assert_true(gql_is_input_type(gql_type_list(s, T(s, "Filter"))) && !gql_is_input_type(l_node));
    assert_true(gql_is_output_type(l_node) && !gql_is_output_type(gql_type_non_null(s, T(s, "Range"))));
    assert_ptr_equal(gql_named_type(gql_type_list(s, nn_user)), user);
    assert_ptr_equal(gql_nullable_type(nn_user), user);
    assert_ptr_equal(gql_nullable_type(user), user);
}

static void test_wrappers(void **state) {
    gql_schema *s = ((fixture *)*state)->s;
    gql_type *user = T(s, "User");
    assert_ptr_equal(gql_type_list(s, user), gql_type_list(s, user));   /* interned */
    assert_ptr_equal(gql_type_non_null(s, gql_type_list(s, user)), gql_type_non_null(s, gql_type_list(s, user)));
    gql_arena a;
    gql_arena_init(&a, 0);
    gql_syntax_error *err = NULL;
    gql_type_node *tn = gql_parse_type(&a, "[[User!]]!", 10, &err);
    assert_non_null(tn);
    gql_type *t = gql_type_from_ast(s, tn);
    assert_non_null(t);
    assert_ptr_equal(t, gql_type_non_null(s, gql_type_list(s, gql_type_list(s, gql_type_non_null(s, user)))));
    assert_string_equal(gql_type_str(&a, t), "[[User!]]!");
    tn = gql_parse_type(&a, "[Nope]", 6, &err);
    assert_null(gql_type_from_ast(s, tn));
    assert_null(gql_type_from_ast_in(s, &a, tn));
    /* request-time resolution reuses interned wrappers and does not add any */
    tn = gql_parse_type(&a, "[Result!]!", 10, &err);
    assert_ptr_equal(gql_type_from_ast_in(s, &a, tn), gql_type_field(T(s, "Query"), "search", 6)->type);
    gql_type *color = T(s, "Color");
    assert_null(color->list_of);
    tn = gql_parse_type(&a, "[[Color]!]", 10, &err);
    t = gql_type_from_ast_in(s, &a, tn);
    assert_non_null(t);
    assert_null(color->list_of);
    assert_string_equal(gql_type_str(&a, t), "[[Color]!]");
    assert_true(gql_types_equal(t, gql_type_from_ast(s, tn)));
    assert_non_null(color->list_of);
    assert_string_equal(gql_type_str(&a, s->t_int), "Int");
    gql_arena_free(&a);
}

static void test_directives(void **state) {
    gql_schema *s = ((fixture *)*state)->s;
    static const char *const order[] = {"cache", "include", "skip", "deprecated", "specifiedBy", "oneOf"};
    assert_int_equal(s->directive_count, 6);
    for (uint32_t i = 0; i < 6; i++) assert_string_equal(s->directives[i]->name, order[i]);
    gql_directive *cache = gql_schema_directive(s, "cache", 5);
    assert_non_null(cache);
    assert_true(cache->repeatable);
    assert_false(cache->builtin);
    assert_int_equal(cache->locations, (1u << GQL_DL_FIELD_DEFINITION) | (1u << GQL_DL_OBJECT));
    assert_int_equal(cache->arg_count, 1);
    assert_true(gql_is_required_input(&cache->args[0]));
    gql_directive *dep = gql_schema_directive(s, "deprecated", 10);
    assert_true(dep->builtin);
    assert_false(dep->repeatable);
    assert_string_equal(dep->description, "Marks an element of a GraphQL schema as no longer supported.");
    assert_true(dep->locations & (1u << GQL_DL_DIRECTIVE_DEFINITION));
    assert_int_equal(dep->args[0].default_value->kind, GQL_STRING_VALUE);
    assert_string_equal(dep->args[0].default_value->name.value, "No longer supported");
    gql_directive *inc = gql_schema_directive(s, "include", 7);
    assert_int_equal(inc->locations, (1u << GQL_DL_FIELD) | (1u << GQL_DL_FRAGMENT_SPREAD) | (1u << GQL_DL_INLINE_FRAGMENT));
    assert_string_equal(gql_type_str(&s->arena, inc->args[0].type), "Boolean!");
    assert_string_equal(inc->args[0].description, "Included when true.");
    assert_null(gql_schema_directive(s, "nope", 4));
    assert_string_equal(gql_directive_location_name(GQL_DL_INPUT_FIELD_DEFINITION), "INPUT_FIELD_DEFINITION");
    assert_int_equal(gql_directive_location_from_name("DIRECTIVE_DEFINITION"), GQL_DL_DIRECTIVE_DEFINITION);
    assert_int_equal(gql_directive_location_from_name("QUERY"), GQL_DL_QUERY);
    assert_int_equal(gql_directive_location_from_name("query"), -1);
}

static void test_introspection_types(void **state) {
    gql_schema *s = ((fixture *)*state)->s;
    gql_type *ty = s->t_type;
    assert_string_equal(ty->name, "__Type");
    static const char *const fields[] = {"kind", "name", "description", "specifiedByURL", "fields", "interfaces",
                                         "possibleTypes", "enumValues", "inputFields", "ofType", "isOneOf"};
    assert_int_equal(ty->field_count, 11);
    for (uint32_t i = 0; i < 11; i++) assert_string_equal(ty->fields[i].name, fields[i]);
    gql_field *f = gql_type_field(ty, "fields", 6);
    assert_string_equal(gql_type_str(&s->arena, f->type), "[__Field!]");
    assert_int_equal(f->arg_count, 1);
    assert_string_equal(f->args[0].name, "includeDeprecated");
    assert_int_equal(f->args[0].default_value->kind, GQL_BOOLEAN_VALUE);
    assert_false(f->args[0].default_value->boolean);
    gql_field *dirs = gql_type_field(s->t_schema, "directives", 10);
    assert_string_equal(gql_type_str(&s->arena, dirs->args[0].type), "Boolean!");
    assert_string_equal(gql_type_field(s->t_schema, "subscriptionType", 16)->description,
                        "If this server support subscription, the type that subscription operations will be rooted at.");
    gql_type *kind = T(s, "__TypeKind");
    assert_int_equal(kind->kind, GQL_T_ENUM);
    assert_int_equal(kind->value_count, 8);
    assert_string_equal(kind->values[7].name, "NON_NULL");
    gql_type *loc = T(s, "__DirectiveLocation");
    assert_int_equal(loc->value_count, GQL_DL_COUNT);
    for (uint32_t i = 0; i < GQL_DL_COUNT; i++) assert_string_equal(loc->values[i].name, gql_directive_location_name(i));
    /* meta fields */
    assert_string_equal(s->f_schema.name, "__schema");
    assert_string_equal(gql_type_str(&s->arena, s->f_schema.type), "__Schema!");
    assert_string_equal(s->f_type.name, "__type");
    assert_ptr_equal(s->f_type.type, s->t_type);
    assert_int_equal(s->f_type.arg_count, 1);
    assert_string_equal(gql_type_str(&s->arena, s->f_type.args[0].type), "String!");
    assert_string_equal(s->f_typename.description, "The name of the current Object type at runtime.");
    assert_string_equal(gql_type_str(&s->arena, s->f_typename.type), "String!");
}

static gql_rv dummy_resolver(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)src, (void)args, (void)info;
    gql_rv r = {.kind = GQL_RV_NULL};
    return r;
}
static const gql_type *dummy_type_resolver(const gql_rv *v, const gql_type *t, gql_resolve_info *info) {
    (void)v, (void)info;
    return t;
}
static const char *dummy_serialize(const gql_rv *v, gql_buf *out, gql_arena *a, void *ud) {
    (void)v, (void)out, (void)a, (void)ud;
    return NULL;
}

static void test_binding(void **state) {
    gql_schema *s = ((fixture *)*state)->s;
    int ud;
    assert_true(gql_schema_bind(s, "Query", "search", dummy_resolver, &ud));
    gql_field *f = gql_type_field(T(s, "Query"), "search", 6);
    assert_ptr_equal(f->resolve, dummy_resolver);
    assert_ptr_equal(f->resolve_ud, &ud);
    assert_true(gql_schema_bind(s, "Named", "name", dummy_resolver, NULL));
    assert_false(gql_schema_bind(s, "Query", "nope", dummy_resolver, NULL));
    assert_false(gql_schema_bind(s, "Nope", "id", dummy_resolver, NULL));
    assert_false(gql_schema_bind(s, "Filter", "a", dummy_resolver, NULL));
    assert_true(gql_schema_bind_type_resolver(s, "Node", dummy_type_resolver));
    assert_ptr_equal(T(s, "Node")->resolve_type, dummy_type_resolver);
    assert_true(gql_schema_bind_type_resolver(s, "Result", dummy_type_resolver));
    assert_false(gql_schema_bind_type_resolver(s, "User", dummy_type_resolver));
    assert_true(gql_schema_bind_scalar(s, "Date", dummy_serialize, NULL, &ud));
    assert_ptr_equal(T(s, "Date")->serialize, dummy_serialize);
    assert_ptr_equal(T(s, "Date")->scalar_ud, &ud);
    assert_false(gql_schema_bind_scalar(s, "Color", dummy_serialize, NULL, NULL));
}

/* ---- other entry points ------------------------------------------------------------ */

static void test_build_ast(void **state) {
    (void)state;
    const char *src = "schema { query: Root } \"d\" type Root { a: Int }";
    gql_syntax_error *err = NULL;
    gql_document *doc = gql_parse(src, strlen(src), NULL, &err);
    assert_non_null(doc);
    gql_arena a;
    gql_arena_init(&a, 0);
    gql_errors errs;
    gql_errors_init(&errs, &a);
    gql_schema *s = gql_schema_build_ast(doc, &errs);
    assert_non_null(s);
    assert_string_equal(s->query->name, "Root");
    assert_ptr_equal(s->schema_ast, &doc->definitions[0]);
    assert_string_equal(s->query->description, "d");
    assert_null(s->owned_doc);
    gql_schema_free(s);
    gql_document_free(doc);
    gql_arena_free(&a);
}

static void test_errors_are_separate(void **state) {
    (void)state;
    /* buildSchema throws one Error joining them; gql_schema_build lists each */
    const char *src = "type Query { a: X b: Y }";
    gql_arena a;
    gql_arena_init(&a, 0);
    gql_errors errs;
    gql_errors_init(&errs, &a);
    assert_null(gql_schema_build(src, strlen(src), &errs));
    assert_int_equal(errs.count, 2);
    assert_string_equal(errs.head->message, "Unknown type \"X\".");
    assert_string_equal(errs.head->next->message, "Unknown type \"Y\".");
    gql_arena_free(&a);
}

static void test_extensions_and_schema_extension(void **state) {
    (void)state;
    const char *src = "type Q { a: Int } extend type Q implements I { b: Int } interface I { b: Int } "
                      "extend schema { query: Q } extend union U = Q2 union U = Q type Q2 { c: Int } extend enum E { B } enum E { A }";
    gql_arena a;
    gql_arena_init(&a, 0);
    gql_errors errs;
    gql_errors_init(&errs, &a);
    gql_schema *s = gql_schema_build(src, strlen(src), &errs);
    assert_non_null(s);
    gql_type *q = gql_schema_type(s, "Q");
    assert_ptr_equal(s->query, q);
    assert_null(s->schema_ast);
    assert_int_equal(s->schema_extension_count, 1);
    assert_int_equal(q->field_count, 2);
    assert_int_equal(q->extension_count, 1);
    assert_int_equal(q->interface_count, 1);
    gql_type *u = gql_schema_type(s, "U");
    assert_int_equal(u->member_count, 2);   /* duplicates kept, as graphql-js's getTypes() */
    gql_type *e = gql_schema_type(s, "E");
    assert_int_equal(e->value_count, 2);
    assert_string_equal(e->values[0].name, "A");
    gql_schema_free(s);
    gql_arena_free(&a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test_setup_teardown(test_type_map, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fields_and_deprecation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_abstract_types, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrappers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_directives, setup, teardown),
        cmocka_unit_test_setup_teardown(test_introspection_types, setup, teardown),
        cmocka_unit_test_setup_teardown(test_binding, setup, teardown),
        cmocka_unit_test(test_build_ast),
        cmocka_unit_test(test_errors_are_separate),
        cmocka_unit_test(test_extensions_and_schema_extension),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
