/*
 * Role operations: create, delete, change permissions, describe, list, and
 * give roles to users. Each is one write transaction; the role table and the
 * users' cached role bits change only after the commit.
 */
#include <string.h>
#include "util/util.h"
#include "storage/storage_internal.h"
#include "engine.h"

/* The request for an existing role: the policy needs the role and its owner. */
static int role_request(acct_session *s, acct__request *rq, acct__op op, acct_role_id id)
{
	rq->op = op;
	rq->role = acct__role_get(&s->ctx->roles, acct__id32(id));
	if (!rq->role)
		return acct__error_set(ACCT_ENOTFOUND, "role %lld not found", (long long)id);
	rq->target = rq->role->owner;
	return 0;
}

static int load_role(acct_ctx *ctx, uint32_t id, acct__role_record *rec)
{
	unsigned char key[9];
	acct_buf b = ACCT_BUF_INIT;
	int rc;

	acct__key(key, 'r', id);
	rc = acct__st_get(ctx->st, key, sizeof(key), &b);
	if (rc == ACCT_ENOTFOUND)
		rc = acct__error_set(ACCT_EPARSE, "role %u is in memory but missing from the store", id);
	if (rc == 0)
		rc = acct__role_decode(rec, (const unsigned char *)b.ptr, b.size);
	acct_buf_dispose(&b);
	return rc;
}

static int store_role(acct_ctx *ctx, uint32_t id, const acct__role_record *rec)
{
	unsigned char key[9];
	acct_buf b = ACCT_BUF_INIT;
	int rc;

	acct__key(key, 'r', id);
	rc = acct__role_encode(&b, rec);
	if (rc == 0)
		rc = acct__st_put(ctx->st, key, sizeof(key), b.ptr, b.size);
	acct_buf_dispose(&b);
	return rc;
}

/* ---- create ---- */

int acct_role_create(acct_role_id *id_out, acct_session *s, acct_id owner, const char *name)
{
	acct__request rq = { .op = ACCT__OP_ROLE_CREATE };
	acct__role_record rec;
	acct__role e;
	uint32_t id = 0;
	size_t i;
	int rc;

	if (!id_out)
		return acct__error_set(ACCT_EINVALID, "acct_role_create: id_out is NULL");
	*id_out = 0;
	if ((rc = acct__session_check(s)) < 0)
		return rc;
	if ((rc = acct__validate_text("role name", name, 1, 60)) < 0)
		return rc;
	memset(&e, 0, sizeof(e));
	rq.target = acct__id32(owner);
	if ((rc = acct__write_begin(s->ctx)) < 0)
		return ACCT__AUDIT(s, "role.create", owner, rc);
	rc = acct__decide(s, &rq);
	for (i = 0; rc == 0 && i < s->ctx->roles.n; i++) {
		const acct__role *r = &s->ctx->roles.v[i];
		if ((r->builtin || r->owner == rq.target) && acct__ascii_casecmp(r->name, name) == 0)
			rc = acct__error_set(ACCT_EEXISTS, "a role called '%s' already exists", name);
	}
	if (rc == 0)
		rc = acct__write_next_role_id(s->ctx, &id);
	if (rc == 0) {
		memset(&rec, 0, sizeof(rec));
		rec.owner = rq.target;
		rec.name = (char *)name;
		rc = store_role(s->ctx, id, &rec);
	}
	if (rc == 0) {
		/* Prepare the table entry before the commit, so applying it cannot fail. */
		void *arr = s->ctx->roles.v;
		e.id = id;
		e.owner = rq.target;
		e.editable = 1;
		e.name = acct__strdup(name);
		if (!e.name || acct__grow(&arr, &s->ctx->roles.cap, s->ctx->roles.n + 1, sizeof(acct__role)) < 0)
			rc = acct__error_oom();
		s->ctx->roles.v = arr;
	}
	rc = acct__write_end(s->ctx, rc);
	if (rc == 0) {
		acct__roles_insert(&s->ctx->roles, &e);
		*id_out = id;
	} else {
		acct__free(e.name);
	}
	acct__write_unlock(s->ctx);
	return ACCT__AUDIT(s, "role.create", owner, rc);
}

/* ---- delete ---- */

/* Users holding `role`, found by reading every user's record (rare: role edits). */
static int users_with_role(acct_ctx *ctx, uint32_t role, uint32_t **ids, size_t *n)
{
	void *arr = NULL;
	size_t cap = 0;
	uint32_t id;
	int rc = 0;

	*n = 0;
	for (id = 1; rc == 0 && id < ctx->ix.cap; id++) {
		acct_account *rec;
		if (ctx->ix.type[id] != ACCT_TYPE_USER)
			continue;
		if ((rc = acct__load_record(ctx, id, &rec)) < 0)
			break;
		if (acct__roles_has(&rec->roles, role)) {
			if ((rc = acct__grow(&arr, &cap, *n + 1, sizeof(uint32_t))) == 0)
				((uint32_t *)arr)[(*n)++] = id;
		}
		acct_account_free(rec);
	}
	*ids = arr;
	return rc;
}

int acct_role_delete(acct_session *s, acct_role_id role)
{
	acct__request rq;
	unsigned char key[9];
	uint32_t *users = NULL;
	size_t n = 0;
	int rc;

	memset(&rq, 0, sizeof(rq));
	if ((rc = acct__session_check(s)) < 0)
		return rc;
	if ((rc = acct__write_begin(s->ctx)) < 0)
		return ACCT__AUDIT(s, "role.delete", 0, rc);
	rc = role_request(s, &rq, ACCT__OP_ROLE_DELETE, role);
	if (rc == 0 && !rq.role->builtin)
		rc = users_with_role(s->ctx, rq.role->id, &users, &n);
	rq.role_users = n;
	if (rc == 0)
		rc = acct__decide(s, &rq);
	if (rc == 0) {
		acct__key(key, 'r', rq.role->id);
		rc = acct__st_del(s->ctx->st, key, sizeof(key));
	}
	rc = acct__write_end(s->ctx, rc);
	if (rc == 0)
		acct__roles_erase(&s->ctx->roles, (uint32_t)role);
	acct__write_unlock(s->ctx);
	acct__free(users);
	return ACCT__AUDIT(s, "role.delete", 0, rc);
}

/* ---- permissions of a role ---- */

static uint64_t user_bits(const acct__roles *roles, const acct_buf *ids)
{
	uint64_t bits = 0;
	size_t i;

	for (i = 0; i < acct__roles_count(ids); i++) {
		uint64_t id = acct__roles_at(ids, i);
		const acct__role *r = id < UINT32_MAX ? acct__role_get(roles, (uint32_t)id) : NULL;
		if (r)
			bits |= r->bits;
	}
	return bits;
}

int acct_role_set_permission(acct_session *s, acct_role_id role, const char *permission, int granted)
{
	acct__request rq;
	acct__role_record rec;
	uint32_t *users = NULL;
	uint64_t *bits = NULL, role_bits = 0;
	size_t n = 0, i;
	int rc;

	memset(&rq, 0, sizeof(rq));
	memset(&rec, 0, sizeof(rec));
	if ((rc = acct__session_check(s)) < 0)
		return rc;
	if (!permission)
		return acct__error_set(ACCT_EINVALID, "acct_role_set_permission: permission is NULL");
	if ((rc = acct__write_begin(s->ctx)) < 0)
		return ACCT__AUDIT(s, "role.permission", 0, rc);
	rc = role_request(s, &rq, ACCT__OP_ROLE_PERMISSION, role);
	if (rc == 0) {
		rq.granted = granted != 0;
		rq.perm = acct__perm_find(&s->ctx->cat, permission);
		if (!rq.perm || !rq.perm->catalog)
			rc = acct__error_set(ACCT_ENOTFOUND, "unknown permission '%s'", permission);
	}
	if (rc == 0)
		rc = acct__decide(s, &rq);
	if (rc == 0)
		rc = load_role(s->ctx, rq.role->id, &rec);
	if (rc == 0) {
		if (rq.granted)
			rc = acct__names_add(&rec.perms, rq.perm->name);
		else
			acct__names_remove(&rec.perms, rq.perm->name);
	}
	if (rc == 0)
		rc = acct__perm_bits(&s->ctx->cat, &rec.perms, ACCT__SPACE_ROLE, &role_bits);
	if (rc == 0)
		rc = store_role(s->ctx, rq.role->id, &rec);
	/* Users holding the role: their cached bits are recomputed with the new role. */
	if (rc == 0)
		rc = users_with_role(s->ctx, rq.role->id, &users, &n);
	if (rc == 0 && n && !(bits = acct__calloc(n, sizeof(*bits))))
		rc = acct__error_oom();
	for (i = 0; rc == 0 && i < n; i++) {
		acct_account *u;
		uint64_t saved = ((acct__role *)rq.role)->bits;
		if ((rc = acct__load_record(s->ctx, users[i], &u)) < 0)
			break;
		((acct__role *)rq.role)->bits = role_bits;
		bits[i] = user_bits(&s->ctx->roles, &u->roles);
		((acct__role *)rq.role)->bits = saved;
		acct_account_free(u);
	}
	rc = acct__write_end(s->ctx, rc);
	if (rc == 0) {
		((acct__role *)rq.role)->bits = rq.role->id == ACCT_ROLE_ADMIN ? ~(uint64_t)0 : role_bits;
		for (i = 0; i < n; i++)
			s->ctx->ix.perms[users[i]] = bits[i];
	}
	acct__write_unlock(s->ctx);
	acct__role_clear(&rec);
	acct__free(users);
	acct__free(bits);
	return ACCT__AUDIT(s, "role.permission", 0, rc);
}

int acct_role_get_permission(int *granted_out, acct_session *s, acct_role_id role, const char *permission)
{
	acct__request rq;
	int rc;

	memset(&rq, 0, sizeof(rq));
	if (!granted_out)
		return acct__error_set(ACCT_EINVALID, "acct_role_get_permission: granted_out is NULL");
	*granted_out = 0;
	if ((rc = acct__session_check(s)) < 0)
		return rc;
	if (!permission)
		return acct__error_set(ACCT_EINVALID, "acct_role_get_permission: permission is NULL");
	pthread_rwlock_rdlock(&s->ctx->lock);
	rc = role_request(s, &rq, ACCT__OP_ROLE_READ, role);
	if (rc == 0)
		rc = acct__decide(s, &rq);
	if (rc == 0) {
		const acct__perm *p = acct__perm_find(&s->ctx->cat, permission);
		if (!p || !p->catalog || p->space != ACCT__SPACE_ROLE)
			rc = acct__error_set(ACCT_ENOTFOUND, "unknown role permission '%s'", permission);
		else
			*granted_out = (int)(rq.role->bits >> p->bit & 1);
	}
	pthread_rwlock_unlock(&s->ctx->lock);
	return rc;
}

int acct_role_info(acct_buf *name_out, acct_id *owner_out, int *editable_out, acct_session *s, acct_role_id role)
{
	acct__request rq;
	int rc;

	memset(&rq, 0, sizeof(rq));
	if (owner_out)
		*owner_out = 0;
	if (editable_out)
		*editable_out = 0;
	if ((rc = acct__session_check(s)) < 0)
		return rc;
	pthread_rwlock_rdlock(&s->ctx->lock);
	rc = role_request(s, &rq, ACCT__OP_ROLE_READ, role);
	if (rc == 0)
		rc = acct__decide(s, &rq);
	if (rc == 0 && name_out)
		rc = acct_buf_set(name_out, rq.role->name, strlen(rq.role->name));
	if (rc == 0) {
		if (owner_out)
			*owner_out = rq.role->owner;
		if (editable_out)
			*editable_out = rq.role->editable;
	}
	pthread_rwlock_unlock(&s->ctx->lock);
	return rc;
}

/* ---- iteration ---- */

struct acct_role_iterator {
	acct__ids i;
};

static int iterator_of(acct_role_iterator **out, uint32_t *ids, size_t n)
{
	acct_role_iterator *it = acct__calloc(1, sizeof(*it));

	if (!it) {
		acct__free(ids);
		return acct__error_oom();
	}
	it->i.ids = ids;
	it->i.n = n;
	*out = it;
	return 0;
}

int acct_role_iterator_new(acct_role_iterator **out, acct_session *s, acct_id owner)
{
	acct__request rq = { .op = ACCT__OP_ROLE_CREATE };
	void *arr = NULL;
	size_t cap = 0, n = 0, i;
	int rc;

	if (!out)
		return acct__error_set(ACCT_EINVALID, "acct_role_iterator_new: out is NULL");
	*out = NULL;
	if ((rc = acct__session_check(s)) < 0)
		return rc;
	rq.op = ACCT__OP_READ;
	rq.target = acct__id32(owner);
	pthread_rwlock_rdlock(&s->ctx->lock);
	/* Seeing an owner's roles needs the owner in scope, or being one of its users. */
	if (s->ctx->ix.type[s->actor] == ACCT_TYPE_USER && rq.target == s->ctx->ix.owner[s->actor])
		rq.target = s->actor;
	rc = acct__decide(s, &rq);
	for (i = 0; rc == 0 && i < s->ctx->roles.n; i++) {
		const acct__role *r = &s->ctx->roles.v[i];
		if (!r->builtin && r->owner != acct__id32(owner))
			continue;
		if ((rc = acct__grow(&arr, &cap, n + 1, sizeof(uint32_t))) == 0)
			((uint32_t *)arr)[n++] = r->id;
	}
	pthread_rwlock_unlock(&s->ctx->lock);
	if (rc < 0) {
		acct__free(arr);
		return rc;
	}
	return iterator_of(out, arr, n);
}

int acct_role_iterator_new_user(acct_role_iterator **out, acct_session *s, acct_id user)
{
	acct_account *rec = NULL;
	uint32_t *ids = NULL;
	size_t i, n;
	int rc;

	if (!out)
		return acct__error_set(ACCT_EINVALID, "acct_role_iterator_new_user: out is NULL");
	*out = NULL;
	if ((rc = acct_account_lookup(&rec, s, user)) < 0)
		return rc;
	if (rec->type != ACCT_TYPE_USER) {
		int type = rec->type;
		acct_account_free(rec);
		return acct__error_set(ACCT_EINVALID, "account %lld is a %s; only users have roles", (long long)user,
		                       acct_account_type_name(type));
	}
	n = acct__roles_count(&rec->roles);
	if (n && !(ids = acct__calloc(n, sizeof(*ids)))) {
		acct_account_free(rec);
		return acct__error_oom();
	}
	for (i = 0; i < n; i++)
		ids[i] = (uint32_t)acct__roles_at(&rec->roles, i);
	acct_account_free(rec);
	/* Sorted by id, as promised. */
	for (i = 1; i < n; i++) {
		uint32_t v = ids[i];
		size_t j = i;
		for (; j > 0 && ids[j - 1] > v; j--)
			ids[j] = ids[j - 1];
		ids[j] = v;
	}
	return iterator_of(out, ids, n);
}

int acct_role_iterator_next(acct_role_id *id_out, acct_role_iterator *it)
{
	return acct__ids_next(id_out, it ? &it->i : NULL);
}

void acct_role_iterator_free(acct_role_iterator *it)
{
	acct__ids_free(it ? &it->i : NULL);
}

/* ---- give and take away ---- */

int acct_user_set_role(acct_session *s, acct_id user, acct_role_id role, int assigned)
{
	acct__request rq;
	acct_account *rec = NULL;
	uint64_t bits = 0;
	int rc;

	memset(&rq, 0, sizeof(rq));
	if ((rc = acct__session_check(s)) < 0)
		return rc;
	if ((rc = acct__write_begin(s->ctx)) < 0)
		return ACCT__AUDIT(s, "user.role", user, rc);
	rq.op = ACCT__OP_ROLE_ASSIGN;
	rq.target = acct__id32(user);
	rq.granted = assigned != 0;
	rq.role = acct__role_get(&s->ctx->roles, acct__id32(role));
	if (!rq.role)
		rc = acct__error_set(ACCT_ENOTFOUND, "role %lld not found", (long long)role);
	if (rc == 0)
		rc = acct__decide(s, &rq);
	if (rc == 0)
		rc = acct__load_record(s->ctx, rq.target, &rec);
	if (rc == 0) {
		if (rq.granted)
			rc = acct__roles_add(&rec->roles, rq.role->id);
		else
			acct__roles_remove(&rec->roles, rq.role->id);
	}
	if (rc == 0) {
		bits = user_bits(&s->ctx->roles, &rec->roles);
		rc = acct__store_record(s->ctx, rec);
	}
	rc = acct__write_end(s->ctx, rc);
	if (rc == 0)
		s->ctx->ix.perms[rq.target] = bits;
	acct__write_unlock(s->ctx);
	acct_account_free(rec);
	return ACCT__AUDIT(s, "user.role", user, rc);
}
