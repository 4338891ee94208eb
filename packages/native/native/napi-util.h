/* Helpers shared by the N-API glue files: every napi_* status is checked, and a failure
 * becomes a pending JS exception (the callback then returns NULL, which N-API maps to
 * undefined while the exception propagates). */
#ifndef NSATLAS_NAPI_UTIL_H
#define NSATLAS_NAPI_UTIL_H

#define NAPI_VERSION 8
#include <node_api.h>

/* Throws an Error for the last failed napi call unless an exception is already pending
 * (a failed call may itself have been caused by one, e.g. a throwing getter). */
void napi_throw_last(napi_env env);

/* Runs an napi call; on failure throws (see napi_throw_last) and returns NULL. */
#define NAPI_CALL(env, call)                  \
	do {                                  \
		if ((call) != napi_ok) {      \
			napi_throw_last(env); \
			return NULL;          \
		}                             \
	} while (0)

/* The same for helpers that return an int: -1 on failure. */
#define NAPI_CALL_INT(env, call)              \
	do {                                  \
		if ((call) != napi_ok) {      \
			napi_throw_last(env); \
			return -1;            \
		}                             \
	} while (0)

/* An Error whose `code` is the errno name (like Node's fs errors) and message "what: strerror". */
napi_value napi_errno_error(napi_env env, int err, const char *what);
/* Throws napi_errno_error; returns NULL for the caller to return. */
napi_value napi_throw_errno(napi_env env, int err, const char *what);
/* A JS number, or NULL (exception pending) on failure. */
napi_value napi_num(napi_env env, double v);
/* A JS string of s (len < 0: NUL-terminated), null for s == NULL; NULL on failure. */
napi_value napi_str_or_null(napi_env env, const char *s, long len);
/* A Float64Array of n values whose storage is returned in *data; NULL on failure. */
napi_value napi_f64_array(napi_env env, size_t n, double **data);
/* Reads obj[key] as a number into *out: 1 when present and a number, 0 when absent or not a
 * number, -1 with an exception pending when the lookup itself failed. */
int napi_opt_num(napi_env env, napi_value obj, const char *key, double *out);
/* Copies argv[0], a path, into buf. Throws and returns 0 when it is missing, not a string,
 * or too long: napi would silently truncate it, and a cut path names another file. */
int napi_path_arg(napi_env env, size_t argc, const napi_value *argv, char *buf, size_t size,
		  const char *usage);
/* A job for libuv's pool: run() off the JS thread (no napi calls there), then, on the JS
 * thread, result() makes the value the promise resolves with (NULL with an exception pending:
 * it rejects with that), and destroy() frees data, whatever happened. */
struct napi_job_ops {
	const char *name;
	void (*run)(void *data);
	napi_value (*result)(napi_env env, void *data);
	void (*destroy)(void *data);
};

/* Queues the job and returns its promise; data is destroyed on every path. NULL with an
 * exception pending when not even the promise could be made. */
napi_value napi_start_job(napi_env env, const struct napi_job_ops *ops, void *data);

#endif
