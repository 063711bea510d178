/*
 * schema_internal.h: what the schema*.c files share and nobody else needs: a
 * string-keyed hash map that keeps insertion order (graphql-js's objects and
 * Sets iterate in insertion order, and several messages depend on it), the
 * SDL rules, the schema validation, and the built-in definitions.
 */
#ifndef GQL_SCHEMA_INTERNAL_H
#define GQL_SCHEMA_INTERNAL_H
#include <stdbool.h>
#include <stdint.h>
#include "arena.h"
#include "ast.h"
#include "error.h"
#include "schema.h"

typedef struct gql_smap_ent {
    const char *key;   /* not copied: must outlive the map */
    uint32_t len;
    void *val;
} gql_smap_ent;

typedef struct gql_smap {
    gql_arena *arena;
    gql_smap_ent *ents;   /* in insertion order */
    uint32_t count, ents_cap;
    uint32_t *slots;      /* open addressing: 0 empty, else index into ents + 1 */
    uint32_t slot_cap;    /* power of two */
} gql_smap;

void gql_smap_init(gql_smap *m, gql_arena *a);
/* The entry for key, or NULL. */
gql_smap_ent *gql_smap_find(const gql_smap *m, const char *key, uint32_t len);
void *gql_smap_get(const gql_smap *m, const char *key, uint32_t len);
/* The entry for key, created with val NULL when absent (*created says which). */
gql_smap_ent *gql_smap_put(gql_smap *m, const char *key, uint32_t len, bool *created);
uint32_t gql_hash_name(const char *s, uint32_t len);

/* graphql-js's isTypeDefinitionNode: the six named type definitions. */
static inline bool gql_kind_is_type_definition(gql_kind k) {
    return k == GQL_SCALAR_TYPE_DEFINITION || k == GQL_OBJECT_TYPE_DEFINITION || k == GQL_INTERFACE_TYPE_DEFINITION ||
           k == GQL_UNION_TYPE_DEFINITION || k == GQL_ENUM_TYPE_DEFINITION || k == GQL_INPUT_OBJECT_TYPE_DEFINITION;
}

/* assertValidSDL: specifiedSDLRules over the document, errors in graphql-js's
 * order. Returns the number of errors added. */
uint32_t gql_schema_validate_sdl(const gql_document *doc, gql_errors *errs);

/* validateSchema (type/validate.js) on a built schema. Returns the number of errors added. */
uint32_t gql_schema_validate(gql_schema *s, gql_errors *errs);

/* The SDL of the built-in scalars, the introspection types and the specified
 * directives, with graphql-js's descriptions. */
extern const char gql_builtin_sdl[];

#include "suggest.h"   /* gql_did_you_mean */

#endif
