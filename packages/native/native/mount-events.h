/* Watches one mount table (/proc/<pid>/mountinfo) on a background thread: the kernel
 * signals POLLPRI|POLLERR on it whenever a mount or unmount changes that namespace. */
#ifndef NSATLAS_MOUNT_EVENTS_H
#define NSATLAS_MOUNT_EVENTS_H

/* Starts watching path, calling notify() on the watcher thread after each change.
 * 0, or -errno (EALREADY when a table is watched already). */
int mount_events_start(const char *path, void (*notify)(void));

#endif
