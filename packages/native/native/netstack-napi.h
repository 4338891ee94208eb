/* The one N-API entry point of the stack reader, registered by addon.c. */
#ifndef NSATLAS_NETSTACK_NAPI_H
#define NSATLAS_NETSTACK_NAPI_H

#include "napi-util.h"

/* netstacks({stacks: [{inode, paths, sockets}], dump, queries, threads}) -> {stacks, nsids}. */
napi_value js_netstacks(napi_env env, napi_callback_info info);
/* netstacksAsync(request) -> Promise of the same; the workers are joined on libuv's pool. */
napi_value js_netstacks_async(napi_env env, napi_callback_info info);

#endif
