/* N-API entry points for mount tables, registered by addon.c. */
#ifndef NSATLAS_MOUNT_NAPI_H
#define NSATLAS_MOUNT_NAPI_H

#include "napi-util.h"

/* nsfsMounts(nsMntPath) -> flat [root, mountPoint, …] of the nsfs mounts of that mount
 * namespace (listmount/statmount); throws with the errno name when the kernel cannot. */
napi_value js_nsfs_mounts(napi_env env, napi_callback_info info);
/* mountsChanged(fds) -> indices of the open /proc/<pid>/mountinfo fds whose mount table
 * changed since the last call (poll(2) POLLPRI/POLLERR), or that are no longer valid. */
napi_value js_mounts_changed(napi_env env, napi_callback_info info);

#endif
