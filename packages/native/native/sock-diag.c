/* Listening sockets of one stack through sock_diag(7), the interface `ss` uses. Like a route
 * socket, a NETLINK_SOCK_DIAG socket answers for the network namespace it was created in. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/tcp.h>
#include <string.h>

#include "netlink-dump.h"

/* TCP states as inet_diag numbers them (include/net/tcp_states.h). */
enum {
	DIAG_TCP_CLOSE = 7,
	DIAG_TCP_LISTEN = 10
};

struct diag_ctx {
	struct stack_facts *out;
	int proto;
	int start; /* out->nsocks before this dump, restored when the dump is asked again */
};

static int on_socket(const void *msg, void *ctx_)
{
	const struct nlmsghdr *h = msg;
	struct diag_ctx *ctx = ctx_;
	if (!h)
		return ctx->out->nsocks = ctx->start;
	if (h->nlmsg_type != SOCK_DIAG_BY_FAMILY ||
	    h->nlmsg_len < NLMSG_LENGTH(sizeof(struct inet_diag_msg)))
		return 0;
	const struct inet_diag_msg *m = NLMSG_DATA(h);
	int port = ntohs(m->id.idiag_sport);
	/* An unconnected UDP socket bound to port 0 receives nothing; ss -l leaves it out too. */
	if (port == 0)
		return 0;
	struct stack_facts *out = ctx->out;
	if (vec_grow((void **)&out->socks, out->nsocks, &out->socks_cap, sizeof *out->socks) < 0)
		return -ENOMEM;
	struct nl_sock *s = &out->socks[out->nsocks++];
	s->proto = ctx->proto;
	s->family = m->idiag_family;
	s->state = m->idiag_state;
	s->port = port;
	s->inode = m->idiag_inode;
	if (!inet_ntop(m->idiag_family, m->id.idiag_src, s->addr, sizeof s->addr))
		s->addr[0] = '\0';
	return 0;
}

static int dump_one(int sock, char *buf, size_t buf_len, int family, int proto, unsigned int states,
		    struct stack_facts *out)
{
	struct {
		struct nlmsghdr h;
		struct inet_diag_req_v2 r;
	} req = {
		.h = { .nlmsg_type = SOCK_DIAG_BY_FAMILY },
		.r = { .sdiag_family = (unsigned char)family,
		       .sdiag_protocol = (unsigned char)proto,
		       .idiag_states = states },
	};
	struct diag_ctx ctx = { out, proto, out->nsocks };
	return nl_dump(sock, &req, sizeof req, buf, buf_len, on_socket, &ctx);
}

int diag_dump_listening(int sock, char *buf, size_t buf_len, struct stack_facts *out)
{
	static const int families[] = { AF_INET, AF_INET6 };
	int first_err = 0;
	for (int i = 0; i < 2; i++) {
		/* A UDP socket that "listens" (ss -lu) is one that is bound but not connected:
		 * CLOSE. */
		int rc = dump_one(sock, buf, buf_len, families[i], IPPROTO_TCP,
				  1u << DIAG_TCP_LISTEN, out);
		if (rc < 0 && !first_err)
			first_err = rc;
		rc = dump_one(sock, buf, buf_len, families[i], IPPROTO_UDP, 1u << DIAG_TCP_CLOSE,
			      out);
		if (rc < 0 && !first_err)
			first_err = rc;
	}
	return first_err;
}
