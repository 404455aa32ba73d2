/*
 * Permission operations: catalogs and descriptors, host registration,
 * acct_check and its explanation, grants. Decisions are the policy's.
 */
#include <string.h>
#include "util/util.h"
#include "engine.h"

int acct_perm_desc_init(acct_perm_desc *desc, unsigned int version)
{
	acct_perm_desc init = ACCT_PERM_DESC_INIT;

	if (!desc || version == 0 || version > ACCT_PERM_DESC_VERSION)
		return acct__error_set(ACCT_EINVALID, "acct_perm_desc version %u is not supported (1..%d)", version,
		                       ACCT_PERM_DESC_VERSION);
	*desc = init;
	desc->version = version;
	return 0;
}

static void describe(acct_perm_desc *out, const acct__catalogs *c, const acct__perm *p)
{
	acct_perm_desc_init(out, ACCT_PERM_DESC_VERSION);
	out->catalog = p->catalog;
	out->name = p->name;
	out->label = p->label;
	out->type = ACCT_PERM_BOOL;
	out->default_value = p->space == ACCT__SPACE_ACCOUNT &&
	                     ((c->defaults[ACCT_TYPE_RESELLER] | c->defaults[ACCT_TYPE_CUSTOMER]) >> p->bit & 1);
	out->writable_by = p->writable_by;
	out->reseller_only = p->reseller_only;
}

static int catalog_known(const acct_ctx *ctx, int catalog)
{
	return (catalog >= ACCT_CATALOG_ACCOUNT && catalog <= ACCT_CATALOG_PARTNER) ||
	       (catalog > ACCT_CATALOG_PARTNER && (size_t)(catalog - ACCT_CATALOG_PARTNER) <= ctx->cat.nhost);
}

int acct_perm_count(acct_ctx *ctx, int catalog)
{
	size_t i;
	int n = 0;

	if (!ctx)
		return acct__error_set(ACCT_EINVALID, "acct_perm_count: ctx is NULL");
	pthread_rwlock_rdlock(&ctx->lock);
	if (!catalog_known(ctx, catalog)) {
		pthread_rwlock_unlock(&ctx->lock);
		return acct__error_set(ACCT_ENOTFOUND, "permission catalog %d not found", catalog);
	}
	for (i = 0; i < ctx->cat.n; i++)
		n += ctx->cat.perms[i].catalog == catalog;
	pthread_rwlock_unlock(&ctx->lock);
	return n;
}

int acct_perm_describe(acct_perm_desc *out, acct_ctx *ctx, int catalog, size_t index)
{
	size_t i, k = 0;

	if (!out || !ctx)
		return acct__error_set(ACCT_EINVALID, "acct_perm_describe needs out and ctx");
	pthread_rwlock_rdlock(&ctx->lock);
	for (i = 0; i < ctx->cat.n; i++) {
		if (ctx->cat.perms[i].catalog != catalog)
			continue;
		if (k++ == index) {
			describe(out, &ctx->cat, &ctx->cat.perms[i]);
			pthread_rwlock_unlock(&ctx->lock);
			return 0;
		}
	}
	pthread_rwlock_unlock(&ctx->lock);
	return acct__error_set(ACCT_ENOTFOUND, "permission catalog %d has no entry %zu", catalog, index);
}

int acct_perm_lookup(acct_perm_desc *out, acct_ctx *ctx, const char *name)
{
	const acct__perm *p;
	int rc = 0;

	if (!out || !ctx || !name)
		return acct__error_set(ACCT_EINVALID, "acct_perm_lookup needs out, ctx and name");
	pthread_rwlock_rdlock(&ctx->lock);
	p = acct__perm_find(&ctx->cat, name);
	if (p && p->catalog)
		describe(out, &ctx->cat, p);
	else
		rc = acct__error_set(ACCT_ENOTFOUND, "unknown permission '%s'", name);
	pthread_rwlock_unlock(&ctx->lock);
	return rc;
}

/* Names: letters, digits and . _ - , 1..64 characters. */
static int valid_name(const char *what, const char *name)
{
	const char *p;

	if (!name || !*name || strlen(name) > 64)
		return acct__error_set(ACCT_EINVALID, "%s name must be 1 to 64 characters", what);
	for (p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '.' ||
		      *p == '_' || *p == '-'))
			return acct__error_set(ACCT_EINVALID, "%s name '%s' may only contain letters, digits, '.', '_' and '-'",
			                       what, name);
	return 0;
}

int acct_catalog_register(int *catalog_out, acct_ctx *ctx, const char *name)
{
	char *copy;
	void *arr;
	size_t i, cap;
	int rc;

	if (!catalog_out || !ctx)
		return acct__error_set(ACCT_EINVALID, "acct_catalog_register needs catalog_out and ctx");
	*catalog_out = 0;
	if ((rc = valid_name("catalog", name)) < 0)
		return rc;
	pthread_rwlock_wrlock(&ctx->lock);
	for (i = 0; i < ctx->cat.nhost; i++) {
		if (strcmp(ctx->cat.host[i], name) == 0) {
			pthread_rwlock_unlock(&ctx->lock);
			return acct__error_set(ACCT_EEXISTS, "permission catalog '%s' already exists", name);
		}
	}
	cap = ctx->cat.nhost;
	arr = ctx->cat.host;
	copy = acct__strdup(name);
	if (!copy || acct__grow(&arr, &cap, ctx->cat.nhost + 1, sizeof(char *)) < 0) {
		acct__free(copy);
		pthread_rwlock_unlock(&ctx->lock);
		return acct__error_oom();
	}
	ctx->cat.host = arr;
	ctx->cat.host[ctx->cat.nhost++] = copy;
	*catalog_out = ACCT_CATALOG_PARTNER + (int)ctx->cat.nhost;
	pthread_rwlock_unlock(&ctx->lock);
	return 0;
}

int acct_perm_register(acct_ctx *ctx, const acct_perm_desc *desc)
{
	acct__perm *p;
	int rc, space;

	if (!ctx || !desc)
		return acct__error_set(ACCT_EINVALID, "acct_perm_register needs ctx and desc");
	if (desc->version == 0 || desc->version > ACCT_PERM_DESC_VERSION)
		return acct__error_set(ACCT_EINVALID, "acct_perm_desc version %u is not supported (1..%d)", desc->version,
		                       ACCT_PERM_DESC_VERSION);
	if ((rc = valid_name("permission", desc->name)) < 0)
		return rc;
	if (desc->type != ACCT_PERM_BOOL)
		return acct__error_set(ACCT_EINVALID, "permission '%s' has an unknown type %d", desc->name, desc->type);
	if (desc->catalog == ACCT_CATALOG_PARTNER)
		return acct__error_set(ACCT_EINVALID, "the Partner API catalog is fixed; register '%s' in a host catalog",
		                       desc->name);
	pthread_rwlock_wrlock(&ctx->lock);
	if (!catalog_known(ctx, desc->catalog)) {
		pthread_rwlock_unlock(&ctx->lock);
		return acct__error_set(ACCT_EINVALID, "permission catalog %d not found", desc->catalog);
	}
	space = desc->catalog == ACCT_CATALOG_ROLE ? ACCT__SPACE_ROLE : ACCT__SPACE_ACCOUNT;
	p = (acct__perm *)acct__perm_find(&ctx->cat, desc->name);
	if (p && (p->catalog || p->space != space)) {
		pthread_rwlock_unlock(&ctx->lock);
		return acct__error_set(ACCT_EEXISTS, "permission '%s' already exists", desc->name);
	}
	if (p) {
		/* Seen in the store before anyone registered it: it keeps its bit. */
		char *label = acct__strdup(desc->label ? desc->label : "");
		if (!label) {
			pthread_rwlock_unlock(&ctx->lock);
			return acct__error_oom();
		}
		acct__free(p->label);
		p->label = label;
	} else if (acct__perm_bit_seen(&ctx->cat, desc->name, strlen(desc->name), space) < 0 ||
	           !(p = (acct__perm *)acct__perm_find(&ctx->cat, desc->name))) {
		pthread_rwlock_unlock(&ctx->lock);
		return acct__error_set(ACCT_ELIMIT,
		                       "no room for permission '%s': at most 64 account permissions (built-in ones included) and 64 role permissions",
		                       desc->name);
	} else if (desc->label) {
		char *label = acct__strdup(desc->label);
		if (label) {
			acct__free(p->label);
			p->label = label;
		}
	}
	p->catalog = desc->catalog;
	p->writable_by = desc->writable_by | ACCT_WRITABLE_BY_ADMIN;
	p->reseller_only = desc->reseller_only;
	/* A default applies to accounts created from now on. */
	if (space == ACCT__SPACE_ACCOUNT && desc->default_value) {
		ctx->cat.defaults[ACCT_TYPE_RESELLER] |= (uint64_t)1 << p->bit;
		if (!desc->reseller_only)
			ctx->cat.defaults[ACCT_TYPE_CUSTOMER] |= (uint64_t)1 << p->bit;
	}
	pthread_rwlock_unlock(&ctx->lock);
	return 0;
}

/* ---- checks ---- */

static int run_check(int *allowed_out, int *kind_out, acct_buf *text, acct_session *s, const char *permission,
                     acct_id target)
{
	acct__request rq = { .op = ACCT__OP_CHECK };
	acct__verdict v;
	int rc;

	if (allowed_out)
		*allowed_out = 0;
	if (kind_out)
		*kind_out = ACCT_DENY_NONE;
	if (!allowed_out || !s || !s->ctx || !permission)
		return acct__error_set(ACCT_EINVALID, "acct_check needs allowed_out, a session and a permission");
	/* Quiet (no message) unless someone reads it: the caller or the audit hook. */
	v.quiet = text == NULL && kind_out == NULL && s->ctx->audit == NULL;
	v.why = ACCT__DENY_NONE;
	rq.target = acct__id32(target);
	pthread_rwlock_rdlock(&s->ctx->lock);
	rq.perm = acct__perm_find(&s->ctx->cat, permission);
	if (!rq.perm || !rq.perm->catalog) {
		pthread_rwlock_unlock(&s->ctx->lock);
		return acct__error_set(ACCT_ENOTFOUND, "unknown permission '%s'", permission);
	}
	rc = acct__policy_decide(s, &rq, &v);
	pthread_rwlock_unlock(&s->ctx->lock);
	*allowed_out = rc == 0;
	if (kind_out)
		*kind_out = (int)v.why;
	if (text) {
		acct__buf_clear(text);
		if (rc < 0 && acct__buf_puts(text, acct_error_last()->message) < 0)
			return ACCT_ENOMEM;
		if (!text->ptr && acct_buf_set(text, "", 0) < 0)
			return ACCT_ENOMEM;
	}
	if (rc < 0 && s->ctx->audit)
		acct__audited(s->ctx, s->actor, "check", rq.target, permission, rc);
	/* A denial is an answer, not a failure. */
	if (!v.quiet)
		acct_error_clear();
	return 0;
}

int acct_check(int *allowed_out, acct_session *s, const char *permission, acct_id target)
{
	return run_check(allowed_out, NULL, NULL, s, permission, target);
}

int acct_check_explain(int *allowed_out, int *kind_out, acct_buf *text, acct_session *s, const char *permission,
                       acct_id target)
{
	int kind = 0, rc = run_check(allowed_out, &kind, text, s, permission, target);

	if (kind_out)
		*kind_out = kind;
	return rc;
}

int acct_deny_partner_code(int kind)
{
	switch (kind) {
	case ACCT_DENY_SESSION:
	case ACCT_DENY_DISABLED: return 200;
	case ACCT_DENY_OBJECT: return 202;
	case ACCT_DENY_METHOD:
	case ACCT_DENY_RULE: return 201;
	default: return 0;
	}
}

int acct_deny_plesk_code(int kind)
{
	switch (kind) {
	case ACCT_DENY_SESSION: return 1001;
	case ACCT_DENY_DISABLED: return 1011;
	case ACCT_DENY_OBJECT: return 1013;
	case ACCT_DENY_METHOD:
	case ACCT_DENY_RULE: return 1006;
	default: return 0;
	}
}

/* ---- grants ---- */

static int grant_locked(acct_session *s, acct__request *rq, uint64_t *bits_out)
{
	acct_account *rec;
	acct__quota q[16];
	int rc;

	if ((rc = acct__decide(s, rq)) < 0)
		return rc;
	if ((rc = acct__load_record(s->ctx, rq->target, &rec)) < 0)
		return rc;
	if (rq->granted)
		rc = acct__names_add(&rec->perms, rq->perm->name);
	else
		acct__names_remove(&rec->perms, rq->perm->name);
	if (rc == 0)
		rc = acct__perm_bits(&s->ctx->cat, &rec->perms, ACCT__SPACE_ACCOUNT, bits_out);
	if (rc == 0)
		rc = acct__store_record(s->ctx, rec);
	acct_account_free(rec);
	/* Revoking allow_oversell must not leave the reseller oversold: weigh its
	 * sums as they stand with the change (written above, in this transaction). */
	if (rc == 0 && !rq->granted && strcmp(rq->perm->name, "allow_oversell") == 0 &&
	    (rc = acct__quotas_now(s->ctx, rq->target, q, &rq->nquotas)) == 0) {
		rq->quotas = q;
		rc = acct__decide(s, rq);
	}
	return rc;
}

int acct_perm_grant(acct_session *s, acct_id target, const char *permission, int granted)
{
	acct__request rq = { .op = ACCT__OP_GRANT };
	uint64_t bits = 0;
	int rc;

	if ((rc = acct__session_check(s)) < 0)
		return rc;
	if (!permission)
		return acct__error_set(ACCT_EINVALID, "acct_perm_grant: permission is NULL");
	rq.target = acct__id32(target);
	rq.granted = granted != 0;
	if ((rc = acct__write_begin(s->ctx)) < 0)
		return ACCT__AUDIT(s, "perm.grant", target, rc);
	rq.perm = acct__perm_find(&s->ctx->cat, permission);
	if (!rq.perm || !rq.perm->catalog)
		rc = acct__error_set(ACCT_ENOTFOUND, "unknown permission '%s'", permission);
	else
		rc = grant_locked(s, &rq, &bits);
	rc = acct__write_end(s->ctx, rc);
	if (rc == 0)
		s->ctx->ix.perms[rq.target] = bits;
	acct__write_unlock(s->ctx);
	return ACCT__AUDIT(s, "perm.grant", target, rc);
}

int acct_perm_get(int *granted_out, acct_session *s, acct_id target, const char *permission)
{
	acct__request rq = { .op = ACCT__OP_READ };
	const acct__perm *p;
	int rc;

	if (!granted_out)
		return acct__error_set(ACCT_EINVALID, "acct_perm_get: granted_out is NULL");
	*granted_out = 0;
	if ((rc = acct__session_check(s)) < 0)
		return rc;
	if (!permission)
		return acct__error_set(ACCT_EINVALID, "acct_perm_get: permission is NULL");
	rq.target = acct__id32(target);
	pthread_rwlock_rdlock(&s->ctx->lock);
	p = acct__perm_find(&s->ctx->cat, permission);
	if (!p || !p->catalog || p->space != ACCT__SPACE_ACCOUNT)
		rc = acct__error_set(ACCT_ENOTFOUND, "unknown account permission '%s'", permission);
	else if ((rc = acct__decide(s, &rq)) == 0)
		/* Users hold no account permissions (their bits are role bits). */
		*granted_out = s->ctx->ix.type[rq.target] == ACCT_TYPE_ADMIN ||
		               (s->ctx->ix.type[rq.target] != ACCT_TYPE_USER && (s->ctx->ix.perms[rq.target] >> p->bit & 1));
	pthread_rwlock_unlock(&s->ctx->lock);
	return rc;
}

/* ---- Partner API roles ---- */

const char *acct_partner_role_name(int role)
{
	size_t n;
	const acct__role_builtin *r = acct__partner_roles(&n);

	return role >= 1 && (size_t)role <= n ? r[role - 1].name : NULL;
}

int acct_partner_role_permits(int role, const char *operation)
{
	size_t n, i, nops;
	const acct__role_builtin *r = acct__partner_roles(&n);
	const acct__perm_builtin *ops = acct__perm_builtins(ACCT_CATALOG_PARTNER, &nops);
	int known = 0;

	if (role < 1 || (size_t)role > n)
		return acct__error_set(ACCT_ENOTFOUND, "Partner API role %d not found (1..%zu)", role, n);
	if (!operation)
		return acct__error_set(ACCT_EINVALID, "acct_partner_role_permits: operation is NULL");
	for (i = 0; i < nops; i++)
		known |= strcmp(ops[i].name, operation) == 0;
	if (!known)
		return acct__error_set(ACCT_ENOTFOUND, "unknown Partner API operation '%s'", operation);
	for (i = 0; r[role - 1].perms[i]; i++)
		if (strcmp(r[role - 1].perms[i], operation) == 0)
			return 1;
	return 0;
}
