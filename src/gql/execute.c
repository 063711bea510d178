/*
 * execute.c: graphql-js 16's execute() for synchronous resolvers: executeField,
 * completeValue (non-null, lists, leaves, abstract types, objects) and the
 * response, streamed as JSON into a gql_buf.
 *
 * graphql-js throws a field error up to the nearest nullable position, where
 * it is recorded and the value becomes null; with synchronous resolvers nothing
 * runs between the throw and that catch, so the error is recorded when it is
 * raised (same order) and EXEC_THROW travels up; the catch truncates the output
 * back to where the nullable value started and writes null there.
 *
 * The common values (a leaf of the expected kind, null, an object of an object
 * type, a JSON member read by the default resolver, an introspection field)
 * are completed without the general path; anything else, errors included,
 * goes through completeValue as graphql-js has it.
 */
#include <string.h>
#include "coerce.h"
#include "execute_internal.h"

typedef struct exec_site exec_site;
static exec_result complete_value(exec_ctx *c, const gql_type *type, const exec_site *site, const gql_path *path,
                                  const gql_rv *rv);

/* ---- errors ---------------------------------------------------------------- */

void gql_exec_set_path(exec_ctx *c, gql_error *e, const gql_path *path) {
    if (!e) return;
    uint32_t n = 0;
    for (const gql_path *p = path; p; p = p->prev) n++;
    if (!n) return;
    gql_path_seg *segs = gql_arena_alloc(c->arena, n * sizeof *segs);
    uint32_t i = n;
    for (const gql_path *p = path; p; p = p->prev) segs[--i] = (gql_path_seg){.key = p->key, .index = p->index};
    e->path = segs;
    e->path_len = n;
}

/* locatedError(error, fieldNodes, path) */
gql_error *gql_exec_error(exec_ctx *c, const exec_field *f, const gql_path *path, const char *msg) {
    gql_error *e = gql_errors_add_msg(&c->errs, msg);
    for (uint32_t i = 0; i < f->node_count; i++) gql_error_add_loc(&c->errs, e, f->nodes[i]->loc);
    gql_exec_set_path(c, e, path);
    return e;
}

/* handleFieldError: a non-null position passes the error on; a nullable one
 * becomes null. */
static exec_result handle_field_error(exec_ctx *c, const gql_type *type, size_t start) {
    if (type->kind == GQL_T_NON_NULL) return EXEC_THROW;
    gql_buf_truncate(c->out, start);
    gql_buf_append(c->out, "null", 4);
    return EXEC_NULL;
}

void gql_exec_write_request_errors(const gql_errors *errs, gql_buf *out) {
    gql_buf_append(out, "{\"errors\":", 10);
    gql_errors_write_json(out, errs);
    gql_buf_putc(out, '}');
}

gql_exec_status gql_exec_finish(exec_ctx *c, size_t response_start) {
    if (!c->errs.count) return GQL_EXEC_OK;
    /* graphql-js builds { errors, data }: the errors go in front of the data,
     * which is rare enough that moving the data once is fine */
    gql_buf pre;
    gql_buf_init(&pre);
    gql_buf_append(&pre, "{\"errors\":", 10);
    gql_errors_write_json(&pre, &c->errs);
    gql_buf_append(&pre, ",\"data\":", 8);
    gql_buf *out = c->out;
    size_t old_head = 8;   /* {"data": */
    size_t grow = pre.len - old_head;
    gql_buf_reserve(out, grow);
    char *at = out->data + response_start;
    memmove(at + pre.len, at + old_head, out->len - response_start - old_head);
    memcpy(at, pre.data, pre.len);
    out->len += grow;
    out->data[out->len] = 0;
    gql_buf_free(&pre);
    return GQL_EXEC_FIELD_ERRORS;
}

/* ---- resolving ------------------------------------------------------------- */

/* The field a value is being completed for: what error messages and the
 * resolve info need, without building the info for every value. */
typedef struct exec_site {
    exec_field *f;
    const gql_type *parent_type;
    const gql_rv *source;
} exec_site;

static void make_info(exec_ctx *c, const exec_site *site, const gql_path *path, gql_resolve_info *info) {
    const exec_field *f = site->f;
    *info = (gql_resolve_info){
        .field = f->def,
        .source = site->source,
        .parent_type = site->parent_type,
        .return_type = f->def->type,
        .field_node = f->nodes[0],
        .field_nodes = f->nodes,
        .field_node_count = f->node_count,
        .path = path,
        .doc = c->doc,
        .operation = c->op,
        .variables = c->vars,
        .schema = c->schema,
        .context = c->context,
        .arena = c->arena,
    };
}

static bool rv_is_null(const gql_rv *v) {
    return v->kind == GQL_RV_NULL || (v->kind == GQL_RV_JSON && (!v->u.json || v->u.json->kind == GQL_V_NULL));
}

static const void *source_pointer(const gql_rv *v) {
    if (v->kind == GQL_RV_OBJECT) return v->u.object.obj;
    if (v->kind == GQL_RV_JSON) return v->u.json;
    return NULL;
}

static __attribute__((noinline)) const gql_val *json_member_scan(const gql_val *v, exec_field *f) {
    const gql_member *m = v->u.obj.members;
    uint32_t n = v->u.obj.count, len = f->name_len;
    const char *name = f->def->name;
    for (uint32_t i = 0; i < n; i++)
        if (m[i].key_len == len && gql_same_bytes(m[i].key, name, len)) {
            f->member_hint = i;
            return m[i].value;
        }
    return NULL;
}

/* source[fieldName] of a JSON object. Objects of one shape repeat in a list,
 * so the member's position in the last object is tried first. */
static inline const gql_val *json_member(const gql_val *v, exec_field *f) {
    const gql_member *m = v->u.obj.members;
    uint32_t h = f->member_hint;
    if (h < v->u.obj.count && m[h].key_len == f->name_len && gql_same_bytes(m[h].key, f->def->name, f->name_len))
        return m[h].value;
    return json_member_scan(v, f);
}

/* defaultFieldResolver on a JSON source: source[fieldName]. A JSON object has
 * Object.prototype's methods, which graphql-js calls as (args, context, info). */
static gql_rv default_resolve(const gql_rv *source, exec_field *f, const gql_val *args) {
    if (source->kind != GQL_RV_JSON || !source->u.json) return gql_rv_null();
    const gql_val *v = source->u.json;
    const char *name = f->def->name;
    if (v->kind == GQL_V_OBJECT) {
        const gql_val *p = json_member(v, f);
        if (p) return gql_rv_json(p);
    } else if (v->kind == GQL_V_LIST) {
        if (strcmp(name, "length") == 0) return gql_rv_int(v->u.list.count);
        return gql_rv_null();
    } else {
        return gql_rv_null();   /* not object-like */
    }
    if (strcmp(name, "toString") == 0 || strcmp(name, "toLocaleString") == 0)
        return gql_rv_str("[object Object]", 15);
    if (strcmp(name, "valueOf") == 0) return gql_rv_json(v);
    if (strcmp(name, "constructor") == 0) return gql_rv_json(args);   /* Object(args) */
    if (strcmp(name, "hasOwnProperty") == 0 || strcmp(name, "propertyIsEnumerable") == 0)
        return gql_rv_bool(gql_val_get(v, "[object Object]", 15) != NULL);   /* String(args) */
    if (strcmp(name, "isPrototypeOf") == 0) return gql_rv_bool(false);
    return gql_rv_null();
}

/* ---- completing values ------------------------------------------------------ */

static exec_result throw_error(exec_ctx *c, exec_field *f, const gql_path *path, const char *msg) {
    gql_exec_error(c, f, path, msg);
    return EXEC_THROW;
}

static bool fits_int32(int64_t i) { return i >= INT32_MIN && i <= INT32_MAX; }

/* name (NUL-terminated) is exactly the len bytes at s, which may hold a NUL. */
static bool name_is(const char *name, const char *s, uint32_t len) {
    for (uint32_t i = 0; i < len; i++)
        if (name[i] != s[i] || !name[i]) return false;
    return name[len] == 0;
}

/* An enum's serialize for a string: the value of that name, written as is
 * (a name needs no escaping). false when there is none: the general path then
 * makes the error. Resolvers often return the schema's own name pointer. */
static bool write_enum(gql_buf *out, const gql_type *type, const char *s, uint32_t len, uint32_t *hint) {
    const gql_enum_value *v = type->values, *end = v + type->value_count;
    if (!len) return false;   /* no name is empty */
    if (*hint < type->value_count && v[*hint].name == s) v += *hint;   /* the field's last value */
    else while (v < end && v->name != s) v++;
    if (v == end)
        for (v = type->values; v < end; v++)
            if (v->name[0] == s[0] && name_is(v->name, s, len)) break;
    if (v == end) return false;
    *hint = (uint32_t)(v - type->values);
    if (out->cap - out->len <= (size_t)len + 2) gql_buf_reserve(out, (size_t)len + 2);
    char *o = out->data + out->len;
    o[0] = '"';
    gql_copy(o + 1, v->name, len);
    o[len + 1] = '"';
    o[len + 2] = 0;
    out->len += (size_t)len + 2;
    return true;
}

static exec_result complete_leaf(exec_ctx *c, const gql_type *type, exec_field *f, const gql_path *path,
                                 const gql_rv *rv) {
    gql_schema *s = c->schema;
    gql_buf *out = c->out;
    /* the common cases, without the general serializer */
    const char *str = NULL;
    uint32_t str_len = 0;
    if (rv->kind == GQL_RV_STRING) {
        str = rv->u.str.s, str_len = rv->u.str.len;
    } else if (rv->kind == GQL_RV_JSON) {
        const gql_val *v = rv->u.json;
        if (v->kind == GQL_V_STRING) {
            str = v->u.str.s, str_len = v->u.str.len;
        } else if (v->kind == GQL_V_INT && type == s->t_int && fits_int32(v->u.i)) {
            gql_json_write_int(out, v->u.i);
            return EXEC_VALUE;
        } else if (v->kind == GQL_V_BOOL && type == s->t_boolean) {
            if (v->u.b) gql_buf_append(out, "true", 4);
            else gql_buf_append(out, "false", 5);
            return EXEC_VALUE;
        }
    } else if (rv->kind == GQL_RV_BOOL && type == s->t_boolean) {
        if (rv->u.b) gql_buf_append(out, "true", 4);
        else gql_buf_append(out, "false", 5);
        return EXEC_VALUE;
    } else if (rv->kind == GQL_RV_INT && type == s->t_int && fits_int32(rv->u.i)) {
        gql_json_write_int(out, rv->u.i);
        return EXEC_VALUE;
    }
    if (str) {
        if (type == s->t_string || type == s->t_id) {
            gql_json_write_string(out, str, str_len);
            return EXEC_VALUE;
        }
        if (type->kind == GQL_T_ENUM && write_enum(out, type, str, str_len, &f->enum_hint)) return EXEC_VALUE;
    }
    size_t start = out->len;
    const char *msg = gql_serialize_leaf(c->arena, type, rv, out);
    if (msg) {
        gql_buf_truncate(out, start);
        return throw_error(c, f, path, msg);
    }
    return EXEC_VALUE;
}

static exec_result complete_object(exec_ctx *c, const gql_type *type, exec_field *f, const gql_path *path,
                                   const gql_rv *rv) {
    /* collectSubfields, memoized: most often the entry's first sub-plan */
    exec_plan *plan = f->subs && f->subs->type == type ? f->subs->plan : gql_exec_sub_plan(c, f, type);
    if (!plan) {
        gql_exec_set_path(c, c->errs.tail, path);
        return EXEC_THROW;
    }
    return gql_exec_fields(c, plan, rv, path);
}

static exec_result complete_list(exec_ctx *c, const gql_type *type, const exec_site *site, const gql_path *path,
                                 const gql_rv *rv) {
    const gql_rv *items = NULL;
    gql_val *const *json_items = NULL;
    uint32_t n;
    if (rv->kind == GQL_RV_LIST) {
        items = rv->u.list.items;
        n = rv->u.list.count;
    } else if (rv->kind == GQL_RV_JSON && rv->u.json->kind == GQL_V_LIST) {
        json_items = rv->u.json->u.list.items;
        n = rv->u.json->u.list.count;
    } else {
        return throw_error(c, site->f, path,
                           gql_arena_printf(c->arena, "Expected Iterable, but did not find one for field \"%s.%s\".",
                                            site->parent_type->name, site->f->def->name));
    }
    const gql_type *item_type = type->of_type;
    /* items of an object type T or T! that are objects go straight to their fields */
    const gql_type *object_type = item_type->kind == GQL_T_NON_NULL ? item_type->of_type : item_type;
    if (object_type->kind != GQL_T_OBJECT) object_type = NULL;
    gql_buf *out = c->out;
    gql_buf_putc(out, '[');
    for (uint32_t i = 0; i < n; i++) {
        if (i) gql_buf_putc(out, ',');
        gql_path item_path = {.prev = path, .key = NULL, .index = i};
        gql_rv json_item;
        const gql_rv *item = &json_item;
        if (items) item = &items[i];
        else json_item = gql_rv_json(json_items[i]);
        size_t start = out->len;
        exec_result r;
        if (object_type && (item->kind == GQL_RV_OBJECT ||
                            (item->kind == GQL_RV_JSON && item->u.json && item->u.json->kind == GQL_V_OBJECT)))
            r = complete_object(c, object_type, site->f, &item_path, item);
        else
            r = complete_value(c, item_type, site, &item_path, item);
        if (r == EXEC_THROW && handle_field_error(c, item_type, start) == EXEC_THROW) return EXEC_THROW;
    }
    gql_buf_putc(out, ']');
    return EXEC_VALUE;
}

/* completeAbstractValue + ensureValidRuntimeType. The runtime type comes from
 * the value (GQL_RV_OBJECT's type), else the abstract type's resolve_type hook,
 * else defaultTypeResolver: a JSON object's __typename. */
static exec_result complete_abstract(exec_ctx *c, const gql_type *type, const exec_site *site, const gql_path *path,
                                     const gql_rv *rv) {
    gql_arena *a = c->arena;
    exec_field *f = site->f;
    const gql_type *rt = NULL;
    if (rv->kind == GQL_RV_OBJECT && rv->u.object.type) {
        rt = rv->u.object.type;
    } else if (type->resolve_type) {
        gql_resolve_info info;
        make_info(c, site, path, &info);
        rt = type->resolve_type(rv, type, &info);
    } else if (rv->kind == GQL_RV_JSON && rv->u.json->kind == GQL_V_OBJECT) {
        const gql_val *tn = gql_val_get(rv->u.json, "__typename", 10);
        if (tn && tn->kind == GQL_V_STRING) {
            rt = gql_schema_type_n(c->schema, tn->u.str.s, tn->u.str.len);
            if (!rt)
                return throw_error(c, f, path,
                                   gql_arena_printf(a,
                                                    "Abstract type \"%s\" was resolved to a type \"%s\" that does "
                                                    "not exist inside the schema.",
                                                    type->name, tn->u.str.s));
        }
    }
    if (!rt)
        return throw_error(c, f, path,
                           gql_arena_printf(a,
                                            "Abstract type \"%s\" must resolve to an Object type at runtime for "
                                            "field \"%s.%s\". Either the \"%s\" type should provide a "
                                            "\"resolveType\" function or each possible type should provide an "
                                            "\"isTypeOf\" function.",
                                            type->name, site->parent_type->name, f->def->name, type->name));
    if (rt->kind != GQL_T_OBJECT)
        return throw_error(c, f, path,
                           gql_arena_printf(a, "Abstract type \"%s\" was resolved to a non-object type \"%s\".",
                                            type->name, gql_type_str(a, rt)));
    if (!gql_is_sub_type(type, rt))
        return throw_error(c, f, path,
                           gql_arena_printf(a, "Runtime Object type \"%s\" is not a possible type for \"%s\".",
                                            rt->name, type->name));
    return complete_object(c, rt, f, path, rv);
}

/* Literals written with exec_append_padded. */
static const char lit_null[EXEC_PAD] = "null", lit_true[EXEC_PAD] = "true", lit_false[EXEC_PAD] = "false";

static inline void write_bool(gql_buf *out, bool b) {
    if (b) exec_append_padded(out, lit_true, 4);
    else exec_append_padded(out, lit_false, 5);
}

/* completeValue in the common cases: null for a nullable field, and a leaf
 * value of the kind its type expects. false leaves the value to the general
 * path (errors included), having written nothing. */
static inline __attribute__((always_inline)) bool complete_fast(exec_ctx *c, exec_field *f, const gql_rv *rv) {
    const char *str;
    uint32_t len;
    int64_t i;
    switch (rv->kind) {
    case GQL_RV_STRING:
        str = rv->u.str.s, len = rv->u.str.len;
        if (!str) return false;
        break;
    case GQL_RV_JSON: {
        const gql_val *v = rv->u.json;
        if (!v || v->kind == GQL_V_NULL) goto null;
        if (v->kind == GQL_V_STRING || v->kind == GQL_V_ENUM) {
            str = v->u.str.s, len = v->u.str.len;
            break;
        }
        if (v->kind == GQL_V_INT) {
            i = v->u.i;
            goto integer;
        }
        if (v->kind != GQL_V_BOOL || f->leaf != EXEC_LEAF_BOOLEAN) return false;
        write_bool(c->out, v->u.b);
        return true;
    }
    case GQL_RV_NULL: goto null;
    case GQL_RV_INT: i = rv->u.i; goto integer;
    case GQL_RV_BOOL:
        if (f->leaf != EXEC_LEAF_BOOLEAN) return false;
        write_bool(c->out, rv->u.b);
        return true;
    default: return false;
    }
    /* a string */
    if (f->leaf == EXEC_LEAF_STRING) {
        gql_json_write_string(c->out, str, len);
        return true;
    }
    if (f->leaf == EXEC_LEAF_ENUM || f->leaf == EXEC_LEAF_CUSTOM) {
        const gql_type *t = f->leaf_non_null ? f->def->type->of_type : f->def->type;
        if (f->leaf == EXEC_LEAF_ENUM) return write_enum(c->out, t, str, len, &f->enum_hint);
        if (t->serialize) return false;
        gql_json_write_string(c->out, str, len);
        return true;
    }
    return false;
integer:
    if (f->leaf != EXEC_LEAF_INT || !fits_int32(i)) return false;
    gql_json_write_int(c->out, i);
    return true;
null:
    if (f->leaf_non_null) return false;
    exec_append_padded(c->out, lit_null, 4);
    return true;
}

/* completeValue. A non-null type is completed as its nullable type, whose only
 * null result is a null value. */
static exec_result complete_value(exec_ctx *c, const gql_type *type, const exec_site *site, const gql_path *path,
                                  const gql_rv *rv) {
    if (rv->kind == GQL_RV_ERROR) {
        gql_error *e = gql_exec_error(c, site->f, path, rv->u.error.message ? rv->u.error.message : "");
        e->code = rv->u.error.code;
        e->ext = rv->u.error.ext;
        return EXEC_THROW;
    }
    bool non_null = type->kind == GQL_T_NON_NULL;
    if (non_null) type = type->of_type;
    if (rv_is_null(rv)) {
        if (non_null)
            return throw_error(c, site->f, path,
                               gql_arena_printf(c->arena, "Cannot return null for non-nullable field %s.%s.",
                                                site->parent_type->name, site->f->def->name));
        gql_buf_append(c->out, "null", 4);
        return EXEC_NULL;
    }
    switch (type->kind) {
    case GQL_T_SCALAR:
    case GQL_T_ENUM: return complete_leaf(c, type, site->f, path, rv);
    case GQL_T_OBJECT: return complete_object(c, type, site->f, path, rv);
    case GQL_T_LIST: return complete_list(c, type, site, path, rv);
    case GQL_T_INTERFACE:
    case GQL_T_UNION: return complete_abstract(c, type, site, path, rv);
    default:   /* an input type: the schema builder does not let one be a field's type */
        return throw_error(c, site->f, path, "Cannot complete value of unexpected output type.");
    }
}

/* ---- executing fields ------------------------------------------------------- */

/* completeValue of a field's resolved value and the catch around it; the
 * value of an object type goes straight to its fields. */
static exec_result complete_field(exec_ctx *c, const exec_site *site, const gql_path *path, const gql_rv *rv,
                                  size_t start) {
    exec_field *f = site->f;
    if (complete_fast(c, f, rv)) return EXEC_VALUE;
    exec_result r;
    if (f->object_type && rv->kind != GQL_RV_ERROR && !rv_is_null(rv)) r = complete_object(c, f->object_type, f, path, rv);
    else r = complete_value(c, f->def->type, site, path, rv);
    if (r == EXEC_THROW) return handle_field_error(c, f->def->type, start);
    return r;
}

/* executeField after the key is written: arguments, resolver, completion. */
static exec_result execute_field(exec_ctx *c, const gql_type *parent_type, const gql_rv *source, exec_field *f,
                                 const gql_path *path) {
    size_t start = c->out->len;
    exec_site site = {.f = f, .parent_type = parent_type, .source = source};
    const gql_val *args = f->args;
    if (!args) {
        const gql_field *def = f->def;
        const gql_selection *node = f->nodes[0];
        args = gql_argument_values(f->args_cacheable && !f->per_request ? c->doc_arena : c->arena, def->args,
                                   def->arg_count, node->args, node->arg_count, node->loc, c->vars, &c->errs);
        if (!args) {
            gql_exec_set_path(c, c->errs.tail, path);
            return handle_field_error(c, def->type, start);
        }
        if (f->args_cacheable) f->args = args;
    }
    gql_rv rv;
    if (f->resolve) {
        gql_resolve_info info;
        make_info(c, &site, path, &info);
        rv = f->resolve(source_pointer(source), args, &info);
    } else {
        rv = default_resolve(source, f, args);
    }
    return complete_field(c, &site, path, &rv, start);
}

exec_result gql_exec_field(exec_ctx *c, const gql_type *parent_type, const gql_rv *source, exec_field *f,
                           const gql_path *path, const gql_rv *value) {
    if (f->is_typename) {
        exec_append_padded(c->out, f->typename_json, f->typename_json_len);
        return EXEC_VALUE;
    }
    if (!value) return execute_field(c, parent_type, source, f, path);
    exec_site site = {.f = f, .parent_type = parent_type, .source = source};
    return complete_field(c, &site, path, value, c->out->len);
}

/* executeFields (and executeFieldsSerially: with synchronous resolvers both run
 * the fields one after the other, in order). The default resolver on a JSON
 * object with a leaf or null member is done in the loop: most fields are that. */
exec_result gql_exec_fields(exec_ctx *c, exec_plan *plan, const gql_rv *source, const gql_path *path) {
    gql_buf *out = c->out;
    const gql_val *json = NULL;
    if (source->kind == GQL_RV_JSON && source->u.json && source->u.json->kind == GQL_V_OBJECT) json = source->u.json;
    gql_buf_putc(out, '{');
    const void *src = source_pointer(source);
    uint32_t skip = 1;   /* the first member has no comma before it */
    exec_field *f = plan->fields, *end = f + plan->count;
    for (; f < end; f++) {
        if (!f->def) continue;
        exec_append_padded(out, f->key_json + skip, f->key_json_len - skip);
        skip = 0;
        if (f->is_typename) {
            exec_append_padded(out, f->typename_json, f->typename_json_len);
            continue;
        }
        if (f->light && f->args) {
            /* an introspection field: no info to build */
            gql_rv rv = f->resolve(src, f->args, &c->request_info);
            if (complete_fast(c, f, &rv)) continue;
            gql_path field_path = {.prev = path, .key = f->key, .index = 0};
            exec_site site = {.f = f, .parent_type = plan->type, .source = source};
            if (complete_field(c, &site, &field_path, &rv, out->len) == EXEC_THROW) return EXEC_THROW;
            continue;
        }
        if (json && !f->resolve && f->args) {
            const gql_val *v = json_member(json, f);
            if (v) {
                gql_rv rv = gql_rv_json(v);
                if (complete_fast(c, f, &rv)) continue;
                gql_path field_path = {.prev = path, .key = f->key, .index = 0};
                exec_site site = {.f = f, .parent_type = plan->type, .source = source};
                if (complete_field(c, &site, &field_path, &rv, out->len) == EXEC_THROW) return EXEC_THROW;
                continue;
            }
        }
        gql_path field_path = {.prev = path, .key = f->key, .index = 0};
        if (execute_field(c, plan->type, source, f, &field_path) == EXEC_THROW) return EXEC_THROW;
    }
    gql_buf_putc(out, '}');
    return EXEC_VALUE;
}

static const char *const op_names[] = {"query", "mutation", "subscription"};

const gql_type *gql_exec_root_type(exec_ctx *c) {
    gql_schema *s = c->schema;
    const gql_type *t = c->op->operation == GQL_OP_QUERY      ? s->query
                        : c->op->operation == GQL_OP_MUTATION ? s->mutation
                                                              : s->subscription;
    if (!t) {
        gql_error *e = gql_errors_add(&c->errs, "Schema is not configured to execute %s operation.",
                                      op_names[c->op->operation]);
        gql_error_add_loc(&c->errs, e, c->op->loc);
    }
    return t;
}

gql_exec_status gql_execute(const gql_exec_request *req, gql_buf *out) {
    exec_ctx c;
    gql_exec_ctx_init(&c, req, out);
    if (!gql_exec_select(&c, req)) {
        gql_exec_write_request_errors(&c.errs, out);
        return GQL_EXEC_REQUEST_ERROR;
    }
    size_t base = out->len;
    gql_buf_append(out, "{\"data\":", 8);
    size_t data_start = out->len;
    const gql_type *root_type = gql_exec_root_type(&c);
    exec_result r = EXEC_THROW;
    if (root_type) {
        exec_plan *plan = gql_exec_root_plan(&c, root_type);
        if (plan) r = gql_exec_fields(&c, plan, c.root, NULL);
    }
    if (r == EXEC_THROW) {
        gql_buf_truncate(out, data_start);
        gql_buf_append(out, "null", 4);
    }
    gql_buf_putc(out, '}');
    return gql_exec_finish(&c, base);
}
