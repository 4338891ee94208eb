/* Reads many network stacks on worker threads that each setns() into one stack after another. */
#ifndef NSATLAS_NETSTACK_POOL_H
#define NSATLAS_NETSTACK_POOL_H

#include <stdatomic.h>

#include "netlink-dump.h"

/* Ways to open one stack, tried in order until one opens the namespace of that inode:
 * nsfs paths (/proc/<pid>/ns/net, a pin, /proc/<pid>/fd/N), then sockets created in it
 * (pid, fd: pidfd_getfd(2) + SIOCGSKNS). */
struct stack_ref {
	unsigned long long inode;
	char **paths;
	int npaths;
	int *sock_pids;
	int *sock_fds;
	int nsocks;
};

/* "Which nsid does stack `from` give stack `target`?" answered with RTM_GETNSID. */
struct nsid_query {
	int from;
	int target;
	int nsid; /* -1: none assigned */
	int err;  /* errno when the question could not be asked */
};

struct netstack_job {
	const struct stack_ref *refs;
	int n;
	int dump; /* read links, addresses, routes and sockets of every stack */
	struct nsid_query *queries;
	int nqueries;
	int threads;
	struct stack_facts *facts; /* n entries, filled by netstack_run */
};

/* Runs the job on job->threads new threads (never the caller's: setns would move it);
 * 0 or -errno when no thread could start. */
int netstack_run(struct netstack_job *job);

#endif
