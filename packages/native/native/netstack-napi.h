/* The one N-API entry point of the stack reader, registered by addon.c. */
#ifndef NSATLAS_NETSTACK_NAPI_H
#define NSATLAS_NETSTACK_NAPI_H

#define NAPI_VERSION 8
#include <node_api.h>

/* netstacks({stacks: [{inode, paths, sockets}], dump, queries, threads}) -> {stacks, nsids}. */
napi_value js_netstacks(napi_env env, napi_callback_info info);

#endif
