/*
 * The authorization policy: the one place that says yes or no
 * (spec/policy.md sections 2-5, docs/policy.md). Every operation of the C
 * API, and through it the agent, the CLI and the bindings, asks here first.
 *
 * Rules run in the order of spec/policy.md section 5, and the first failing
 * one is reported: 1 session valid, 2 actor not disabled, 3 target in scope
 * (else "not found", so existence does not leak), 4 the actor holds the
 * permission (a *method* denial), 5 the operation's own rule.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "util/util.h"
#include "engine.h"

#define KNOWN_STATUS_BITS (ACCT_STATUS_BACKUP | ACCT_STATUS_BY_ADMIN | ACCT_STATUS_BY_RESELLER | \
                           ACCT_STATUS_BY_CUSTOMER | ACCT_STATUS_EXPIRED)

typedef struct name_buf {
	char s[96];
} name_buf;

/* "reseller 'r1'": how every message names an account. */
static const char *name(name_buf *b, const acct__index *ix, uint32_t id)
{
	snprintf(b->s, sizeof(b->s), "%s '%s'", acct_account_type_name(ix->type[id]), acct__index_login(ix, id));
	return b->s;
}

/* The message is formatted only when someone will read it: acct_check's
 * fast path asks quietly and pays nothing for a denial. */
static int decide_quotas(const acct__index *ix, const acct__request *rq, acct__verdict *v);
static int deny(acct__verdict *v, acct__deny kind, int code, const char *fmt, ...) ACCT__PRINTF(4, 5);
static int deny(acct__verdict *v, acct__deny kind, int code, const char *fmt, ...)
{
	va_list ap;

	v->why = kind;
	if (v->quiet)
		return code;
	va_start(ap, fmt);
	acct__error_setv(code, fmt, ap);
	va_end(ap);
	acct__error_set_deny_kind((int)kind);
	return code;
}

/* The role bit of userManagement: it widens a user's scope to its siblings. */

uint64_t acct__policy_role_bits(const acct_ctx *ctx, uint32_t id)
{
	const acct__index *ix = &ctx->ix;
	uint32_t holder = id;
	uint64_t own, bits = 0;
	int b;

	if (ix->type[id] == ACCT_TYPE_USER)
		holder = ix->owner[id];
	if (ix->type[holder] == ACCT_TYPE_ADMIN) {
		bits = ~(uint64_t)0;
	} else {
		/* An account holds a role permission unless it lacks the account
		 * permission that role permission needs. */
		own = ix->perms[holder];
		for (b = 0; b < ctx->cat.used[ACCT__SPACE_ROLE]; b++)
			if (!ctx->cat.role_needs[b] || (own & ctx->cat.role_needs[b]))
				bits |= (uint64_t)1 << b;
	}
	return ix->type[id] == ACCT_TYPE_USER ? bits & ix->perms[id] : bits;
}

static int user_manages(const acct_ctx *ctx, uint32_t user)
{
	return (int)(acct__policy_role_bits(ctx, user) >> ACCT__BIT_USER_MANAGEMENT & 1);
}

static int in_scope(const acct_ctx *ctx, uint32_t actor, uint32_t target)
{
	const acct__index *ix = &ctx->ix;

	switch (ix->type[actor]) {
	case ACCT_TYPE_ADMIN:
		return 1;
	case ACCT_TYPE_USER:
		/* A user acts for its owner: itself, and with userManagement its sibling users. */
		return target == actor || (ix->type[target] == ACCT_TYPE_USER && ix->owner[target] == ix->owner[actor] &&
		                           user_manages(ctx, actor));
	default:
		return acct__index_in_subtree(ix, actor, target);
	}
}

int acct__policy_visible(const acct_session *s, uint32_t target)
{
	const acct__index *ix = &s->ctx->ix;

	if (!acct__index_has(ix, s->actor) || !acct__index_has(ix, target))
		return 0;
	if (s->apilogin) {
		/* An API login sees its own account and, with a reseller role, its own customers. */
		const acct__cred *c = acct__cred_get(&s->ctx->creds, s->apilogin);
		return c && (target == s->actor || (c->role >= ACCT_PARTNER_ALL_RESELLER && ix->type[target] == ACCT_TYPE_CUSTOMER &&
		                                    ix->owner[target] == s->actor));
	}
	return in_scope(s->ctx, s->actor, target);
}

unsigned int acct__policy_suspend_bit(const acct__index *ix, uint32_t actor)
{
	switch (ix->type[actor]) {
	case ACCT_TYPE_ADMIN: return ACCT_STATUS_BY_ADMIN;
	case ACCT_TYPE_RESELLER: return ACCT_STATUS_BY_RESELLER;
	case ACCT_TYPE_CUSTOMER: return ACCT_STATUS_BY_CUSTOMER;
	default: return 0;
	}
}

int acct__policy_may_own(int owner_type, int type)
{
	switch (type) {
	case ACCT_TYPE_RESELLER: return owner_type == ACCT_TYPE_ADMIN;
	case ACCT_TYPE_CUSTOMER: return owner_type == ACCT_TYPE_ADMIN || owner_type == ACCT_TYPE_RESELLER;
	case ACCT_TYPE_USER: return owner_type != ACCT_TYPE_USER && owner_type != 0;
	default: return 0;
	}
}

static const char *plural(int type)
{
	switch (type) {
	case ACCT_TYPE_RESELLER: return "resellers";
	case ACCT_TYPE_CUSTOMER: return "customers";
	case ACCT_TYPE_USER: return "users";
	default: return "accounts of that type";
	}
}

/* Rule 4 for create: which types this actor may create at all. It does not
 * depend on the owner, so it runs before the scope test and tells the caller
 * plainly what is wrong without revealing anything about other accounts. */
static int decide_create_method(const acct_ctx *ctx, uint32_t actor, const acct__request *rq, acct__verdict *v)
{
	const acct__index *ix = &ctx->ix;
	name_buf a;

	switch (ix->type[actor]) {
	case ACCT_TYPE_RESELLER:
		if (rq->type == ACCT_TYPE_RESELLER)
			return deny(v, ACCT__DENY_METHOD, ACCT_EDENIED, "%s may not create resellers: only the administrator can",
			            name(&a, ix, actor));
		if (rq->type == ACCT_TYPE_CUSTOMER && !(ix->perms[actor] >> ACCT__BIT_CREATE_CLIENTS & 1))
			return deny(v, ACCT__DENY_METHOD, ACCT_EDENIED, "permission create_clients is not granted to %s",
			            name(&a, ix, actor));
		return 0;
	case ACCT_TYPE_CUSTOMER:
		if (rq->type != ACCT_TYPE_USER)
			return deny(v, ACCT__DENY_METHOD, ACCT_EDENIED, "%s may not create %s: a customer can only create users",
			            name(&a, ix, actor), plural(rq->type));
		return 0;
	case ACCT_TYPE_USER:
		if (rq->type != ACCT_TYPE_USER)
			return deny(v, ACCT__DENY_METHOD, ACCT_EDENIED, "%s may not create %s", name(&a, ix, actor),
			            plural(rq->type));
		if (!user_manages(ctx, actor))
			return deny(v, ACCT__DENY_METHOD, ACCT_EDENIED, "role permission userManagement is not granted to %s",
			            name(&a, ix, actor));
		return 0;
	default:
		return 0;
	}
}

/* Rule 5 for create: the owner must be able to own the new account's type. */
static int decide_create(const acct__index *ix, const acct__request *rq, acct__verdict *v)
{
	name_buf o;

	if (!acct__policy_may_own(ix->type[rq->target], rq->type))
		return deny(v, ACCT__DENY_RULE, ACCT_EOWNER, "%s cannot own %s", name(&o, ix, rq->target), plural(rq->type));
	return decide_quotas(ix, rq, v);
}

static const char *bit_name(unsigned int bit)
{
	switch (bit) {
	case ACCT_STATUS_BACKUP: return "4 (under backup/restore)";
	case ACCT_STATUS_BY_ADMIN: return "16 (disabled by the administrator)";
	case ACCT_STATUS_BY_RESELLER: return "32 (disabled by a reseller)";
	case ACCT_STATUS_BY_CUSTOMER: return "64 (disabled by a customer)";
	case ACCT_STATUS_EXPIRED: return "256 (expired)";
	default: return "unknown";
	}
}

unsigned int acct__policy_status_bits(const acct__index *ix, uint32_t actor, uint32_t target)
{
	switch (ix->type[actor]) {
	case ACCT_TYPE_ADMIN:
		return KNOWN_STATUS_BITS;
	case ACCT_TYPE_RESELLER:
		return ACCT_STATUS_BY_RESELLER;
	case ACCT_TYPE_CUSTOMER:
		return ix->type[target] == ACCT_TYPE_USER ? ACCT_STATUS_BY_CUSTOMER : 0;
	default:
		return 0;
	}
}

#define DISABLE_BITS (ACCT_STATUS_BY_ADMIN | ACCT_STATUS_BY_RESELLER | ACCT_STATUS_BY_CUSTOMER)

static int decide_status(const acct__index *ix, uint32_t actor, const acct__request *rq, acct__verdict *v)
{
	name_buf a, t;
	unsigned int changed = rq->status_from ^ rq->status_to, allowed, bit;
	uint32_t target = rq->target;

	if (rq->status_to & ~(unsigned int)KNOWN_STATUS_BITS)
		return deny(v, ACCT__DENY_RULE, ACCT_ESTATUS,
		            "status %u has bits libacct does not know (valid bits: 4, 16, 32, 64, 256)", rq->status_to);
	if (ix->type[actor] == ACCT_TYPE_USER)
		return deny(v, ACCT__DENY_METHOD, ACCT_EDENIED, "%s may not change the status of accounts",
		            name(&a, ix, actor));
	allowed = acct__policy_status_bits(ix, actor, target);
	if (ix->type[target] == ACCT_TYPE_ADMIN && changed)
		return deny(v, ACCT__DENY_RULE, ACCT_EDENIED, "the administrator can never be disabled");
	if (target == actor && (changed || rq->activating))
		return deny(v, ACCT__DENY_RULE, ACCT_EDENIED, "%s may not change its own status", name(&a, ix, actor));
	for (bit = 1; bit <= ACCT_STATUS_EXPIRED; bit <<= 1)
		if ((changed & bit) && !(allowed & bit))
			return deny(v, ACCT__DENY_RULE, ACCT_EDENIED, "%s may not %s status bit %s of %s",
			            name(&a, ix, actor), (rq->status_to & bit) ? "set" : "clear", bit_name(bit),
			            name(&t, ix, target));
	/* A bit may only be cleared by who may set it: activating must not pretend to succeed. */
	for (bit = ACCT_STATUS_BY_ADMIN; rq->activating && bit <= ACCT_STATUS_BY_CUSTOMER; bit <<= 1)
		if ((rq->status_to & DISABLE_BITS & bit) && !(allowed & bit))
			return deny(v, ACCT__DENY_RULE, ACCT_EDENIED, "%s stays disabled: %s may not clear status bit %s",
			            name(&t, ix, target), name(&a, ix, actor), bit_name(bit));
	return 0;
}

/* The tree a user may move within: the admin's or a reseller's own. */
static uint32_t reseller_root(const acct__index *ix, uint32_t id)
{
	return ix->type[id] == ACCT_TYPE_CUSTOMER || ix->type[id] == ACCT_TYPE_USER ? reseller_root(ix, ix->owner[id]) : id;
}

static int decide_change_owner(const acct__index *ix, uint32_t actor, const acct__request *rq, acct__verdict *v)
{
	name_buf a, t, n;
	uint32_t x = rq->target, no = rq->new_owner;

	if (ix->type[actor] != ACCT_TYPE_ADMIN)
		return deny(v, ACCT__DENY_METHOD, ACCT_EDENIED, "%s may not change owners: only the administrator can",
		            name(&a, ix, actor));
	if (ix->type[x] != ACCT_TYPE_CUSTOMER && ix->type[x] != ACCT_TYPE_USER)
		return deny(v, ACCT__DENY_RULE, ACCT_EDENIED, "only customers and users can change owner; %s cannot",
		            name(&t, ix, x));
	if (!acct__index_has(ix, no))
		return deny(v, ACCT__DENY_OBJECT, ACCT_EOWNER, "new owner account %u not found", no);
	if (!acct__policy_may_own(ix->type[no], ix->type[x]))
		return deny(v, ACCT__DENY_RULE, ACCT_EOWNER, "%s cannot own %s", name(&n, ix, no), plural(ix->type[x]));
	if (acct__index_in_subtree(ix, x, no))
		return deny(v, ACCT__DENY_RULE, ACCT_EDENIED, "%s cannot be moved under itself", name(&t, ix, x));
	if (ix->type[x] == ACCT_TYPE_USER && reseller_root(ix, no) != reseller_root(ix, ix->owner[x]))
		return deny(v, ACCT__DENY_RULE, ACCT_EDENIED, "%s can only move within the tree of %s", name(&t, ix, x),
		            name(&n, ix, reseller_root(ix, ix->owner[x])));
	if (rq->missing_ip)
		return deny(v, ACCT__DENY_RULE, ACCT_EDENIED, "IP address %s of %s is not in the pool of %s", rq->missing_ip,
		            name(&t, ix, x), name(&n, ix, no));
	return decide_quotas(ix, rq, v);
}

static int decide_convert(const acct__index *ix, uint32_t actor, const acct__request *rq, acct__verdict *v)
{
	name_buf a, t, o;
	uint32_t x = rq->target, c;

	if (ix->type[actor] != ACCT_TYPE_ADMIN)
		return deny(v, ACCT__DENY_METHOD, ACCT_EDENIED, "%s may not convert accounts: only the administrator can",
		            name(&a, ix, actor));
	if (ix->type[x] == ACCT_TYPE_CUSTOMER && rq->type == ACCT_TYPE_RESELLER) {
		if (ix->type[ix->owner[x]] != ACCT_TYPE_ADMIN)
			return deny(v, ACCT__DENY_RULE, ACCT_EDENIED,
			            "only customers of the administrator can become resellers; %s belongs to %s",
			            name(&t, ix, x), name(&o, ix, ix->owner[x]));
		return 0;
	}
	if (ix->type[x] == ACCT_TYPE_RESELLER && rq->type == ACCT_TYPE_CUSTOMER) {
		if (rq->reseller_logins)
			return deny(v, ACCT__DENY_RULE, ACCT_EDENIED,
			            "%s has %zu API login%s with a reseller role; give %s a client role or delete %s first",
			            name(&t, ix, x), rq->reseller_logins, rq->reseller_logins == 1 ? "" : "s",
			            rq->reseller_logins == 1 ? "it" : "them", rq->reseller_logins == 1 ? "it" : "them");
		for (c = ix->first_child[x]; c; c = ix->next_sibling[c])
			if (ix->type[c] == ACCT_TYPE_CUSTOMER)
				return deny(v, ACCT__DENY_RULE, ACCT_EDENIED,
				            "%s still owns customers (%s, ...); move or delete them first", name(&t, ix, x),
				            name(&o, ix, c));
		return 0;
	}
	return deny(v, ACCT__DENY_RULE, ACCT_EINVALID, "a %s cannot be converted to a %s",
	            acct_account_type_name(ix->type[x]), acct_account_type_name(rq->type));
}

int acct__policy_login(const acct__index *ix, uint32_t id)
{
	name_buf a, o;
	uint32_t up;
	int depth;

	if (!acct__index_has(ix, id))
		return acct__error_set(ACCT_EAUTH, "wrong login or password");
	if (ix->status[id])
		return acct__error_set(ACCT_EDISABLED, "%s is disabled (status %u)", name(&a, ix, id), ix->status[id]);
	/* At most four levels; the bound only guards a corrupt index. */
	for (depth = 0, up = ix->owner[id]; up && depth < 8; up = ix->owner[up], depth++)
		if (ix->status[up])
			return acct__error_set(ACCT_EDISABLED, "%s is disabled: its owner %s is suspended", name(&a, ix, id),
			                       name(&o, ix, up));
	return 0;
}

static const char *space_noun(int space)
{
	return space == ACCT__SPACE_ROLE ? "role permission" : space == ACCT__SPACE_PARTNER ? "operation" : "permission";
}

/* Rule 4 of a check: does the actor hold the permission? */
static int holds(const acct_ctx *ctx, uint32_t actor, const acct__perm *p)
{
	const acct__index *ix = &ctx->ix;
	int t = ix->type[actor];

	if (t == ACCT_TYPE_ADMIN)
		return 1;
	switch (p->space) {
	case ACCT__SPACE_ACCOUNT:
		return t != ACCT_TYPE_USER && (ix->perms[actor] >> p->bit & 1);
	case ACCT__SPACE_ROLE:
		return (int)(acct__policy_role_bits(ctx, actor) >> p->bit & 1);
	default:
		/* Partner operations belong to API logins' roles, not to accounts. */
		return 0;
	}
}

static int decide_check(const acct_session *s, const acct__request *rq, acct__verdict *v)
{
	const acct_ctx *ctx = s->ctx;
	uint32_t actor = s->actor;
	name_buf a;

	if (!holds(ctx, actor, rq->perm))
		return deny(v, ACCT__DENY_METHOD, ACCT_EDENIED, "%s %s is not granted to %s", space_noun(rq->perm->space),
		            rq->perm->name, name(&a, &ctx->ix, actor));
	return 0;
}

static int decide_grant(const acct_ctx *ctx, uint32_t actor, const acct__request *rq, acct__verdict *v)
{
	const acct__index *ix = &ctx->ix;
	const acct__perm *p = rq->perm;
	int at = ix->type[actor], tt = ix->type[rq->target];
	name_buf a, t;

	if (at != ACCT_TYPE_ADMIN && at != ACCT_TYPE_RESELLER)
		return deny(v, ACCT__DENY_METHOD, ACCT_EDENIED, "%s may not grant permissions", name(&a, ix, actor));
	if (p->space != ACCT__SPACE_ACCOUNT)
		return deny(v, ACCT__DENY_RULE, ACCT_EINVALID, "%s is a %s, granted through roles, not to accounts",
		            p->name, space_noun(p->space));
	if (tt != ACCT_TYPE_RESELLER && tt != ACCT_TYPE_CUSTOMER)
		return deny(v, ACCT__DENY_RULE, ACCT_EINVALID, "permissions are granted to resellers and customers, not to %s",
		            name(&t, ix, rq->target));
	if (p->reseller_only && tt != ACCT_TYPE_RESELLER)
		return deny(v, ACCT__DENY_RULE, ACCT_EINVALID, "permission %s is for resellers only; %s is not one", p->name,
		            name(&t, ix, rq->target));
	if (rq->target == actor)
		return deny(v, ACCT__DENY_RULE, ACCT_EDENIED, "%s may not change its own permissions", name(&a, ix, actor));
	if (!(p->writable_by & (1u << at)))
		return deny(v, ACCT__DENY_METHOD, ACCT_EDENIED, "permission %s can only be granted by the administrator",
		            p->name);
	if (rq->granted && !holds(ctx, actor, p))
		return deny(v, ACCT__DENY_METHOD, ACCT_EDENIED, "%s cannot grant %s: it does not hold it itself",
		            name(&a, ix, actor), p->name);
	/* Revoking allow_oversell must not leave the reseller oversold. */
	return decide_quotas(ix, rq, v);
}

/* Who manages the roles of `owner`: the admin; the owner itself; a user of
 * that owner with userManagement. */
static int decide_role_manage(const acct_ctx *ctx, uint32_t actor, uint32_t owner, acct__verdict *v)
{
	const acct__index *ix = &ctx->ix;
	name_buf a, o;

	if (ix->type[actor] == ACCT_TYPE_ADMIN || actor == owner)
		return 0;
	if (ix->type[actor] == ACCT_TYPE_USER && ix->owner[actor] == owner) {
		if (user_manages(ctx, actor))
			return 0;
		return deny(v, ACCT__DENY_METHOD, ACCT_EDENIED, "role permission userManagement is not granted to %s",
		            name(&a, ix, actor));
	}
	return deny(v, ACCT__DENY_RULE, ACCT_EDENIED, "%s may not manage the roles of %s", name(&a, ix, actor),
	            name(&o, ix, owner));
}

static int decide_role(const acct_ctx *ctx, uint32_t actor, const acct__request *rq, acct__verdict *v)
{
	const acct__index *ix = &ctx->ix;
	const acct__role *r = rq->role;
	name_buf a, t;
	int rc;

	switch (rq->op) {
	case ACCT__OP_ROLE_READ:
		return 0;
	case ACCT__OP_ROLE_CREATE:
		if (ix->type[actor] == ACCT_TYPE_USER && !user_manages(ctx, actor))
			return deny(v, ACCT__DENY_METHOD, ACCT_EDENIED, "role permission userManagement is not granted to %s",
			            name(&a, ix, actor));
		if (ix->type[rq->target] == ACCT_TYPE_USER)
			return deny(v, ACCT__DENY_RULE, ACCT_EINVALID, "%s cannot own roles", name(&t, ix, rq->target));
		return decide_role_manage(ctx, actor, rq->target, v);
	case ACCT__OP_ROLE_DELETE:
		if (r->builtin)
			return deny(v, ACCT__DENY_RULE, ACCT_EDENIED, "role '%s' is built in and cannot be deleted", r->name);
		if ((rc = decide_role_manage(ctx, actor, r->owner, v)) < 0)
			return rc;
		if (rq->role_users)
			return deny(v, ACCT__DENY_RULE, ACCT_EDENIED, "role '%s' is still given to %zu user%s; take it away first",
			            r->name, rq->role_users, rq->role_users == 1 ? "" : "s");
		return 0;
	case ACCT__OP_ROLE_PERMISSION:
		if (!r->editable)
			return deny(v, ACCT__DENY_RULE, ACCT_EDENIED, "role '%s' is built in and cannot be changed", r->name);
		if (r->builtin && ix->type[actor] != ACCT_TYPE_ADMIN)
			return deny(v, ACCT__DENY_RULE, ACCT_EDENIED, "only the administrator changes the built-in role '%s'",
			            r->name);
		if ((rc = decide_role_manage(ctx, actor, r->owner, v)) < 0)
			return rc;
		if (rq->perm->space != ACCT__SPACE_ROLE)
			return deny(v, ACCT__DENY_RULE, ACCT_EINVALID, "%s is not a role permission", rq->perm->name);
		/* A user never grants beyond its own; accounts' roles are cut to what
		 * the account holds when they are used, so they may name anything. */
		if (rq->granted && ix->type[actor] == ACCT_TYPE_USER && !holds(ctx, actor, rq->perm))
			return deny(v, ACCT__DENY_METHOD, ACCT_EDENIED, "%s cannot put %s in a role: it does not hold it itself",
			            name(&a, ix, actor), rq->perm->name);
		return 0;
	case ACCT__OP_ROLE_ASSIGN:
		if (ix->type[rq->target] != ACCT_TYPE_USER)
			return deny(v, ACCT__DENY_RULE, ACCT_EINVALID, "roles are given to users; %s is not one",
			            name(&t, ix, rq->target));
		if (!r->builtin && r->owner != ix->owner[rq->target])
			return deny(v, ACCT__DENY_RULE, ACCT_EINVALID, "role '%s' belongs to %s, not to the owner of %s", r->name,
			            name(&a, ix, r->owner), name(&t, ix, rq->target));
		if (rq->target == actor && ix->type[actor] == ACCT_TYPE_USER)
			return deny(v, ACCT__DENY_RULE, ACCT_EDENIED, "%s may not change its own roles", name(&a, ix, actor));
		if (ix->type[actor] == ACCT_TYPE_USER && !user_manages(ctx, actor))
			return deny(v, ACCT__DENY_METHOD, ACCT_EDENIED, "role permission userManagement is not granted to %s",
			            name(&a, ix, actor));
		/* A user never hands out more than it holds: every permission of the role must be its own. */
		if (rq->granted && ix->type[actor] == ACCT_TYPE_USER && (r->bits & ~acct__policy_role_bits(ctx, actor)))
			return deny(v, ACCT__DENY_METHOD, ACCT_EDENIED, "%s cannot give role '%s': the role has permissions it does not hold",
			            name(&a, ix, actor), r->name);
		return 0;
	default:
		return 0;
	}
}

/* Limits a change would reach: max_cl always binds; sums bind unless the holder may oversell. */
static int decide_quotas(const acct__index *ix, const acct__request *rq, acct__verdict *v)
{
	name_buf h;
	size_t i;

	for (i = 0; i < rq->nquotas; i++) {
		const acct__quota *q = &rq->quotas[i];
		if (q->cap < 0 || q->oversell || (q->total >= 0 && q->total <= q->cap))
			continue;
		if (strcmp(q->limit, "max_cl") == 0)
			return deny(v, ACCT__DENY_RULE, ACCT_ELIMIT, "%s has reached max_cl (%lld)", name(&h, ix, q->holder),
			            (long long)q->cap);
		if (q->total < 0)
			return deny(v, ACCT__DENY_RULE, ACCT_ELIMIT,
			            "%s has %s %lld; an unlimited value under it would exceed that (overselling is off)",
			            name(&h, ix, q->holder), q->limit, (long long)q->cap);
		return deny(v, ACCT__DENY_RULE, ACCT_ELIMIT,
		            "%s has %s %lld; its customers would have %lld in all (overselling is off)",
		            name(&h, ix, q->holder), q->limit, (long long)q->cap, (long long)q->total);
	}
	return 0;
}

int acct__policy_limit_allows(const char *limit, int64_t value, int64_t in_use)
{
	if (value < 0)
		return 1;
	return strcmp(limit, "expiration") == 0 ? in_use < value : in_use <= value;
}

/* Limits and resource policies: the admin on anyone, a reseller on its own customers. */
static int decide_limit(const acct__index *ix, uint32_t actor, const acct__request *rq, acct__verdict *v)
{
	int at = ix->type[actor], tt = ix->type[rq->target];
	name_buf a, t;

	if (at != ACCT_TYPE_ADMIN && (at != ACCT_TYPE_RESELLER || rq->op == ACCT__OP_RESOURCE_POLICY))
		return deny(v, ACCT__DENY_METHOD, ACCT_EDENIED, "%s may not change %s", name(&a, ix, actor),
		            rq->op == ACCT__OP_LIMIT ? "limits" : "resource policies");
	if (rq->op == ACCT__OP_RESOURCE_POLICY) {
		if (tt != ACCT_TYPE_RESELLER)
			return deny(v, ACCT__DENY_RULE, ACCT_EINVALID, "only resellers have a resource policy; %s is not one",
			            name(&t, ix, rq->target));
		return 0;
	}
	if (tt != ACCT_TYPE_RESELLER && tt != ACCT_TYPE_CUSTOMER)
		return deny(v, ACCT__DENY_RULE, ACCT_EINVALID, "limits apply to resellers and customers, not to %s",
		            name(&t, ix, rq->target));
	if (rq->target == actor)
		return deny(v, ACCT__DENY_RULE, ACCT_EDENIED, "%s may not change its own limits", name(&a, ix, actor));
	if (strcmp(rq->limit, "max_cl") == 0 && tt != ACCT_TYPE_RESELLER)
		return deny(v, ACCT__DENY_RULE, ACCT_EINVALID, "max_cl applies to resellers only; %s is a customer",
		            name(&t, ix, rq->target));
	if (rq->limit_value < -1)
		return deny(v, ACCT__DENY_RULE, ACCT_EINVALID, "limit %s cannot be %lld (use -1 for unlimited)", rq->limit,
		            (long long)rq->limit_value);
	return decide_quotas(ix, rq, v);
}

static int decide_ip(const acct__index *ix, uint32_t actor, const acct__request *rq, acct__verdict *v)
{
	int at = ix->type[actor], tt = ix->type[rq->target];
	uint32_t pool_owner = ix->owner[rq->target];
	name_buf a, t, o;

	if (tt == ACCT_TYPE_USER)
		return deny(v, ACCT__DENY_RULE, ACCT_EINVALID, "users have no IP pool");
	if (at != ACCT_TYPE_ADMIN && !(at == ACCT_TYPE_RESELLER && pool_owner == actor))
		return deny(v, ACCT__DENY_METHOD, ACCT_EDENIED, "%s may not change the IP pool of %s", name(&a, ix, actor),
		            name(&t, ix, rq->target));
	if (rq->op == ACCT__OP_IP_REMOVE) {
		if (rq->ip_child)
			return deny(v, ACCT__DENY_RULE, ACCT_EDENIED, "IP address %s is still used by %s; take it away there first",
			            rq->ip, name(&o, ix, rq->ip_child));
		return 0;
	}
	if (tt != ACCT_TYPE_ADMIN && !rq->ip_in_owner_pool)
		return deny(v, ACCT__DENY_RULE, ACCT_EINVALID, "IP address %s is not in the pool of %s", rq->ip,
		            name(&o, ix, pool_owner));
	if (rq->ip_conflict)
		return deny(v, ACCT__DENY_RULE, ACCT_EEXISTS, "IP address %s is exclusive: %s already has it", rq->ip,
		            name(&o, ix, rq->ip_conflict));
	return 0;
}

/*
 * An API login session acts only through its Partner role (looked up now, so
 * a role change applies at once): its operations for checks; for the
 * engine, reading, creating and changing customers as customer.search,
 * customer.create and customer.modify allow. Client roles act on their own
 * account only; reseller roles also on the reseller's own customers.
 * Returns 1 when a check is allowed, 0 to go on with the ordinary rules.
 */
static int decide_api(const acct_session *s, const acct__cred *c, const acct__request *rq, acct__verdict *v)
{
	const acct__index *ix = &s->ctx->ix;
	uint32_t actor = s->actor, target = rq->target;
	int reseller_role = c->role >= ACCT_PARTNER_ALL_RESELLER;
	int own = acct__index_has(ix, target) &&
	          (target == actor || (reseller_role && ix->type[target] == ACCT_TYPE_CUSTOMER && ix->owner[target] == actor));
	const char *need = NULL;
	name_buf t;

	switch (rq->op) {
	case ACCT__OP_CHECK:
		if (rq->perm->space != ACCT__SPACE_PARTNER)
			return deny(v, ACCT__DENY_METHOD, ACCT_EDENIED, "API login '%s' may only use Partner API operations, not %s",
			            c->text, rq->perm->name);
		need = rq->perm->name;
		break;
	case ACCT__OP_READ:
	case ACCT__OP_LIST:
		need = target == actor ? NULL : "customer.search";
		break;
	case ACCT__OP_CREATE:
		if (rq->type != ACCT_TYPE_CUSTOMER || target != actor)
			return deny(v, ACCT__DENY_METHOD, ACCT_EDENIED, "API login '%s' may only create customers of its own account",
			            c->text);
		need = "customer.create";
		break;
	case ACCT__OP_EDIT:
	case ACCT__OP_EDIT_LOGIN:
		if (target == actor)
			return deny(v, ACCT__DENY_METHOD, ACCT_EDENIED, "API login '%s' may not change its own account", c->text);
		need = "customer.modify";
		break;
	default:
		return deny(v, ACCT__DENY_METHOD, ACCT_EDENIED, "API login '%s' may only use Partner API operations", c->text);
	}
	if (need && acct_partner_role_permits(c->role, need) != 1)
		return deny(v, ACCT__DENY_METHOD, ACCT_EDENIED, "the role '%s' of API login '%s' does not allow %s",
		            acct_partner_role_name(c->role), c->text, need);
	if (!acct__index_has(ix, target))
		return deny(v, ACCT__DENY_OBJECT, ACCT_ENOTFOUND, "account %u not found", target);
	if (!own)
		return deny(v, ACCT__DENY_OBJECT, ACCT_ENOTFOUND, "%s is not an object of API login '%s'", name(&t, ix, target),
		            c->text);
	return rq->op == ACCT__OP_CHECK;
}

/* Keys and API logins: the admin any; a reseller its own and in its scope; a customer its own. */
static int decide_credential(const acct__index *ix, uint32_t actor, const acct__request *rq, acct__verdict *v)
{
	int at = ix->type[actor], tt = ix->type[rq->target];
	name_buf a, t;

	if (at == ACCT_TYPE_USER)
		return deny(v, ACCT__DENY_METHOD, ACCT_EDENIED, "%s may not manage keys or API logins", name(&a, ix, actor));
	if (at == ACCT_TYPE_CUSTOMER && rq->target != actor)
		return deny(v, ACCT__DENY_RULE, ACCT_EDENIED, "%s may only manage its own keys and API logins",
		            name(&a, ix, actor));
	if (rq->type >= ACCT_PARTNER_ALL_RESELLER && tt != ACCT_TYPE_RESELLER)
		return deny(v, ACCT__DENY_RULE, ACCT_EINVALID, "Partner API role '%s' needs a reseller; %s is not one",
		            acct_partner_role_name(rq->type), name(&t, ix, rq->target));
	if (rq->type && tt != ACCT_TYPE_RESELLER && tt != ACCT_TYPE_CUSTOMER)
		return deny(v, ACCT__DENY_RULE, ACCT_EINVALID, "API logins belong to resellers and customers, not to %s",
		            name(&t, ix, rq->target));
	return 0;
}

/* A reset token is made by someone above the account, never by the account itself. */
static int decide_reset(const acct__index *ix, uint32_t actor, const acct__request *rq, acct__verdict *v)
{
	name_buf a, t;

	if (ix->type[actor] == ACCT_TYPE_USER)
		return deny(v, ACCT__DENY_METHOD, ACCT_EDENIED, "%s may not create password reset tokens", name(&a, ix, actor));
	if (rq->target == actor)
		return deny(v, ACCT__DENY_RULE, ACCT_EDENIED,
		            "%s cannot create a reset token for itself: its owner does that", name(&t, ix, actor));
	return 0;
}

int acct__policy_decide(const acct_session *s, const acct__request *rq, acct__verdict *v)
{
	const acct_ctx *ctx = s->ctx;
	const acct__index *ix = &ctx->ix;
	uint32_t actor = s->actor, target = rq->target;
	name_buf a, t;
	int scoped;

	v->why = ACCT__DENY_NONE;
	/* 1. The session's account, and its API login if any, must still exist and be enabled. */
	if (!acct__index_has(ix, actor))
		return deny(v, ACCT__DENY_SESSION, ACCT_EAUTH, "the session's account %u no longer exists", actor);
	if (s->apilogin) {
		const acct__cred *c = acct__cred_get(&ctx->creds, s->apilogin);
		if (!c || c->kind != ACCT__CRED_APILOGIN)
			return deny(v, ACCT__DENY_SESSION, ACCT_EAUTH, "the session's API login no longer exists");
		if (!c->enabled)
			return deny(v, ACCT__DENY_DISABLED, ACCT_EDISABLED, "API login '%s' is disabled", c->text);
		if (acct__index_effective_status(ix, actor))
			return deny(v, ACCT__DENY_DISABLED, ACCT_EDISABLED, "%s is disabled", name(&a, ix, actor));
		int api = decide_api(s, c, rq, v);
		if (api != 0)
			return api > 0 ? 0 : api;
	}
	/* 2. ... and not be disabled, by itself or through an ancestor. */
	if (acct__index_effective_status(ix, actor))
		return deny(v, ACCT__DENY_DISABLED, ACCT_EDISABLED, "%s is disabled", name(&a, ix, actor));
	if (rq->op == ACCT__OP_CREATE) {
		int rc = decide_create_method(ctx, actor, rq, v);
		if (rc < 0)
			return rc;
	}
	/* 3. The target must exist and be in scope. A user creates users and manages
	 * roles on behalf of its owner, which is otherwise outside its scope. */
	scoped = acct__index_has(ix, target) &&
	         (in_scope(ctx, actor, target) ||
	          (rq->op == ACCT__OP_LIST && ix->type[actor] == ACCT_TYPE_USER && target == ix->owner[actor] &&
	           user_manages(ctx, actor)) ||
	          ((rq->op == ACCT__OP_CREATE || rq->op == ACCT__OP_ROLE_CREATE || rq->op == ACCT__OP_ROLE_DELETE ||
	            rq->op == ACCT__OP_ROLE_PERMISSION || rq->op == ACCT__OP_ROLE_READ) &&
	           ix->type[actor] == ACCT_TYPE_USER && target == ix->owner[actor]) ||
	          (rq->role && rq->role->builtin && rq->op != ACCT__OP_ROLE_ASSIGN)); /* built-in roles are everyone's */
	if (!scoped) {
		if (rq->op == ACCT__OP_ROLE_READ || rq->op == ACCT__OP_ROLE_DELETE || rq->op == ACCT__OP_ROLE_PERMISSION)
			return deny(v, ACCT__DENY_OBJECT, ACCT_ENOTFOUND, "role %u not found", rq->role ? rq->role->id : 0);
		return deny(v, ACCT__DENY_OBJECT, ACCT_ENOTFOUND, rq->op == ACCT__OP_CREATE ? "owner account %u not found"
		                                                                            : "account %u not found",
		            target);
	}
	/* 4 and 5, per operation. */
	switch (rq->op) {
	case ACCT__OP_CHECK:
		return decide_check(s, rq, v);
	case ACCT__OP_READ:
	case ACCT__OP_LIST:
	case ACCT__OP_EDIT:
		return 0;
	case ACCT__OP_EDIT_LOGIN:
		if (target == actor && ix->type[actor] == ACCT_TYPE_USER)
			return deny(v, ACCT__DENY_RULE, ACCT_EDENIED,
			            "%s may change its own contact data and password, not its login or external id",
			            name(&a, ix, actor));
		return 0;
	case ACCT__OP_CREATE:
		return decide_create(ix, rq, v);
	case ACCT__OP_STATUS:
		return decide_status(ix, actor, rq, v);
	case ACCT__OP_DELETE:
		if (ix->type[actor] == ACCT_TYPE_USER && !user_manages(ctx, actor))
			return deny(v, ACCT__DENY_METHOD, ACCT_EDENIED, "role permission userManagement is not granted to %s",
			            name(&a, ix, actor));
		if (ix->type[target] == ACCT_TYPE_ADMIN)
			return deny(v, ACCT__DENY_RULE, ACCT_EDENIED, "the administrator can never be deleted");
		if (target == actor)
			return deny(v, ACCT__DENY_RULE, ACCT_EDENIED, "%s may not delete itself", name(&t, ix, target));
		return 0;
	case ACCT__OP_CHANGE_OWNER:
		return decide_change_owner(ix, actor, rq, v);
	case ACCT__OP_CONVERT:
		return decide_convert(ix, actor, rq, v);
	case ACCT__OP_DESCRIBE:
		/* Descriptions are per author: each writes its own; the admin may edit any. */
		if (rq->author != actor && ix->type[actor] != ACCT_TYPE_ADMIN)
			return deny(v, ACCT__DENY_RULE, ACCT_EDENIED, "%s may only write its own description of %s",
			            name(&a, ix, actor), name(&t, ix, target));
		return 0;
	case ACCT__OP_GRANT:
		return decide_grant(ctx, actor, rq, v);
	case ACCT__OP_ROLE_CREATE:
	case ACCT__OP_ROLE_DELETE:
	case ACCT__OP_ROLE_PERMISSION:
	case ACCT__OP_ROLE_READ:
	case ACCT__OP_ROLE_ASSIGN:
		return decide_role(ctx, actor, rq, v);
	case ACCT__OP_LIMIT:
	case ACCT__OP_RESOURCE_POLICY:
		return decide_limit(ix, actor, rq, v);
	case ACCT__OP_IP_ADD:
	case ACCT__OP_IP_REMOVE:
		return decide_ip(ix, actor, rq, v);
	case ACCT__OP_CREDENTIAL:
		return decide_credential(ix, actor, rq, v);
	case ACCT__OP_RESET:
		return decide_reset(ix, actor, rq, v);
	}
	return deny(v, ACCT__DENY_RULE, ACCT_EINVALID, "unknown operation %d", (int)rq->op);
}
