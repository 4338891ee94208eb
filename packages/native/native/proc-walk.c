/* One pass over /proc/<pid> for every process: stat, cmdline, ns links, fd links, and the
 * ns links of threads. It runs on several threads because each file read is a syscall into
 * procfs that generates text under the task's locks; the work per pid is independent. */

#include "proc-walk.h"

#include <dirent.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <linux/if_tun.h>
#include <linux/nsfs.h>
#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "ns-ioctl.h"
#include "read-file.h"

const char *const NS_LINK_NAMES[NS_SLOTS] = {
	"cgroup", "ipc", "mnt", "net", "pid", "pid_for_children", "time", "time_for_children",
	"user",	  "uts"
};
static const int THREAD_SLOTS[] = { NS_SLOT_CGROUP, NS_SLOT_IPC,	  NS_SLOT_MNT,
				    NS_SLOT_NET,    NS_SLOT_PID_CHILDREN, NS_SLOT_TIME_CHILDREN,
				    NS_SLOT_USER,   NS_SLOT_UTS };

static int is_pid_name(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

/* The kernel writes "ppid" etc. after the last ')' because comm may hold ')' and spaces. */
static long stat_field(const char *stat, int field)
{
	const char *p = strrchr(stat, ')');
	if (!p)
		return -1;
	p++;
	for (int f = 3; f <= field; f++) {
		while (*p == ' ')
			p++;
		if (!*p)
			return -1;
		if (f == field)
			return strtol(p, NULL, 10);
		while (*p && *p != ' ')
			p++;
	}
	return -1;
}

static int ns_slot_of_link(const char *link)
{
	for (int s = 0; s < NS_SLOTS; s++) {
		if (s == NS_SLOT_PID_CHILDREN || s == NS_SLOT_TIME_CHILDREN)
			continue;
		size_t n = strlen(NS_LINK_NAMES[s]);
		if (strncmp(link, NS_LINK_NAMES[s], n) == 0 && link[n] == ':' && link[n + 1] == '[')
			return s;
	}
	return -2;
}

/* Reads the links of ns/ (or task/<tid>/ns/); returns how many the kernel does not serve
 * (ENOENT). *err gets the first other error (EACCES): those links exist but are denied. */
static int read_ns_links(int dirfd, const char *prefix, unsigned long long *ns, int *err)
{
	char path[64], link[64];
	int absent = 0;
	for (int s = 0; s < NS_SLOTS; s++) {
		snprintf(path, sizeof path, "%s%s", prefix, NS_LINK_NAMES[s]);
		ssize_t n = readlinkat(dirfd, path, link, sizeof link - 1);
		if (n < 0) {
			int e = errno;
			ns[s] = 0;
			if (e == ENOENT || e == ESRCH)
				absent++;
			else if (!*err)
				*err = e;
			continue;
		}
		link[n] = '\0';
		ns[s] = ns_link_inode(link);
	}
	return absent;
}

/* Device number of nsfs, to recognise namespace files opened through a bind mount; found
 * once, before any walk reads it (walks may run on several threads at once). */
static dev_t nsfs_dev = (dev_t)-1;
static pthread_once_t nsfs_dev_once = PTHREAD_ONCE_INIT;

static void find_nsfs_dev(void)
{
	struct stat st;
	if (stat("/proc/self/ns/net", &st) == 0)
		nsfs_dev = st.st_dev;
}

static int slot_of_nstype(int nstype)
{
	switch (nstype) {
	case CLONE_NEWCGROUP:
		return NS_SLOT_CGROUP;
	case CLONE_NEWIPC:
		return NS_SLOT_IPC;
	case CLONE_NEWNS:
		return NS_SLOT_MNT;
	case CLONE_NEWNET:
		return NS_SLOT_NET;
	case CLONE_NEWPID:
		return NS_SLOT_PID;
	case CLONE_NEWTIME:
		return NS_SLOT_TIME;
	case CLONE_NEWUSER:
		return NS_SLOT_USER;
	case CLONE_NEWUTS:
		return NS_SLOT_UTS;
	default:
		return -2;
	}
}

/* An nsfs file opened through a path (`exec 3</run/netns/blue`) reads back as that path,
 * not as "net:[inode]", and keeps reading so after the mount is gone. Only stat tells:
 * the file lives on the nsfs device; its type then needs NS_GET_NSTYPE on a fresh open. */
static int nsfs_slot_of_path_fd(int fdd, const char *name, unsigned long long *inode)
{
	struct stat st;
	if (fstatat(fdd, name, &st, 0) < 0 || st.st_dev != nsfs_dev)
		return -2;
	int fd = openat(fdd, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -2;
	int nstype = ioctl(fd, NS_GET_NSTYPE);
	close(fd);
	*inode = st.st_ino;
	return nstype < 0 ? -2 : slot_of_nstype(nstype);
}

/* The device a tun fd is attached to: fdinfo of a /dev/net/tun fd ends with "iff:\t<name>"
 * (empty while the fd is not attached). Read only for such fds, which are rare. */
static void read_tun_iff(int dirfd, int fd, char *iff, size_t cap)
{
	char path[32], *info = NULL;
	iff[0] = '\0';
	snprintf(path, sizeof path, "fdinfo/%d", fd);
	if (read_file_at(dirfd, path, &info, 4096) < 0)
		return; /* closed meanwhile */
	const char *line = strstr(info, "\niff:\t");
	if (line) {
		line += 6;
		size_t n = strcspn(line, "\n");
		if (n >= cap)
			n = cap - 1;
		memcpy(iff, line, n);
		iff[n] = '\0';
	}
	free(info);
}

static void read_fds(int dirfd, struct proc_rec *r)
{
	int fdd = openat(dirfd, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fdd < 0) {
		r->fd_errno = errno;
		return;
	}
	DIR *d = fdopendir(fdd);
	if (!d) {
		r->fd_errno = errno;
		close(fdd);
		return;
	}
	int cap = 0;
	struct dirent *e;
	char link[64];
	while ((e = readdir(d))) {
		if (!is_pid_name(e->d_name))
			continue;
		ssize_t n = readlinkat(fdd, e->d_name, link, sizeof link - 1);
		if (n < 0)
			continue; /* the fd was closed between readdir and readlink */
		link[n] = '\0';
		unsigned long long inode = ns_link_inode(link);
		int slot = strncmp(link, "socket:[", 8) == 0 ? FD_SOCKET : ns_slot_of_link(link);
		if (slot == -2 && strcmp(link, "/dev/net/tun") == 0)
			slot = FD_TUN;
		if (slot == -2 && link[0] == '/' && strcmp(link, "/dev/null") != 0)
			slot = nsfs_slot_of_path_fd(fdd, e->d_name, &inode);
		if (slot == -2)
			continue;
		if (r->nfds == cap) {
			cap = cap ? cap * 2 : 8;
			struct fd_ref *grown = realloc(r->fds, (size_t)cap * sizeof *grown);
			if (!grown)
				break;
			r->fds = grown;
		}
		struct fd_ref *ref = &r->fds[r->nfds++];
		*ref = (struct fd_ref){ atoi(e->d_name), slot, inode, 0, "" };
		if (slot == FD_TUN) {
			read_tun_iff(dirfd, ref->fd, ref->iff, sizeof ref->iff);
			r->ntun++;
		}
	}
	closedir(d);
}

/* A socket keeps the stack it was created in alive even after its process moved elsewhere
 * (setns) and the stack lost every name and process; a tun device may have been moved to
 * another stack than its owner's. Only the fd itself can tell which stack: borrow a duplicate
 * (pidfd_getfd needs ptrace access, as root we have it) and ask SIOCGSKNS or TUNGETDEVNETNS
 * for an fd on that network namespace. */
static void resolve_fd_stacks(struct proc_rec *r)
{
	int pidfd = -1;
	for (int i = 0; i < r->nfds; i++) {
		if (r->fds[i].slot != FD_SOCKET && r->fds[i].slot != FD_TUN)
			continue;
		if (pidfd < 0) {
			pidfd = (int)syscall(SYS_pidfd_open, r->pid, 0);
			if (pidfd < 0)
				return;
		}
		int sfd = (int)syscall(SYS_pidfd_getfd, pidfd, r->fds[i].fd, 0);
		if (sfd < 0)
			continue;
		int nsfd = ioctl(sfd, r->fds[i].slot == FD_TUN ? TUNGETDEVNETNS : SIOCGSKNS);
		if (nsfd >= 0) {
			struct stat st;
			if (fstat(nsfd, &st) == 0)
				r->fds[i].netns = st.st_ino;
			close(nsfd);
		}
		close(sfd);
	}
	if (pidfd >= 0)
		close(pidfd);
}

static void read_tasks(int dirfd, struct proc_rec *r)
{
	int td = openat(dirfd, "task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (td < 0) {
		r->task_errno = errno;
		return;
	}
	DIR *d = fdopendir(td);
	if (!d) {
		r->task_errno = errno;
		close(td);
		return;
	}
	int cap = 0;
	struct dirent *e;
	char prefix[48];
	while ((e = readdir(d))) {
		if (!is_pid_name(e->d_name))
			continue;
		int tid = atoi(e->d_name);
		if (tid == r->pid)
			continue;
		unsigned long long ns[NS_SLOTS];
		int err = 0;
		snprintf(prefix, sizeof prefix, "task/%d/ns/", tid);
		if (read_ns_links(dirfd, prefix, ns, &err) == NS_SLOTS)
			continue; /* the thread exited mid-read */
		for (size_t i = 0; i < sizeof THREAD_SLOTS / sizeof *THREAD_SLOTS; i++) {
			int s = THREAD_SLOTS[i];
			/* A thread's pid/time namespace cannot differ (setns of those affects
			 * children). */
			if (!ns[s] || ns[s] == r->ns[s])
				continue;
			if (r->ntasks == cap) {
				cap = cap ? cap * 2 : 4;
				struct task_diff *grown =
					realloc(r->tasks, (size_t)cap * sizeof *grown);
				if (!grown)
					break;
				r->tasks = grown;
			}
			r->tasks[r->ntasks++] = (struct task_diff){ tid, s, ns[s] };
		}
	}
	closedir(d);
}

static char *nspid_line(int dirfd)
{
	char *status = NULL;
	if (read_file_at(dirfd, "status", &status, 1 << 16) < 0)
		return NULL;
	char *line = strstr(status, "\nNSpid:");
	char *copy = NULL;
	if (line) {
		line += 7;
		size_t n = strcspn(line, "\n");
		copy = strndup(line, n);
	}
	free(status);
	return copy;
}

/* Whether (pid, start time) is in the caller's sorted reuse list: the same process (a reused
 * pid has another start time) whose argv and cgroup the caller already holds. */
static int in_reuse_list(const struct walk_opts *o, int pid, long start)
{
	long lo = 0, hi = o->nreuse;
	while (lo < hi) {
		long mid = (lo + hi) / 2;
		double p = o->reuse[2 * mid];
		if (p == pid)
			return o->reuse[2 * mid + 1] == (double)start;
		if (p < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static void read_one(const struct walk_opts *o, int rootfd, struct proc_rec *r)
{
	char name[16];
	snprintf(name, sizeof name, "%d", r->pid);
	int dirfd = openat(rootfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	/* ENOENT/ESRCH: the process exited after readdir, which is expected, not an error. */
	if (dirfd < 0) {
		r->skip = 1;
		return;
	}
	struct stat st;
	r->uid = fstat(dirfd, &st) == 0 ? (int)st.st_uid : -1;
	r->stat_len = read_file_at(dirfd, "stat", &r->stat, 4096);
	if (r->stat_len <= 0) {
		r->skip = 1;
		close(dirfd);
		return;
	}
	int absent = read_ns_links(dirfd, "ns/", r->ns, &r->ns_errno);
	/* A zombie keeps its /proc entry, its credentials (the user link) and its pid (the pid
	 * link) but has dropped its nsproxy: the other links are ENOENT. So is pid_for_children
	 * after unshare(CLONE_NEWPID) until the first fork. Only a process reaped meanwhile serves
	 * none. When some are absent the process may have exited since stat was read: read stat
	 * again so that its state letter matches the links. */
	if (absent == NS_SLOTS) {
		r->skip = 1;
		close(dirfd);
		return;
	}
	if (absent > 0) {
		char *again = NULL;
		long len = read_file_at(dirfd, "stat", &again, 4096);
		if (len <= 0) {
			free(again);
			r->skip = 1;
			close(dirfd);
			return;
		}
		free(r->stat);
		r->stat = again;
		r->stat_len = len;
	}
	/* Kernel threads (PF_KTHREAD in field 9) have no argv, no fds and only the root cgroup. */
	int kthread = (stat_field(r->stat, 9) & 0x00200000) != 0;
	if (kthread) {
		close(dirfd);
		return;
	}
	if (in_reuse_list(o, r->pid, stat_field(r->stat, 22))) {
		r->reused = 1;
	} else {
		r->cmdline_len = read_file_at(dirfd, "cmdline", &r->cmdline, 1 << 16);
		if (r->cmdline_len < 0)
			r->cmdline_len = 0;
		if (o->with_cgroup)
			r->cgroup_len = read_file_at(dirfd, "cgroup", &r->cgroup, 1 << 14);
	}
	if (o->initial_pid_ns == 0 ||
	    (r->ns[NS_SLOT_PID] && r->ns[NS_SLOT_PID] != o->initial_pid_ns))
		r->nspid = nspid_line(dirfd);
	if (o->with_fds)
		read_fds(dirfd, r);
	if (o->with_fds && o->with_socket_ns)
		resolve_fd_stacks(r);
	if (o->with_tasks && stat_field(r->stat, 20) > 1)
		read_tasks(dirfd, r);
	close(dirfd);
}

struct shared {
	const struct walk_opts *opts;
	int rootfd;
	struct proc_rec *recs;
	long n;
	atomic_long next;
};

static void *worker(void *arg)
{
	struct shared *sh = arg;
	for (;;) {
		long i = atomic_fetch_add(&sh->next, 16);
		if (i >= sh->n)
			break;
		long end = i + 16 < sh->n ? i + 16 : sh->n;
		for (; i < end; i++)
			read_one(sh->opts, sh->rootfd, &sh->recs[i]);
	}
	return NULL;
}

long proc_walk(const struct walk_opts *o, struct proc_rec **out)
{
	int rootfd = open(o->proc_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return -errno;
	pthread_once(&nsfs_dev_once, find_nsfs_dev);
	/* closedir closes the fd fdopendir was given, so it gets a duplicate; on failure that
	 * duplicate is still ours to close. */
	int dirfd = dup(rootfd);
	DIR *d = dirfd < 0 ? NULL : fdopendir(dirfd);
	if (!d) {
		int err = errno;
		if (dirfd >= 0)
			close(dirfd);
		close(rootfd);
		return -err;
	}
	long n = 0, cap = 1024;
	struct proc_rec *recs = calloc((size_t)cap, sizeof *recs);
	struct dirent *e;
	while (recs && (e = readdir(d))) {
		if (!is_pid_name(e->d_name))
			continue;
		if (n == cap) {
			struct proc_rec *grown = realloc(recs, (size_t)cap * 2 * sizeof *recs);
			if (!grown) {
				free(recs);
				recs = NULL;
				break;
			}
			memset(grown + cap, 0, (size_t)cap * sizeof *grown);
			recs = grown;
			cap *= 2;
		}
		recs[n++].pid = atoi(e->d_name);
	}
	closedir(d);
	if (!recs) {
		close(rootfd);
		return -ENOMEM;
	}
	struct shared sh = { .opts = o, .rootfd = rootfd, .recs = recs, .n = n };
	atomic_init(&sh.next, 0);
	int threads = o->threads < 1 ? 1 : o->threads > 16 ? 16 : o->threads;
	pthread_t tids[16];
	int started = 0;
	for (int t = 1; t < threads; t++)
		if (pthread_create(&tids[started], NULL, worker, &sh) == 0)
			started++;
	worker(&sh);
	for (int t = 0; t < started; t++)
		pthread_join(tids[t], NULL);
	close(rootfd);
	*out = recs;
	return n;
}

void proc_walk_free(struct proc_rec *recs, long n)
{
	for (long i = 0; i < n; i++) {
		free(recs[i].stat);
		free(recs[i].cmdline);
		free(recs[i].cgroup);
		free(recs[i].nspid);
		free(recs[i].fds);
		free(recs[i].tasks);
	}
	free(recs);
}
