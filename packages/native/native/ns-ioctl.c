/* Namespace hierarchy through the nsfs ioctls (see ioctl_ns(2)). Node cannot issue ioctls,
 * and util-linux's lsns costs a whole /proc walk per call, so these few calls live here. */
#include "ns-ioctl.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <linux/sockios.h>
#include <sys/syscall.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

/* NS_GET_USERNS and NS_GET_PARENT return a new fd; EPERM means the answer lies outside the
 * caller's own user namespace (or, for NS_GET_PARENT, that this is the root of the tree).
 * The fd is handed back in *keep when the caller wants to describe that namespace next
 * (keep != NULL), which saves opening it again; else it is closed. */
static unsigned long long related_inode(int fd, unsigned long request, int *err, int *keep)
{
	int rel = ioctl(fd, request);
	if (rel < 0) {
		*err = errno;
		return 0;
	}
	struct stat st;
	unsigned long long ino = fstat(rel, &st) == 0 ? (unsigned long long)st.st_ino : 0;
	if (keep && ino)
		*keep = rel;
	else
		close(rel);
	*err = 0;
	return ino;
}

int ns_describe_known(int fd, int nstype, unsigned long long inode, struct ns_facts *out,
		      int *owner_fd, int *parent_fd)
{
	if (owner_fd)
		*owner_fd = -1;
	if (parent_fd)
		*parent_fd = -1;
	if (inode == 0) {
		struct stat st;
		if (fstat(fd, &st) < 0)
			return -errno;
		inode = st.st_ino;
	}
	out->inode = inode;
	out->nstype = nstype > 0 ? nstype : ioctl(fd, NS_GET_NSTYPE);
	if (out->nstype < 0)
		return -errno; /* not an nsfs file */
	int err = 0;
	out->owner = related_inode(fd, NS_GET_USERNS, &err, owner_fd);
	out->owner_errno = err;
	out->parent = 0;
	out->parent_errno = 0;
	out->owner_uid = -1;
	if (out->nstype == CLONE_NEWUSER || out->nstype == CLONE_NEWPID) {
		out->parent = related_inode(fd, NS_GET_PARENT, &err, parent_fd);
		out->parent_errno = err;
	}
	if (out->nstype == CLONE_NEWUSER) {
		uid_t uid;
		if (ioctl(fd, NS_GET_OWNER_UID, &uid) == 0)
			out->owner_uid = (long long)uid;
	}
	return 0;
}

int ns_describe_fd(int fd, struct ns_facts *out)
{
	return ns_describe_known(fd, 0, 0, out, NULL, NULL);
}

int ns_open_related(int fd, int parent)
{
	int rel = ioctl(fd, parent ? NS_GET_PARENT : NS_GET_USERNS);
	return rel < 0 ? -errno : rel;
}

int ns_open_socket_netns(int pid, int fd)
{
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0)
		return -errno;
	int sock = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
	int err = errno;
	close(pidfd);
	if (sock < 0)
		return -err;
	int ns = ioctl(sock, SIOCGSKNS);
	err = errno;
	close(sock);
	return ns < 0 ? -err : ns;
}
