/* Stack detail from worker threads. setns(2) with CLONE_NEWNET moves only the calling thread,
 * and a netlink socket answers for the stack its creator was in, so a worker enters a stack,
 * opens its sockets, dumps, and goes on to the next: no process is spawned and no stack gets
 * a name. Workers are threads of their own, never the caller's: the JS thread must stay in
 * its stack. They exit when done, which drops their reference on the last stack. */
#include "netstack-pool.h"
#include "ns-ioctl.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <linux/sockios.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define NL_BUF (64 * 1024) /* a dump message is at most 32 KiB (netlink_dump) */

struct pool {
	struct netstack_job *job;
	atomic_int next;
};

/* Keeps fd when it is the namespace we want; a holder may have exited and its pid or fd
 * number been reused meanwhile, so the inode decides, not the path. */
static int keep_if_inode(int fd, unsigned long long inode, int *err)
{
	struct stat st;
	if (fstat(fd, &st) == 0 && (unsigned long long)st.st_ino == inode)
		return fd;
	close(fd);
	*err = ESTALE;
	return -1;
}

static int open_stack(const struct stack_ref *ref)
{
	int err = ENOENT;
	for (int i = 0; i < ref->npaths; i++) {
		int fd = open(ref->paths[i], O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			err = errno;
			continue;
		}
		if (keep_if_inode(fd, ref->inode, &err) >= 0)
			return fd;
	}
	for (int i = 0; i < ref->nsocks; i++) {
		int fd = ns_open_socket_netns(ref->sock_pids[i], ref->sock_fds[i]);
		if (fd < 0) {
			err = -fd;
			continue;
		}
		if (keep_if_inode(fd, ref->inode, &err) >= 0)
			return fd;
	}
	return -err;
}

static int fail(struct stack_facts *f, const char *step, int rc)
{
	if (!f->err) {
		f->err = -rc;
		f->err_step = step;
	}
	return rc;
}

static void dump_stack(struct stack_facts *f, int route, char *buf)
{
	int rc = rt_dump_links(route, buf, NL_BUF, f);
	if (rc < 0)
		fail(f, "links", rc);
	rc = rt_dump_addrs(route, buf, NL_BUF, f);
	if (rc < 0)
		fail(f, "addresses", rc);
	rc = rt_dump_routes(route, buf, NL_BUF, f);
	if (rc < 0)
		fail(f, "routes", rc);
	int diag = nl_socket(NETLINK_SOCK_DIAG);
	rc = diag < 0 ? diag : diag_dump_listening(diag, buf, NL_BUF, f);
	if (rc < 0)
		f->sock_err = -rc;
	if (diag >= 0)
		close(diag);
}

static void answer_queries(struct netstack_job *job, int from, int route, char *buf)
{
	for (int q = 0; q < job->nqueries; q++) {
		struct nsid_query *query = &job->queries[q];
		if (query->from != from)
			continue;
		if (route < 0) {
			query->err = -route;
			continue;
		}
		int target = query->target >= 0 && query->target < job->n
				     ? open_stack(&job->refs[query->target])
				     : -EINVAL;
		if (target < 0) {
			query->err = -target;
			continue;
		}
		int nsid = rt_get_nsid(route, target, buf, NL_BUF);
		close(target);
		if (nsid < -1)
			query->err = -nsid;
		else
			query->nsid = nsid;
	}
}

static int asks_queries(const struct netstack_job *job, int from)
{
	for (int q = 0; q < job->nqueries; q++)
		if (job->queries[q].from == from)
			return 1;
	return 0;
}

static void read_one(struct netstack_job *job, int i, char *buf)
{
	struct stack_facts *f = &job->facts[i];
	/* A stack that is only the target of nsid questions is opened by whoever asks. */
	if (!job->dump && !asks_queries(job, i))
		return;
	int route = -EINVAL;
	int fd = open_stack(&job->refs[i]);
	if (fd < 0) {
		route = fail(f, "open", fd);
	} else {
		/* Already in that stack (the scanner's own, on a fresh worker): no setns, which
		 * needs CAP_SYS_ADMIN, so that a scan without root still reads the stack it runs in. */
		struct stat cur, want;
		int here = stat("/proc/thread-self/ns/net", &cur) == 0 && fstat(fd, &want) == 0 &&
			   cur.st_ino == want.st_ino && cur.st_dev == want.st_dev;
		int rc = here ? 0 : setns(fd, CLONE_NEWNET) < 0 ? -errno : 0;
		close(fd);
		if (rc < 0) {
			route = fail(f, "setns", rc);
		} else {
			route = nl_socket(NETLINK_ROUTE);
			if (route < 0)
				fail(f, "netlink", route);
			else if (job->dump)
				dump_stack(f, route, buf);
		}
	}
	answer_queries(job, i, route, buf);
	if (route >= 0)
		close(route);
}

static void *worker(void *arg)
{
	struct pool *pool = arg;
	char *buf = malloc(NL_BUF);
	for (;;) {
		int i = atomic_fetch_add(&pool->next, 1);
		if (i >= pool->job->n)
			break;
		if (!buf)
			fail(&pool->job->facts[i], "memory", -ENOMEM);
		else
			read_one(pool->job, i, buf);
	}
	free(buf);
	return NULL;
}

int netstack_run(struct netstack_job *job)
{
	for (int q = 0; q < job->nqueries; q++) {
		job->queries[q].nsid = -1;
		job->queries[q].err = 0;
	}
	if (job->n == 0)
		return 0;
	struct pool pool = { .job = job };
	atomic_init(&pool.next, 0);
	int threads = job->threads < 1 ? 1 : job->threads > 16 ? 16 : job->threads;
	if (threads > job->n)
		threads = job->n;
	pthread_t tids[16];
	int started = 0;
	for (int t = 0; t < threads; t++)
		if (pthread_create(&tids[started], NULL, worker, &pool) == 0)
			started++;
	for (int t = 0; t < started; t++)
		pthread_join(tids[t], NULL);
	return started > 0 ? 0 : -EAGAIN;
}
