/* See mount-events.h. fs/proc_namespace.c: mounts_poll() reports EPOLLERR|EPOLLPRI when the
 * namespace's event counter moved since this file last polled, and only POLLIN otherwise;
 * asking for POLLPRI alone, the thread sleeps until a mount table change. */
#include "mount-events.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int watching;
static void (*notify_fn)(void);

static void *watcher(void *arg)
{
	struct pollfd p = { .fd = (int)(long)arg, .events = POLLPRI };
	for (;;) {
		int rc = poll(&p, 1, -1);
		if (rc < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p.revents & POLLNVAL)
			break;
		if (p.revents & (POLLPRI | POLLERR))
			notify_fn();
	}
	close(p.fd);
	return NULL;
}

int mount_events_start(const char *path, void (*notify)(void))
{
	pthread_mutex_lock(&lock);
	int rc = 0;
	if (watching)
		rc = -EALREADY;
	int fd = rc == 0 ? open(path, O_RDONLY | O_CLOEXEC) : -1;
	if (rc == 0 && fd < 0)
		rc = -errno;
	if (rc == 0) {
		notify_fn = notify;
		pthread_t t;
		pthread_attr_t attr;
		pthread_attr_init(&attr);
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
		int err = pthread_create(&t, &attr, watcher, (void *)(long)fd);
		pthread_attr_destroy(&attr);
		if (err != 0) {
			close(fd);
			rc = -err;
		} else {
			pthread_setname_np(t, "nsat-mounts");
			watching = 1;
		}
	}
	pthread_mutex_unlock(&lock);
	return rc;
}
