/* Raw facts of one network stack as rtnetlink and sock_diag report them; the scanner shapes
 * them. Every array grows with vec_grow(); a stack's arrays are freed by stack_facts_free(). */
#ifndef NSATLAS_NETLINK_DUMP_H
#define NSATLAS_NETLINK_DUMP_H

#include <net/if.h>
#include <netinet/in.h>
#include <stddef.h>

#define NL_ADDR_STR 48 /* INET6_ADDRSTRLEN, rounded up */
#define NL_MAX_HOPS 8  /* nexthops kept of one multipath route */

struct nl_link {
	int ifindex;
	char name[IFNAMSIZ];
	char kind[24];	       /* IFLA_INFO_KIND ("veth", "bridge", "tun"…), "" for none */
	int tun_type;	       /* IFLA_TUN_TYPE: 1 tun, 2 tap, 0 unknown */
	unsigned short arphrd; /* ifi_type (ARPHRD_*) */
	unsigned int flags;    /* ifi_flags (IFF_*) */
	unsigned int mtu;
	unsigned char mac[32];
	int mac_len;   /* 0: no IFLA_ADDRESS (tun, ip tunnels without one) */
	int operstate; /* IF_OPER_*, -1 when absent */
	int master;    /* IFLA_MASTER ifindex, 0 for none */
	int link;      /* IFLA_LINK: the peer or lower device's ifindex, 0 for none */
	int has_link_netnsid;
	int link_netnsid; /* IFLA_LINK_NETNSID: where `link` lives, as an nsid of this stack */
};

struct nl_addr {
	int ifindex;
	int family;
	int prefixlen;
	int scope;
	char addr[NL_ADDR_STR];
};

struct nl_hop {
	int oif;
	char gateway[NL_ADDR_STR]; /* "" for none */
};

struct nl_route {
	int family;
	int dst_len;
	int protocol;
	int scope;
	int type;
	unsigned int table;
	int has_metric;
	unsigned int metric;
	char dst[NL_ADDR_STR]; /* "" for the default route */
	struct nl_hop hop;     /* single-path route */
	struct nl_hop hops[NL_MAX_HOPS];
	int nhops; /* > 0 for RTA_MULTIPATH */
};

struct nl_sock {
	int proto; /* IPPROTO_TCP or IPPROTO_UDP */
	int family;
	int state;
	int port;
	unsigned int inode;
	char addr[NL_ADDR_STR];
};

struct stack_facts {
	int err;	      /* errno of the first step that failed, 0 when all went well */
	const char *err_step; /* "open", "setns", "links", … */
	struct nl_link *links;
	int nlinks, links_cap;
	struct nl_addr *addrs;
	int naddrs, addrs_cap;
	struct nl_route *routes;
	int nroutes, routes_cap;
	struct nl_sock *socks;
	int nsocks, socks_cap;
	int sock_err; /* a sock_diag dump that failed (no udp_diag module) is not fatal */
};

/* Grows *arr (of elem bytes each) so that one more fits; 0 or -ENOMEM. */
int vec_grow(void **arr, int n, int *cap, size_t elem);

/* A NETLINK_ROUTE or NETLINK_SOCK_DIAG socket in the calling thread's network namespace. */
int nl_socket(int protocol);
/* Sends one dump request and hands every reply message to cb; 0 or -errno. When the kernel
 * marks the dump interrupted (NLM_F_DUMP_INTR: the table changed meanwhile), cb(NULL, ctx)
 * must drop what this dump added, and the dump is asked again (EAGAIN after 8 tries). */
int nl_dump(int sock, void *req, size_t len, char *buf, size_t buf_len,
	    int (*cb)(const void *nlh, void *ctx), void *ctx);

/* Links, addresses and routes of the stack sock was created in. */
int rt_dump_links(int sock, char *buf, size_t buf_len, struct stack_facts *out);
int rt_dump_addrs(int sock, char *buf, size_t buf_len, struct stack_facts *out);
int rt_dump_routes(int sock, char *buf, size_t buf_len, struct stack_facts *out);
/* The nsid that sock's stack gives the stack of target_fd, -1 when it gave none (RTM_GETNSID
 * with NETNSA_FD never assigns one, unlike RTM_NEWNSID); -errno on failure. */
int rt_get_nsid(int sock, int target_fd, char *buf, size_t buf_len);

/* Listening TCP and bound, unconnected UDP sockets (IPv4 and IPv6). */
int diag_dump_listening(int sock, char *buf, size_t buf_len, struct stack_facts *out);

void stack_facts_free(struct stack_facts *f);

#endif
