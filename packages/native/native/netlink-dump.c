/* rtnetlink dumps of one network stack (rtnetlink(7), netlink(7)). A netlink socket belongs
 * to the network namespace of the thread that created it, for its whole life, so a worker
 * thread that has setns()ed into a stack reads that stack here. Dumps only read: none of
 * these requests creates, renames or assigns anything (see rt_get_nsid for nsids). */
#include "netlink-dump.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_link.h>
#include <linux/net_namespace.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static _Thread_local unsigned int seq;

int vec_grow(void **arr, int n, int *cap, size_t elem)
{
	if (n < *cap)
		return 0;
	int grown_cap = *cap ? *cap * 2 : 8;
	void *grown = realloc(*arr, (size_t)grown_cap * elem);
	if (!grown)
		return -ENOMEM;
	*arr = grown;
	*cap = grown_cap;
	return 0;
}

int nl_socket(int protocol)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol);
	return fd < 0 ? -errno : fd;
}

static int nl_send(int sock, void *req, size_t len, int flags)
{
	struct nlmsghdr *h = req;
	h->nlmsg_len = (unsigned int)len;
	h->nlmsg_flags = (unsigned short)(NLM_F_REQUEST | flags);
	h->nlmsg_seq = ++seq;
	h->nlmsg_pid = 0;
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	for (;;) {
		if (sendto(sock, req, len, 0, (struct sockaddr *)&kernel, sizeof kernel) >= 0)
			return 0;
		if (errno != EINTR)
			return -errno;
	}
}

/* Reads replies to the last request until NLMSG_DONE (dumps) or the one answer (requests).
 * A callback error is remembered and the rest drained, so that the socket stays usable.
 * *intr is set when the kernel flagged a reply NLM_F_DUMP_INTR: the table changed while it
 * was being dumped, so what was read may miss or repeat entries. */
static int nl_receive(int sock, char *buf, size_t buf_len, int dump,
		      int (*cb)(const void *, void *), void *ctx, int *intr)
{
	int result = 0;
	for (;;) {
		ssize_t n = recv(sock, buf, buf_len, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return -EPIPE;
		int len = (int)n;
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, len);
		     h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_seq != seq)
				continue; /* a late answer to an earlier request */
			if (h->nlmsg_flags & NLM_F_DUMP_INTR)
				*intr = 1;
			if (h->nlmsg_type == NLMSG_DONE) {
				/* sock_diag and others report a dump failure as a negative int
				 * after DONE. */
				int err = h->nlmsg_len >= NLMSG_LENGTH(sizeof(int))
						  ? *(int *)NLMSG_DATA(h)
						  : 0;
				return result ? result : err < 0 ? err : 0;
			}
			if (h->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(h);
				return result ? result : e->error;
			}
			if (!result) {
				int rc = cb(h, ctx);
				if (rc < 0)
					result = rc;
			}
			if (!dump)
				return result;
		}
	}
}

/* Tries of one dump that the kernel keeps interrupting before giving up with EAGAIN. */
#define DUMP_TRIES 8

int nl_dump(int sock, void *req, size_t len, char *buf, size_t buf_len,
	    int (*cb)(const void *, void *), void *ctx)
{
	for (int t = 0; t < DUMP_TRIES; t++) {
		if (t > 0)
			cb(NULL, ctx); /* drop the entries of the interrupted try */
		int rc = nl_send(sock, req, len, NLM_F_DUMP);
		int intr = 0;
		if (rc == 0)
			rc = nl_receive(sock, buf, buf_len, 1, cb, ctx, &intr);
		if (rc < 0 || !intr)
			return rc;
	}
	cb(NULL, ctx);
	return -EAGAIN;
}

/* Copies a string attribute that the kernel NUL-terminates, bounded by the destination. */
static void attr_str(const struct rtattr *a, char *dst, size_t cap)
{
	size_t n = RTA_PAYLOAD(a);
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, RTA_DATA(a), n);
	dst[n] = '\0';
}

static unsigned int attr_u32(const struct rtattr *a)
{
	unsigned int v = 0;
	if (RTA_PAYLOAD(a) >= sizeof v)
		memcpy(&v, RTA_DATA(a), sizeof v);
	return v;
}

static void attr_ip(const struct rtattr *a, int family, char *dst)
{
	size_t want = family == AF_INET6 ? 16 : 4;
	if (RTA_PAYLOAD(a) < want || !inet_ntop(family, RTA_DATA(a), dst, NL_ADDR_STR))
		dst[0] = '\0';
}

/* IFLA_LINKINFO: the driver kind, and for tun devices whether they are tun or tap. */
static void parse_linkinfo(const struct rtattr *info, struct nl_link *l)
{
	int len = (int)RTA_PAYLOAD(info);
	const struct rtattr *data = NULL;
	for (const struct rtattr *a = RTA_DATA(info); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		int type = a->rta_type & NLA_TYPE_MASK;
		if (type == IFLA_INFO_KIND)
			attr_str(a, l->kind, sizeof l->kind);
		if (type == IFLA_INFO_DATA)
			data = a;
	}
	if (!data || strcmp(l->kind, "tun") != 0)
		return;
	len = (int)RTA_PAYLOAD(data);
	for (const struct rtattr *a = RTA_DATA(data); RTA_OK(a, len); a = RTA_NEXT(a, len))
		if ((a->rta_type & NLA_TYPE_MASK) == IFLA_TUN_TYPE && RTA_PAYLOAD(a) >= 1)
			l->tun_type = *(unsigned char *)RTA_DATA(a);
}

static int on_link(const void *msg, void *ctx)
{
	const struct nlmsghdr *h = msg;
	struct stack_facts *out = ctx;
	if (!h)
		return out->nlinks = 0;
	if (h->nlmsg_type != RTM_NEWLINK)
		return 0;
	if (vec_grow((void **)&out->links, out->nlinks, &out->links_cap, sizeof *out->links) < 0)
		return -ENOMEM;
	const struct ifinfomsg *ifi = NLMSG_DATA(h);
	struct nl_link *l = &out->links[out->nlinks++];
	memset(l, 0, sizeof *l);
	l->ifindex = ifi->ifi_index;
	l->arphrd = ifi->ifi_type;
	l->flags = ifi->ifi_flags;
	l->operstate = -1;
	int len = (int)IFLA_PAYLOAD(h);
	for (const struct rtattr *a = IFLA_RTA(ifi); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		switch (a->rta_type & NLA_TYPE_MASK) {
		case IFLA_IFNAME:
			attr_str(a, l->name, sizeof l->name);
			break;
		case IFLA_MTU:
			l->mtu = attr_u32(a);
			break;
		case IFLA_MASTER:
			l->master = (int)attr_u32(a);
			break;
		case IFLA_LINK:
			l->link = (int)attr_u32(a);
			break;
		case IFLA_OPERSTATE:
			if (RTA_PAYLOAD(a) >= 1)
				l->operstate = *(unsigned char *)RTA_DATA(a);
			break;
		case IFLA_LINK_NETNSID:
			l->has_link_netnsid = 1;
			l->link_netnsid = (int)attr_u32(a);
			break;
		case IFLA_ADDRESS:
			l->mac_len = RTA_PAYLOAD(a) < sizeof l->mac ? (int)RTA_PAYLOAD(a)
								    : (int)sizeof l->mac;
			memcpy(l->mac, RTA_DATA(a), (size_t)l->mac_len);
			break;
		case IFLA_LINKINFO:
			parse_linkinfo(a, l);
			break;
		default:
			break;
		}
	}
	return 0;
}

int rt_dump_links(int sock, char *buf, size_t buf_len, struct stack_facts *out)
{
	struct {
		struct nlmsghdr h;
		struct ifinfomsg ifi;
		struct rtattr ext_hdr;
		unsigned int ext_mask;
	} req = {
		.h = { .nlmsg_type = RTM_GETLINK },
		.ifi = { .ifi_family = AF_UNSPEC },
		.ext_hdr = { .rta_len = RTA_LENGTH(sizeof(unsigned int)),
			     .rta_type = IFLA_EXT_MASK },
		/* Statistics are most of a link message and we do not report them. */
		.ext_mask = RTEXT_FILTER_SKIP_STATS,
	};
	return nl_dump(sock, &req, sizeof req, buf, buf_len, on_link, out);
}

static int on_addr(const void *msg, void *ctx)
{
	const struct nlmsghdr *h = msg;
	struct stack_facts *out = ctx;
	if (!h)
		return out->naddrs = 0;
	if (h->nlmsg_type != RTM_NEWADDR)
		return 0;
	const struct ifaddrmsg *ifa = NLMSG_DATA(h);
	if (ifa->ifa_family != AF_INET && ifa->ifa_family != AF_INET6)
		return 0;
	const struct rtattr *local = NULL, *address = NULL;
	int len = (int)IFA_PAYLOAD(h);
	for (const struct rtattr *a = IFA_RTA(ifa); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		if (a->rta_type == IFA_LOCAL)
			local = a;
		if (a->rta_type == IFA_ADDRESS)
			address = a;
	}
	/* On point-to-point links IFA_ADDRESS is the far end; IFA_LOCAL is ours (as `ip` shows). */
	const struct rtattr *ours = local ? local : address;
	if (!ours)
		return 0;
	if (vec_grow((void **)&out->addrs, out->naddrs, &out->addrs_cap, sizeof *out->addrs) < 0)
		return -ENOMEM;
	struct nl_addr *ad = &out->addrs[out->naddrs++];
	ad->ifindex = (int)ifa->ifa_index;
	ad->family = ifa->ifa_family;
	ad->prefixlen = ifa->ifa_prefixlen;
	ad->scope = ifa->ifa_scope;
	attr_ip(ours, ad->family, ad->addr);
	return 0;
}

int rt_dump_addrs(int sock, char *buf, size_t buf_len, struct stack_facts *out)
{
	struct {
		struct nlmsghdr h;
		struct ifaddrmsg ifa;
	} req = { .h = { .nlmsg_type = RTM_GETADDR }, .ifa = { .ifa_family = AF_UNSPEC } };
	return nl_dump(sock, &req, sizeof req, buf, buf_len, on_addr, out);
}

/* A gateway is RTA_GATEWAY of the route's family, or RTA_VIA (an IPv4 route via IPv6). */
static void parse_gateway(const struct rtattr *a, int family, struct nl_hop *hop)
{
	if (a->rta_type == RTA_GATEWAY)
		attr_ip(a, family, hop->gateway);
	if (a->rta_type == RTA_VIA && RTA_PAYLOAD(a) >= sizeof(struct rtvia)) {
		const struct rtvia *via = RTA_DATA(a);
		size_t want = via->rtvia_family == AF_INET6 ? 16 : 4;
		if (RTA_PAYLOAD(a) < sizeof(struct rtvia) + want ||
		    !inet_ntop(via->rtvia_family, via->rtvia_addr, hop->gateway, NL_ADDR_STR))
			hop->gateway[0] = '\0';
	}
}

static void parse_multipath(const struct rtattr *mp, int family, struct nl_route *r)
{
	int left = (int)RTA_PAYLOAD(mp);
	const struct rtnexthop *nh = RTA_DATA(mp);
	while (left >= (int)sizeof *nh && nh->rtnh_len >= sizeof *nh && nh->rtnh_len <= left &&
	       r->nhops < NL_MAX_HOPS) {
		struct nl_hop *hop = &r->hops[r->nhops++];
		hop->oif = nh->rtnh_ifindex;
		int len = nh->rtnh_len - (int)sizeof *nh;
		for (const struct rtattr *a = RTNH_DATA(nh); RTA_OK(a, len); a = RTA_NEXT(a, len))
			parse_gateway(a, family, hop);
		left -= RTNH_ALIGN(nh->rtnh_len);
		nh = RTNH_NEXT(nh);
	}
}

static int on_route(const void *msg, void *ctx)
{
	const struct nlmsghdr *h = msg;
	struct stack_facts *out = ctx;
	if (!h)
		return out->nroutes = 0;
	if (h->nlmsg_type != RTM_NEWROUTE)
		return 0;
	const struct rtmsg *rtm = NLMSG_DATA(h);
	/* Cached clones are not configuration; the local table holds one route per own address
	 * (what `ip route show table local` lists) and is left out like `ip route` does. */
	if ((rtm->rtm_family != AF_INET && rtm->rtm_family != AF_INET6) ||
	    (rtm->rtm_flags & RTM_F_CLONED))
		return 0;
	unsigned int table = rtm->rtm_table;
	int len = (int)RTM_PAYLOAD(h);
	for (const struct rtattr *a = RTM_RTA(rtm); RTA_OK(a, len); a = RTA_NEXT(a, len))
		if (a->rta_type == RTA_TABLE)
			table = attr_u32(a);
	if (table == RT_TABLE_LOCAL)
		return 0;
	if (vec_grow((void **)&out->routes, out->nroutes, &out->routes_cap, sizeof *out->routes) <
	    0)
		return -ENOMEM;
	struct nl_route *r = &out->routes[out->nroutes++];
	memset(r, 0, sizeof *r);
	r->family = rtm->rtm_family;
	r->dst_len = rtm->rtm_dst_len;
	r->protocol = rtm->rtm_protocol;
	r->scope = rtm->rtm_scope;
	r->type = rtm->rtm_type;
	r->table = table;
	len = (int)RTM_PAYLOAD(h);
	for (const struct rtattr *a = RTM_RTA(rtm); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		switch (a->rta_type) {
		case RTA_DST:
			attr_ip(a, r->family, r->dst);
			break;
		case RTA_OIF:
			r->hop.oif = (int)attr_u32(a);
			break;
		case RTA_GATEWAY:
		case RTA_VIA:
			parse_gateway(a, r->family, &r->hop);
			break;
		case RTA_PRIORITY:
			r->has_metric = 1;
			r->metric = attr_u32(a);
			break;
		case RTA_MULTIPATH:
			parse_multipath(a, r->family, r);
			break;
		default:
			break;
		}
	}
	return 0;
}

int rt_dump_routes(int sock, char *buf, size_t buf_len, struct stack_facts *out)
{
	struct {
		struct nlmsghdr h;
		struct rtmsg rtm;
	} req = { .h = { .nlmsg_type = RTM_GETROUTE }, .rtm = { .rtm_family = AF_UNSPEC } };
	return nl_dump(sock, &req, sizeof req, buf, buf_len, on_route, out);
}

static int on_nsid(const void *msg, void *ctx)
{
	const struct nlmsghdr *h = msg;
	int *nsid = ctx;
	if (!h)
		return *nsid = -1;
	if (h->nlmsg_type != RTM_NEWNSID)
		return 0;
	const struct rtgenmsg *g = NLMSG_DATA(h);
	int len = (int)(h->nlmsg_len - NLMSG_LENGTH(NLMSG_ALIGN(sizeof *g)));
	for (const struct rtattr *a =
		     (const struct rtattr *)((const char *)g + NLMSG_ALIGN(sizeof *g));
	     RTA_OK(a, len); a = RTA_NEXT(a, len))
		if (a->rta_type == NETNSA_NSID)
			*nsid = (int)attr_u32(a);
	return 0;
}

int rt_get_nsid(int sock, int target_fd, char *buf, size_t buf_len)
{
	struct {
		struct nlmsghdr h;
		struct rtgenmsg g;
		char pad[NLMSG_ALIGN(sizeof(struct rtgenmsg)) - sizeof(struct rtgenmsg)];
		struct rtattr fd_hdr;
		unsigned int fd;
	} req = {
		.h = { .nlmsg_type = RTM_GETNSID },
		.g = { .rtgen_family = AF_UNSPEC },
		.fd_hdr = { .rta_len = RTA_LENGTH(sizeof(unsigned int)), .rta_type = NETNSA_FD },
		.fd = (unsigned int)target_fd,
	};
	int rc = nl_send(sock, &req, sizeof req, 0);
	if (rc < 0)
		return rc;
	int nsid = -1; /* NETNSA_NSID_NOT_ASSIGNED */
	int intr = 0;  /* a single answer, not a dump: nothing to be interrupted */
	rc = nl_receive(sock, buf, buf_len, 0, on_nsid, &nsid, &intr);
	return rc < 0 ? rc : nsid;
}

void stack_facts_free(struct stack_facts *f)
{
	free(f->links);
	free(f->addrs);
	free(f->routes);
	free(f->socks);
	memset(f, 0, sizeof *f);
}
