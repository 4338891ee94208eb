/* The N-API entry points of the /proc walk, registered by addon.c. */
#ifndef NSATLAS_WALK_NAPI_H
#define NSATLAS_WALK_NAPI_H

#include "napi-util.h"

/* walk(procRoot, options?) -> raw records, one per live process (blocks the caller). */
napi_value js_walk(napi_env env, napi_callback_info info);
/* walkAsync(procRoot, options?) -> Promise of the same, the walk done on libuv's pool. */
napi_value js_walk_async(napi_env env, napi_callback_info info);

#endif
