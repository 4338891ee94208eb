/* N-API glue: turns the C walk and ioctl results into plain JS values. Errors become JS
 * Errors whose `code` is the errno name, like Node's own fs errors. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "mount-events.h"
#include "mount-napi.h"
#include "napi-util.h"
#include "netstack-napi.h"
#include "notifier.h"
#include "ns-ioctl.h"
#include "proc-events.h"
#include "walk-napi.h"

/* The namespace types in the order src/index.ts names them (NS_TYPE_NAMES); 8: unknown. */
static const int NSTYPES[] = { CLONE_NEWCGROUP, CLONE_NEWIPC,  CLONE_NEWNS,   CLONE_NEWNET,
			       CLONE_NEWPID,	CLONE_NEWTIME, CLONE_NEWUSER, CLONE_NEWUTS };
#define NTYPES (sizeof NSTYPES / sizeof *NSTYPES)
/* Numbers per namespace in describe()'s answer: inode, type index, owner, ownerErrno,
 * parent, parentErrno, ownerUid. Plain numbers, shaped into objects by the JS side, where a
 * literal is far cheaper than properties set one by one through N-API. */
#define FACT_FIELDS 7

static void facts_to_f64(const struct ns_facts *f, double *d)
{
	size_t t = 0;
	while (t < NTYPES && NSTYPES[t] != f->nstype)
		t++;
	d[0] = (double)f->inode;
	d[1] = (double)t;
	d[2] = (double)f->owner;
	d[3] = f->owner_errno;
	d[4] = (double)f->parent;
	d[5] = f->parent_errno;
	d[6] = (double)f->owner_uid;
}

/* A namespace to describe: its fd, and its type and inode when already known (0: ask). */
struct pending_ns {
	int fd;
	int nstype;
};

/* Facts of the namespace fd refers to, then of every ancestor reachable through
 * NS_GET_PARENT / NS_GET_USERNS (namespaces that no process may hold any more). Every fd
 * queued, fd included, is closed on every path. */
static napi_value describe_fd(napi_env env, int fd, const char *what)
{
	/* Breadth-first over a tiny graph: user-namespace nesting is capped at 32 levels. */
	struct pending_ns queue[128];
	unsigned long long seen[128];
	int head = 0, tail = 0, nseen = 0;
	queue[tail++] = (struct pending_ns){ fd, 0 };
	struct ns_facts facts[128];
	int failed = 0;
	while (head < tail) {
		struct pending_ns cur = queue[head++];
		struct ns_facts f;
		int related[2] = { -1, -1 }; /* owner, parent */
		int room = tail < 126;
		int rc = failed ? 0
				: ns_describe_known(cur.fd, cur.nstype, 0, &f,
						    room ? &related[0] : NULL,
						    room ? &related[1] : NULL);
		close(cur.fd);
		if (!failed && rc < 0 && head == 1) {
			napi_throw_errno(env, -rc, what);
			failed = 1;
		}
		if (failed || rc < 0)
			continue;
		int dup_seen = 0;
		for (int i = 0; i < nseen; i++)
			dup_seen |= seen[i] == f.inode;
		if (!dup_seen && nseen < 128) {
			facts[nseen] = f;
			seen[nseen++] = f.inode;
		}
		for (int r = 0; r < 2; r++) {
			if (related[r] < 0)
				continue;
			if (failed || dup_seen)
				close(related[r]);
			else
				queue[tail++] =
					(struct pending_ns){ related[r],
							     r == 0 ? CLONE_NEWUSER : f.nstype };
		}
	}
	if (failed)
		return NULL;
	double *d;
	napi_value arr = napi_f64_array(env, (size_t)nseen * FACT_FIELDS, &d);
	for (int i = 0; arr && i < nseen; i++)
		facts_to_f64(&facts[i], d + (size_t)i * FACT_FIELDS);
	return arr;
}

/* describe(path) -> facts of the namespace at path and of its ancestors. */
static napi_value js_describe(napi_env env, napi_callback_info info)
{
	size_t argc = 1;
	napi_value argv[1];
	NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
	char path[4096];
	if (!napi_path_arg(env, argc, argv, path, sizeof path, "describe(path: string)"))
		return NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return napi_throw_errno(env, errno, path);
	return describe_fd(env, fd, path);
}

/* describeSocket(pid, fd) -> facts of the network namespace a socket of pid was created in
 * (a stack kept alive by nothing but that socket has no path to open). */
static napi_value js_describe_socket(napi_env env, napi_callback_info info)
{
	size_t argc = 2;
	napi_value argv[2];
	NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
	int32_t pid = 0, sockfd = -1;
	if (argc < 2 || napi_get_value_int32(env, argv[0], &pid) != napi_ok ||
	    napi_get_value_int32(env, argv[1], &sockfd) != napi_ok) {
		napi_throw_type_error(env, "EINVAL", "describeSocket(pid: number, fd: number)");
		return NULL;
	}
	int ns = ns_open_socket_netns(pid, sockfd);
	if (ns < 0)
		return napi_throw_errno(env, -ns, "socket of a process");
	return describe_fd(env, ns, "socket of a process");
}

/* The event thread is detached and outlives any env: see notifier.h. */
static struct notifier proc_events_notifier = NOTIFIER_INIT("nsatlas-proc-events");

static void notify_proc_events(void)
{
	notifier_fire(&proc_events_notifier);
}

/* procEventsStart(onEvents?) -> 0 or -errno. onEvents() is called (on the JS thread) when
 * events arrive after a take: no polling timer is needed to notice them. */
static napi_value js_proc_events_start(napi_env env, napi_callback_info info)
{
	size_t argc = 1;
	napi_value argv[1];
	NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
	int rc = proc_events_start();
	napi_valuetype type = napi_undefined;
	if (rc == 0 && argc > 0)
		NAPI_CALL(env, napi_typeof(env, argv[0], &type));
	if (type == napi_function) {
		if (notifier_attach(env, argv[0], &proc_events_notifier) < 0)
			return NULL;
		proc_events_set_notify(notify_proc_events);
	}
	return napi_num(env, rc);
}

/* procEventsTakeExecs() -> pids that exec'd since the last call, or null when too many to keep. */
static napi_value js_proc_events_take_execs(napi_env env, napi_callback_info info)
{
	(void)info;
	static int buf[4096]; /* JS-thread only, and only one env subscribes */
	int n = proc_events_take_execs(buf, 4096);
	napi_value out;
	if (n < 0) {
		NAPI_CALL(env, napi_get_null(env, &out));
		return out;
	}
	NAPI_CALL(env, napi_create_array_with_length(env, (size_t)n, &out));
	for (int i = 0; i < n; i++) {
		napi_value pid = napi_num(env, buf[i]);
		if (!pid)
			return NULL;
		NAPI_CALL(env, napi_set_element(env, out, (uint32_t)i, pid));
	}
	return out;
}

/* procEventsTake() -> process starts/execs/exits counted since the last call. */
static napi_value js_proc_events_take(napi_env env, napi_callback_info info)
{
	(void)info;
	return napi_num(env, (double)proc_events_take());
}

/* procEventsRecvTimeout() -> the event socket's receive timeout in µs (0: it sleeps until an
 * event comes), or -errno when not subscribed. */
static napi_value js_proc_events_recv_timeout(napi_env env, napi_callback_info info)
{
	(void)info;
	return napi_num(env, (double)proc_events_recv_timeout_us());
}

static struct notifier mount_events_notifier = NOTIFIER_INIT("nsatlas-mount-events");

static void notify_mount_events(void)
{
	notifier_fire(&mount_events_notifier);
}

/* watchMountTable(path, onChange) -> 0 or -errno: onChange() is called (on the JS thread)
 * after the mount table at path (/proc/self/mountinfo) changed. One table per process. */
static napi_value js_watch_mount_table(napi_env env, napi_callback_info info)
{
	size_t argc = 2;
	napi_value argv[2];
	NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
	char path[4096];
	if (!napi_path_arg(env, argc, argv, path, sizeof path,
			   "watchMountTable(path: string, onChange: () => void)"))
		return NULL;
	napi_valuetype type = napi_undefined;
	if (argc > 1)
		NAPI_CALL(env, napi_typeof(env, argv[1], &type));
	if (type != napi_function) {
		napi_throw_type_error(env, "EINVAL",
				      "watchMountTable(path: string, onChange: () => void)");
		return NULL;
	}
	if (notifier_attach(env, argv[1], &mount_events_notifier) < 0)
		return NULL;
	return napi_num(env, mount_events_start(path, notify_mount_events));
}

static napi_value init(napi_env env, napi_value exports)
{
	napi_property_descriptor props[] = {
		{ "walk", NULL, js_walk, NULL, NULL, NULL, napi_default, NULL },
		{ "walkAsync", NULL, js_walk_async, NULL, NULL, NULL, napi_default, NULL },
		{ "describe", NULL, js_describe, NULL, NULL, NULL, napi_default, NULL },
		{ "describeSocket", NULL, js_describe_socket, NULL, NULL, NULL, napi_default,
		  NULL },
		{ "procEventsStart", NULL, js_proc_events_start, NULL, NULL, NULL, napi_default,
		  NULL },
		{ "procEventsTake", NULL, js_proc_events_take, NULL, NULL, NULL, napi_default,
		  NULL },
		{ "procEventsTakeExecs", NULL, js_proc_events_take_execs, NULL, NULL, NULL,
		  napi_default, NULL },
		{ "procEventsRecvTimeout", NULL, js_proc_events_recv_timeout, NULL, NULL, NULL,
		  napi_default, NULL },
		{ "netstacks", NULL, js_netstacks, NULL, NULL, NULL, napi_default, NULL },
		{ "netstacksAsync", NULL, js_netstacks_async, NULL, NULL, NULL, napi_default,
		  NULL },
		{ "nsfsMounts", NULL, js_nsfs_mounts, NULL, NULL, NULL, napi_default, NULL },
		{ "mountsChanged", NULL, js_mounts_changed, NULL, NULL, NULL, napi_default, NULL },
		{ "watchMountTable", NULL, js_watch_mount_table, NULL, NULL, NULL, napi_default,
		  NULL },
	};
	NAPI_CALL(env, napi_define_properties(env, exports, sizeof props / sizeof *props, props));
	return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
