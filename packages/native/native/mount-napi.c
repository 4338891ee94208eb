/* See mount-napi.h. */
#include "mount-napi.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <unistd.h>

#include "mount-list.h"

napi_value js_nsfs_mounts(napi_env env, napi_callback_info info)
{
	size_t argc = 1;
	napi_value argv[1];
	NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
	char path[4096];
	if (!napi_path_arg(env, argc, argv, path, sizeof path, "nsfsMounts(nsMntPath: string)"))
		return NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return napi_throw_errno(env, errno, path);
	struct nsfs_mount *m = NULL;
	int n = 0;
	int rc = nsfs_mounts(fd, &m, &n);
	close(fd);
	if (rc < 0)
		return napi_throw_errno(env, -rc, "listmount");
	napi_value arr = NULL;
	int ok = napi_create_array_with_length(env, 2 * (size_t)n, &arr) == napi_ok;
	for (int i = 0; ok && i < n; i++) {
		napi_value root = napi_str_or_null(env, m[i].root, -1);
		napi_value point = root ? napi_str_or_null(env, m[i].mount_point, -1) : NULL;
		ok = point && napi_set_element(env, arr, (uint32_t)(2 * i), root) == napi_ok &&
		     napi_set_element(env, arr, (uint32_t)(2 * i + 1), point) == napi_ok;
	}
	nsfs_mounts_free(m, n);
	if (!ok) {
		napi_throw_last(env);
		return NULL;
	}
	return arr;
}

napi_value js_mounts_changed(napi_env env, napi_callback_info info)
{
	size_t argc = 1;
	napi_value argv[1];
	NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
	bool is_array = false;
	if (argc < 1 || napi_is_array(env, argv[0], &is_array) != napi_ok || !is_array) {
		napi_throw_type_error(env, "EINVAL", "mountsChanged(fds: number[])");
		return NULL;
	}
	uint32_t n = 0;
	NAPI_CALL(env, napi_get_array_length(env, argv[0], &n));
	struct pollfd *pfds = calloc(n ? n : 1, sizeof *pfds);
	if (!pfds)
		return napi_throw_errno(env, ENOMEM, "mountsChanged");
	for (uint32_t i = 0; i < n; i++) {
		napi_value el;
		int32_t fd = -1;
		if (napi_get_element(env, argv[0], i, &el) != napi_ok ||
		    napi_get_value_int32(env, el, &fd) != napi_ok) {
			free(pfds);
			napi_throw_type_error(env, "EINVAL", "mountsChanged(fds: number[])");
			return NULL;
		}
		/* A mount table change is signalled as POLLERR|POLLPRI (fs/proc_namespace.c). */
		pfds[i] = (struct pollfd){ .fd = fd, .events = POLLPRI };
	}
	int rc;
	do
		rc = poll(pfds, n, 0);
	while (rc < 0 && errno == EINTR);
	if (rc < 0) {
		int err = errno;
		free(pfds);
		return napi_throw_errno(env, err, "poll");
	}
	napi_value out;
	uint32_t k = 0;
	napi_status st = napi_create_array(env, &out);
	for (uint32_t i = 0; st == napi_ok && i < n; i++) {
		if (!(pfds[i].revents & (POLLPRI | POLLERR | POLLNVAL)))
			continue;
		napi_value idx = napi_num(env, i);
		st = idx ? napi_set_element(env, out, k++, idx) : napi_generic_failure;
	}
	free(pfds);
	if (st != napi_ok) {
		napi_throw_last(env);
		return NULL;
	}
	return out;
}
