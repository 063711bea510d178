/*
 * validate_internal.h: what the validation rules share: the validation
 * context (graphql-js's ValidationContext plus each rule's state), the rule
 * ids in specifiedRules order, error reporting with the maxErrors limit and
 * the work budgets, hash maps and name interning, and graphql-js's suggestion
 * helpers (suggestionList, didYouMean, naturalCompare).
 *
 * One walk over the document (validate.c) calls, at each node, every rule that
 * handles that node kind, in specifiedRules order, as graphql-js's
 * visitInParallel does; a rule whose handler returns true ("false" in
 * graphql-js) skips the node's subtree for itself only.
 *
 * Aborting (too many errors, exhausted budget) unwinds with longjmp back to
 * gql_validate: everything lives in the context's arena, so nothing leaks.
 */
#ifndef GQL_VALIDATE_INTERNAL_H
#define GQL_VALIDATE_INTERNAL_H
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include "arena.h"
#include "ast.h"
#include "error.h"
#include "schema.h"
#include "suggest.h"
#include "type_info.h"
#include "value.h"

/* specifiedRules, in order. */
typedef enum vrule {
    R_EXECUTABLE_DEFINITIONS,
    R_UNIQUE_OPERATION_NAMES,
    R_LONE_ANONYMOUS_OPERATION,
    R_SINGLE_FIELD_SUBSCRIPTIONS,
    R_KNOWN_TYPE_NAMES,
    R_FRAGMENTS_ON_COMPOSITE_TYPES,
    R_VARIABLES_ARE_INPUT_TYPES,
    R_SCALAR_LEAFS,
    R_FIELDS_ON_CORRECT_TYPE,
    R_UNIQUE_FRAGMENT_NAMES,
    R_KNOWN_FRAGMENT_NAMES,
    R_NO_UNUSED_FRAGMENTS,
    R_POSSIBLE_FRAGMENT_SPREADS,
    R_NO_FRAGMENT_CYCLES,
    R_UNIQUE_VARIABLE_NAMES,
    R_NO_UNDEFINED_VARIABLES,
    R_NO_UNUSED_VARIABLES,
    R_KNOWN_DIRECTIVES,
    R_UNIQUE_DIRECTIVES_PER_LOCATION,
    R_KNOWN_ARGUMENT_NAMES,
    R_UNIQUE_ARGUMENT_NAMES,
    R_VALUES_OF_CORRECT_TYPE,
    R_PROVIDED_REQUIRED_ARGUMENTS,
    R_VARIABLES_IN_ALLOWED_POSITION,
    R_OVERLAPPING_FIELDS_CAN_BE_MERGED,
    R_UNIQUE_INPUT_FIELD_NAMES,
    R_MAX_INTROSPECTION_DEPTH,
    R_COUNT
} vrule;

/* ---- hash map keyed by a pair of 64-bit words ---------------------------- */
typedef struct vmap_ent {
    uint64_t a, b;
    void *val;
    bool used;
} vmap_ent;

typedef struct vmap {
    vmap_ent *ents;
    uint32_t cap, count;
} vmap;

typedef struct vctx vctx;

void *vmap_get(const vmap *m, uint64_t a, uint64_t b);
/* The value slot for the key, inserted (with *slot NULL) when absent. */
void **vmap_slot(vctx *v, vmap *m, uint64_t a, uint64_t b, bool *existed);
static inline void vmap_set(vctx *v, vmap *m, uint64_t a, uint64_t b, void *val)
{
    *vmap_slot(v, m, a, b, NULL) = val;
}
#define VKEY(p) ((uint64_t)(uintptr_t)(p))

/* ---- names ----------------------------------------------------------------- */
typedef struct vstrtab {
    uint32_t *slots;       /* id + 1, 0 = empty */
    uint32_t cap;
    const char **strs;
    uint32_t *lens;
    uint32_t count, strs_cap;
} vstrtab;

/* Dense id of a name (any byte string), stable for the whole validation. */
uint32_t v_intern(vctx *v, const char *s, uint32_t len);
static inline uint32_t v_intern_name(vctx *v, const gql_name *n) { return v_intern(v, n->value, n->len); }

/* ---- variable usages (ValidationContext.getVariableUsages) ---------------- */
typedef struct vusage {
    const gql_value_node *node;           /* the Variable */
    gql_type *type;                        /* input type at that position, or NULL */
    const gql_input_value *default_holder; /* whose default value applies there, or NULL */
    gql_type *parent_type;                 /* parent input type, or NULL */
} vusage;

typedef struct vusages {
    vusage *items;
    uint32_t count;
} vusages;

/* getRecursivelyReferencedFragments' result, cached by set of spread names. */
typedef struct vfraglist {
    const gql_definition **items;
    uint32_t count;
    vusages *usages;   /* the fragments' variable usages, once computed */
} vfraglist;

/* A list of fragment spreads (selections of kind FRAGMENT_SPREAD). */
typedef struct vspreads {
    const gql_selection **items;
    uint32_t count;
} vspreads;

typedef struct voverlap voverlap;   /* OverlappingFieldsCanBeMerged state, validate_overlap.c */

/* ---- the context ----------------------------------------------------------- */
struct vctx {
    gql_schema *schema;
    const gql_document *doc;
    gql_arena arena;            /* scratch memory of this validation */
    gql_errors *errs;
    uint32_t added;             /* errors reported by rules so far */
    uint32_t max_errors;
    jmp_buf abort;
    int64_t fragment_work;      /* ASTValidationContext._remainingFragmentWork */
    gql_type_info ti;
    const void *skip[R_COUNT];  /* node whose subtree a rule skips, or NULL */
    const gql_definition *cur_def;  /* top-level definition being walked */
    const gql_definition *cur_op;   /* last operation entered (the rules' "current operation") */
    vstrtab names;
    gql_buf buf;                /* message building */

    /* ValidationContext caches */
    vmap fragments;             /* name id -> last fragment definition of that name */
    vmap spreads;               /* selection set -> vspreads */
    vmap ref_frags;             /* interned set key -> vfraglist */
    vmap usages;                /* definition -> vusages (local usages) */
    vmap rec_usages;            /* operation -> vusages (recursive usages) */

    /* per-rule state */
    uint32_t operation_count;               /* LoneAnonymousOperation */
    vmap known_op_names;                    /* UniqueOperationNames: name id -> gql_name */
    vmap known_frag_names;                  /* UniqueFragmentNames */
    bool sub_fragments_built;               /* SingleFieldSubscriptions */
    gql_ptrvec unused_ops, unused_frags;    /* NoUnusedFragments */
    vmap cycle_visited;                     /* NoFragmentCycles: name id -> 1 */
    vmap var_defined;                       /* NoUndefinedVariables: (op, name id) -> 1 */
    gql_ptrvec var_defs;                    /* NoUnusedVariables: definitions of the operation */
    vmap var_def_map;                       /* VariablesInAllowedPosition: (op, name id) -> definition */
    vmap doc_directives;                    /* name id -> last DirectiveDefinition of the document */
    vmap defined_types;                     /* KnownTypeNames: name id -> 1 for document type definitions */
    vmap dir_scopes;                        /* UniqueDirectivesPerLocation: (scope, name id) -> directive node */
    vmap type_dir_scope;                    /* type name id -> scope */
    vmap directive_dir_scope;               /* directive name id -> scope */
    uint64_t next_scope;
    gql_ptrvec input_objects;               /* UniqueInputFieldNames: stack of object values */
    vmap input_names;                       /* (object value, name id) -> gql_name */
    vmap intro_checked, intro_exceeded;     /* MaxIntrospectionDepth: name id -> depth + 1 */
    voverlap *overlap;
};

/* ---- errors ---------------------------------------------------------------- */
/* Report an error (after the maxErrors check, which may abort). */
gql_error *v_error(vctx *v, const char *msg);
gql_error *v_errorf(vctx *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void v_loc(vctx *v, gql_error *e, gql_loc loc);
/* graphql-js's validationAbortedError: "Validation aborted." then stop. */
_Noreturn void v_abort(vctx *v);
/* An error graphql-js would throw out of validate(): report it, then stop. */
_Noreturn void v_throw(vctx *v);
/* ASTValidationContext.spendFragmentWork */
void v_spend_fragment_work(vctx *v, int64_t cost);

/* ---- strings ------------------------------------------------------------- */
const char *v_type_str(vctx *v, const gql_type *t);
const char *v_value_str(vctx *v, const gql_value_node *n);   /* printForError */
const char *v_type_node_str(vctx *v, const gql_type_node *t); /* print(typeNode) */
bool v_name_eq(const gql_name *n, const char *s);

/* ---- suggestions ----------------------------------------------------------- */
/* suggest.h's helpers, with the validation context's scratch arena. */
static inline int v_natural_compare(const char *a, const char *b) { return gql_natural_compare(a, b); }
static inline uint32_t v_suggestion_list(vctx *v, const char *input, size_t input_len, const char *const *options,
                                         uint32_t n, const char ***out) {
    return gql_suggestion_list(&v->arena, input, input_len, options, NULL, n, out);
}
static inline void v_did_you_mean(gql_buf *b, const char *sub, const char *const *suggestions, uint32_t n) {
    gql_did_you_mean_append(b, sub, suggestions, n);
}

/* ---- ValidationContext ------------------------------------------------------ */
const gql_definition *v_fragment(vctx *v, const gql_name *name);
const vspreads *v_fragment_spreads(vctx *v, const gql_selection_set *ss);
const vfraglist *v_referenced_fragments(vctx *v, const gql_definition *const *ops, uint32_t n);
const vusages *v_variable_usages(vctx *v, const gql_definition *def);
const vusages *v_recursive_variable_usages(vctx *v, const gql_definition *op);

/* ---- rules (one handler per node kind they visit) ---------------------------- */
/* validate_documents.c */
void r_executable_definitions(vctx *v);
void r_unique_operation_names(vctx *v, const gql_definition *op);
void r_lone_anonymous_document(vctx *v);
void r_lone_anonymous_operation(vctx *v, const gql_definition *op);
void r_single_field_subscriptions(vctx *v, const gql_definition *op);
void r_unique_fragment_names(vctx *v, const gql_definition *frag);
void r_known_fragment_names(vctx *v, const gql_selection *spread);
void r_no_unused_fragments_leave(vctx *v);
void r_possible_fragment_spreads_inline(vctx *v, const gql_selection *frag);
void r_possible_fragment_spreads_spread(vctx *v, const gql_selection *spread);
void r_no_fragment_cycles(vctx *v, const gql_definition *frag);
void r_fragments_on_composite_inline(vctx *v, const gql_selection *frag);
void r_fragments_on_composite_definition(vctx *v, const gql_definition *frag);
/* validate_fields.c */
void r_known_type_names(vctx *v, const gql_type_node *named);
void r_scalar_leafs(vctx *v, const gql_selection *field);
void r_fields_on_correct_type(vctx *v, const gql_selection *field);
bool r_max_introspection_depth(vctx *v, const gql_selection *field);
/* validate_variables.c */
void r_variables_are_input_types(vctx *v, const gql_variable_definition *vd);
void r_unique_variable_names(vctx *v, const gql_definition *op);
void r_no_undefined_variables_def(vctx *v, const gql_variable_definition *vd);
void r_no_undefined_variables_leave(vctx *v, const gql_definition *op);
void r_no_unused_variables_enter(vctx *v);
void r_no_unused_variables_def(vctx *v, const gql_variable_definition *vd);
void r_no_unused_variables_leave(vctx *v, const gql_definition *op);
void r_variables_in_allowed_position_def(vctx *v, const gql_variable_definition *vd);
void r_variables_in_allowed_position_leave(vctx *v, const gql_definition *op);
/* validate_directives.c */
void r_known_directives(vctx *v, const gql_directive_node *d, gql_directive_location loc);
/* kind/name say which node carries the directives (name: type or directive name, else NULL). */
void r_unique_directives(vctx *v, gql_kind kind, const gql_name *name, const gql_directive_node *dirs, uint32_t n);
void r_known_argument_names_field(vctx *v, const gql_argument *arg);
void r_known_argument_names_directive(vctx *v, const gql_directive_node *d);
void r_unique_argument_names(vctx *v, const gql_argument *args, uint32_t n);
void r_provided_required_arguments_field(vctx *v, const gql_selection *field);
void r_provided_required_arguments_directive(vctx *v, const gql_directive_node *d);
/* validate_values.c */
bool r_values_list(vctx *v, const gql_value_node *n);
bool r_values_object(vctx *v, const gql_value_node *n);
void r_values_object_field(vctx *v, const gql_object_field *f);
void r_values_null(vctx *v, const gql_value_node *n);
void r_values_scalar(vctx *v, const gql_value_node *n);
void r_unique_input_fields_enter(vctx *v, const gql_value_node *obj);
void r_unique_input_fields_leave(vctx *v);
void r_unique_input_fields_field(vctx *v, const gql_object_field *f);
/* validate_overlap.c */
void r_overlapping_fields(vctx *v, const gql_selection_set *ss, gql_kind parent_kind);

#endif
