/*
 * fuzz_variables.c: libFuzzer target for input coercion on a fixed schema with
 * input objects, lists, enums, a custom scalar and @oneOf. The input is a
 * query, a NUL byte, and a JSON variables object. Each operation's variables
 * are coerced; when they coerce, every field's arguments and @skip/@include are
 * too, and, in documents that pass validation, each coerced value must survive
 * astFromValue, printing, parsing and valueFromAST unchanged. Each top-level
 * variable value is also serialized as every leaf type. Coercion runs on
 * invalid documents too: it must not rely on validation for its safety.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "gql.h"

#include "fuzz_util.h"

static const char SDL[] =
    "scalar JSON\n"
    "enum Color { RED GREEN BLUE }\n"
    "input Point { x: Int!, y: Float = 1.5, tags: [String!] = [\"a\"] }\n"
    "input Filter { color: Color = RED, points: [Point!], nested: Filter, id: ID, any: JSON, one: One }\n"
    "input One @oneOf { a: Int, b: [Color], p: Point }\n"
    "type Query {\n"
    "  f(a: Int, b: Float, c: String, d: Boolean, e: ID, color: Color, filter: Filter, one: One,\n"
    "    list: [[Int!]], json: JSON, req: Int! = 3): Query\n"
    "  g(filter: Filter = {color: BLUE, points: [{x: 1}]}, s: [String] = \"x\"): Int\n"
    "}\n";

static gql_schema *schema;
static const char *const leaf_types[] = {"Int", "Float", "String", "Boolean", "ID", "Color", "JSON"};

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc, (void)argv;
    schema = fuzz_schema_or_die(SDL, sizeof SDL - 1);
    return 0;
}

/* astFromValue(v), printed, parsed and valueFromAST'd again gives v back. */
static void check_round_trip(gql_arena *a, const gql_val *v, const gql_type *type) {
    const char *err = NULL;
    gql_value_node *n = gql_ast_from_value(a, v, type, &err);
    if (err || !n) return;   /* a JSON object or list, or Infinity, has no literal */
    const char *printed = gql_print_value_node_str(a, n);
    gql_syntax_error *se = NULL;
    gql_value_node *parsed = gql_parse_value(a, printed, strlen(printed), &se);
    CHECK(parsed != NULL);
    bool absent = false;
    gql_val *back = gql_value_from_ast(a, parsed, type, NULL, &absent);
    CHECK(back != NULL && gql_val_equal(back, v));
}

static bool valid;   /* the document passed validation */

static void visit_selections(gql_arena *a, const gql_selection_set *set, const gql_val *vars, gql_errors *errs,
                             unsigned depth) {
    if (!set || depth > 8) return;
    for (uint32_t i = 0; i < set->count; i++) {
        const gql_selection *sel = &set->items[i];
        gql_should_include(a, schema, sel->directives, sel->directive_count, vars, errs);
        if (sel->kind != GQL_FIELD) {
            visit_selections(a, sel->selection_set, vars, errs, depth + 1);
            continue;
        }
        const gql_field *f = gql_type_field(schema->query, sel->name.value, sel->name.len);
        if (f) {
            uint32_t before = errs->count;
            gql_val *args = gql_argument_values(a, f->args, f->arg_count, sel->args, sel->arg_count, sel->loc, vars, errs);
            CHECK(args ? errs->count == before : errs->count == before + 1);
            if (args && valid)
                for (uint32_t k = 0; k < f->arg_count; k++) {
                    const gql_val *v = gql_val_get(args, f->args[k].name, strlen(f->args[k].name));
                    if (v) check_round_trip(a, v, f->args[k].type);
                }
        }
        visit_selections(a, sel->selection_set, vars, errs, depth + 1);
    }
}

static void serialize_all(gql_arena *a, const gql_val *vars) {
    if (!vars || vars->kind != GQL_V_OBJECT) return;
    for (uint32_t i = 0; i < vars->u.obj.count && i < 8; i++) {
        gql_rv rv = gql_rv_json(vars->u.obj.members[i].value);
        for (size_t t = 0; t < sizeof leaf_types / sizeof *leaf_types; t++) {
            gql_buf b;
            gql_buf_init(&b);
            const char *msg = gql_serialize_leaf(a, gql_schema_type(schema, leaf_types[t]), &rv, &b);
            if (msg) CHECK(b.len == 0);
            else {
                const char *err = NULL;
                CHECK(gql_json_parse(a, b.data, b.len, 0, &err) != NULL);
            }
            gql_buf_free(&b);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *src = (const char *)data;
    const char *sep = memchr(src, 0, size);
    size_t qlen = sep ? (size_t)(sep - src) : size;
    gql_arena a;
    gql_arena_init(&a, 0);
    const char *err = NULL;
    gql_val *inputs = sep ? gql_json_parse(&a, sep + 1, size - qlen - 1, 0, &err) : NULL;
    serialize_all(&a, inputs);
    gql_syntax_error *se = NULL;
    gql_document *doc = gql_parse(src, qlen, NULL, &se);
    if (!doc) {
        gql_syntax_error_free(se);
        gql_arena_free(&a);
        return 0;
    }
    gql_errors verrs;
    gql_errors_init(&verrs, &a);
    valid = gql_validate(schema, doc, NULL, &verrs) == 0;
    for (uint32_t i = 0; i < doc->definition_count; i++) {
        const gql_definition *d = &doc->definitions[i];
        if (d->kind != GQL_OPERATION_DEFINITION) continue;
        gql_errors errs;
        gql_errors_init(&errs, &a);
        uint32_t max = (uint32_t)(size % 4);   /* 0 is the default of 50 */
        gql_val *vars = gql_coerce_variables(&a, schema, d, inputs, max, &errs);
        if (!vars) {
            CHECK(errs.count > 0 && errs.count <= (max ? max : 50) + 1);
            gql_buf b;
            gql_buf_init(&b);
            gql_errors_write_json(&b, &errs);
            gql_buf_free(&b);
            continue;
        }
        CHECK(errs.count == 0);
        for (uint32_t k = 0; k < d->variable_count; k++) {
            const gql_variable_definition *vd = &d->variables[k];
            const gql_val *v = gql_val_get(vars, vd->variable->name.value, vd->variable->name.len);
            if (v && valid) check_round_trip(&a, v, gql_type_from_ast(schema, vd->type));
        }
        visit_selections(&a, d->selection_set, vars, &errs, 0);
    }
    gql_document_free(doc);
    gql_arena_free(&a);
    return 0;
}
