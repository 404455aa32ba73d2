/*
 * The context: opening a store (initialising an empty one), loading the
 * hierarchy index, the generation key, and the transaction brackets every
 * operation uses.
 *
 * Store layout (private to libacct): "v" format version, "g" generation,
 * "n" next id, "a" + 8-byte big-endian id -> account record, "q" next role
 * id, "r" + 8-byte big-endian id -> role record.
 */
#include <stdio.h>
#include <stddef.h>
#include <string.h>
#include <time.h>
#include "util/util.h"
#include "crypto/crypto.h"
#include "storage/storage_internal.h"
#include "engine.h"

#define STORE_FORMAT 1

static const unsigned char KEY_VERSION[] = "v", KEY_GEN[] = "g", KEY_NEXT[] = "n", KEY_NEXT_ROLE[] = "q",
                           PREFIX_ACCOUNT[] = "a";

int acct_ctx_options_init(acct_ctx_options *opts, unsigned int version)
{
	acct_ctx_options init = ACCT_CTX_OPTIONS_INIT;

	if (!opts || version == 0 || version > ACCT_CTX_OPTIONS_VERSION)
		return acct__error_set(ACCT_EINVALID, "acct_ctx_options version %u is not supported (1..%d)", version,
		                       ACCT_CTX_OPTIONS_VERSION);
	/* A version 1 caller's struct ends before the version 2 fields. */
	memcpy(opts, &init, version == 1 ? offsetof(acct_ctx_options, auth_cache_seconds) : sizeof(init));
	opts->version = version;
	return 0;
}

int64_t acct__now(const acct_ctx *ctx)
{
	return ctx->clock ? ctx->clock(ctx->clock_payload) : (int64_t)time(NULL);
}

void acct__key(unsigned char key[9], char prefix, uint64_t id)
{
	key[0] = (unsigned char)prefix;
	acct__be64_put(key + 1, id);
}

int acct__key_id(uint64_t *id, const acct_buf *key)
{
	if (key->size != 9)
		return acct__error_set(ACCT_EPARSE, "store holds a malformed key under '%c'", key->size ? key->ptr[0] : '?');
	*id = acct__be64_get((const unsigned char *)key->ptr + 1);
	return 0;
}

int acct__counter_get(acct_ctx *ctx, const unsigned char *key, uint64_t *v)
{
	acct_buf b = ACCT_BUF_INIT;
	int rc = acct__st_get(ctx->st, key, 1, &b);

	*v = 0;
	if (rc == ACCT_ENOTFOUND)
		return 0;
	if (rc == 0 && b.size != 8)
		rc = acct__error_set(ACCT_EPARSE, "store key '%c' is corrupt (%zu bytes, expected 8)", key[0], b.size);
	if (rc == 0)
		*v = acct__be64_get((const unsigned char *)b.ptr);
	acct_buf_dispose(&b);
	return rc;
}

int acct__counter_put(acct_ctx *ctx, const unsigned char *key, uint64_t v)
{
	unsigned char be[8];

	acct__be64_put(be, v);
	return acct__st_put(ctx->st, key, 1, be, 8);
}

int acct__ctx_read_gen(acct_ctx *ctx, uint64_t *gen)
{
	return acct__counter_get(ctx, KEY_GEN, gen);
}

int acct__load_record(acct_ctx *ctx, uint32_t id, acct_account **out)
{
	unsigned char key[9];
	acct_buf b = ACCT_BUF_INIT;
	int rc;

	*out = NULL;
	acct__key(key, 'a', id);
	rc = acct__st_get(ctx->st, key, sizeof(key), &b);
	if (rc == ACCT_ENOTFOUND)
		rc = acct__error_set(ACCT_EPARSE, "account %u is in the index but its record is missing from the store", id);
	if (rc == 0)
		rc = acct__record_decode(out, (const unsigned char *)b.ptr, b.size);
	if (rc == 0)
		(*out)->id = id;
	acct_buf_dispose(&b);
	return rc;
}

int acct__store_record(acct_ctx *ctx, const acct_account *a)
{
	unsigned char key[9];
	acct_buf b = ACCT_BUF_INIT;
	int rc;

	acct__key(key, 'a', (uint64_t)a->id);
	rc = acct__record_encode(&b, a);
	if (rc == 0)
		rc = acct__st_put(ctx->st, key, sizeof(key), b.ptr, b.size);
	acct_buf_dispose(&b);
	return rc;
}

/* Collects what a record scan reports: account permission bits and role bits. */
typedef struct scan_state {
	acct_ctx *ctx;
	const acct__roles *roles;
	acct__ipuses *ipuse;
	uint32_t id;
	int admin;
	uint64_t account_bits, role_bits;
	int failed;
} scan_state;

static void scan_perm(void *arg, const char *name, size_t len)
{
	scan_state *st = arg;
	const acct__perm *p;
	char tmp[256];
	int bit;

	memcpy(tmp, name, len); /* len <= 255, checked by the scanner */
	tmp[len] = '\0';
	p = acct__perm_find(&st->ctx->cat, tmp);
	if (p && p->space != ACCT__SPACE_ACCOUNT)
		return;
	bit = p ? p->bit : acct__perm_bit_seen(&st->ctx->cat, name, len, ACCT__SPACE_ACCOUNT);
	if (bit < 0)
		st->failed = 1;
	else
		st->account_bits |= (uint64_t)1 << bit;
}

static void scan_ip(void *arg, const char *addr, int type)
{
	scan_state *st = arg;

	if (!st->admin && acct__ipuses_add(st->ipuse, addr, st->id, type) < 0)
		st->failed = 1;
}

static void scan_role(void *arg, uint64_t id)
{
	scan_state *st = arg;
	const acct__role *r = id < UINT32_MAX ? acct__role_get(st->roles, (uint32_t)id) : NULL;

	if (r)
		st->role_bits |= r->bits;
}

/* Build a fresh index and role table from the store (inside an open transaction) and swap them in. */
int acct__ctx_load(acct_ctx *ctx)
{
	acct__index ix;
	acct__roles roles;
	acct__ipuses ipuse;
	acct__creds creds;
	scan_state st;
	acct_storage_iterator *it = NULL;
	acct_buf k = ACCT_BUF_INIT, v = ACCT_BUF_INIT;
	uint64_t next = 0, gen = 0, next_role = 0;
	uint32_t id;
	int rc;

	memset(&roles, 0, sizeof(roles));
	memset(&ipuse, 0, sizeof(ipuse));
	rc = acct__index_init(&ix);
	if (rc == 0)
		rc = acct__roles_load(ctx, &roles);
	if (rc == 0)
		rc = acct__counter_get(ctx, KEY_NEXT, &next);
	if (rc == 0)
		rc = acct__counter_get(ctx, KEY_GEN, &gen);
	if (rc == 0)
		rc = acct__st_iterate(&it, ctx->st, PREFIX_ACCOUNT, 1);
	while (rc == 0 && (rc = acct__st_next(it, &k, &v)) == 0) {
		acct__record_summary sum;
		uint64_t kid = 0;

		if ((rc = acct__key_id(&kid, &k)) < 0)
			break;
		if (kid == 0 || kid >= UINT32_MAX - 1) {
			rc = acct__error_set(ACCT_EPARSE, "store holds an account with id %llu, out of range",
			                     (unsigned long long)kid);
			break;
		}
		id = (uint32_t)kid;
		memset(&st, 0, sizeof(st));
		st.ctx = ctx;
		st.roles = &roles;
		st.ipuse = &ipuse;
		st.id = id;
		st.admin = id == 1;
		sum.perm = scan_perm;
		sum.role = scan_role;
		sum.ip = scan_ip;
		sum.arg = &st;
		rc = acct__record_scan(&sum, (const unsigned char *)v.ptr, v.size);
		if (rc == 0 && st.failed)
			rc = acct__error_set(ACCT_ELIMIT, "account %u: too many distinct permissions, or no memory for its IP pool", id);
		if (rc == 0 && (!sum.login || sum.login_len == 0))
			rc = acct__error_set(ACCT_EPARSE, "account %u has no login", id);
		if (rc == 0 && sum.owner >= UINT32_MAX)
			rc = acct__error_set(ACCT_EPARSE, "account %u has an owner id out of range", id);
		if (rc == 0)
			rc = acct__index_reserve(&ix, id, sum.login_len + sum.external_id_len + 2, 1);
		if (rc < 0) {
			acct__error_prefix("loading account %u", id);
			break;
		}
		acct__index_put(&ix, id, &sum, sum.type == ACCT_TYPE_USER ? st.role_bits : st.account_bits);
		ix.owner[id] = (uint32_t)sum.owner; /* linked below, once every owner is known */
	}
	if (rc == ACCT_ITEROVER)
		rc = 0;
	acct__st_iter_free(it);
	acct_buf_dispose(&k);
	acct_buf_dispose(&v);
	for (id = 1; rc == 0 && id < ix.cap; id++) {
		uint32_t owner = ix.owner[id];
		if (!ix.type[id])
			continue;
		if (id == 1 && ix.type[id] != ACCT_TYPE_ADMIN) {
			rc = acct__error_set(ACCT_EPARSE, "account 1 is a %s, not the administrator",
			                     acct_account_type_name(ix.type[id]));
			break;
		}
		if (id != 1 && ix.type[id] == ACCT_TYPE_ADMIN) {
			rc = acct__error_set(ACCT_EPARSE, "account %u claims to be a second administrator", id);
			break;
		}
		if ((ix.type[id] == ACCT_TYPE_ADMIN) != (owner == 0) || (owner && !acct__index_has(&ix, owner))) {
			rc = acct__error_set(ACCT_EPARSE, "account %u has owner %u, which does not exist", id, owner);
			break;
		}
		/* The type rules also make cycles impossible: owners are always of a higher rank. */
		if (owner && !acct__policy_may_own(ix.type[owner], ix.type[id])) {
			rc = acct__error_set(ACCT_EPARSE, "account %u (a %s) is owned by account %u, a %s, which cannot own it", id,
			                     acct_account_type_name(ix.type[id]), owner, acct_account_type_name(ix.type[owner]));
			break;
		}
		ix.owner[id] = 0;
		acct__index_link(&ix, id, owner);
	}
	if (rc == 0 && !acct__index_has(&ix, 1))
		rc = acct__error_set(ACCT_EPARSE, "the store has no administrator (account 1)");
	if (rc == 0)
		rc = acct__counter_get(ctx, KEY_NEXT_ROLE, &next_role);
	if (rc < 0) {
		acct__index_free(&ix);
		acct__roles_free(&roles);
		acct__ipuses_free(&ipuse);
		return rc;
	}
	if ((rc = acct__creds_load(ctx, &creds)) < 0) {
		acct__index_free(&ix);
		acct__roles_free(&roles);
		acct__ipuses_free(&ipuse);
		return rc;
	}
	acct__creds_free(&ctx->creds);
	ctx->creds = creds;
	acct__ipuses_free(&ctx->ipuse);
	ctx->ipuse = ipuse;
	if (next_role > roles.next_id && next_role < UINT32_MAX)
		roles.next_id = (uint32_t)next_role;
	acct__roles_free(&ctx->roles);
	ctx->roles = roles;
	if (next > ix.next_id)
		ix.next_id = (uint32_t)(next < UINT32_MAX - 1 ? next : UINT32_MAX - 1);
	acct__index_free(&ctx->ix);
	ctx->ix = ix;
	/* The index points at itself through the tables' owner pointers. */
	ctx->ix.by_login.owner = ctx->ix.by_guid.owner = ctx->ix.by_external_id.owner = &ctx->ix;
	ctx->gen = gen;
	return 0;
}

/* Create the administrator in an empty store (inside a write transaction). */
static int init_store(acct_ctx *ctx, const acct_ctx_options *opts)
{
	acct_account *admin;
	uint8_t guid[16];
	unsigned char ver = STORE_FORMAT;
	int rc;

	if (!opts || !opts->admin_login || !opts->admin_password)
		return acct__error_set(ACCT_EINVALID,
		                       "the store is empty: give admin_login and admin_password to initialise it");
	admin = acct__account_alloc(ACCT_TYPE_ADMIN);
	if (!admin)
		return acct__error_oom();
	rc = acct_account_set(admin, ACCT_FIELD_LOGIN, opts->admin_login);
	if (rc == 0)
		rc = acct_account_set(admin, ACCT_FIELD_PASSWORD, opts->admin_password);
	if (rc < 0)
		acct__error_prefix("administrator");
	if (rc == 0)
		rc = acct_account_set(admin, ACCT_FIELD_NAME, "Administrator");
	if (rc == 0)
		rc = acct__password_hash(&admin->password_hash, opts->admin_password, ctx->password_cost);
	if (rc == 0)
		rc = acct__uuid_v4(guid);
	if (rc == 0) {
		acct__account_set_guid(admin, guid);
		acct__account_set_created(admin, acct__now(ctx));
		admin->id = 1;
		rc = acct__store_record(ctx, admin);
	}
	if (rc == 0)
		rc = acct__st_put(ctx->st, KEY_VERSION, 1, &ver, 1);
	if (rc == 0)
		rc = acct__counter_put(ctx, KEY_NEXT, 2);
	if (rc == 0)
		rc = acct__roles_init_store(ctx);
	if (rc == 0)
		rc = acct__counter_put(ctx, KEY_NEXT_ROLE, 5);
	if (rc == 0)
		rc = acct__counter_put(ctx, KEY_GEN, 1);
	acct_account_free(admin);
	return rc;
}

/* Is the store empty, a libacct store, or something else? 1 empty, 0 ours. */
static int probe(acct_ctx *ctx, int *empty)
{
	acct_buf b = ACCT_BUF_INIT;
	acct_storage_iterator *it = NULL;
	int rc = acct__st_get(ctx->st, KEY_VERSION, 1, &b);

	*empty = 0;
	if (rc == 0) {
		if (b.size != 1)
			rc = acct__error_set(ACCT_EPARSE, "the store's format version key is corrupt");
		else if ((unsigned char)b.ptr[0] > STORE_FORMAT)
			rc = acct__error_set(ACCT_EVERSION, "the store has format %u; this libacct reads format %d (upgrade libacct)",
			                     (unsigned char)b.ptr[0], STORE_FORMAT);
	} else if (rc == ACCT_ENOTFOUND) {
		acct_buf k = ACCT_BUF_INIT;
		rc = acct__st_iterate(&it, ctx->st, NULL, 0);
		if (rc == 0) {
			rc = acct__st_next(it, &k, &b);
			if (rc == ACCT_ITEROVER) {
				*empty = 1;
				rc = 0;
			} else if (rc == 0) {
				rc = acct__error_set(ACCT_EPARSE, "the store is not empty but holds no libacct data");
			}
		}
		acct__st_iter_free(it);
		acct_buf_dispose(&k);
	}
	acct_buf_dispose(&b);
	return rc;
}

static int open_store(acct_ctx *ctx, const acct_ctx_options *opts)
{
	int rc, empty;

	rc = acct__st_begin(ctx->st, 0);
	if (rc < 0)
		return rc;
	rc = probe(ctx, &empty);
	if (rc == 0 && !empty)
		rc = acct__ctx_load(ctx);
	if (rc < 0 || empty) {
		acct__st_rollback(ctx->st);
		if (rc < 0)
			return rc;
		/* Initialise under a write transaction; probe again in case another process won. */
		rc = acct__st_begin(ctx->st, 1);
		if (rc < 0)
			return rc;
		rc = probe(ctx, &empty);
		if (rc == 0 && empty)
			rc = init_store(ctx, opts);
		if (rc == 0)
			rc = acct__ctx_load(ctx);
		if (rc == 0 && (rc = acct__st_commit(ctx->st)) == 0)
			return 0;
		acct__st_rollback(ctx->st);
		return rc;
	}
	rc = acct__st_commit(ctx->st);
	if (rc < 0)
		acct__st_rollback(ctx->st);
	return rc;
}

int acct_ctx_new(acct_ctx **out, acct_storage *storage, const acct_ctx_options *opts)
{
	acct_ctx *ctx;
	int rc;

	if (!out)
		return acct__error_set(ACCT_EINVALID, "acct_ctx_new: out is NULL");
	*out = NULL;
	if ((rc = acct__storage_check(storage)) < 0)
		return rc;
	if (opts && (opts->version == 0 || opts->version > ACCT_CTX_OPTIONS_VERSION))
		return acct__error_set(ACCT_EINVALID, "acct_ctx_options version %u is not supported (1..%d)", opts->version,
		                       ACCT_CTX_OPTIONS_VERSION);
	if (opts && (opts->lockout_attempts < -1 || opts->lockout_window < 0 || opts->lockout_duration < 0))
		return acct__error_set(ACCT_EINVALID, "lockout settings must be positive (or 0 for the defaults; attempts -1 turns lockout off)");
	if (opts && opts->version >= 2 && opts->auth_cache_seconds < 0)
		return acct__error_set(ACCT_EINVALID, "auth_cache_seconds must be 0 (off) or positive");
	if (opts && (opts->password_cost < 0 || opts->password_cost > 20))
		return acct__error_set(ACCT_EINVALID, "password_cost %d is out of range (1..20, or 0 for the default)",
		                       opts->password_cost);
	ctx = acct__calloc(1, sizeof(*ctx));
	if (!ctx)
		return acct__error_oom();
	ctx->st = storage;
	ctx->password_cost = opts && opts->password_cost ? opts->password_cost : ACCT__PASSWORD_COST_DEFAULT;
	ctx->clock = opts ? opts->clock : NULL;
	ctx->clock_payload = opts ? opts->clock_payload : NULL;
	if (pthread_rwlock_init(&ctx->lock, NULL) != 0) {
		acct__free(ctx);
		return acct__error_set(ACCT_ERROR, "cannot create the context lock");
	}
	if (pthread_mutex_init(&ctx->st_lock, NULL) != 0) {
		pthread_rwlock_destroy(&ctx->lock);
		acct__free(ctx);
		return acct__error_set(ACCT_ERROR, "cannot create the storage lock");
	}
	if (pthread_mutex_init(&ctx->agent_mu, NULL) != 0) {
		pthread_mutex_destroy(&ctx->st_lock);
		pthread_rwlock_destroy(&ctx->lock);
		acct__free(ctx);
		return acct__error_set(ACCT_ERROR, "cannot create the agent settings lock");
	}
	rc = acct__authcache_init(&ctx->authcache, opts && opts->version >= 2 ? opts->auth_cache_seconds : 0);
	if (rc == 0)
		rc = acct__index_init(&ctx->ix);
	if (rc == 0)
		rc = acct__catalogs_init(&ctx->cat);
	if (rc == 0)
		rc = acct__lockout_init(&ctx->lockout, opts);
	if (rc == 0)
		rc = acct__password_hash(&ctx->dummy_hash, "not a password", ctx->password_cost);
	if (rc == 0)
		rc = open_store(ctx, opts);
	if (rc < 0) {
		ctx->st = NULL; /* the caller keeps the backend */
		acct_ctx_free(ctx);
		return rc;
	}
	*out = ctx;
	return 0;
}

void acct_ctx_free(acct_ctx *ctx)
{
	if (!ctx)
		return;
	if (ctx->st)
		ctx->st->free(ctx->st);
	acct__index_free(&ctx->ix);
	acct__roles_free(&ctx->roles);
	acct__ipuses_free(&ctx->ipuse);
	acct__creds_free(&ctx->creds);
	acct__catalogs_free(&ctx->cat);
	acct__free(ctx->dummy_hash);
	acct__lockout_free(&ctx->lockout);
	pthread_mutex_destroy(&ctx->agent_mu);
	acct__authcache_free(&ctx->authcache);
	pthread_mutex_destroy(&ctx->st_lock);
	pthread_rwlock_destroy(&ctx->lock);
	acct__free(ctx);
}

/* Called with the write lock held and a transaction open. */
static int sync_index(acct_ctx *ctx, uint64_t *gen)
{
	int rc = acct__ctx_read_gen(ctx, gen);

	if (rc == 0 && *gen != ctx->gen)
		rc = acct__ctx_load(ctx);
	return rc;
}

/* One read attempt: the shared lock, the backend's turn, a read transaction
 * and the store's generation. Holds all three on success, nothing on failure. */
static int read_open(acct_ctx *ctx, uint64_t *gen)
{
	int rc;

	pthread_rwlock_rdlock(&ctx->lock);
	pthread_mutex_lock(&ctx->st_lock);
	rc = acct__st_begin(ctx->st, 0);
	if (rc == 0 && (rc = acct__ctx_read_gen(ctx, gen)) < 0)
		acct__st_rollback(ctx->st);
	if (rc < 0) {
		pthread_mutex_unlock(&ctx->st_lock);
		pthread_rwlock_unlock(&ctx->lock);
	}
	return rc;
}

int acct_ctx_refresh(acct_ctx *ctx)
{
	uint64_t gen;
	int rc, same;

	if (!ctx)
		return acct__error_set(ACCT_EINVALID, "acct_ctx_refresh: ctx is NULL");
	/* Usually nothing moved: check that under the shared lock, so a server
	 * refreshing per request does not stall every reader. */
	if ((rc = read_open(ctx, &gen)) < 0)
		return rc;
	same = gen == ctx->gen;
	acct__read_end(ctx);
	if (same)
		return 0;
	pthread_rwlock_wrlock(&ctx->lock);
	rc = acct__st_begin(ctx->st, 0);
	if (rc == 0) {
		rc = sync_index(ctx, &gen);
		if (rc == 0)
			rc = acct__st_commit(ctx->st);
		if (rc < 0)
			acct__st_rollback(ctx->st);
	}
	pthread_rwlock_unlock(&ctx->lock);
	return rc;
}

int acct__write_begin(acct_ctx *ctx)
{
	uint64_t gen;
	int rc;

	pthread_rwlock_wrlock(&ctx->lock);
	rc = acct__st_begin(ctx->st, 1);
	if (rc < 0) {
		pthread_rwlock_unlock(&ctx->lock);
		return rc;
	}
	/* Reading then bumping the generation first makes writers on one shared
	 * store serialize, and tells this context if the index is stale. */
	rc = sync_index(ctx, &gen);
	if (rc == 0)
		rc = acct__counter_put(ctx, KEY_GEN, gen + 1);
	if (rc < 0) {
		acct__st_rollback(ctx->st);
		pthread_rwlock_unlock(&ctx->lock);
	}
	return rc;
}

int acct__write_end(acct_ctx *ctx, int rc)
{
	if (rc == 0) {
		rc = acct__st_commit(ctx->st);
		if (rc == 0)
			ctx->gen++;
	}
	if (rc < 0)
		acct__st_rollback(ctx->st);
	return rc;
}

int acct__write_next_role_id(acct_ctx *ctx, uint32_t *id)
{
	if (ctx->roles.next_id >= UINT32_MAX - 2)
		return acct__error_set(ACCT_ELIMIT, "role ids are exhausted");
	*id = ctx->roles.next_id;
	return acct__counter_put(ctx, KEY_NEXT_ROLE, (uint64_t)*id + 1);
}

int acct__write_next_id(acct_ctx *ctx, uint32_t *id)
{
	if (ctx->ix.next_id >= UINT32_MAX - 2)
		return acct__error_set(ACCT_ELIMIT, "account ids are exhausted");
	*id = ctx->ix.next_id;
	return acct__counter_put(ctx, KEY_NEXT, (uint64_t)*id + 1);
}

int acct__read_begin(acct_ctx *ctx)
{
	int attempt, rc = 0;

	for (attempt = 0; attempt < 2; attempt++) {
		uint64_t gen;

		if ((rc = read_open(ctx, &gen)) < 0)
			return rc;
		if (gen == ctx->gen || attempt == 1)
			return 0;
		acct__read_end(ctx);
		/* Another process wrote: bring the index up to date, then read again. */
		if ((rc = acct_ctx_refresh(ctx)) < 0)
			return rc;
	}
	return rc;
}

void acct__read_end(acct_ctx *ctx)
{
	/* Ending a read must not wipe the reason an operation failed. */
	acct__error_saved sv;

	acct__error_save(&sv);
	if (acct__st_commit(ctx->st) < 0)
		acct__st_rollback(ctx->st);
	acct__error_restore(&sv);
	pthread_mutex_unlock(&ctx->st_lock);
	pthread_rwlock_unlock(&ctx->lock);
}

uint64_t acct_ctx_generation(acct_ctx *ctx)
{
	uint64_t g;

	if (!ctx)
		return 0;
	pthread_rwlock_rdlock(&ctx->lock);
	g = ctx->gen;
	pthread_rwlock_unlock(&ctx->lock);
	return g;
}

size_t acct_ctx_account_count(acct_ctx *ctx)
{
	size_t n;

	if (!ctx)
		return 0;
	pthread_rwlock_rdlock(&ctx->lock);
	n = ctx->ix.count;
	pthread_rwlock_unlock(&ctx->lock);
	return n;
}

size_t acct_ctx_index_bytes(acct_ctx *ctx)
{
	size_t n;

	if (!ctx)
		return 0;
	pthread_rwlock_rdlock(&ctx->lock);
	n = acct__index_bytes(&ctx->ix);
	pthread_rwlock_unlock(&ctx->lock);
	return n;
}

void acct__write_unlock(acct_ctx *ctx)
{
	pthread_rwlock_unlock(&ctx->lock);
}
