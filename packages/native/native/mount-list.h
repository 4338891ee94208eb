/* The nsfs mounts of a mount namespace through listmount(2) and statmount(2) (Linux 6.8;
 * a namespace other than the caller's needs mnt_ns_id, 6.11): a few fixed-size records per
 * mount instead of a formatted mountinfo line for each. */
#ifndef NSATLAS_MOUNT_LIST_H
#define NSATLAS_MOUNT_LIST_H

struct nsfs_mount {
	char *root;	   /* as mountinfo's root field: "net:[4026532…]" */
	char *mount_point; /* as mountinfo's mount point, inside that namespace */
};

/* Fills *out (malloc'd, *n entries; free with nsfs_mounts_free) with the nsfs mounts of
 * the mount namespace that ns_fd (an open /proc/<pid>/ns/mnt) refers to. 0 or -errno:
 * ENOSYS (no listmount), ENOTTY (no NS_GET_MNTNS_ID), EINVAL (no mnt_ns_id in requests),
 * EPERM (a seccomp profile or missing CAP_SYS_ADMIN over that namespace). */
int nsfs_mounts(int ns_fd, struct nsfs_mount **out, int *n);
void nsfs_mounts_free(struct nsfs_mount *m, int n);

#endif
