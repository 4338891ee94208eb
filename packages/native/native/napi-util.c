/* See napi-util.h. */
#include "napi-util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void napi_throw_last(napi_env env)
{
	bool pending = false;
	if (napi_is_exception_pending(env, &pending) == napi_ok && pending)
		return;
	const napi_extended_error_info *info = NULL;
	const char *msg = "N-API call failed";
	if (napi_get_last_error_info(env, &info) == napi_ok && info && info->error_message)
		msg = info->error_message;
	napi_throw_error(env, "ENAPI", msg);
}

napi_value napi_errno_error(napi_env env, int err, const char *what)
{
	char msg[512];
	snprintf(msg, sizeof msg, "%s: %s", what, strerror(err));
	const char *name = strerrorname_np(err);
	napi_value code, message, error;
	NAPI_CALL(env,
		  napi_create_string_utf8(env, name ? name : "EUNKNOWN", NAPI_AUTO_LENGTH, &code));
	NAPI_CALL(env, napi_create_string_utf8(env, msg, NAPI_AUTO_LENGTH, &message));
	NAPI_CALL(env, napi_create_error(env, code, message, &error));
	return error;
}

napi_value napi_throw_errno(napi_env env, int err, const char *what)
{
	napi_value error = napi_errno_error(env, err, what);
	if (error)
		napi_throw(env, error);
	return NULL;
}

napi_value napi_num(napi_env env, double v)
{
	napi_value val;
	NAPI_CALL(env, napi_create_double(env, v, &val));
	return val;
}

napi_value napi_str_or_null(napi_env env, const char *s, long len)
{
	napi_value val;
	if (s)
		NAPI_CALL(env, napi_create_string_utf8(
				       env, s, len < 0 ? NAPI_AUTO_LENGTH : (size_t)len, &val));
	else
		NAPI_CALL(env, napi_get_null(env, &val));
	return val;
}

napi_value napi_f64_array(napi_env env, size_t n, double **data)
{
	napi_value buf, arr;
	void *raw = NULL;
	NAPI_CALL(env, napi_create_arraybuffer(env, n * sizeof(double), &raw, &buf));
	NAPI_CALL(env, napi_create_typedarray(env, napi_float64_array, n, buf, 0, &arr));
	*data = raw;
	return arr;
}

int napi_opt_num(napi_env env, napi_value obj, const char *key, double *out)
{
	bool has = false;
	napi_value v;
	NAPI_CALL_INT(env, napi_has_named_property(env, obj, key, &has));
	if (!has)
		return 0;
	NAPI_CALL_INT(env, napi_get_named_property(env, obj, key, &v));
	napi_valuetype type;
	NAPI_CALL_INT(env, napi_typeof(env, v, &type));
	if (type != napi_number)
		return 0;
	NAPI_CALL_INT(env, napi_get_value_double(env, v, out));
	return 1;
}

struct job {
	const struct napi_job_ops *ops;
	void *data;
	napi_deferred deferred;
	napi_async_work work;
};

/* Resolves with value, or rejects with the pending exception (or a generic error when there
 * is none). Never throws: the env may be going away. */
static void settle(napi_env env, napi_deferred deferred, napi_value value)
{
	if (value && napi_resolve_deferred(env, deferred, value) == napi_ok)
		return;
	napi_value error = NULL;
	bool pending = false;
	if (napi_is_exception_pending(env, &pending) == napi_ok && pending)
		napi_get_and_clear_last_exception(env, &error);
	if (!error) {
		napi_value msg;
		if (napi_create_string_utf8(env, "native call failed", NAPI_AUTO_LENGTH, &msg) ==
		    napi_ok)
			napi_create_error(env, NULL, msg, &error);
	}
	if (error)
		napi_reject_deferred(env, deferred, error);
}

static void job_execute(napi_env env, void *arg)
{
	(void)env;
	struct job *j = arg;
	j->ops->run(j->data);
}

static void job_complete(napi_env env, napi_status status, void *arg)
{
	struct job *j = arg;
	napi_value result = NULL;
	if (status == napi_ok)
		result = j->ops->result(env, j->data);
	else
		napi_throw_errno(env, status == napi_cancelled ? ECANCELED : EIO, j->ops->name);
	settle(env, j->deferred, result);
	napi_delete_async_work(env, j->work);
	j->ops->destroy(j->data);
	free(j);
}

napi_value napi_start_job(napi_env env, const struct napi_job_ops *ops, void *data)
{
	struct job *j = calloc(1, sizeof *j);
	napi_value promise, name;
	if (!j) {
		ops->destroy(data);
		return napi_throw_errno(env, ENOMEM, ops->name);
	}
	*j = (struct job){ .ops = ops, .data = data };
	if (napi_create_promise(env, &j->deferred, &promise) != napi_ok) {
		ops->destroy(data);
		free(j);
		napi_throw_last(env);
		return NULL;
	}
	if (napi_create_string_utf8(env, ops->name, NAPI_AUTO_LENGTH, &name) != napi_ok ||
	    napi_create_async_work(env, NULL, name, job_execute, job_complete, j, &j->work) !=
		    napi_ok) {
		settle(env, j->deferred, NULL);
		ops->destroy(data);
		free(j);
		return promise;
	}
	if (napi_queue_async_work(env, j->work) != napi_ok) {
		settle(env, j->deferred, NULL);
		napi_delete_async_work(env, j->work);
		ops->destroy(data);
		free(j);
	}
	return promise;
}

int napi_path_arg(napi_env env, size_t argc, const napi_value *argv, char *buf, size_t size,
		  const char *usage)
{
	size_t len = 0;
	napi_valuetype type = napi_undefined;
	if (argc < 1 || napi_typeof(env, argv[0], &type) != napi_ok || type != napi_string ||
	    napi_get_value_string_utf8(env, argv[0], buf, size, &len) != napi_ok) {
		napi_throw_type_error(env, "EINVAL", usage);
		return 0;
	}
	if (len >= size - 1) {
		napi_throw_error(env, "ENAMETOOLONG", "path too long");
		return 0;
	}
	return 1;
}
