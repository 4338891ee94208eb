/* N-API glue: turns the C walk and ioctl results into plain JS values. Errors become JS
 * Errors whose `code` is the errno name, like Node's own fs errors. */
#define NAPI_VERSION 8
#include <node_api.h>
#include <stdio.h>
#include <string.h>

#include "netstack-napi.h"
#include "ns-ioctl.h"
#include "proc-events.h"
#include "proc-walk.h"
#include "read-file.h"

#define CHECK(call) do { if ((call) != napi_ok) return NULL; } while (0)

static napi_value throw_errno(napi_env env, int err, const char *what) {
  char msg[512];
  snprintf(msg, sizeof msg, "%s: %s", what, strerror(err));
  napi_value code, message, error;
  napi_create_string_utf8(env, strerrorname_np(err) ? strerrorname_np(err) : "EUNKNOWN",
                          NAPI_AUTO_LENGTH, &code);
  napi_create_string_utf8(env, msg, NAPI_AUTO_LENGTH, &message);
  napi_create_error(env, code, message, &error);
  napi_throw(env, error);
  return NULL;
}

/* Property keys are created once per walk: napi_set_named_property would re-create and
 * internalize the key string for every property of every process. */
enum { K_REUSED, K_PID, K_UID, K_STAT, K_CMDLINE, K_NSPID, K_CGROUP, K_NS, K_NS_ERRNO, K_FDS, K_FD_ERRNO, K_TUN_IFF, K_TASKS,
       K_TASK_ERRNO, K_COUNT };
static const char *const KEY_NAMES[K_COUNT] = {"reused", "pid", "uid", "stat", "cmdline", "nspid", "cgroup", "ns",
                                               "nsErrno", "fds", "fdErrno", "tunIff", "tasks", "taskErrno"};

static napi_value num(napi_env env, double v) {
  napi_value val;
  napi_create_double(env, v, &val);
  return val;
}

static napi_value str_or_null(napi_env env, const char *s, long len) {
  napi_value val;
  if (s) napi_create_string_utf8(env, s, len < 0 ? NAPI_AUTO_LENGTH : (size_t)len, &val);
  else napi_get_null(env, &val);
  return val;
}

static void set_num(napi_env env, napi_value obj, const char *key, double v) {
  napi_set_named_property(env, obj, key, num(env, v));
}

static void set_str(napi_env env, napi_value obj, const char *key, const char *s, long len) {
  napi_set_named_property(env, obj, key, str_or_null(env, s, len));
}

/* A Float64Array holding n values: one allocation instead of n element stores. */
static napi_value f64_array(napi_env env, size_t n, double **data) {
  napi_value buf, arr;
  void *raw = NULL;
  napi_create_arraybuffer(env, n * sizeof(double), &raw, &buf);
  napi_create_typedarray(env, napi_float64_array, n, buf, 0, &arr);
  *data = raw;
  return arr;
}

static int get_opt_num(napi_env env, napi_value obj, const char *key, double *out) {
  bool has = false;
  napi_value v;
  if (napi_has_named_property(env, obj, key, &has) != napi_ok || !has) return 0;
  napi_get_named_property(env, obj, key, &v);
  return napi_get_value_double(env, v, out) == napi_ok;
}

static napi_value record_to_js(napi_env env, const napi_value *keys, const struct proc_rec *r) {
  napi_value obj;
  double *d;
  napi_create_object(env, &obj);
  napi_set_property(env, obj, keys[K_PID], num(env, r->pid));
  napi_value reused;
  napi_get_boolean(env, r->reused != 0, &reused);
  napi_set_property(env, obj, keys[K_REUSED], reused);
  napi_set_property(env, obj, keys[K_UID], num(env, r->uid));
  napi_set_property(env, obj, keys[K_STAT], str_or_null(env, r->stat, r->stat_len));
  napi_set_property(env, obj, keys[K_CMDLINE], str_or_null(env, r->cmdline ? r->cmdline : "", r->cmdline_len));
  napi_set_property(env, obj, keys[K_NSPID], str_or_null(env, r->nspid, -1));
  napi_set_property(env, obj, keys[K_CGROUP], str_or_null(env, r->cgroup_len > 0 ? r->cgroup : NULL, r->cgroup_len));
  napi_value ns = f64_array(env, NS_SLOTS, &d);
  for (int s = 0; s < NS_SLOTS; s++) d[s] = (double)r->ns[s];
  napi_set_property(env, obj, keys[K_NS], ns);
  napi_set_property(env, obj, keys[K_NS_ERRNO], num(env, r->ns_errno));
  napi_value fds = f64_array(env, 4 * (size_t)r->nfds, &d);
  for (int i = 0; i < r->nfds; i++) {
    d[4 * i] = r->fds[i].fd;
    d[4 * i + 1] = r->fds[i].slot;
    d[4 * i + 2] = (double)r->fds[i].inode;
    d[4 * i + 3] = (double)r->fds[i].netns;
  }
  napi_set_property(env, obj, keys[K_FDS], fds);
  napi_set_property(env, obj, keys[K_FD_ERRNO], num(env, r->fd_errno));
  /* Device names of the FD_TUN entries of fds, in their order; null for the many without. */
  napi_value tun_iff;
  if (r->ntun == 0) {
    napi_get_null(env, &tun_iff);
  } else {
    napi_create_array_with_length(env, (size_t)r->ntun, &tun_iff);
    uint32_t t = 0;
    for (int i = 0; i < r->nfds; i++)
      if (r->fds[i].slot == FD_TUN) napi_set_element(env, tun_iff, t++, str_or_null(env, r->fds[i].iff, -1));
  }
  napi_set_property(env, obj, keys[K_TUN_IFF], tun_iff);
  napi_value tasks = f64_array(env, 3 * (size_t)r->ntasks, &d);
  for (int i = 0; i < r->ntasks; i++) {
    d[3 * i] = r->tasks[i].tid;
    d[3 * i + 1] = r->tasks[i].slot;
    d[3 * i + 2] = (double)r->tasks[i].inode;
  }
  napi_set_property(env, obj, keys[K_TASKS], tasks);
  napi_set_property(env, obj, keys[K_TASK_ERRNO], num(env, r->task_errno));
  return obj;
}

/* Copies the first argument, a path, into buf. Throws and returns 0 when it is missing, not a
 * string, or too long: napi would silently truncate it, and a cut path names another file. */
static int path_arg(napi_env env, size_t argc, napi_value *argv, char *buf, size_t size, const char *usage) {
  size_t len = 0;
  if (argc < 1 || napi_get_value_string_utf8(env, argv[0], buf, size, &len) != napi_ok) {
    napi_throw_type_error(env, "EINVAL", usage);
    return 0;
  }
  if (len >= size - 1) {
    napi_throw_error(env, "ENAMETOOLONG", "path too long");
    return 0;
  }
  return 1;
}

/* walk(procRoot, {initialPidNs, threads, fds, tasks}) -> raw records, one per live process. */
static napi_value js_walk(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  char root[4096];
  if (!path_arg(env, argc, argv, root, sizeof root, "walk(procRoot: string, options?)")) return NULL;
  struct walk_opts o = {.proc_root = root, .threads = 2, .with_fds = 1, .with_tasks = 1, .with_socket_ns = 1, .with_cgroup = 1};
  if (argc > 1) {
    double v;
    if (get_opt_num(env, argv[1], "initialPidNs", &v)) o.initial_pid_ns = (unsigned long long)v;
    if (get_opt_num(env, argv[1], "threads", &v)) o.threads = (int)v;
    if (get_opt_num(env, argv[1], "fds", &v)) o.with_fds = v != 0;
    if (get_opt_num(env, argv[1], "tasks", &v)) o.with_tasks = v != 0;
    if (get_opt_num(env, argv[1], "cgroup", &v)) o.with_cgroup = v != 0;
    bool has_reuse = false;
    if (napi_has_named_property(env, argv[1], "reuse", &has_reuse) == napi_ok && has_reuse) {
      napi_value arr;
      napi_typedarray_type type;
      size_t length = 0;
      void *data = NULL;
      napi_get_named_property(env, argv[1], "reuse", &arr);
      if (napi_get_typedarray_info(env, arr, &type, &length, &data, NULL, NULL) == napi_ok &&
          type == napi_float64_array) {
        o.reuse = data;
        o.nreuse = (long)(length / 2);
      }
    }
    if (get_opt_num(env, argv[1], "socketNs", &v)) o.with_socket_ns = v != 0;
  }
  struct proc_rec *recs = NULL;
  long n = proc_walk(&o, &recs);
  if (n < 0) return throw_errno(env, (int)-n, root);
  napi_value keys[K_COUNT];
  for (int k = 0; k < K_COUNT; k++) napi_create_string_utf8(env, KEY_NAMES[k], NAPI_AUTO_LENGTH, &keys[k]);
  napi_value arr;
  napi_create_array(env, &arr);
  uint32_t out = 0;
  for (long i = 0; i < n; i++) {
    if (recs[i].skip) continue;
    napi_handle_scope scope;
    napi_open_handle_scope(env, &scope);
    napi_set_element(env, arr, out++, record_to_js(env, keys, &recs[i]));
    napi_close_handle_scope(env, scope);
  }
  proc_walk_free(recs, n);
  return arr;
}

static const char *nstype_name(int t) {
  switch (t) {
    case CLONE_NEWCGROUP: return "cgroup";
    case CLONE_NEWIPC: return "ipc";
    case CLONE_NEWNS: return "mnt";
    case CLONE_NEWNET: return "net";
    case CLONE_NEWPID: return "pid";
    case CLONE_NEWTIME: return "time";
    case CLONE_NEWUSER: return "user";
    case CLONE_NEWUTS: return "uts";
    default: return "unknown";
  }
}

static napi_value facts_to_js(napi_env env, const struct ns_facts *f) {
  napi_value obj;
  napi_create_object(env, &obj);
  set_num(env, obj, "inode", (double)f->inode);
  set_str(env, obj, "type", nstype_name(f->nstype), -1);
  set_num(env, obj, "owner", (double)f->owner);
  set_num(env, obj, "ownerErrno", f->owner_errno);
  set_num(env, obj, "parent", (double)f->parent);
  set_num(env, obj, "parentErrno", f->parent_errno);
  set_num(env, obj, "ownerUid", (double)f->owner_uid);
  return obj;
}

/* Facts of the namespace fd refers to (fd is consumed), then of every ancestor reachable
 * through NS_GET_PARENT / NS_GET_USERNS (namespaces that no process may hold any more). */
static napi_value describe_fd(napi_env env, int fd, const char *what) {
  /* Breadth-first over a tiny graph: user-namespace nesting is capped at 32 levels. */
  int queue[128];
  unsigned long long seen[128];
  int head = 0, tail = 0, nseen = 0;
  queue[tail++] = fd;
  napi_value arr;
  napi_create_array(env, &arr);
  uint32_t out = 0;
  while (head < tail) {
    int cur = queue[head++];
    struct ns_facts f;
    int rc = ns_describe_fd(cur, &f);
    if (rc < 0) {
      if (head == 1) {
        close(cur);
        for (int i = head; i < tail; i++) close(queue[i]);
        return throw_errno(env, -rc, what);
      }
      close(cur);
      continue;
    }
    int dup_seen = 0;
    for (int i = 0; i < nseen; i++) dup_seen |= seen[i] == f.inode;
    if (!dup_seen && nseen < 128) {
      seen[nseen++] = f.inode;
      napi_set_element(env, arr, out++, facts_to_js(env, &f));
      for (int parent = 0; parent <= 1; parent++) {
        if (tail >= 126) break;
        if ((parent ? f.parent : f.owner) == 0) continue;
        int rel = ns_open_related(cur, parent);
        if (rel >= 0) queue[tail++] = rel;
      }
    }
    close(cur);
  }
  return arr;
}

/* describe(path) -> facts of the namespace at path and of its ancestors. */
static napi_value js_describe(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  char path[4096];
  if (!path_arg(env, argc, argv, path, sizeof path, "describe(path: string)")) return NULL;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return throw_errno(env, errno, path);
  return describe_fd(env, fd, path);
}

/* describeSocket(pid, fd) -> facts of the network namespace a socket of pid was created in
 * (a stack kept alive by nothing but that socket has no path to open). */
static napi_value js_describe_socket(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  int32_t pid = 0, sockfd = -1;
  if (argc < 2 || napi_get_value_int32(env, argv[0], &pid) != napi_ok ||
      napi_get_value_int32(env, argv[1], &sockfd) != napi_ok) {
    napi_throw_type_error(env, "EINVAL", "describeSocket(pid: number, fd: number)");
    return NULL;
  }
  int ns = ns_open_socket_netns(pid, sockfd);
  if (ns < 0) return throw_errno(env, -ns, "socket of a process");
  return describe_fd(env, ns, "socket of a process");
}

static napi_threadsafe_function proc_events_tsfn;

static void notify_js(void) {
  napi_call_threadsafe_function(proc_events_tsfn, NULL, napi_tsfn_nonblocking);
}

/* procEventsStart(onEvents?) -> 0 or -errno. onEvents() is called (on the JS thread) when
 * events arrive after a take: no polling timer is needed to notice them. */
static napi_value js_proc_events_start(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  int rc = proc_events_start();
  napi_valuetype type = napi_undefined;
  if (rc == 0 && argc > 0) napi_typeof(env, argv[0], &type);
  if (type == napi_function && proc_events_tsfn == NULL) {
    napi_value name;
    napi_create_string_utf8(env, "nsatlas-proc-events", NAPI_AUTO_LENGTH, &name);
    if (napi_create_threadsafe_function(env, argv[0], NULL, name, 1, 1, NULL, NULL, NULL, NULL,
                                        &proc_events_tsfn) == napi_ok) {
      /* It must not keep the process alive on its own. */
      napi_unref_threadsafe_function(env, proc_events_tsfn);
      proc_events_set_notify(notify_js);
    }
  }
  return num(env, rc);
}

/* procEventsTakeExecs() -> pids that exec'd since the last call, or null when too many to keep. */
static napi_value js_proc_events_take_execs(napi_env env, napi_callback_info info) {
  static int buf[4096];
  int n = proc_events_take_execs(buf, 4096);
  napi_value out;
  if (n < 0) {
    napi_get_null(env, &out);
    return out;
  }
  napi_create_array_with_length(env, (size_t)n, &out);
  for (int i = 0; i < n; i++) napi_set_element(env, out, (uint32_t)i, num(env, buf[i]));
  return out;
}

/* procEventsTake() -> process starts/execs/exits counted since the last call. */
static napi_value js_proc_events_take(napi_env env, napi_callback_info info) {
  return num(env, (double)proc_events_take());
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"walk", NULL, js_walk, NULL, NULL, NULL, napi_default, NULL},
      {"describe", NULL, js_describe, NULL, NULL, NULL, napi_default, NULL},
      {"describeSocket", NULL, js_describe_socket, NULL, NULL, NULL, napi_default, NULL},
      {"procEventsStart", NULL, js_proc_events_start, NULL, NULL, NULL, napi_default, NULL},
      {"procEventsTake", NULL, js_proc_events_take, NULL, NULL, NULL, napi_default, NULL},
      {"procEventsTakeExecs", NULL, js_proc_events_take_execs, NULL, NULL, NULL, napi_default, NULL},
      {"netstacks", NULL, js_netstacks, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof *props, props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
