/* Small helpers for reading procfs files without stdio: one open, one read loop, one close. */
#ifndef NSATLAS_READ_FILE_H
#define NSATLAS_READ_FILE_H

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Reads up to cap bytes of dirfd/path into a malloc'd, NUL-terminated buffer.
 * Returns the length, or -errno. procfs files report size 0, so read until EOF. */
static inline long read_file_at(int dirfd, const char *path, char **out, size_t cap)
{
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	size_t size = 4096 < cap ? 4096 : cap, len = 0;
	char *buf = malloc(size + 1);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	for (;;) {
		if (len == size) {
			if (size >= cap)
				break;
			size = size * 2 < cap ? size * 2 : cap;
			char *grown = realloc(buf, size + 1);
			if (!grown) {
				free(buf);
				close(fd);
				return -ENOMEM;
			}
			buf = grown;
		}
		ssize_t n = read(fd, buf + len, size - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int err = errno;
			free(buf);
			close(fd);
			return -err;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		/* procfs seq_file and cmdline reads hand out everything they have in one call when
		 * the buffer is large enough, so a short read is the end: this saves a read per
		 * file. */
		if (len < size)
			break;
	}
	close(fd);
	buf[len] = '\0';
	*out = buf;
	return (long)len;
}

/* "net:[4026531840]" -> 4026531840; 0 when the link is not of that shape. */
static inline unsigned long long ns_link_inode(const char *link)
{
	const char *open = strchr(link, '[');
	if (!open)
		return 0;
	char *end = NULL;
	unsigned long long ino = strtoull(open + 1, &end, 10);
	return end && *end == ']' ? ino : 0;
}

#endif
