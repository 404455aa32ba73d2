/*
 * Limits, resource policies, IP pools and custom buttons. Operations gather
 * the facts (sums, pools, who holds an address); the policy weighs them.
 */
#include <stdio.h>
#include <string.h>
#include "util/util.h"
#include "acct/limit.h"
#include "engine.h"

/* ---- the exclusive-address table ---- */

void acct__ipuses_free(acct__ipuses *u)
{
	acct__free(u->v);
	memset(u, 0, sizeof(*u));
}

int acct__ipuses_add(acct__ipuses *u, const char *addr, uint32_t account, int type)
{
	void *arr = u->v;
	size_t i;

	for (i = 0; i < u->n; i++) {
		if (u->v[i].account == account && strcmp(u->v[i].addr, addr) == 0) {
			u->v[i].type = type;
			return 0;
		}
	}
	if (acct__grow(&arr, &u->cap, u->n + 1, sizeof(*u->v)) < 0)
		return ACCT_ENOMEM;
	u->v = arr;
	snprintf(u->v[u->n].addr, sizeof(u->v[u->n].addr), "%s", addr);
	u->v[u->n].account = account;
	u->v[u->n].type = type;
	u->n++;
	return 0;
}

static void ipuses_drop(acct__ipuses *u, const char *addr, uint32_t account)
{
	size_t i, j = 0;

	for (i = 0; i < u->n; i++)
		if (!(u->v[i].account == account && (!addr || strcmp(u->v[i].addr, addr) == 0)))
			u->v[j++] = u->v[i];
	u->n = j;
}

void acct__ipuses_drop_account(acct__ipuses *u, uint32_t account)
{
	ipuses_drop(u, NULL, account);
}

/* ---- quotas ---- */

static int64_t limit_of(const acct_account *a, const char *name, int *set)
{
	const acct__limit *l = acct__limit_find(a, name);

	*set = l != NULL;
	return l ? l->value : ACCT_UNLIMITED;
}

/* Add `v` (-1 infinite) to a running total (-1 infinite). */
static int64_t add_total(int64_t total, int64_t v)
{
	if (total < 0 || v < 0)
		return -1;
	return total > INT64_MAX - v ? -1 : total + v;
}

/*
 * The quotas of reseller `holder` after a change: its customers' set limits
 * summed, with `changed` (a customer, by id) counted with its new values
 * from `with` (or not at all when `with` is NULL), plus `extra` (a customer
 * joining it) when given. max_cl counts customers.
 */
static int holder_quotas(acct_ctx *ctx, uint32_t holder, uint32_t changed, const acct_account *with,
                         const acct_account *extra, acct__quota *q, size_t *n)
{
	const acct__index *ix = &ctx->ix;
	acct_account *h = NULL, **kids = NULL;
	size_t nk = 0, i, k, cap = 0;
	uint32_t c;
	int rc;

	*n = 0;
	if (ix->type[holder] != ACCT_TYPE_RESELLER)
		return 0;
	if ((rc = acct__load_record(ctx, holder, &h)) < 0)
		return rc;
	/* Only a reseller with a finite limit needs its customers read. */
	for (i = 0; i < h->nlimits && !cap; i++)
		cap = h->limits[i].value >= 0;
	for (c = ix->first_child[holder]; rc == 0 && cap && c; c = ix->next_sibling[c]) {
		void *arr = kids;
		size_t kcap = nk;
		if (ix->type[c] != ACCT_TYPE_CUSTOMER || c == changed)
			continue;
		if ((rc = acct__grow(&arr, &kcap, nk + 1, sizeof(*kids))) < 0)
			break;
		kids = arr;
		if ((rc = acct__load_record(ctx, c, &kids[nk])) == 0)
			nk++;
	}
	for (i = 0; rc == 0 && i < h->nlimits; i++) {
		const char *name = h->limits[i].name;
		acct__quota *x = &q[*n];
		int set;

		/* A date does not add up: expiration binds each account on its own. */
		if (h->limits[i].value < 0 || !acct__limit_known(name) || strcmp(name, "expiration") == 0)
			continue;
		/* The quota points at the static name: the record goes before the policy reads it. */
		for (k = 0; k < acct_limit_count(); k++)
			if (strcmp(acct_limit_name(k), name) == 0)
				x->limit = acct_limit_name(k);
		x->holder = holder;
		x->cap = h->limits[i].value;
		/* Overselling: the resource policy's switch, or the allow_oversell permission. */
		x->oversell = h->oversell || acct__names_has(&h->perms, "allow_oversell");
		if (strcmp(name, "max_cl") == 0) {
			uint32_t cc = 0;
			for (c = ix->first_child[holder]; c; c = ix->next_sibling[c])
				cc += ix->type[c] == ACCT_TYPE_CUSTOMER && c != changed;
			x->total = (int64_t)cc + (with != NULL) + (extra != NULL);
			x->oversell = 0;
			(*n)++;
			continue;
		}
		x->total = 0;
		for (k = 0; k < nk; k++) {
			int64_t v = limit_of(kids[k], name, &set);
			if (set)
				x->total = add_total(x->total, v);
		}
		if (with) {
			int64_t v = limit_of(with, name, &set);
			if (set)
				x->total = add_total(x->total, v);
		}
		if (extra) {
			int64_t v = limit_of(extra, name, &set);
			if (set)
				x->total = add_total(x->total, v);
		}
		(*n)++;
	}
	for (k = 0; k < nk; k++)
		acct_account_free(kids[k]);
	acct__free(kids);
	acct_account_free(h);
	return rc;
}

int acct__quotas_now(acct_ctx *ctx, uint32_t holder, acct__quota *q, size_t *n)
{
	return holder_quotas(ctx, holder, 0, NULL, NULL, q, n);
}

int acct__quotas_for(acct_ctx *ctx, uint32_t holder, const acct_account *moved, acct__quota *q, size_t *n)
{
	static const acct_account empty; /* a new customer: no limits yet */

	return holder_quotas(ctx, holder, moved ? (uint32_t)moved->id : 0, NULL, moved ? moved : &empty, q, n);
}

/* ---- limits ---- */

#define MAX_QUOTAS 16

static int limit_locked(acct_session *s, acct__request *rq, int unset, acct__quota *q)
{
	acct_ctx *ctx = s->ctx;
	acct_account *rec = NULL;
	uint32_t t = rq->target;
	int rc;

	if (!acct__index_has(&ctx->ix, t))
		return acct__decide(s, rq); /* reports "not found" */
	if ((rc = acct__load_record(ctx, t, &rec)) < 0)
		return rc;
	if (unset)
		acct__limit_del(rec, rq->limit);
	else
		rc = acct__limit_put(rec, rq->limit, rq->limit_value);
	/* The owner's sums with this account's new values; its own sums with its new cap. */
	if (rc == 0 && ctx->ix.type[t] == ACCT_TYPE_CUSTOMER)
		rc = holder_quotas(ctx, ctx->ix.owner[t], t, rec, NULL, q, &rq->nquotas);
	/* A reseller's customers are weighed against its new value: store it first, in this transaction. */
	if (rc == 0 && ctx->ix.type[t] == ACCT_TYPE_RESELLER && (rc = acct__store_record(ctx, rec)) == 0)
		rc = holder_quotas(ctx, t, 0, NULL, NULL, q, &rq->nquotas);
	rq->quotas = q;
	if (rc == 0)
		rc = acct__decide(s, rq);
	if (rc == 0)
		rc = acct__store_record(ctx, rec);
	acct_account_free(rec);
	return rc;
}

static int limit_change(acct_session *s, acct_id target, const char *name, int64_t value, int unset)
{
	acct__request rq = { .op = ACCT__OP_LIMIT };
	acct__quota q[MAX_QUOTAS];
	int rc;

	if ((rc = acct__session_check(s)) < 0)
		return rc;
	if (!acct__limit_known(name))
		return acct__error_set(ACCT_EINVALID, "unknown limit '%s'", name ? name : "(null)");
	rq.target = acct__id32(target);
	rq.limit = name;
	rq.limit_value = unset ? ACCT_UNLIMITED : value;
	if ((rc = acct__write_begin(s->ctx)) < 0)
		return ACCT__AUDIT(s, "limit.set", target, rc);
	rc = acct__write_end(s->ctx, limit_locked(s, &rq, unset, q));
	acct__write_unlock(s->ctx);
	return ACCT__AUDIT(s, "limit.set", target, rc);
}

int acct_limit_set(acct_session *s, acct_id target, const char *name, int64_t value)
{
	return limit_change(s, target, name, value, 0);
}

int acct_limit_unset(acct_session *s, acct_id target, const char *name)
{
	return limit_change(s, target, name, 0, 1);
}

/* Read one account's record under the read bracket, after a READ decision. */
static int read_account(acct_session *s, acct_id id, acct_account **out)
{
	acct__request rq = { .op = ACCT__OP_READ };
	int rc;

	*out = NULL;
	if ((rc = acct__session_check(s)) < 0)
		return rc;
	if ((rc = acct__read_begin(s->ctx)) < 0)
		return rc;
	rq.target = acct__id32(id);
	rc = acct__decide(s, &rq);
	if (rc == 0)
		rc = acct__load_record(s->ctx, rq.target, out);
	acct__read_end(s->ctx);
	return rc;
}

int acct_limit_get(int64_t *value_out, int *is_set_out, acct_session *s, acct_id target, const char *name)
{
	acct_account *rec;
	int rc, set = 0;

	if (!value_out)
		return acct__error_set(ACCT_EINVALID, "acct_limit_get: value_out is NULL");
	*value_out = ACCT_UNLIMITED;
	if (is_set_out)
		*is_set_out = 0;
	if (!acct__limit_known(name))
		return acct__error_set(ACCT_EINVALID, "unknown limit '%s'", name ? name : "(null)");
	if ((rc = read_account(s, target, &rec)) < 0)
		return rc;
	*value_out = limit_of(rec, name, &set);
	if (is_set_out)
		*is_set_out = set;
	acct_account_free(rec);
	return 0;
}

int acct_limit_check(int *allowed_out, acct_session *s, acct_id target, const char *name, int64_t in_use)
{
	acct_account *rec;
	acct_id id = target;
	int rc, set, expiration;

	if (!allowed_out)
		return acct__error_set(ACCT_EINVALID, "acct_limit_check: allowed_out is NULL");
	*allowed_out = 0;
	if (!acct__limit_known(name))
		return acct__error_set(ACCT_EINVALID, "unknown limit '%s'", name ? name : "(null)");
	expiration = strcmp(name, "expiration") == 0;
	if ((rc = read_account(s, id, &rec)) < 0)
		return rc;
	*allowed_out = acct__policy_limit_allows(name, limit_of(rec, name, &set), in_use);
	/* An ancestor's expiration binds its whole subtree. */
	while (expiration && *allowed_out && rec->owner) {
		acct_id up = rec->owner;
		acct_account_free(rec);
		rec = NULL;
		if ((rc = acct__read_begin(s->ctx)) < 0)
			return rc;
		rc = acct__load_record(s->ctx, (uint32_t)up, &rec);
		acct__read_end(s->ctx);
		if (rc < 0) {
			*allowed_out = 0;
			return rc;
		}
		*allowed_out = acct__policy_limit_allows(name, limit_of(rec, name, &set), in_use);
	}
	acct_account_free(rec);
	return 0;
}

/* ---- resource policy ---- */

static const char *const overuse_names[] = { NULL, "block", "notify", "normal", "not_suspend", "not_suspend_notify" };

const char *acct_overuse_name(int overuse)
{
	return overuse >= 1 && overuse <= ACCT_OVERUSE_NOT_SUSPEND_NOTIFY ? overuse_names[overuse] : NULL;
}

static int policy_locked(acct_session *s, acct__request *rq, int oversell, int overuse, acct__quota *q)
{
	acct_account *rec;
	int rc;

	if ((rc = acct__decide(s, rq)) < 0)
		return rc;
	if ((rc = acct__load_record(s->ctx, rq->target, &rec)) < 0)
		return rc;
	rec->oversell = oversell != 0;
	rec->overuse = overuse;
	/* Turning overselling off must not leave the reseller oversold. */
	rc = acct__store_record(s->ctx, rec);
	if (rc == 0 && !rec->oversell && !acct__names_has(&rec->perms, "allow_oversell")) {
		rq->op = ACCT__OP_LIMIT;
		rq->limit = "max_cl";
		rq->limit_value = 0;
		if ((rc = holder_quotas(s->ctx, rq->target, 0, NULL, NULL, q, &rq->nquotas)) == 0) {
			rq->quotas = q;
			rc = acct__decide(s, rq);
		}
	}
	acct_account_free(rec);
	return rc;
}

int acct_reseller_policy_set(acct_session *s, acct_id reseller, int oversell, int overuse)
{
	acct__request rq = { .op = ACCT__OP_RESOURCE_POLICY };
	acct__quota q[MAX_QUOTAS];
	int rc;

	if ((rc = acct__session_check(s)) < 0)
		return rc;
	if (!acct_overuse_name(overuse))
		return acct__error_set(ACCT_EINVALID, "overuse policy %d is not one of ACCT_OVERUSE_*", overuse);
	rq.target = acct__id32(reseller);
	if ((rc = acct__write_begin(s->ctx)) < 0)
		return ACCT__AUDIT(s, "reseller.policy", reseller, rc);
	rc = acct__write_end(s->ctx, policy_locked(s, &rq, oversell, overuse, q));
	acct__write_unlock(s->ctx);
	return ACCT__AUDIT(s, "reseller.policy", reseller, rc);
}

int acct_reseller_policy_get(int *oversell_out, int *overuse_out, acct_session *s, acct_id reseller)
{
	acct_account *rec;
	int rc;

	if (oversell_out)
		*oversell_out = 0;
	if (overuse_out)
		*overuse_out = ACCT_OVERUSE_NORMAL;
	if ((rc = read_account(s, reseller, &rec)) < 0)
		return rc;
	if (rec->type != ACCT_TYPE_RESELLER) {
		int type = rec->type;
		acct_account_free(rec);
		return acct__error_set(ACCT_EINVALID, "only resellers have a resource policy; account %lld is a %s",
		                       (long long)reseller, acct_account_type_name(type));
	}
	if (oversell_out)
		*oversell_out = rec->oversell;
	if (overuse_out && rec->overuse)
		*overuse_out = rec->overuse;
	acct_account_free(rec);
	return 0;
}

/* ---- IP pools ---- */

static int ip_locked(acct_session *s, acct__request *rq, int type, int mode, char *addr)
{
	acct_ctx *ctx = s->ctx;
	acct_account *rec = NULL, *owner = NULL;
	uint32_t t = rq->target;
	size_t i;
	int rc;

	if (!acct__index_has(&ctx->ix, t) || ctx->ix.type[t] == ACCT_TYPE_USER)
		return acct__decide(s, rq); /* not found, or the policy's refusal */
	if ((rc = acct__load_record(ctx, t, &rec)) < 0)
		return rc;
	if (mode != 2 && ctx->ix.owner[t] && (rc = acct__load_record(ctx, ctx->ix.owner[t], &owner)) == 0)
		rq->ip_in_owner_pool = acct__ip_find(owner, addr) != NULL;
	/* Exclusive: no other branch of the tree may hold it, either way round. An
	 * address passes down its own branch: a reseller's exclusive address may go
	 * to that reseller's customers, never to another reseller's. */
	for (i = 0; rc == 0 && mode != 2 && ctx->ix.type[t] != ACCT_TYPE_ADMIN && i < ctx->ipuse.n; i++) {
		const acct__ipuse *u = &ctx->ipuse.v[i];
		if (u->account == t || strcmp(u->addr, addr) != 0 ||
		    acct__index_in_subtree(&ctx->ix, u->account, t) || acct__index_in_subtree(&ctx->ix, t, u->account))
			continue;
		if (u->type == ACCT_IP_EXCLUSIVE || type == ACCT_IP_EXCLUSIVE)
			rq->ip_conflict = u->account;
	}
	/* Removing: nobody below may still hold it. */
	for (i = 0; rc == 0 && mode == 2 && i < ctx->ipuse.n; i++) {
		const acct__ipuse *u = &ctx->ipuse.v[i];
		if (u->account != t && ctx->ix.owner[u->account] == t && strcmp(u->addr, addr) == 0)
			rq->ip_child = u->account;
	}
	if (rc == 0)
		rc = acct__decide(s, rq);
	if (rc == 0) {
		const acct__ip *have = acct__ip_find(rec, addr);
		if (mode == 0 && have)
			rc = acct__error_set(ACCT_EEXISTS, "IP address %s is already in this pool", addr);
		else if (mode != 0 && !have)
			rc = acct__error_set(ACCT_ENOTFOUND, "IP address %s is not in this pool", addr);
	}
	if (rc == 0) {
		if (mode == 2)
			acct__ip_del(rec, addr);
		else
			rc = acct__ip_put(rec, addr, type);
	}
	if (rc == 0)
		rc = acct__store_record(ctx, rec);
	/* Make room now, so updating the table after the commit cannot fail. */
	if (rc == 0 && mode != 2) {
		void *arr = ctx->ipuse.v;
		rc = acct__grow(&arr, &ctx->ipuse.cap, ctx->ipuse.n + 1, sizeof(*ctx->ipuse.v));
		ctx->ipuse.v = arr;
	}
	acct_account_free(rec);
	acct_account_free(owner);
	return rc;
}

/* mode: 0 add, 1 set type, 2 remove */
static int ip_change(acct_session *s, acct_id account, const char *ip, int type, int mode)
{
	acct__request rq = { .op = ACCT__OP_IP_ADD };
	char addr[48];
	int rc;

	if ((rc = acct__session_check(s)) < 0)
		return rc;
	if (acct__ip_canonical(addr, ip) < 0)
		return acct__error_set(ACCT_EINVALID, "'%.60s' is not an IPv4 or IPv6 address", ip ? ip : "(null)");
	if (mode != 2 && type != ACCT_IP_SHARED && type != ACCT_IP_EXCLUSIVE)
		return acct__error_set(ACCT_EINVALID, "IP type %d is not ACCT_IP_SHARED or ACCT_IP_EXCLUSIVE", type);
	rq.op = mode == 2 ? ACCT__OP_IP_REMOVE : ACCT__OP_IP_ADD;
	rq.target = acct__id32(account);
	rq.ip = addr;
	if ((rc = acct__write_begin(s->ctx)) < 0)
		return ACCT__AUDIT(s, "ip.change", account, rc);
	rc = acct__write_end(s->ctx, ip_locked(s, &rq, type, mode, addr));
	if (rc == 0 && s->ctx->ix.type[rq.target] != ACCT_TYPE_ADMIN) {
		if (mode == 2)
			ipuses_drop(&s->ctx->ipuse, addr, rq.target);
		else
			acct__ipuses_add(&s->ctx->ipuse, addr, rq.target, type); /* room reserved */
	}
	acct__write_unlock(s->ctx);
	return ACCT__AUDIT(s, "ip.change", account, rc);
}

int acct_ip_add(acct_session *s, acct_id account, const char *ip, int type)
{
	return ip_change(s, account, ip, type, 0);
}

int acct_ip_set_type(acct_session *s, acct_id account, const char *ip, int type)
{
	return ip_change(s, account, ip, type, 1);
}

int acct_ip_remove(acct_session *s, acct_id account, const char *ip)
{
	return ip_change(s, account, ip, 0, 2);
}

/* IP and button iterators walk a copy of the account's record taken when they start. */
typedef struct record_iter {
	acct_account *rec;
	size_t pos;
} record_iter;

struct acct_ip_iterator {
	record_iter r;
};

struct acct_button_iterator {
	record_iter r;
};

static int record_iter_new(record_iter **out, size_t size, acct_session *s, acct_id account, const char *what)
{
	acct_account *rec;
	record_iter *it;
	int rc;

	if (!out)
		return acct__error_set(ACCT_EINVALID, "%s: out is NULL", what);
	*out = NULL;
	if ((rc = read_account(s, account, &rec)) < 0)
		return rc;
	if (!(it = acct__calloc(1, size))) {
		acct_account_free(rec);
		return acct__error_oom();
	}
	it->rec = rec;
	*out = it;
	return 0;
}

static void record_iter_free(record_iter *it)
{
	if (it) {
		acct_account_free(it->rec);
		acct__free(it);
	}
}

int acct_ip_iterator_new(acct_ip_iterator **out, acct_session *s, acct_id account)
{
	return record_iter_new((record_iter **)out, sizeof(acct_ip_iterator), s, account, "acct_ip_iterator_new");
}

int acct_ip_iterator_next(const char **ip_out, int *type_out, acct_ip_iterator *it)
{
	const acct_account *rec;

	if (!ip_out || !it)
		return acct__error_set(ACCT_EINVALID, "acct_ip_iterator_next needs ip_out and an iterator");
	rec = it->r.rec;
	if (it->r.pos >= rec->nips) {
		*ip_out = NULL;
		return ACCT_ITEROVER;
	}
	*ip_out = rec->ips[it->r.pos].addr;
	if (type_out)
		*type_out = rec->ips[it->r.pos].type;
	it->r.pos++;
	return 0;
}

void acct_ip_iterator_free(acct_ip_iterator *it)
{
	record_iter_free((record_iter *)it);
}

/* ---- custom buttons ---- */

static int button_locked(acct_session *s, acct__request *rq, const char *label, const char *url, int64_t *id)
{
	acct_account *rec;
	size_t i;
	int rc;

	if ((rc = acct__decide(s, rq)) < 0)
		return rc;
	if ((rc = acct__load_record(s->ctx, rq->target, &rec)) < 0)
		return rc;
	if (label) {
		/* Ids are never reused: the record keeps the next one. */
		int64_t next = rec->next_button > 0 ? rec->next_button : 1;
		for (i = 0; i < rec->nbuttons; i++)
			if (rec->buttons[i].id >= next)
				next = rec->buttons[i].id + 1;
		*id = next;
		rec->next_button = next + 1;
		rc = acct__button_put(rec, next, label, url);
	} else if (acct__button_del(rec, *id) < 0) {
		rc = acct__error_set(ACCT_ENOTFOUND, "button %lld not found", (long long)*id);
	}
	if (rc == 0)
		rc = acct__store_record(s->ctx, rec);
	acct_account_free(rec);
	return rc;
}

static int button_change(acct_session *s, acct_id account, const char *label, const char *url, int64_t *id)
{
	acct__request rq = { .op = ACCT__OP_EDIT };
	int rc;

	if ((rc = acct__session_check(s)) < 0)
		return rc;
	rq.target = acct__id32(account);
	if ((rc = acct__write_begin(s->ctx)) < 0)
		return ACCT__AUDIT(s, "button.change", account, rc);
	rc = acct__write_end(s->ctx, button_locked(s, &rq, label, url, id));
	acct__write_unlock(s->ctx);
	return ACCT__AUDIT(s, "button.change", account, rc);
}

/* http(s)://host[:port][/...]: a host of letters, digits, '.', '-' (or an
 * [IPv6] literal), and no spaces or control characters anywhere. */
static int valid_url(const char *url)
{
	const char *host, *p;
	size_t n;

	if (strncmp(url, "http://", 7) == 0)
		host = url + 7;
	else if (strncmp(url, "https://", 8) == 0)
		host = url + 8;
	else
		return acct__error_set(ACCT_EINVALID, "button URL '%.60s' must start with http:// or https://", url);
	for (p = url; *p; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7F)
			return acct__error_set(ACCT_EINVALID, "button URL '%.60s' contains a space or a control character", url);
	n = strcspn(host, ":/?#");
	if (n == 0)
		return acct__error_set(ACCT_EINVALID, "button URL '%.60s' has no host name", url);
	if (host[0] == '[') {
		if (!strchr(host, ']'))
			return acct__error_set(ACCT_EINVALID, "button URL '%.60s' has an unclosed [IPv6] host", url);
		return 0;
	}
	for (p = host; p < host + n; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '.' || *p == '-'))
			return acct__error_set(ACCT_EINVALID, "button URL '%.60s' has a character not allowed in a host name", url);
	return 0;
}

int acct_button_add(int64_t *id_out, acct_session *s, acct_id account, const char *label, const char *url)
{
	int64_t id = 0;
	int rc;

	if (id_out)
		*id_out = 0;
	if ((rc = acct__validate_text("button label", label, 1, 60)) < 0)
		return rc;
	if ((rc = acct__validate_text("button URL", url, 8, 1024)) < 0)
		return rc;
	if ((rc = valid_url(url)) < 0)
		return rc;
	rc = button_change(s, account, label, url, &id);
	if (rc == 0 && id_out)
		*id_out = id;
	return rc;
}

int acct_button_remove(acct_session *s, acct_id account, int64_t id)
{
	return button_change(s, account, NULL, NULL, &id);
}

int acct_button_iterator_new(acct_button_iterator **out, acct_session *s, acct_id account)
{
	return record_iter_new((record_iter **)out, sizeof(acct_button_iterator), s, account, "acct_button_iterator_new");
}

int acct_button_iterator_next(int64_t *id_out, const char **label_out, const char **url_out, acct_button_iterator *it)
{
	const acct__button *b;

	if (!it)
		return acct__error_set(ACCT_EINVALID, "acct_button_iterator_next: iterator is NULL");
	if (it->r.pos >= it->r.rec->nbuttons)
		return ACCT_ITEROVER;
	b = &it->r.rec->buttons[it->r.pos++];
	if (id_out)
		*id_out = b->id;
	if (label_out)
		*label_out = b->label;
	if (url_out)
		*url_out = b->url;
	return 0;
}

void acct_button_iterator_free(acct_button_iterator *it)
{
	record_iter_free((record_iter *)it);
}
