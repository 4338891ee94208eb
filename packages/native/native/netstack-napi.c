/* N-API side of the stack reader: request objects in, plain objects of raw facts out. Every
 * object is made with one napi_define_properties call over keys created once per call. */
#include "netstack-napi.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "napi-util.h"
#include "netstack-pool.h"

enum {
	K_ERR,
	K_ERR_STEP,
	K_LINKS,
	K_ADDRESSES,
	K_ROUTES,
	K_SOCKETS,
	K_SOCKET_ERR,
	K_IFINDEX,
	K_NAME,
	K_KIND,
	K_TUN_TYPE,
	K_ARPHRD,
	K_FLAGS,
	K_MTU,
	K_MAC,
	K_OPERSTATE,
	K_MASTER,
	K_LINK,
	K_LINK_NETNSID,
	K_FAMILY,
	K_PREFIXLEN,
	K_SCOPE,
	K_ADDRESS,
	K_DST,
	K_DST_LEN,
	K_PROTOCOL,
	K_TYPE,
	K_TABLE,
	K_METRIC,
	K_OIF,
	K_GATEWAY,
	K_HOPS,
	K_PROTO,
	K_STATE,
	K_PORT,
	K_INODE,
	K_STACKS,
	K_NSIDS,
	K_COUNT
};
static const char *const KEY_NAMES[K_COUNT] = {
	"err",	   "errStep",	"links",   "addresses", "routes",      "sockets", "socketErr",
	"ifindex", "name",	"kind",	   "tunType",	"arphrd",      "flags",	  "mtu",
	"mac",	   "operstate", "master",  "link",	"linkNetnsid", "family",  "prefixlen",
	"scope",   "address",	"dst",	   "dstLen",	"protocol",    "type",	  "table",
	"metric",  "oif",	"gateway", "hops",	"proto",       "state",	  "port",
	"inode",   "stacks",	"nsids"
};

struct js {
	napi_env env;
	napi_value keys[K_COUNT];
	napi_value null;
};

/* Every converter returns NULL when an napi call failed (an exception is then pending). */
static napi_value num(const struct js *js, double v)
{
	return napi_num(js->env, v);
}

static napi_value str(const struct js *js, const char *s)
{
	if (!s || !*s)
		return js->null;
	return napi_str_or_null(js->env, s, -1);
}

/* Builds {keys[which[i]]: vals[i]} in one call; NULL if any value failed to be made. */
static napi_value object(const struct js *js, const int *which, const napi_value *vals, size_t n)
{
	napi_property_descriptor props[16];
	if (n > 16)
		n = 16;
	for (size_t i = 0; i < n; i++) {
		if (!vals[i])
			return NULL;
		props[i] = (napi_property_descriptor){
			NULL,	 js->keys[which[i]],	  NULL, NULL, NULL,
			vals[i], napi_default_jsproperty, NULL
		};
	}
	napi_value obj;
	NAPI_CALL(js->env, napi_create_object(js->env, &obj));
	NAPI_CALL(js->env, napi_define_properties(js->env, obj, n, props));
	return obj;
}

static napi_value mac_text(const struct js *js, const struct nl_link *l)
{
	if (l->mac_len == 0)
		return js->null;
	char text[3 * sizeof l->mac + 1];
	size_t off = 0;
	for (int i = 0; i < l->mac_len; i++)
		off += (size_t)snprintf(text + off, sizeof text - off, i ? ":%02x" : "%02x",
					l->mac[i]);
	return str(js, text);
}

static napi_value link_to_js(const struct js *js, const struct nl_link *l)
{
	static const int which[] = { K_IFINDEX,	  K_NAME,   K_KIND, K_TUN_TYPE,
				     K_ARPHRD,	  K_FLAGS,  K_MTU,  K_MAC,
				     K_OPERSTATE, K_MASTER, K_LINK, K_LINK_NETNSID };
	napi_value vals[] = {
		num(js, l->ifindex),   str(js, l->name),
		str(js, l->kind),      num(js, l->tun_type),
		num(js, l->arphrd),    num(js, l->flags),
		num(js, l->mtu),       mac_text(js, l),
		num(js, l->operstate), num(js, l->master),
		num(js, l->link),      l->has_link_netnsid ? num(js, l->link_netnsid) : js->null
	};
	return object(js, which, vals, sizeof which / sizeof *which);
}

static napi_value addr_to_js(const struct js *js, const struct nl_addr *a)
{
	static const int which[] = { K_IFINDEX, K_FAMILY, K_PREFIXLEN, K_SCOPE, K_ADDRESS };
	napi_value vals[] = { num(js, a->ifindex), num(js, a->family), num(js, a->prefixlen),
			      num(js, a->scope), str(js, a->addr) };
	return object(js, which, vals, sizeof which / sizeof *which);
}

static napi_value hop_to_js(const struct js *js, const struct nl_hop *h)
{
	static const int which[] = { K_OIF, K_GATEWAY };
	napi_value vals[] = { num(js, h->oif), str(js, h->gateway) };
	return object(js, which, vals, 2);
}

#define ARRAY_OF(js, items, n, conv)                                                           \
	({                                                                                     \
		napi_value arr_ = NULL;                                                        \
		if (napi_create_array_with_length((js)->env, (size_t)(n), &arr_) != napi_ok) { \
			napi_throw_last((js)->env);                                            \
			arr_ = NULL;                                                           \
		}                                                                              \
		for (int i_ = 0; arr_ && i_ < (n); i_++) {                                     \
			napi_value el_ = conv(js, &(items)[i_]);                               \
			if (!el_ ||                                                            \
			    napi_set_element((js)->env, arr_, (uint32_t)i_, el_) != napi_ok) { \
				napi_throw_last((js)->env);                                    \
				arr_ = NULL;                                                   \
			}                                                                      \
		}                                                                              \
		arr_;                                                                          \
	})

static napi_value route_to_js(const struct js *js, const struct nl_route *r)
{
	napi_value hops = r->nhops > 0 ? ARRAY_OF(js, r->hops, r->nhops, hop_to_js) : js->null;
	static const int which[] = { K_FAMILY, K_DST,	 K_DST_LEN, K_PROTOCOL, K_SCOPE, K_TYPE,
				     K_TABLE,  K_METRIC, K_OIF,	    K_GATEWAY,	K_HOPS };
	napi_value vals[] = { num(js, r->family),
			      str(js, r->dst),
			      num(js, r->dst_len),
			      num(js, r->protocol),
			      num(js, r->scope),
			      num(js, r->type),
			      num(js, r->table),
			      r->has_metric ? num(js, r->metric) : js->null,
			      num(js, r->hop.oif),
			      str(js, r->hop.gateway),
			      hops };
	return object(js, which, vals, sizeof which / sizeof *which);
}

static napi_value sock_to_js(const struct js *js, const struct nl_sock *s)
{
	static const int which[] = { K_PROTO, K_FAMILY, K_STATE, K_PORT, K_INODE, K_ADDRESS };
	napi_value vals[] = { num(js, s->proto), num(js, s->family), num(js, s->state),
			      num(js, s->port),	 num(js, s->inode),  str(js, s->addr) };
	return object(js, which, vals, sizeof which / sizeof *which);
}

static napi_value facts_to_js(const struct js *js, const struct stack_facts *f)
{
	static const int which[] = { K_ERR,    K_ERR_STEP, K_LINKS,	K_ADDRESSES,
				     K_ROUTES, K_SOCKETS,  K_SOCKET_ERR };
	napi_value vals[] = { num(js, f->err),
			      str(js, f->err_step),
			      ARRAY_OF(js, f->links, f->nlinks, link_to_js),
			      ARRAY_OF(js, f->addrs, f->naddrs, addr_to_js),
			      ARRAY_OF(js, f->routes, f->nroutes, route_to_js),
			      ARRAY_OF(js, f->socks, f->nsocks, sock_to_js),
			      num(js, f->sock_err) };
	return object(js, which, vals, sizeof which / sizeof *which);
}

/* --- request parsing --- */

static int get_prop(napi_env env, napi_value obj, const char *key, napi_value *out)
{
	bool has = false;
	if (napi_has_named_property(env, obj, key, &has) != napi_ok || !has)
		return 0;
	return napi_get_named_property(env, obj, key, out) == napi_ok;
}

static double get_num(napi_env env, napi_value obj, const char *key, double fallback)
{
	napi_value v;
	double d;
	if (!get_prop(env, obj, key, &v) || napi_get_value_double(env, v, &d) != napi_ok)
		return fallback;
	return d;
}

static uint32_t array_len(napi_env env, napi_value arr)
{
	bool is_array = false;
	uint32_t n = 0;
	if (napi_is_array(env, arr, &is_array) != napi_ok || !is_array)
		return 0;
	return napi_get_array_length(env, arr, &n) == napi_ok ? n : 0;
}

/* Numbers of a JS array (of numbers); *out is malloc'd. */
static int num_array(napi_env env, napi_value obj, const char *key, int **out)
{
	napi_value arr, el;
	*out = NULL;
	if (!get_prop(env, obj, key, &arr))
		return 0;
	uint32_t n = array_len(env, arr);
	if (n == 0)
		return 0;
	*out = calloc(n, sizeof **out);
	if (!*out)
		return 0;
	for (uint32_t i = 0; i < n; i++) {
		double d = 0;
		/* A hole or a non-number reads as 0, which names no stack and no fd. */
		if (napi_get_element(env, arr, i, &el) != napi_ok ||
		    napi_get_value_double(env, el, &d) != napi_ok)
			d = 0;
		(*out)[i] = (int)d;
	}
	return (int)n;
}

static void parse_ref(napi_env env, napi_value obj, struct stack_ref *ref)
{
	ref->inode = (unsigned long long)get_num(env, obj, "inode", 0);
	napi_value paths, el;
	if (get_prop(env, obj, "paths", &paths)) {
		uint32_t n = array_len(env, paths);
		ref->paths = calloc(n ? n : 1, sizeof *ref->paths);
		for (uint32_t i = 0; ref->paths && i < n; i++) {
			size_t len = 0;
			if (napi_get_element(env, paths, i, &el) != napi_ok ||
			    napi_get_value_string_utf8(env, el, NULL, 0, &len) != napi_ok)
				continue;
			char *p = malloc(len + 1);
			if (!p)
				continue;
			if (napi_get_value_string_utf8(env, el, p, len + 1, &len) != napi_ok) {
				free(p);
				continue;
			}
			ref->paths[ref->npaths++] = p;
		}
	}
	int *pairs = NULL;
	int n = num_array(env, obj, "sockets", &pairs) / 2;
	ref->sock_pids = calloc(n ? (size_t)n : 1, sizeof(int));
	ref->sock_fds = calloc(n ? (size_t)n : 1, sizeof(int));
	for (int i = 0; pairs && ref->sock_pids && ref->sock_fds && i < n; i++) {
		ref->sock_pids[i] = pairs[2 * i];
		ref->sock_fds[i] = pairs[2 * i + 1];
		ref->nsocks++;
	}
	free(pairs);
}

static void free_refs(struct stack_ref *refs, int n)
{
	for (int i = 0; refs && i < n; i++) {
		for (int p = 0; p < refs[i].npaths; p++)
			free(refs[i].paths[p]);
		free(refs[i].paths);
		free(refs[i].sock_pids);
		free(refs[i].sock_fds);
	}
	free(refs);
}

/* A job and what settles it; everything it points to is C memory, safe off the JS thread. */
struct netstack_call {
	struct netstack_job job;
	struct stack_ref *refs;
	int rc;
};

static void call_free(struct netstack_call *c)
{
	for (int i = 0; c->job.facts && i < c->job.n; i++)
		stack_facts_free(&c->job.facts[i]);
	free_refs(c->refs, c->job.n);
	free(c->job.facts);
	free(c->job.queries);
	free(c);
}

static const char USAGE[] = "netstacks({stacks, dump?, queries?, threads?})";

/* Parses the request; NULL with an exception pending on bad input or no memory. */
static struct netstack_call *parse_call(napi_env env, napi_callback_info info)
{
	size_t argc = 1;
	napi_value req, stacks;
	if (napi_get_cb_info(env, info, &argc, &req, NULL, NULL) != napi_ok || argc < 1 ||
	    !get_prop(env, req, "stacks", &stacks)) {
		napi_throw_type_error(env, "EINVAL", USAGE);
		return NULL;
	}
	struct netstack_call *c = calloc(1, sizeof *c);
	if (!c) {
		napi_throw_errno(env, ENOMEM, "netstacks");
		return NULL;
	}
	c->job.dump = get_num(env, req, "dump", 1) != 0;
	c->job.threads = (int)get_num(env, req, "threads", 2);
	c->job.n = (int)array_len(env, stacks);
	c->refs = calloc(c->job.n ? (size_t)c->job.n : 1, sizeof *c->refs);
	c->job.facts = calloc(c->job.n ? (size_t)c->job.n : 1, sizeof *c->job.facts);
	int *pairs = NULL;
	c->job.nqueries = num_array(env, req, "queries", &pairs) / 2;
	c->job.queries =
		calloc(c->job.nqueries ? (size_t)c->job.nqueries : 1, sizeof *c->job.queries);
	if (!c->refs || !c->job.facts || !c->job.queries) {
		free(pairs);
		call_free(c);
		napi_throw_errno(env, ENOMEM, "netstacks");
		return NULL;
	}
	for (int i = 0; i < c->job.n; i++) {
		napi_value el;
		if (napi_get_element(env, stacks, (uint32_t)i, &el) == napi_ok)
			parse_ref(env, el, &c->refs[i]);
	}
	for (int q = 0; q < c->job.nqueries; q++)
		c->job.queries[q] = (struct nsid_query){ pairs[2 * q], pairs[2 * q + 1], -1, 0 };
	free(pairs);
	c->job.refs = c->refs;
	/* A getter that threw, or a failed lookup, leaves an exception: refuse the request. */
	bool pending = false;
	if (napi_is_exception_pending(env, &pending) != napi_ok || pending) {
		call_free(c);
		return NULL;
	}
	return c;
}

/* {stacks, nsids} of a finished job, or NULL with an exception pending. */
static napi_value call_result(napi_env env, struct netstack_call *c)
{
	if (c->rc < 0) {
		napi_throw_error(env, "EAGAIN", "netstacks: no worker thread could start");
		return NULL;
	}
	struct js js = { .env = env };
	for (int k = 0; k < K_COUNT; k++)
		NAPI_CALL(env, napi_create_string_utf8(env, KEY_NAMES[k], NAPI_AUTO_LENGTH,
						       &js.keys[k]));
	NAPI_CALL(env, napi_get_null(env, &js.null));
	napi_value out_stacks, nsids;
	NAPI_CALL(env, napi_create_array_with_length(env, (size_t)c->job.n, &out_stacks));
	for (int i = 0; i < c->job.n; i++) {
		napi_handle_scope scope;
		NAPI_CALL(env, napi_open_handle_scope(env, &scope));
		napi_value facts = facts_to_js(&js, &c->job.facts[i]);
		napi_status st = facts ? napi_set_element(env, out_stacks, (uint32_t)i, facts)
				       : napi_generic_failure;
		napi_close_handle_scope(env, scope);
		if (st != napi_ok) {
			napi_throw_last(env);
			return NULL;
		}
	}
	/* [nsid, errno] per query, in request order. */
	NAPI_CALL(env, napi_create_array_with_length(env, 2 * (size_t)c->job.nqueries, &nsids));
	for (int q = 0; q < c->job.nqueries; q++) {
		napi_value nsid = num(&js, c->job.queries[q].nsid),
			   err = num(&js, c->job.queries[q].err);
		if (!nsid || !err)
			return NULL;
		NAPI_CALL(env, napi_set_element(env, nsids, (uint32_t)(2 * q), nsid));
		NAPI_CALL(env, napi_set_element(env, nsids, (uint32_t)(2 * q + 1), err));
	}
	static const int which[] = { K_STACKS, K_NSIDS };
	napi_value vals[] = { out_stacks, nsids };
	return object(&js, which, vals, 2);
}

static void netstacks_run(void *data)
{
	struct netstack_call *c = data;
	c->rc = netstack_run(&c->job);
}

static napi_value netstacks_result(napi_env env, void *data)
{
	return call_result(env, data);
}

static void netstacks_destroy(void *data)
{
	call_free(data);
}

static const struct napi_job_ops NETSTACKS_JOB = { "nsatlas.netstacks", netstacks_run,
						   netstacks_result, netstacks_destroy };

napi_value js_netstacks(napi_env env, napi_callback_info info)
{
	struct netstack_call *c = parse_call(env, info);
	if (!c)
		return NULL;
	netstacks_run(c);
	napi_value result = call_result(env, c);
	call_free(c);
	return result;
}

napi_value js_netstacks_async(napi_env env, napi_callback_info info)
{
	struct netstack_call *c = parse_call(env, info);
	return c ? napi_start_job(env, &NETSTACKS_JOB, c) : NULL;
}
