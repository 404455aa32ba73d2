/*
 * The role table: every role of the store in memory, sorted by id, with its
 * permissions as role-space bits. Loaded with the index, swapped with it.
 * Store keys: "r" + 8-byte big-endian id -> role record; "q" next role id.
 */
#include <string.h>
#include "util/util.h"
#include "storage/storage_internal.h"
#include "engine.h"

void acct__roles_free(acct__roles *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		acct__free(r->v[i].name);
	acct__free(r->v);
	memset(r, 0, sizeof(*r));
}

const acct__role *acct__role_get(const acct__roles *r, uint32_t id)
{
	size_t lo = 0, hi = r->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (r->v[mid].id == id)
			return &r->v[mid];
		if (r->v[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Fill a table entry from a decoded record. The Admin role holds every role permission. */
int acct__role_entry(acct_ctx *ctx, acct__role *e, uint32_t id, const acct__role_record *rec)
{
	size_t nb;
	const acct__role_builtin *b = acct__role_builtins(&nb);

	memset(e, 0, sizeof(*e));
	e->id = id;
	e->owner = (uint32_t)rec->owner;
	e->builtin = id <= nb;
	e->editable = e->builtin ? b[id - 1].editable : 1;
	if (id == ACCT_ROLE_ADMIN)
		e->bits = ~(uint64_t)0;
	else if (acct__perm_bits(&ctx->cat, &rec->perms, ACCT__SPACE_ROLE, &e->bits) < 0)
		return ACCT_ELIMIT;
	e->name = acct__strdup(rec->name);
	return e->name ? 0 : acct__error_oom();
}

/* Insert keeping the order by id (new roles have the highest id: an append). */
int acct__roles_insert(acct__roles *r, const acct__role *e)
{
	void *arr = r->v;
	size_t i;

	if (acct__grow(&arr, &r->cap, r->n + 1, sizeof(*r->v)) < 0)
		return ACCT_ENOMEM;
	r->v = arr;
	for (i = r->n; i > 0 && r->v[i - 1].id > e->id; i--)
		r->v[i] = r->v[i - 1];
	r->v[i] = *e;
	r->n++;
	if (e->id >= r->next_id)
		r->next_id = e->id + 1;
	return 0;
}

void acct__roles_erase(acct__roles *r, uint32_t id)
{
	acct__role *e = (acct__role *)acct__role_get(r, id);
	size_t i;

	if (!e)
		return;
	i = (size_t)(e - r->v);
	acct__free(e->name);
	memmove(&r->v[i], &r->v[i + 1], (r->n - i - 1) * sizeof(*r->v));
	r->n--;
}

int acct__roles_load(acct_ctx *ctx, acct__roles *out)
{
	acct_storage_iterator *it = NULL;
	acct_buf k = ACCT_BUF_INIT, v = ACCT_BUF_INIT;
	static const unsigned char prefix[] = "r";
	int rc;

	memset(out, 0, sizeof(*out));
	out->next_id = 1;
	rc = acct__st_iterate(&it, ctx->st, prefix, 1);
	while (rc == 0 && (rc = acct__st_next(it, &k, &v)) == 0) {
		acct__role_record rec;
		acct__role e;
		uint64_t id = 0;

		if ((rc = acct__key_id(&id, &k)) < 0)
			break;
		if (id == 0 || id >= UINT32_MAX) {
			rc = acct__error_set(ACCT_EPARSE, "store holds a role with id %llu, out of range", (unsigned long long)id);
			break;
		}
		if ((rc = acct__role_decode(&rec, (const unsigned char *)v.ptr, v.size)) < 0)
			break;
		rc = acct__role_entry(ctx, &e, (uint32_t)id, &rec);
		acct__role_clear(&rec);
		if (rc == 0 && (rc = acct__roles_insert(out, &e)) < 0)
			acct__free(e.name);
	}
	if (rc == ACCT_ITEROVER)
		rc = 0;
	acct__st_iter_free(it);
	acct_buf_dispose(&k);
	acct_buf_dispose(&v);
	if (rc < 0)
		acct__roles_free(out);
	return rc;
}

int acct__roles_init_store(acct_ctx *ctx)
{
	size_t n, i;
	const acct__role_builtin *b = acct__role_builtins(&n);
	acct_buf val = ACCT_BUF_INIT;
	int rc = 0;

	for (i = 0; rc == 0 && i < n; i++) {
		acct__role_record rec;
		unsigned char key[9];
		size_t j;

		memset(&rec, 0, sizeof(rec));
		rec.owner = 1;
		rec.name = (char *)b[i].name;
		for (j = 0; b[i].perms && b[i].perms[j] && rc == 0; j++)
			rc = acct__names_add(&rec.perms, b[i].perms[j]);
		if (rc == 0)
			rc = acct__role_encode(&val, &rec);
		acct__key(key, 'r', i + 1);
		if (rc == 0)
			rc = acct__st_put(ctx->st, key, sizeof(key), val.ptr, val.size);
		acct_buf_dispose(&rec.perms);
	}
	acct_buf_dispose(&val);
	return rc;
}
