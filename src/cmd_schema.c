/* cmd_schema.c: `mesd schema` prints the API's schema as SDL. */
#include <stdio.h>
#include "cli.h"
#include "mes_schema.h"

int cmd_schema(int argc, char **argv) {
    if (argc > 2) {
        fprintf(stderr, "usage: mesd schema\n");
        return 2;
    }
    fwrite(mes_schema_sdl, 1, mes_schema_sdl_len, stdout);
    return ferror(stdout) ? 1 : 0;
}
