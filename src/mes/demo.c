/*
 * demo.c: the demo factory `mesd serve --demo` loads into an empty database.
 */
#include "mes_internal.h"

int mes_demo_load(store *st, bool *loaded, store_err *err) {
    (void)st, (void)err;
    if (loaded) *loaded = false;
    return STORE_OK;
}
