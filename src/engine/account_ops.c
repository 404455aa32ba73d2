/*
 * Account operations. Each is one storage transaction under the context's
 * write lock: ask the policy, write, reserve index memory, commit, and only
 * then update the index (which cannot fail by then). On any failure the
 * store and the index are what they were.
 */
#include <string.h>
#include "util/util.h"
#include "crypto/crypto.h"
#include "storage/storage_internal.h"
#include "engine.h"

int acct__decide(acct_session *s, acct__request *rq)
{
	acct__verdict v = { 0, ACCT__DENY_NONE };
	return acct__policy_decide(s, rq, &v);
}

/* ---- lookups ---- */

enum by { BY_ID, BY_LOGIN, BY_GUID, BY_EXTERNAL_ID };

static int lookup(acct_account **out, acct_session *s, enum by by, acct_id id, const char *key)
{
	acct_ctx *ctx;
	acct__request rq = { .op = ACCT__OP_READ };
	uint8_t guid[16];
	int rc;

	if (!out)
		return acct__error_set(ACCT_EINVALID, "lookup: out is NULL");
	*out = NULL;
	if ((rc = acct__session_check(s)) < 0)
		return rc;
	if (by != BY_ID && !key)
		return acct__error_set(ACCT_EINVALID, "lookup: key is NULL");
	if (by == BY_GUID && acct__uuid_parse(guid, key) < 0)
		return acct__error_set(ACCT_EINVALID, "guid '%.40s' is not a UUID", key);
	ctx = s->ctx;
	if ((rc = acct__read_begin(ctx)) < 0)
		return rc;
	switch (by) {
	case BY_ID: rq.target = acct__id32(id); break;
	case BY_LOGIN: rq.target = acct__index_find_login(&ctx->ix, key); break;
	case BY_GUID: rq.target = acct__index_find_guid(&ctx->ix, guid); break;
	case BY_EXTERNAL_ID: rq.target = acct__index_find_external_id(&ctx->ix, key); break;
	}
	rc = acct__decide(s, &rq);
	if (rc == ACCT_ENOTFOUND && by != BY_ID) {
		int kind = acct_error_last()->deny_kind;
		rc = acct__error_set(ACCT_ENOTFOUND, "no account with %s '%s'",
		                     by == BY_LOGIN ? "login" : by == BY_GUID ? "guid" : "external id", key);
		acct__error_set_deny_kind(kind);
	}
	if (rc == 0)
		rc = acct__load_record(ctx, rq.target, out);
	acct__read_end(ctx);
	/* Refused reads are audited; successful ones are too many to be worth it. */
	return rc < 0 ? ACCT__AUDIT(s, "account.read", rq.target, rc) : 0;
}

int acct_account_lookup(acct_account **out, acct_session *s, acct_id id)
{
	return lookup(out, s, BY_ID, id, NULL);
}

int acct_account_lookup_login(acct_account **out, acct_session *s, const char *login)
{
	return lookup(out, s, BY_LOGIN, 0, login);
}

int acct_account_lookup_guid(acct_account **out, acct_session *s, const char *guid)
{
	return lookup(out, s, BY_GUID, 0, guid);
}

int acct_account_lookup_external_id(acct_account **out, acct_session *s, const char *external_id)
{
	return lookup(out, s, BY_EXTERNAL_ID, 0, external_id);
}

/* ---- uniqueness ---- */

static int check_unique(const acct__index *ix, uint32_t self, const char *login, const char *ext,
                        const uint8_t *guid)
{
	uint32_t other;

	if (login && (other = acct__index_find_login(ix, login)) && other != self)
		return acct__error_set(ACCT_EEXISTS, "login '%s' already exists", login);
	if (ext && (other = acct__index_find_external_id(ix, ext)) && other != self)
		return acct__error_set(ACCT_EEXISTS, "external id '%s' is already used by another account", ext);
	if (guid && (other = acct__index_find_guid(ix, guid)) && other != self)
		return acct__error_set(ACCT_EEXISTS, "guid is already used by another account");
	return 0;
}

/* ---- add ---- */

/* The permission names an account of `type` gets on creation. */
static int default_perms(acct_ctx *ctx, acct_buf *names, int type)
{
	uint64_t bits = type > 0 && type < 5 ? ctx->cat.defaults[type] : 0;
	size_t i;

	for (i = 0; i < ctx->cat.n; i++) {
		const acct__perm *p = &ctx->cat.perms[i];
		if (p->space == ACCT__SPACE_ACCOUNT && (bits >> p->bit & 1) && acct__names_add(names, p->name) < 0)
			return ACCT_ENOMEM;
	}
	return 0;
}

static int add_locked(acct_session *s, acct_id owner, acct_account *a, char *hash, acct_account *rec)
{
	acct_ctx *ctx = s->ctx;
	acct__request rq = { .op = ACCT__OP_CREATE };
	const char *login = a->fields[ACCT_FIELD_LOGIN], *ext = a->fields[ACCT_FIELD_EXTERNAL_ID];
	uint32_t id;
	size_t i;
	int rc;

	acct__quota q[16];

	rq.target = acct__id32(owner);
	rq.type = a->type;
	/* A new customer counts against its reseller's max_cl. */
	if (a->type == ACCT_TYPE_CUSTOMER && acct__index_has(&ctx->ix, rq.target) &&
	    (rc = acct__quotas_for(ctx, rq.target, NULL, q, &rq.nquotas)) < 0)
		return rc;
	rq.quotas = q;
	if ((rc = acct__decide(s, &rq)) < 0)
		return rc;
	for (i = 0; i < a->ndesc; i++) {
		acct__request d = { .op = ACCT__OP_DESCRIBE, .target = rq.target };
		d.author = (uint32_t)a->desc[i].author;
		if ((rc = acct__decide(s, &d)) < 0)
			return rc;
	}
	if ((rc = check_unique(&ctx->ix, 0, login, ext, a->has_guid ? a->guid : NULL)) < 0)
		return rc;
	/* The stored record is a shallow copy: the caller's object changes only on success. */
	*rec = *a;
	memset(&rec->unknown, 0, sizeof(rec->unknown));
	rec->fields[ACCT_FIELD_PASSWORD] = NULL;
	rec->password_hash = hash;
	rec->owner = rq.target;
	rec->status = 0;
	memset(&rec->perms, 0, sizeof(rec->perms));
	memset(&rec->roles, 0, sizeof(rec->roles));
	if ((rc = default_perms(ctx, &rec->perms, a->type)) < 0)
		return rc;
	acct__account_set_created(rec, acct__now(ctx));
	if (!rec->has_guid) {
		uint8_t g[16];
		do {
			if ((rc = acct__uuid_v4(g)) < 0)
				return rc;
		} while (acct__index_find_guid(&ctx->ix, g));
		acct__account_set_guid(rec, g);
	}
	if ((rc = acct__write_next_id(ctx, &id)) < 0)
		return rc;
	rec->id = id;
	if ((rc = acct__store_record(ctx, rec)) < 0)
		return rc;
	return acct__index_reserve(&ctx->ix, id, strlen(login) + (ext ? strlen(ext) : 0) + 2, 1);
}

int acct_account_add(acct_id *id_out, acct_session *s, acct_id owner, acct_account *a)
{
	acct_account rec;
	acct__record_summary sum;
	char *hash = NULL;
	int rc;

	if (id_out)
		*id_out = 0;
	if ((rc = acct__session_check(s)) < 0)
		return rc;
	if (!a)
		return acct__error_set(ACCT_EINVALID, "acct_account_add: account is NULL");
	if (a->id)
		return acct__error_set(ACCT_EINVALID, "account '%s' is already stored (id %lld); use acct_account_update",
		                       a->fields[ACCT_FIELD_LOGIN] ? a->fields[ACCT_FIELD_LOGIN] : "", (long long)a->id);
	if (!a->fields[ACCT_FIELD_LOGIN])
		return acct__error_set(ACCT_EINVALID, "a new %s needs a login", acct_account_type_name(a->type));
	if (!a->fields[ACCT_FIELD_NAME])
		return acct__error_set(ACCT_EINVALID, "a new %s needs a name", acct_account_type_name(a->type));
	/* scrypt is slow on purpose: hash before taking the lock. */
	if (a->fields[ACCT_FIELD_PASSWORD] &&
	    (rc = acct__password_hash(&hash, a->fields[ACCT_FIELD_PASSWORD], s->ctx->password_cost)) < 0)
		return rc;
	if ((rc = acct__write_begin(s->ctx)) < 0) {
		acct__free_secret(hash);
		return rc;
	}
	memset(&rec, 0, sizeof(rec));
	rc = acct__write_end(s->ctx, add_locked(s, owner, a, hash, &rec));
	if (rc == 0) {
		memset(&sum, 0, sizeof(sum));
		sum.type = rec.type;
		sum.status = 0;
		sum.login = rec.fields[ACCT_FIELD_LOGIN];
		sum.login_len = strlen(sum.login);
		sum.external_id = rec.fields[ACCT_FIELD_EXTERNAL_ID];
		sum.external_id_len = sum.external_id ? strlen(sum.external_id) : 0;
		sum.guid = rec.guid;
		acct__index_put(&s->ctx->ix, (uint32_t)rec.id, &sum, rec.type == ACCT_TYPE_USER ? 0 : s->ctx->cat.defaults[rec.type]);
		acct__index_link(&s->ctx->ix, (uint32_t)rec.id, (uint32_t)rec.owner);
		/* Now the caller's object is the stored account. */
		a->id = rec.id;
		a->owner = rec.owner;
		a->status = 0;
		acct__account_set_created(a, rec.created);
		acct__account_set_guid(a, rec.guid);
		a->changed = 0;
		a->desc_changed = a->guid_changed = 0;
		acct__free_secret(a->fields[ACCT_FIELD_PASSWORD]);
		a->fields[ACCT_FIELD_PASSWORD] = NULL;
		if (id_out)
			*id_out = rec.id;
	}
	acct__write_unlock(s->ctx);
	acct_buf_dispose(&rec.perms);
	acct__free_secret(hash);
	return ACCT__AUDIT(s, "account.add", owner, rc);
}

/* ---- update ---- */

#define LOGIN_FIELDS ((1u << ACCT_FIELD_LOGIN) | (1u << ACCT_FIELD_EXTERNAL_ID))

static int update_locked(acct_session *s, acct_account *a, char *hash, acct_account **stored)
{
	acct_ctx *ctx = s->ctx;
	acct__request rq = { .op = ACCT__OP_EDIT };
	acct_account *cur;
	size_t i;
	int rc;

	rq.target = (uint32_t)a->id;
	if ((rc = acct__decide(s, &rq)) < 0)
		return rc;
	if (a->changed & LOGIN_FIELDS) {
		rq.op = ACCT__OP_EDIT_LOGIN;
		if ((rc = acct__decide(s, &rq)) < 0)
			return rc;
	}
	if ((rc = acct__load_record(ctx, rq.target, &cur)) < 0)
		return rc;
	*stored = cur;
	if (a->desc_changed) {
		/* Every author whose text differs must be allowed to write it. */
		for (i = 0; i < cur->ndesc; i++) {
			const char *mine = acct_account_description(a, cur->desc[i].author);
			if (!mine || strcmp(mine, cur->desc[i].text) != 0) {
				acct__request d = { .op = ACCT__OP_DESCRIBE, .target = rq.target,
				                      .author = (uint32_t)cur->desc[i].author };
				if ((rc = acct__decide(s, &d)) < 0)
					return rc;
			}
		}
		for (i = 0; i < a->ndesc; i++) {
			const char *was = acct_account_description(cur, a->desc[i].author);
			if (!was || strcmp(was, a->desc[i].text) != 0) {
				acct__request d = { .op = ACCT__OP_DESCRIBE, .target = rq.target,
				                      .author = (uint32_t)a->desc[i].author };
				if ((rc = acct__decide(s, &d)) < 0)
					return rc;
			}
		}
	}
	if ((rc = check_unique(&ctx->ix, rq.target, (a->changed >> ACCT_FIELD_LOGIN & 1) ? a->fields[ACCT_FIELD_LOGIN] : NULL,
	                       (a->changed >> ACCT_FIELD_EXTERNAL_ID & 1) ? a->fields[ACCT_FIELD_EXTERNAL_ID] : NULL, NULL)) < 0)
		return rc;
	if ((rc = acct__account_apply(cur, a)) < 0)
		return rc;
	if (hash) {
		acct__free_secret(cur->password_hash);
		cur->password_hash = acct__strdup(hash);
		if (!cur->password_hash)
			return acct__error_oom();
	}
	if ((rc = acct__store_record(ctx, cur)) < 0)
		return rc;
	return acct__index_reserve(&ctx->ix, rq.target,
	                           (cur->fields[ACCT_FIELD_LOGIN] ? strlen(cur->fields[ACCT_FIELD_LOGIN]) : 0) +
	                               (cur->fields[ACCT_FIELD_EXTERNAL_ID] ? strlen(cur->fields[ACCT_FIELD_EXTERNAL_ID]) : 0) + 2,
	                           1);
}

int acct_account_update(acct_session *s, acct_account *a)
{
	acct_account *cur = NULL;
	char *hash = NULL;
	int rc;

	if ((rc = acct__session_check(s)) < 0)
		return rc;
	if (!a || !a->id)
		return acct__error_set(ACCT_EINVALID, "acct_account_update needs a stored account (use acct_account_add for new ones)");
	if (!a->changed && !a->desc_changed)
		return 0;
	if (a->fields[ACCT_FIELD_PASSWORD] &&
	    (rc = acct__password_hash(&hash, a->fields[ACCT_FIELD_PASSWORD], s->ctx->password_cost)) < 0)
		return rc;
	if ((rc = acct__write_begin(s->ctx)) < 0) {
		acct__free_secret(hash);
		return rc;
	}
	rc = acct__write_end(s->ctx, update_locked(s, a, hash, &cur));
	if (rc == 0) {
		uint32_t id = (uint32_t)a->id;
		if (a->changed >> ACCT_FIELD_LOGIN & 1)
			acct__index_set_login(&s->ctx->ix, id, cur->fields[ACCT_FIELD_LOGIN]);
		if (a->changed >> ACCT_FIELD_EXTERNAL_ID & 1)
			acct__index_set_external_id(&s->ctx->ix, id, cur->fields[ACCT_FIELD_EXTERNAL_ID]);
		a->changed = 0;
		a->desc_changed = 0;
		acct__free_secret(a->fields[ACCT_FIELD_PASSWORD]);
		a->fields[ACCT_FIELD_PASSWORD] = NULL;
	}
	acct__write_unlock(s->ctx);
	acct_account_free(cur);
	acct__free_secret(hash);
	return ACCT__AUDIT(s, "account.update", a->id, rc);
}

/* ---- delete ---- */

/* The subtree of `root`, parents before children. */
static int collect_subtree(const acct__index *ix, uint32_t root, uint32_t **ids, size_t *n)
{
	size_t cap = 0, i;
	void *arr = NULL;

	*n = 0;
	if (acct__grow(&arr, &cap, 1, sizeof(uint32_t)) < 0)
		return ACCT_ENOMEM;
	((uint32_t *)arr)[(*n)++] = root;
	for (i = 0; i < *n; i++) {
		uint32_t c;
		for (c = ix->first_child[((uint32_t *)arr)[i]]; c; c = ix->next_sibling[c]) {
			if (acct__grow(&arr, &cap, *n + 1, sizeof(uint32_t)) < 0) {
				acct__free(arr);
				return ACCT_ENOMEM;
			}
			((uint32_t *)arr)[(*n)++] = c;
		}
	}
	*ids = arr;
	return 0;
}

static int delete_locked(acct_session *s, acct_id id, uint32_t **ids, size_t *n)
{
	acct__request rq = { .op = ACCT__OP_DELETE };
	unsigned char key[9];
	size_t i;
	int rc;

	rq.target = acct__id32(id);
	if ((rc = acct__decide(s, &rq)) < 0)
		return rc;
	if ((rc = collect_subtree(&s->ctx->ix, rq.target, ids, n)) < 0)
		return rc;
	for (i = 0; i < *n; i++) {
		acct__key(key, 'a', (*ids)[i]);
		if ((rc = acct__st_del(s->ctx->st, key, sizeof(key))) < 0)
			return rc;
	}
	/* Keys, API logins and reset tokens go with their accounts. */
	return acct__creds_delete_accounts(s->ctx, *ids, *n);
}

int acct_account_delete(acct_session *s, acct_id id)
{
	uint32_t *ids = NULL;
	size_t n = 0, i;
	int rc;

	if ((rc = acct__session_check(s)) < 0)
		return rc;
	if ((rc = acct__write_begin(s->ctx)) < 0)
		return ACCT__AUDIT(s, "account.delete", id, rc);
	rc = acct__write_end(s->ctx, delete_locked(s, id, &ids, &n));
	if (rc == 0) {
		for (i = n; i-- > 0;) { /* children first */
			acct__index_remove(&s->ctx->ix, ids[i]);
			acct__ipuses_drop_account(&s->ctx->ipuse, ids[i]);
		}
		acct__creds_forget_accounts(&s->ctx->creds, &s->ctx->ix);
	}
	acct__write_unlock(s->ctx);
	acct__free(ids);
	return ACCT__AUDIT(s, "account.delete", id, rc);
}

/* ---- status ---- */

enum status_mode { STATUS_SET, STATUS_SUSPEND, STATUS_ACTIVATE };

static int status_locked(acct_session *s, acct_id id, enum status_mode mode, unsigned int value, unsigned int *to)
{
	acct_ctx *ctx = s->ctx;
	acct__request rq = { .op = ACCT__OP_STATUS };
	acct_account *rec;
	unsigned int bit = acct__policy_suspend_bit(&ctx->ix, s->actor);
	int rc;

	rq.target = acct__id32(id);
	rq.status_from = acct__index_has(&ctx->ix, rq.target) ? ctx->ix.status[rq.target] : 0;
	rq.activating = mode == STATUS_ACTIVATE;
	rq.status_to = mode == STATUS_SET ? value : mode == STATUS_SUSPEND ? rq.status_from | bit : rq.status_from & ~bit;
	if ((rc = acct__decide(s, &rq)) < 0)
		return rc;
	*to = rq.status_to;
	if (rq.status_to == rq.status_from)
		return 0;
	if ((rc = acct__load_record(ctx, rq.target, &rec)) < 0)
		return rc;
	rec->status = rq.status_to;
	rc = acct__store_record(ctx, rec);
	acct_account_free(rec);
	return rc;
}

static int change_status(acct_session *s, acct_id id, enum status_mode mode, unsigned int value)
{
	unsigned int to = 0;
	int rc;

	if ((rc = acct__session_check(s)) < 0)
		return rc;
	if ((rc = acct__write_begin(s->ctx)) < 0)
		return ACCT__AUDIT(s, "account.status", id, rc);
	rc = acct__write_end(s->ctx, status_locked(s, id, mode, value, &to));
	if (rc == 0)
		s->ctx->ix.status[id] = (uint16_t)to;
	acct__write_unlock(s->ctx);
	return ACCT__AUDIT(s, "account.status", id, rc);
}

int acct_account_set_status(acct_session *s, acct_id id, unsigned int status)
{
	return change_status(s, id, STATUS_SET, status);
}

int acct_account_suspend(acct_session *s, acct_id id)
{
	return change_status(s, id, STATUS_SUSPEND, 0);
}

int acct_account_activate(acct_session *s, acct_id id)
{
	return change_status(s, id, STATUS_ACTIVATE, 0);
}

int acct_account_effective_status(unsigned int *status_out, acct_session *s, acct_id id)
{
	acct__request rq = { .op = ACCT__OP_READ };
	int rc;

	if (!status_out)
		return acct__error_set(ACCT_EINVALID, "acct_account_effective_status: status_out is NULL");
	*status_out = 0;
	if ((rc = acct__session_check(s)) < 0)
		return rc;
	rq.target = acct__id32(id);
	pthread_rwlock_rdlock(&s->ctx->lock);
	rc = acct__decide(s, &rq);
	if (rc == 0)
		*status_out = acct__index_effective_status(&s->ctx->ix, rq.target);
	pthread_rwlock_unlock(&s->ctx->lock);
	return rc;
}

/* ---- change owner and convert ---- */

/* What a move brings to the new owner: its addresses must be in the new
 * owner's pool, and its limits count in the new owner's sums. */
static int move_facts(acct_ctx *ctx, acct__request *rq, acct__quota *q)
{
	acct_account *x = NULL, *no = NULL;
	size_t i;
	int rc;

	if (!acct__index_has(&ctx->ix, rq->target) || !acct__index_has(&ctx->ix, rq->new_owner) ||
	    ctx->ix.type[rq->target] != ACCT_TYPE_CUSTOMER || ctx->ix.owner[rq->target] == rq->new_owner)
		return 0;
	rc = acct__load_record(ctx, rq->target, &x);
	if (rc == 0)
		rc = acct__load_record(ctx, rq->new_owner, &no);
	for (i = 0; rc == 0 && i < x->nips; i++) {
		if (!acct__ip_find(no, x->ips[i].addr)) {
			/* Copied: the record goes before the policy reads it. */
			if (!(rq->missing_ip = acct__strdup(x->ips[i].addr)))
				rc = acct__error_oom();
			break;
		}
	}
	if (rc == 0) {
		rc = acct__quotas_for(ctx, rq->new_owner, x, q, &rq->nquotas);
		rq->quotas = q;
	}
	acct_account_free(x);
	acct_account_free(no);
	return rc;
}

static int rewrite_locked(acct_session *s, acct__request *rq, int new_type, uint64_t *perms_out)
{
	acct_account *rec;
	acct__quota q[16];
	int rc;

	if (rq->op == ACCT__OP_CHANGE_OWNER && (rc = move_facts(s->ctx, rq, q)) < 0)
		return rc;
	if (rq->op == ACCT__OP_CONVERT) {
		/* A reseller's Partner API logins with reseller roles would outlive what they act for. */
		size_t i;
		for (i = 0; i < s->ctx->creds.n; i++) {
			const acct__cred *c = &s->ctx->creds.v[i];
			rq->reseller_logins += c->kind == ACCT__CRED_APILOGIN && c->account == rq->target &&
			                       c->role >= ACCT_PARTNER_ALL_RESELLER;
		}
	}
	rc = acct__decide(s, rq);
	acct__free((char *)rq->missing_ip);
	rq->missing_ip = NULL;
	rq->quotas = NULL;
	if (rc < 0)
		return rc;
	if ((rc = acct__load_record(s->ctx, rq->target, &rec)) < 0)
		return rc;
	if (rq->op == ACCT__OP_CHANGE_OWNER) {
		rec->owner = rq->new_owner;
	} else {
		/* Permissions are kept (Plesk's custom plan); the new type's defaults are
		 * added and permissions only resellers have are dropped from customers. */
		size_t i;
		rec->type = new_type;
		rc = default_perms(s->ctx, &rec->perms, new_type);
		for (i = 0; rc == 0 && i < s->ctx->cat.n; i++)
			if (new_type == ACCT_TYPE_CUSTOMER && s->ctx->cat.perms[i].reseller_only)
				acct__names_remove(&rec->perms, s->ctx->cat.perms[i].name);
		/* So do max_cl and the resource policy, which only resellers have. */
		if (new_type == ACCT_TYPE_CUSTOMER) {
			acct__limit_del(rec, "max_cl");
			rec->oversell = 0;
			rec->overuse = 0;
		}
		if (rc == 0)
			rc = acct__perm_bits(&s->ctx->cat, &rec->perms, ACCT__SPACE_ACCOUNT, perms_out);
		if (rc < 0) {
			acct_account_free(rec);
			return rc;
		}
	}
	rc = acct__store_record(s->ctx, rec);
	acct_account_free(rec);
	return rc;
}

int acct_account_change_owner(acct_session *s, acct_id id, acct_id new_owner)
{
	acct__request rq = { .op = ACCT__OP_CHANGE_OWNER };
	uint64_t perms;
	int rc;

	if ((rc = acct__session_check(s)) < 0)
		return rc;
	rq.target = acct__id32(id);
	rq.new_owner = acct__id32(new_owner);
	if ((rc = acct__write_begin(s->ctx)) < 0)
		return ACCT__AUDIT(s, "account.change_owner", id, rc);
	rc = acct__write_end(s->ctx, rewrite_locked(s, &rq, 0, &perms));
	(void)perms;
	if (rc == 0 && s->ctx->ix.owner[rq.target] != rq.new_owner) {
		acct__index_unlink(&s->ctx->ix, rq.target);
		acct__index_link(&s->ctx->ix, rq.target, rq.new_owner);
	}
	acct__write_unlock(s->ctx);
	return ACCT__AUDIT(s, "account.change_owner", id, rc);
}

int acct_account_convert(acct_session *s, acct_id id, int to)
{
	acct__request rq = { .op = ACCT__OP_CONVERT };
	uint64_t perms = 0;
	int rc;

	if ((rc = acct__session_check(s)) < 0)
		return rc;
	rq.target = acct__id32(id);
	rq.type = to;
	if ((rc = acct__write_begin(s->ctx)) < 0)
		return ACCT__AUDIT(s, "account.convert", id, rc);
	rc = acct__write_end(s->ctx, rewrite_locked(s, &rq, to, &perms));
	if (rc == 0) {
		s->ctx->ix.perms[rq.target] = perms;
		s->ctx->ix.type[rq.target] = (uint8_t)to;
	}
	acct__write_unlock(s->ctx);
	return ACCT__AUDIT(s, "account.convert", id, rc);
}
