/* Process events from the netlink proc connector (linux/cn_proc.h): the kernel multicasts a
 * message on every fork, exec and exit. Counting the ones that change the process list (not
 * threads, not kernel threads) replaces polling /proc, whose readdir costs ~7 µs a process. */
#include "proc-events.h"

#include <errno.h>
#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#define KTHREADD 2 /* every kernel thread is a child of kthreadd */

static atomic_long counted;
/* Pids that exec'd since the last take: their argv changed while pid and start time did not. */
#define MAX_EXECS 4096
static int execs[MAX_EXECS];
static int nexecs;
static int execs_overflow;
static pthread_mutex_t execs_lock = PTHREAD_MUTEX_INITIALIZER;

static void note_exec(int tgid)
{
	pthread_mutex_lock(&execs_lock);
	if (nexecs < MAX_EXECS)
		execs[nexecs++] = tgid;
	else
		execs_overflow = 1;
	pthread_mutex_unlock(&execs_lock);
}
static void (*_Atomic notify_fn)(void);

/* Adds n events; the first after a take wakes the listener (if any). */
static void add_events(long n)
{
	if (atomic_fetch_add(&counted, n) == 0) {
		void (*fn)(void) = atomic_load(&notify_fn);
		if (fn)
			fn();
	}
}
static int started;	    /* 1 when running, -errno after a failed start; guarded by lock */
static int event_sock = -1; /* the subscribed socket, for proc_events_recv_timeout_us */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/* How many of a datagram's events change the process list; -1 for the subscription's ack
 * with an error, stored in *ack_err. */
static long count_events(const char *buf, ssize_t len, int *ack_err)
{
	long n = 0;
	for (const struct nlmsghdr *h = (const struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)len);
	     h = NLMSG_NEXT(h, len)) {
		/* The connector sends every message as NLMSG_DONE; only errors and no-ops are
		 * skipped. */
		if (h->nlmsg_type == NLMSG_ERROR || h->nlmsg_type == NLMSG_NOOP)
			continue;
		if (h->nlmsg_len < NLMSG_LENGTH(sizeof(struct cn_msg)))
			continue; /* truncated */
		const struct cn_msg *cn = NLMSG_DATA(h);
		if (cn->id.idx != CN_IDX_PROC || cn->id.val != CN_VAL_PROC)
			continue;
		/* The event sits 4-byte aligned after the 20-byte cn_msg header, but struct
		 * proc_event (a u64 timestamp inside) wants 8: copy it out rather than read it in
		 * place. */
		struct proc_event copy;
		size_t avail = h->nlmsg_len - (size_t)((const char *)cn->data - (const char *)h);
		memset(&copy, 0, sizeof copy);
		memcpy(&copy, cn->data, avail < sizeof copy ? avail : sizeof copy);
		const struct proc_event *ev = &copy;
		switch (ev->what) {
		case PROC_EVENT_NONE:
			if (ack_err)
				*ack_err = (int)ev->event_data.ack.err;
			break;
		case PROC_EVENT_FORK:
			/* A new thread (child pid != tgid) or kernel thread changes no process list
			 * entry. */
			if (ev->event_data.fork.child_pid == ev->event_data.fork.child_tgid &&
			    ev->event_data.fork.parent_tgid != KTHREADD)
				n++;
			break;
		case PROC_EVENT_EXEC: /* comm and cmdline change */
			note_exec(ev->event_data.exec.process_tgid);
			n++;
			break;
		case PROC_EVENT_EXIT:
			if (ev->event_data.exit.process_pid == ev->event_data.exit.process_tgid &&
			    ev->event_data.exit.parent_tgid != KTHREADD)
				n++;
			break;
		default:
			break;
		}
	}
	return n;
}

static void *reader(void *arg)
{
	int sock = (int)(long)arg;
	char buf[8192] __attribute__((aligned(NLMSG_ALIGNTO)));
	for (;;) {
		ssize_t len = recv(sock, buf, sizeof buf, 0);
		if (len < 0) {
			/* errno is saved at once: the mutex and the notify call below may change
			 * it. */
			int err = errno;
			if (err == EINTR || err == EAGAIN)
				continue;
			/* ENOBUFS: the socket overflowed and events were lost; report "something
			 * changed", and since execs may be among them, that every argv may have
			 * changed. */
			pthread_mutex_lock(&execs_lock);
			execs_overflow = 1;
			pthread_mutex_unlock(&execs_lock);
			add_events(1);
			if (err != ENOBUFS)
				usleep(100000);
			continue;
		}
		long n = count_events(buf, len, NULL);
		if (n > 0)
			add_events(n);
	}
	return NULL;
}

static int subscribe(int *out)
{
	int sock = socket(PF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_CONNECTOR);
	if (sock < 0)
		return -errno;
	/* nl_pid 0: the kernel picks a free port id for us. */
	struct sockaddr_nl addr = { .nl_family = AF_NETLINK,
				    .nl_groups = CN_IDX_PROC,
				    .nl_pid = 0 };
	if (bind(sock, (struct sockaddr *)&addr, sizeof addr) < 0) {
		int err = errno;
		close(sock);
		return -err;
	}
	struct {
		struct nlmsghdr h;
		struct cn_msg cn;
		enum proc_cn_mcast_op op;
	} __attribute__((packed)) req;
	memset(&req, 0, sizeof req);
	req.h.nlmsg_len = sizeof req;
	req.h.nlmsg_type = NLMSG_DONE;
	req.cn.id.idx = CN_IDX_PROC;
	req.cn.id.val = CN_VAL_PROC;
	req.cn.len = sizeof req.op;
	req.op = PROC_CN_MCAST_LISTEN;
	if (send(sock, &req, sizeof req, 0) < 0) {
		int err = errno;
		close(sock);
		return -err;
	}
	/* The kernel acks the request with a PROC_EVENT_NONE carrying the error (EPERM for a
	 * listener outside the initial user and pid namespaces); events may come first. */
	struct timeval tv = { .tv_usec = 250000 }; /* the ack comes in microseconds when it comes */
	if (setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) < 0) {
		int err = errno;
		close(sock);
		return -err;
	}
	char buf[8192] __attribute__((aligned(NLMSG_ALIGNTO)));
	int ack = -1;
	for (int i = 0; i < 64 && ack < 0; i++) {
		ssize_t len = recv(sock, buf, sizeof buf, 0);
		if (len < 0) {
			int err = errno == EAGAIN ? ETIMEDOUT : errno;
			close(sock);
			return -err;
		}
		long n = count_events(buf, len, &ack);
		if (n > 0)
			atomic_fetch_add(&counted, n);
	}
	if (ack != 0) {
		close(sock);
		return ack > 0 ? -ack : -ETIMEDOUT;
	}
	/* A zero timeval means "block forever": both fields, or the reader wakes every 250 ms. */
	tv = (struct timeval){ 0 };
	if (setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) < 0) {
		int err = errno;
		close(sock);
		return -err;
	}
	event_sock = sock;
	*out = sock;
	return 0;
}

int proc_events_start(void)
{
	pthread_mutex_lock(&lock);
	if (started == 0) {
		int sock = -1;
		int rc = subscribe(&sock);
		if (rc == 0) {
			pthread_t t;
			pthread_attr_t attr;
			pthread_attr_init(&attr);
			pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
			int err = pthread_create(&t, &attr, reader, (void *)(long)sock);
			pthread_attr_destroy(&attr);
			if (err != 0) {
				rc = -err;
				close(sock);
				event_sock = -1;
			} else {
				pthread_setname_np(t, "nsat-procev");
			}
		}
		started = rc == 0 ? 1 : rc;
	}
	int result = started == 1 ? 0 : started;
	pthread_mutex_unlock(&lock);
	return result;
}

long proc_events_take(void)
{
	return atomic_exchange(&counted, 0);
}

void proc_events_set_notify(void (*notify)(void))
{
	atomic_store(&notify_fn, notify);
}

int proc_events_take_execs(int *out, int max)
{
	pthread_mutex_lock(&execs_lock);
	int n = execs_overflow || nexecs > max ? -1 : nexecs;
	if (n > 0)
		memcpy(out, execs, (size_t)n * sizeof *out);
	nexecs = 0;
	execs_overflow = 0;
	pthread_mutex_unlock(&execs_lock);
	return n;
}

long proc_events_recv_timeout_us(void)
{
	pthread_mutex_lock(&lock);
	int sock = event_sock;
	pthread_mutex_unlock(&lock);
	if (sock < 0)
		return -ENOTCONN;
	struct timeval tv;
	socklen_t len = sizeof tv;
	if (getsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &tv, &len) < 0)
		return -errno;
	return (long)tv.tv_sec * 1000000L + (long)tv.tv_usec;
}
