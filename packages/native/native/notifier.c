/* See notifier.h. */
#include "notifier.h"

static void detach(void *arg)
{
	struct notifier *n = arg;
	pthread_mutex_lock(&n->lock);
	napi_threadsafe_function tsfn = n->tsfn;
	n->tsfn = NULL;
	pthread_mutex_unlock(&n->lock);
	if (tsfn)
		napi_release_threadsafe_function(tsfn, napi_tsfn_abort);
}

int notifier_attach(napi_env env, napi_value fn, struct notifier *n)
{
	pthread_mutex_lock(&n->lock);
	int taken = n->tsfn != NULL;
	pthread_mutex_unlock(&n->lock);
	if (taken)
		return 0;
	napi_value name;
	napi_threadsafe_function tsfn;
	NAPI_CALL_INT(env, napi_create_string_utf8(env, n->name, NAPI_AUTO_LENGTH, &name));
	NAPI_CALL_INT(env, napi_create_threadsafe_function(env, fn, NULL, name, 1, 1, NULL, NULL,
							   NULL, NULL, &tsfn));
	if (napi_unref_threadsafe_function(env, tsfn) != napi_ok ||
	    napi_add_env_cleanup_hook(env, detach, n) != napi_ok) {
		napi_release_threadsafe_function(tsfn, napi_tsfn_abort);
		napi_throw_last(env);
		return -1;
	}
	pthread_mutex_lock(&n->lock);
	n->tsfn = tsfn;
	pthread_mutex_unlock(&n->lock);
	return 0;
}

void notifier_fire(struct notifier *n)
{
	pthread_mutex_lock(&n->lock);
	/* napi_closing or napi_queue_full: a call is pending already, or the env is going. */
	if (n->tsfn)
		(void)napi_call_threadsafe_function(n->tsfn, NULL, napi_tsfn_nonblocking);
	pthread_mutex_unlock(&n->lock);
}
