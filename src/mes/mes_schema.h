/*
 * mes_schema.h: the API's SDL (src/mes/schema.graphql), embedded at build
 * time. It is kept in graphql-js printSchema form, so printing it as it is
 * equals printSchema of mesd's own introspection.
 */
#ifndef MES_SCHEMA_H
#define MES_SCHEMA_H
extern const unsigned char mes_schema_sdl[];
extern const unsigned long mes_schema_sdl_len;
#endif
