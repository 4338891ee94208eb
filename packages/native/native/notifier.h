/* A JS callback that detached C threads may fire at any time, even while the env that owns
 * it is torn down (a worker thread's env, or the main one at exit): the env's cleanup hook
 * detaches it under the lock before N-API frees the thread-safe function, so a late fire is
 * a no-op, never a call into freed memory. */
#ifndef NSATLAS_NOTIFIER_H
#define NSATLAS_NOTIFIER_H

#include <pthread.h>

#include "napi-util.h"

struct notifier {
	pthread_mutex_t lock;
	napi_threadsafe_function tsfn; /* NULL while no env listens */
	const char *name;
};

#define NOTIFIER_INIT(label)                           \
	{                                              \
		PTHREAD_MUTEX_INITIALIZER, NULL, label \
	}

/* Makes fn (a JS function) the callback, unless one is attached already (then 0: the first
 * env keeps it). The callback does not keep the process alive. -1 with an exception pending. */
int notifier_attach(napi_env env, napi_value fn, struct notifier *n);
/* Queues one call of the callback; any thread, never blocks. */
void notifier_fire(struct notifier *n);

#endif
