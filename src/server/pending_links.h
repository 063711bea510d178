/*
 * pending_links.h: TRANSITIONAL. The service core (src/mes) and the
 * WebSocket transports are written in parallel with this layer; until they
 * are merged, these symbols are weak so that mesd links and `mesd serve`
 * starts without them (GraphQL answers 503, WebSocket upgrades 501). Delete
 * this file (and its includes) once they exist: a weak reference does not
 * pull an object out of a static library, so keeping it would leave them out.
 */
#ifndef MESD_PENDING_LINKS_H
#define MESD_PENDING_LINKS_H
#pragma weak mes_config_defaults
#pragma weak mes_open
#pragma weak mes_close
#pragma weak mes_demo_load
#pragma weak mes_authenticate
#pragma weak mes_doc_get
#pragma weak mes_doc_release
#pragma weak mes_doc_operation_kind
#pragma weak mes_execute
#pragma weak mes_subscribe
#pragma weak mes_unsubscribe
#pragma weak mes_get_metrics
#pragma weak mes_store
#pragma weak mes_stream_name
#pragma weak server_ws_upgrade
#endif
