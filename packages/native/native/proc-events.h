#ifndef NSATLAS_PROC_EVENTS_H
#define NSATLAS_PROC_EVENTS_H

/* Subscribes to the kernel's process events (the netlink proc connector) and counts, on a
 * background thread, the starts, execs and exits of user processes. 0, or -errno (EPERM
 * without CAP_NET_ADMIN or outside the initial pid/user namespace). Idempotent. */
int proc_events_start(void);
/* Events counted since the last call (a lost batch counts as one). */
long proc_events_take(void);
/* Copies the pids that exec'd since the last call into out (at most max) and returns how
 * many, or -1 when more exec'd than were kept (then treat every process as exec'd). */
int proc_events_take_execs(int *out, int max);
/* Called on the reader thread when the count leaves zero (edge-triggered: once per take). */
void proc_events_set_notify(void (*notify)(void));

/* The receive timeout of the event socket in µs (0: blocks until an event), or -errno
 * (ENOTCONN before a successful start). */
long proc_events_recv_timeout_us(void);

#endif
