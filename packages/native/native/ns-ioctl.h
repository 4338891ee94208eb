#ifndef NSATLAS_NS_IOCTL_H
#define NSATLAS_NS_IOCTL_H

#include <sched.h>
#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080 /* linux/sched.h, since 5.6 */
#endif

struct ns_facts {
	unsigned long long inode;
	int nstype;		   /* CLONE_NEW* */
	unsigned long long owner;  /* owning user namespace inode, 0 if unknown */
	int owner_errno;	   /* EPERM: the owner lies outside our user namespace */
	unsigned long long parent; /* pid/user only; 0 at the root of the tree */
	int parent_errno;
	long long owner_uid; /* user namespaces only, else -1 */
};

/* Fills out for the namespace that fd (an nsfs file) refers to; -errno on failure. */
int ns_describe_fd(int fd, struct ns_facts *out);
/* The same when the type (CLONE_NEW*, 0: ask) and inode (0: ask) are known already; hands
 * back fds on the owner and the parent (-1 for none; the caller closes them) instead of
 * closing them, for describing those next without opening them again. */
int ns_describe_known(int fd, int nstype, unsigned long long inode, struct ns_facts *out,
		      int *owner_fd, int *parent_fd);
/* A new fd on the parent (parent != 0) or the owning user namespace, or -errno. */
int ns_open_related(int fd, int parent);

/* An fd on the network namespace a socket of pid was created in, or -errno: borrows the
 * socket with pidfd_getfd(2) (needs ptrace access) and asks it with SIOCGSKNS. */
int ns_open_socket_netns(int pid, int fd);

#endif
