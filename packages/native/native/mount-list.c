/* See mount-list.h. The uapi structures are declared here: the build host's headers may be
 * older than the kernel it runs on, and both calls check the size they are given. */
#include "mount-list.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_statmount
#define SYS_statmount 457
#endif
#ifndef SYS_listmount
#define SYS_listmount 458
#endif

#define NSIO_ 0xb7
#define NS_GET_MNTNS_ID_ _IOR(NSIO_, 0x5, uint64_t)
#define LSMT_ROOT_ 0xffffffffffffffffULL
#define STATMOUNT_SB_BASIC_ 0x1U
#define STATMOUNT_MNT_BASIC_ 0x2U
#define STATMOUNT_MNT_ROOT_ 0x8U
#define STATMOUNT_MNT_POINT_ 0x10U
#define STATMOUNT_FS_TYPE_ 0x20U
#define NSFS_MAGIC_ 0x6e736673ULL
#define MNT_ID_REQ_SIZE_VER1_ 32

struct mnt_id_req_ {
	uint32_t size;
	uint32_t spare;
	uint64_t mnt_id;
	uint64_t param;
	uint64_t mnt_ns_id;
};

struct statmount_ {
	uint32_t size;
	uint32_t mnt_opts;
	uint64_t mask;
	uint32_t sb_dev_major;
	uint32_t sb_dev_minor;
	uint64_t sb_magic;
	uint32_t sb_flags;
	uint32_t fs_type;
	uint64_t mnt_id;
	uint64_t mnt_parent_id;
	uint32_t mnt_id_old;
	uint32_t mnt_parent_id_old;
	uint64_t mnt_attr;
	uint64_t mnt_propagation;
	uint64_t mnt_peer_group;
	uint64_t mnt_master;
	uint64_t propagate_from;
	uint32_t mnt_root;
	uint32_t mnt_point;
	uint64_t mnt_ns_id;
	uint64_t spare2[49];
	char str[];
};

static long do_statmount(uint64_t ns_id, uint64_t mnt_id, uint64_t mask, struct statmount_ *buf,
			 size_t size)
{
	struct mnt_id_req_ req = {
		.size = MNT_ID_REQ_SIZE_VER1_, .mnt_id = mnt_id, .param = mask, .mnt_ns_id = ns_id
	};
	return syscall(SYS_statmount, &req, buf, size, 0);
}

/* Every mount id of the namespace, in mount order; *ids malloc'd. Returns the count or -errno. */
static long list_ids(uint64_t ns_id, uint64_t **ids)
{
	size_t cap = 256, n = 0;
	uint64_t *buf = malloc(cap * sizeof *buf);
	if (!buf)
		return -ENOMEM;
	uint64_t last = 0;
	for (;;) {
		struct mnt_id_req_ req = { .size = MNT_ID_REQ_SIZE_VER1_,
					   .mnt_id = LSMT_ROOT_,
					   .param = last,
					   .mnt_ns_id = ns_id };
		long got = syscall(SYS_listmount, &req, buf + n, cap - n, 0);
		if (got < 0) {
			int err = errno;
			free(buf);
			return -err;
		}
		n += (size_t)got;
		/* A full buffer may mean more mounts: continue after the last id (param). */
		if (n < cap)
			break;
		last = buf[n - 1];
		uint64_t *grown = realloc(buf, cap * 2 * sizeof *buf);
		if (!grown) {
			free(buf);
			return -ENOMEM;
		}
		buf = grown;
		cap *= 2;
	}
	*ids = buf;
	return (long)n;
}

int nsfs_mounts(int ns_fd, struct nsfs_mount **out, int *n)
{
	*out = NULL;
	*n = 0;
	uint64_t ns_id = 0;
	if (ioctl(ns_fd, NS_GET_MNTNS_ID_, &ns_id) < 0)
		return -errno;
	uint64_t *ids = NULL;
	long count = list_ids(ns_id, &ids);
	if (count < 0)
		return (int)count;
	size_t size = sizeof(struct statmount_) + 2 * 4096 + 64;
	struct statmount_ *sm = malloc(size);
	struct nsfs_mount *found = NULL;
	int nfound = 0, cap = 0, rc = 0;
	if (!sm)
		rc = -ENOMEM;
	for (long i = 0; rc == 0 && i < count; i++) {
		/* The superblock's magic first: a fixed-size answer, no strings formatted. */
		if (do_statmount(ns_id, ids[i], STATMOUNT_SB_BASIC_, sm, sizeof *sm) < 0) {
			if (errno == ENOENT)
				continue; /* unmounted since listmount */
			rc = -errno;
			break;
		}
		if (sm->sb_magic != NSFS_MAGIC_)
			continue;
		if (do_statmount(ns_id, ids[i],
				 STATMOUNT_MNT_BASIC_ | STATMOUNT_MNT_ROOT_ | STATMOUNT_MNT_POINT_ |
					 STATMOUNT_FS_TYPE_,
				 sm, size) < 0) {
			if (errno == ENOENT)
				continue;
			rc = -errno;
			break;
		}
		if (!(sm->mask & STATMOUNT_MNT_ROOT_) || !(sm->mask & STATMOUNT_MNT_POINT_))
			continue;
		if (nfound == cap) {
			cap = cap ? cap * 2 : 8;
			struct nsfs_mount *grown = realloc(found, (size_t)cap * sizeof *grown);
			if (!grown) {
				rc = -ENOMEM;
				break;
			}
			found = grown;
		}
		/* String offsets index into str[]; the kernel NUL-terminates each and keeps them
		 * inside size. */
		char *root = strdup(sm->str + sm->mnt_root);
		char *point = strdup(sm->str + sm->mnt_point);
		if (!root || !point) {
			free(root);
			free(point);
			rc = -ENOMEM;
			break;
		}
		found[nfound++] = (struct nsfs_mount){ root, point };
	}
	free(sm);
	free(ids);
	if (rc < 0) {
		nsfs_mounts_free(found, nfound);
		return rc;
	}
	*out = found;
	*n = nfound;
	return 0;
}

void nsfs_mounts_free(struct nsfs_mount *m, int n)
{
	for (int i = 0; m && i < n; i++) {
		free(m[i].root);
		free(m[i].mount_point);
	}
	free(m);
}
