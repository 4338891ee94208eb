/* N-API side of the /proc walk: walk() runs it on the calling thread, walkAsync() as async
 * work on libuv's pool (the JS thread keeps serving heartbeats and actions meanwhile) and
 * settles a promise. Both turn the C records into plain JS values the same way. */
#include "walk-napi.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "napi-util.h"
#include "proc-walk.h"

/* Property keys are created once per walk: napi_set_named_property would re-create and
 * internalize the key string for every property of every process. */
enum {
	K_REUSED,
	K_PID,
	K_UID,
	K_STAT,
	K_CMDLINE,
	K_NSPID,
	K_CGROUP,
	K_NS,
	K_NS_ERRNO,
	K_FDS,
	K_FD_ERRNO,
	K_TUN_IFF,
	K_TASKS,
	K_TASK_ERRNO,
	K_COUNT
};
static const char *const KEY_NAMES[K_COUNT] = { "reused",  "pid",    "uid",   "stat",	  "cmdline",
						"nspid",   "cgroup", "ns",    "nsErrno",  "fds",
						"fdErrno", "tunIff", "tasks", "taskErrno" };

/* Sets obj[key] = val when val was made (NULL: the exception is already pending). */
#define SET(env, obj, key, val)                                       \
	do {                                                          \
		napi_value v_ = (val);                                \
		if (!v_)                                              \
			return NULL;                                  \
		NAPI_CALL(env, napi_set_property(env, obj, key, v_)); \
	} while (0)

static napi_value record_to_js(napi_env env, const napi_value *keys, const struct proc_rec *r)
{
	napi_value obj, reused;
	double *d;
	NAPI_CALL(env, napi_create_object(env, &obj));
	SET(env, obj, keys[K_PID], napi_num(env, r->pid));
	NAPI_CALL(env, napi_get_boolean(env, r->reused != 0, &reused));
	SET(env, obj, keys[K_REUSED], reused);
	SET(env, obj, keys[K_UID], napi_num(env, r->uid));
	SET(env, obj, keys[K_STAT], napi_str_or_null(env, r->stat, r->stat_len));
	SET(env, obj, keys[K_CMDLINE],
	    napi_str_or_null(env, r->cmdline ? r->cmdline : "", r->cmdline_len));
	SET(env, obj, keys[K_NSPID], napi_str_or_null(env, r->nspid, -1));
	SET(env, obj, keys[K_CGROUP],
	    napi_str_or_null(env, r->cgroup_len > 0 ? r->cgroup : NULL, r->cgroup_len));
	napi_value ns = napi_f64_array(env, NS_SLOTS, &d);
	if (!ns)
		return NULL;
	for (int s = 0; s < NS_SLOTS; s++)
		d[s] = (double)r->ns[s];
	SET(env, obj, keys[K_NS], ns);
	SET(env, obj, keys[K_NS_ERRNO], napi_num(env, r->ns_errno));
	napi_value fds = napi_f64_array(env, 4 * (size_t)r->nfds, &d);
	if (!fds)
		return NULL;
	for (int i = 0; i < r->nfds; i++) {
		d[4 * i] = r->fds[i].fd;
		d[4 * i + 1] = r->fds[i].slot;
		d[4 * i + 2] = (double)r->fds[i].inode;
		d[4 * i + 3] = (double)r->fds[i].netns;
	}
	SET(env, obj, keys[K_FDS], fds);
	SET(env, obj, keys[K_FD_ERRNO], napi_num(env, r->fd_errno));
	/* Device names of the FD_TUN entries of fds, in their order; null for the many without. */
	napi_value tun_iff;
	if (r->ntun == 0) {
		NAPI_CALL(env, napi_get_null(env, &tun_iff));
	} else {
		NAPI_CALL(env, napi_create_array_with_length(env, (size_t)r->ntun, &tun_iff));
		uint32_t t = 0;
		for (int i = 0; i < r->nfds; i++) {
			if (r->fds[i].slot != FD_TUN)
				continue;
			napi_value name = napi_str_or_null(env, r->fds[i].iff, -1);
			if (!name)
				return NULL;
			NAPI_CALL(env, napi_set_element(env, tun_iff, t++, name));
		}
	}
	SET(env, obj, keys[K_TUN_IFF], tun_iff);
	napi_value tasks = napi_f64_array(env, 3 * (size_t)r->ntasks, &d);
	if (!tasks)
		return NULL;
	for (int i = 0; i < r->ntasks; i++) {
		d[3 * i] = r->tasks[i].tid;
		d[3 * i + 1] = r->tasks[i].slot;
		d[3 * i + 2] = (double)r->tasks[i].inode;
	}
	SET(env, obj, keys[K_TASKS], tasks);
	SET(env, obj, keys[K_TASK_ERRNO], napi_num(env, r->task_errno));
	return obj;
}

/* One walk's input and output; the root path and the reuse list are copies, because async
 * work must not touch JS memory off the JS thread. */
struct walk_job {
	char root[4096];
	struct walk_opts o;
	double *reuse;
	struct proc_rec *recs;
	long n;
};

static void walk_job_free(struct walk_job *job)
{
	if (job->recs)
		proc_walk_free(job->recs, job->n);
	free(job->reuse);
	free(job);
}

/* Parses walk(procRoot, {initialPidNs, threads, fds, tasks, cgroup, socketNs, reuse}) into a
 * job; NULL with an exception pending on bad arguments. */
static struct walk_job *parse_walk(napi_env env, napi_callback_info info)
{
	size_t argc = 2;
	napi_value argv[2];
	NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
	struct walk_job *job = calloc(1, sizeof *job);
	if (!job) {
		napi_throw_errno(env, ENOMEM, "walk");
		return NULL;
	}
	if (!napi_path_arg(env, argc, argv, job->root, sizeof job->root,
			   "walk(procRoot: string, options?)")) {
		free(job);
		return NULL;
	}
	job->o = (struct walk_opts){ .proc_root = job->root,
				     .threads = 2,
				     .with_fds = 1,
				     .with_tasks = 1,
				     .with_socket_ns = 1,
				     .with_cgroup = 1 };
	if (argc < 2)
		return job;
	napi_valuetype type;
	if (napi_typeof(env, argv[1], &type) != napi_ok || type != napi_object)
		return job;
	struct {
		const char *key;
		int *flag;
	} flags[] = { { "fds", &job->o.with_fds },
		      { "tasks", &job->o.with_tasks },
		      { "cgroup", &job->o.with_cgroup },
		      { "socketNs", &job->o.with_socket_ns } };
	double v;
	int rc = napi_opt_num(env, argv[1], "initialPidNs", &v);
	if (rc > 0)
		job->o.initial_pid_ns = (unsigned long long)v;
	if (rc >= 0 && (rc = napi_opt_num(env, argv[1], "threads", &v)) > 0)
		job->o.threads = (int)v;
	for (size_t i = 0; rc >= 0 && i < sizeof flags / sizeof *flags; i++)
		if ((rc = napi_opt_num(env, argv[1], flags[i].key, &v)) > 0)
			*flags[i].flag = v != 0;
	bool has_reuse = false;
	if (rc >= 0 && napi_has_named_property(env, argv[1], "reuse", &has_reuse) != napi_ok)
		rc = -1;
	if (rc >= 0 && has_reuse) {
		napi_value arr;
		napi_typedarray_type ta_type;
		size_t length = 0;
		void *data = NULL;
		bool is_ta = false;
		if (napi_get_named_property(env, argv[1], "reuse", &arr) != napi_ok ||
		    napi_is_typedarray(env, arr, &is_ta) != napi_ok)
			rc = -1;
		else if (is_ta && napi_get_typedarray_info(env, arr, &ta_type, &length, &data, NULL,
							   NULL) != napi_ok)
			rc = -1;
		else if (is_ta && ta_type == napi_float64_array && length >= 2) {
			job->reuse = malloc(length * sizeof(double));
			if (!job->reuse) {
				napi_throw_errno(env, ENOMEM, "walk");
				rc = -1;
			} else {
				memcpy(job->reuse, data, length * sizeof(double));
				job->o.reuse = job->reuse;
				job->o.nreuse = (long)(length / 2);
			}
		}
	}
	if (rc < 0) {
		napi_throw_last(env);
		walk_job_free(job);
		return NULL;
	}
	return job;
}

/* The records of a finished walk as a JS array (skipped ones left out); NULL with the walk's
 * error (or a failed napi call's) pending. */
static napi_value walk_result(napi_env env, void *data)
{
	struct walk_job *job = data;
	if (job->n < 0)
		return napi_throw_errno(env, (int)-job->n, job->root);
	napi_value keys[K_COUNT];
	for (int k = 0; k < K_COUNT; k++)
		NAPI_CALL(env,
			  napi_create_string_utf8(env, KEY_NAMES[k], NAPI_AUTO_LENGTH, &keys[k]));
	napi_value arr;
	NAPI_CALL(env, napi_create_array(env, &arr));
	uint32_t out = 0;
	for (long i = 0; i < job->n; i++) {
		if (job->recs[i].skip)
			continue;
		napi_handle_scope scope;
		NAPI_CALL(env, napi_open_handle_scope(env, &scope));
		napi_value rec = record_to_js(env, keys, &job->recs[i]);
		napi_status st =
			rec ? napi_set_element(env, arr, out++, rec) : napi_generic_failure;
		napi_close_handle_scope(env, scope);
		if (st != napi_ok) {
			napi_throw_last(env);
			return NULL;
		}
	}
	return arr;
}

static void walk_run(void *data)
{
	struct walk_job *job = data;
	job->n = proc_walk(&job->o, &job->recs);
	if (job->n < 0)
		job->recs = NULL;
}

static void walk_destroy(void *data)
{
	walk_job_free(data);
}

static const struct napi_job_ops WALK_JOB = { "nsatlas.walk", walk_run, walk_result, walk_destroy };

napi_value js_walk(napi_env env, napi_callback_info info)
{
	struct walk_job *job = parse_walk(env, info);
	if (!job)
		return NULL;
	walk_run(job);
	napi_value result = walk_result(env, job);
	walk_job_free(job);
	return result;
}

napi_value js_walk_async(napi_env env, napi_callback_info info)
{
	struct walk_job *job = parse_walk(env, info);
	return job ? napi_start_job(env, &WALK_JOB, job) : NULL;
}
