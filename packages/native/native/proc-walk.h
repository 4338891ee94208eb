#ifndef NSATLAS_PROC_WALK_H
#define NSATLAS_PROC_WALK_H

#include <stddef.h>

/* Slots of proc_rec.ns, in the order of NS_LINK_NAMES. */
enum {
	NS_SLOT_CGROUP,
	NS_SLOT_IPC,
	NS_SLOT_MNT,
	NS_SLOT_NET,
	NS_SLOT_PID,
	NS_SLOT_PID_CHILDREN,
	NS_SLOT_TIME,
	NS_SLOT_TIME_CHILDREN,
	NS_SLOT_USER,
	NS_SLOT_UTS,
	NS_SLOTS
};
extern const char *const NS_LINK_NAMES[NS_SLOTS];

/* An fd that refers to a namespace (slot >= 0), a socket (slot == FD_SOCKET) or a tun/tap
 * device (slot == FD_TUN, opened from /dev/net/tun). */
#define FD_SOCKET (-1)
#define FD_TUN (-3)
/* netns: for sockets, the stack the socket was created in (SIOCGSKNS); for tun fds, the stack
 * the device lives in (TUNGETDEVNETNS); 0 when unknown. iff: the tun/tap device name that
 * fdinfo shows ("" when the fd is not attached to a device). */
struct fd_ref {
	int fd;
	int slot;
	unsigned long long inode;
	unsigned long long netns;
	char iff[16];
};
/* A thread whose namespace of one slot differs from its thread-group leader's. */
struct task_diff {
	int tid;
	int slot;
	unsigned long long inode;
};

struct proc_rec {
	int pid;
	int skip;   /* reaped mid-scan (serves no namespace link): reported nowhere */
	int reused; /* cmdline and cgroup not read: the caller's copy is current */
	int uid;
	char *stat;
	long stat_len;
	char *cmdline;
	long cmdline_len;
	char *cgroup;
	long cgroup_len; /* /proc/<pid>/cgroup, as seen from our cgroup namespace */
	unsigned long long ns[NS_SLOTS];
	int ns_errno; /* first error other than ENOENT reading a link (EACCES, even as root) */
	char *nspid;  /* the NSpid line of status, read only for non-initial pid ns */
	struct fd_ref *fds;
	int nfds;
	int fd_errno;
	int ntun; /* fds with slot FD_TUN */
	struct task_diff *tasks;
	int ntasks;
	int task_errno;
};

struct walk_opts {
	const char *proc_root;
	unsigned long long initial_pid_ns; /* 0: read status for every process */
	int threads;
	int with_fds;
	int with_tasks;
	int with_cgroup;
	/* Sorted (pid, start time) pairs of processes whose argv and cgroup the caller still has:
	 * for those the walk skips cmdline and cgroup (exec'd ones must not be listed). */
	const double *reuse;
	long nreuse;
	int with_socket_ns; /* resolve the stack of each socket (SIOCGSKNS) and tun fd
			      (TUNGETDEVNETNS) via pidfd_getfd(2) */
};

/* Walks every numeric entry of proc_root; *out is a malloc'd array. Returns count or -errno. */
long proc_walk(const struct walk_opts *opts, struct proc_rec **out);
void proc_walk_free(struct proc_rec *recs, long n);

#endif
