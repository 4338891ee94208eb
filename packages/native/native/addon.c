/* N-API glue: turns the C walk and ioctl results into plain JS values. Errors become JS
 * Errors whose `code` is the errno name, like Node's own fs errors. */
#define NAPI_VERSION 8
#include <node_api.h>
#include <stdio.h>
#include <string.h>

#include "ns-ioctl.h"
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

static void set_num(napi_env env, napi_value obj, const char *key, double v) {
  napi_value val;
  napi_create_double(env, v, &val);
  napi_set_named_property(env, obj, key, val);
}

static void set_str(napi_env env, napi_value obj, const char *key, const char *s, long len) {
  napi_value val;
  if (s) napi_create_string_utf8(env, s, len < 0 ? NAPI_AUTO_LENGTH : (size_t)len, &val);
  else napi_get_null(env, &val);
  napi_set_named_property(env, obj, key, val);
}

static napi_value num_array(napi_env env, const double *values, size_t n) {
  napi_value arr, v;
  napi_create_array_with_length(env, n, &arr);
  for (size_t i = 0; i < n; i++) {
    napi_create_double(env, values[i], &v);
    napi_set_element(env, arr, (uint32_t)i, v);
  }
  return arr;
}

static int get_opt_num(napi_env env, napi_value obj, const char *key, double *out) {
  bool has = false;
  napi_value v;
  if (napi_has_named_property(env, obj, key, &has) != napi_ok || !has) return 0;
  napi_get_named_property(env, obj, key, &v);
  return napi_get_value_double(env, v, out) == napi_ok;
}

static napi_value record_to_js(napi_env env, const struct proc_rec *r) {
  napi_value obj;
  napi_create_object(env, &obj);
  set_num(env, obj, "pid", r->pid);
  set_num(env, obj, "uid", r->uid);
  set_str(env, obj, "stat", r->stat, r->stat_len);
  set_str(env, obj, "cmdline", r->cmdline ? r->cmdline : "", r->cmdline_len);
  set_str(env, obj, "nspid", r->nspid, -1);
  set_str(env, obj, "cgroup", r->cgroup_len > 0 ? r->cgroup : NULL, r->cgroup_len);
  double ns[NS_SLOTS];
  for (int s = 0; s < NS_SLOTS; s++) ns[s] = (double)r->ns[s];
  napi_set_named_property(env, obj, "ns", num_array(env, ns, NS_SLOTS));
  set_num(env, obj, "nsErrno", r->ns_errno);
  double *flat = malloc(sizeof(double) * 4 * (size_t)(r->nfds > r->ntasks ? r->nfds : r->ntasks) + 1);
  for (int i = 0; i < r->nfds; i++) {
    flat[4 * i] = r->fds[i].fd;
    flat[4 * i + 1] = r->fds[i].slot;
    flat[4 * i + 2] = (double)r->fds[i].inode;
    flat[4 * i + 3] = (double)r->fds[i].netns;
  }
  napi_set_named_property(env, obj, "fds", num_array(env, flat, 4 * (size_t)r->nfds));
  set_num(env, obj, "fdErrno", r->fd_errno);
  for (int i = 0; i < r->ntasks; i++) {
    flat[3 * i] = r->tasks[i].tid;
    flat[3 * i + 1] = r->tasks[i].slot;
    flat[3 * i + 2] = (double)r->tasks[i].inode;
  }
  napi_set_named_property(env, obj, "tasks", num_array(env, flat, 3 * (size_t)r->ntasks));
  set_num(env, obj, "taskErrno", r->task_errno);
  free(flat);
  return obj;
}

/* walk(procRoot, {initialPidNs, threads, fds, tasks}) -> raw records, one per live process. */
static napi_value js_walk(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  char root[4096];
  size_t len;
  if (argc < 1 || napi_get_value_string_utf8(env, argv[0], root, sizeof root, &len) != napi_ok) {
    napi_throw_type_error(env, "EINVAL", "walk(procRoot: string, options?)");
    return NULL;
  }
  struct walk_opts o = {.proc_root = root, .threads = 2, .with_fds = 1, .with_tasks = 1, .with_socket_ns = 1, .with_cgroup = 1};
  if (argc > 1) {
    double v;
    if (get_opt_num(env, argv[1], "initialPidNs", &v)) o.initial_pid_ns = (unsigned long long)v;
    if (get_opt_num(env, argv[1], "threads", &v)) o.threads = (int)v;
    if (get_opt_num(env, argv[1], "fds", &v)) o.with_fds = v != 0;
    if (get_opt_num(env, argv[1], "tasks", &v)) o.with_tasks = v != 0;
    if (get_opt_num(env, argv[1], "cgroup", &v)) o.with_cgroup = v != 0;
    if (get_opt_num(env, argv[1], "socketNs", &v)) o.with_socket_ns = v != 0;
  }
  struct proc_rec *recs = NULL;
  long n = proc_walk(&o, &recs);
  if (n < 0) return throw_errno(env, (int)-n, root);
  napi_value arr;
  napi_create_array(env, &arr);
  uint32_t out = 0;
  for (long i = 0; i < n; i++) {
    if (recs[i].skip) continue;
    napi_set_element(env, arr, out++, record_to_js(env, &recs[i]));
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

/* describe(path) -> facts of that namespace, then of every ancestor reachable through
 * NS_GET_PARENT / NS_GET_USERNS (namespaces that no process may hold any more). */
static napi_value js_describe(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  char path[4096];
  size_t len;
  if (argc < 1 || napi_get_value_string_utf8(env, argv[0], path, sizeof path, &len) != napi_ok) {
    napi_throw_type_error(env, "EINVAL", "describe(path: string)");
    return NULL;
  }
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return throw_errno(env, errno, path);
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
        return throw_errno(env, -rc, path);
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

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"walk", NULL, js_walk, NULL, NULL, NULL, napi_default, NULL},
      {"describe", NULL, js_describe, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, 2, props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
