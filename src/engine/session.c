/* Sessions: password login (scrypt verify outside every lock) and trusted open-as. */
#include <stdio.h>
#include <string.h>
#include "util/util.h"
#include "crypto/crypto.h"
#include <openssl/crypto.h>
#include "engine.h"

static int session_new(acct_session **out, acct_ctx *ctx, uint32_t id)
{
	acct_session *s = acct__calloc(1, sizeof(*s));

	if (!s)
		return acct__error_oom();
	s->ctx = ctx;
	s->actor = id;
	*out = s;
	return 0;
}

/* Under the read lock: is `id` still allowed in? Then make the session. */
static int admit(acct_session **out, acct_ctx *ctx, uint32_t id)
{
	int rc;

	pthread_rwlock_rdlock(&ctx->lock);
	rc = acct__policy_login(&ctx->ix, id);
	pthread_rwlock_unlock(&ctx->lock);
	return rc < 0 ? rc : session_new(out, ctx, id);
}

int acct__authcache_init(acct__authcache *c, int ttl)
{
	memset(c->slots, 0, sizeof(c->slots));
	c->ttl = ttl;
	c->refreshed = 0;
	if (pthread_mutex_init(&c->mu, NULL) != 0)
		return acct__error_set(ACCT_ERROR, "cannot create the login cache lock");
	c->ready = 1;
	return ttl > 0 ? acct__random_bytes(c->key, sizeof(c->key)) : 0;
}

void acct__authcache_free(acct__authcache *c)
{
	OPENSSL_cleanse(c->slots, sizeof(c->slots));
	OPENSSL_cleanse(c->key, sizeof(c->key));
	if (c->ready)
		pthread_mutex_destroy(&c->mu);
	c->ready = 0;
}

/* SHA-256 over the cache key, the login and the password: never the password itself. */
static int cache_digest(const acct__authcache *c, const char *login, const char *password, uint8_t out[32])
{
	size_t nl = strlen(login), np = strlen(password);
	size_t n = sizeof(c->key) + nl + 1 + np;
	unsigned char *buf = acct__malloc(n);
	int rc;

	if (!buf)
		return acct__error_oom();
	memcpy(buf, c->key, sizeof(c->key));
	memcpy(buf + sizeof(c->key), login, nl + 1);
	memcpy(buf + sizeof(c->key) + nl + 1, password, np);
	rc = acct__sha256(out, buf, n);
	OPENSSL_cleanse(buf, n);
	acct__free(buf);
	return rc;
}

/* The account a remembered login verified as, or 0. The store generation
 * is re-read once a second, so a password another process changed is
 * noticed within a second (this context's own writes at once). */
static uint32_t cache_lookup(acct_ctx *ctx, const uint8_t d[32])
{
	acct__authcache *c = &ctx->authcache;
	acct__authcache_entry *e = &c->slots[d[0]];
	int64_t now = acct__now(ctx);
	uint32_t id = 0;
	int stale;

	pthread_mutex_lock(&c->mu);
	stale = c->refreshed != now;
	c->refreshed = now;
	pthread_mutex_unlock(&c->mu);
	if (stale && acct_ctx_refresh(ctx) < 0)
		return 0;
	pthread_mutex_lock(&c->mu);
	if (e->id && CRYPTO_memcmp(e->digest, d, 32) == 0 && e->gen == acct_ctx_generation(ctx) &&
	    e->expires > acct__now(ctx))
		id = e->id;
	pthread_mutex_unlock(&c->mu);
	return id;
}

static void cache_store(acct_ctx *ctx, const uint8_t d[32], uint32_t id, uint64_t gen)
{
	acct__authcache *c = &ctx->authcache;
	acct__authcache_entry *e = &c->slots[d[0]];

	pthread_mutex_lock(&c->mu);
	memcpy(e->digest, d, 32);
	e->id = id;
	e->gen = gen;
	e->expires = acct__now(ctx) + c->ttl;
	pthread_mutex_unlock(&c->mu);
}

int acct_session_open(acct_session **out, acct_ctx *ctx, const char *login, const char *password)
{
	uint8_t digest[32];
	uint64_t gen = 0;
	acct_account *rec = NULL;
	char *hash = NULL;
	uint32_t id = 0;
	int rc, ok;

	if (out)
		*out = NULL;
	if (!out || !ctx || !login || !password)
		return acct__error_set(ACCT_EINVALID, "acct_session_open needs out, ctx, login and password");
	if ((rc = acct__lockout_check(&ctx->lockout, login, acct__now(ctx))) < 0)
		return acct__audited(ctx, 0, "session.open", 0, login, rc);
	if (ctx->authcache.ttl > 0) {
		if ((rc = cache_digest(&ctx->authcache, login, password, digest)) < 0)
			return rc;
		if ((id = cache_lookup(ctx, digest)) != 0) {
			/* A success, as a verified password would be: it resets the failure count. */
			acct__lockout_record(&ctx->lockout, login, 1, acct__now(ctx));
			return acct__audited(ctx, id, "session.open", id, login, admit(out, ctx, id));
		}
	}
	rc = acct__read_begin(ctx);
	if (rc < 0)
		return rc;
	gen = ctx->gen;
	id = acct__index_find_login(&ctx->ix, login);
	if (id) {
		rc = acct__load_record(ctx, id, &rec);
		if (rc == 0 && rec->password_hash && !(hash = acct__strdup(rec->password_hash)))
			rc = acct__error_oom();
		acct_account_free(rec);
	}
	acct__read_end(ctx);
	if (rc < 0)
		return rc;
	/* Verify even for an unknown login, so the time taken does not tell. */
	ok = acct__password_verify(hash ? hash : ctx->dummy_hash, password);
	if (!hash && ok > 0)
		ok = 0;
	acct__free_secret(hash);
	if (ok < 0)
		return ok;
	acct__lockout_record(&ctx->lockout, login, ok, acct__now(ctx));
	if (!ok)
		return acct__audited(ctx, 0, "session.open", 0, login, acct__error_set(ACCT_EAUTH, "wrong login or password"));
	if (ctx->authcache.ttl > 0)
		cache_store(ctx, digest, id, gen);
	return acct__audited(ctx, id, "session.open", id, login, admit(out, ctx, id));
}

int acct_session_open_as(acct_session **out, acct_ctx *ctx, acct_id id)
{
	if (out)
		*out = NULL;
	if (!out || !ctx)
		return acct__error_set(ACCT_EINVALID, "acct_session_open_as needs out and ctx");
	if (id <= 0 || id >= UINT32_MAX)
		return acct__error_set(ACCT_ENOTFOUND, "account %lld not found", (long long)id);
	{
		int rc = admit(out, ctx, (uint32_t)id);
		if (rc == ACCT_EAUTH)
			return acct__error_set(ACCT_ENOTFOUND, "account %lld not found", (long long)id);
		return rc;
	}
}

acct_id acct_session_account(const acct_session *s)
{
	return s ? s->actor : 0;
}

void acct_session_free(acct_session *s)
{
	acct__free(s);
}

int acct__session_check(acct_session *s)
{
	if (!s || !s->ctx)
		return acct__error_set(ACCT_EINVALID, "no session given");
	return 0;
}

int acct__account_ident(acct_ctx *ctx, acct_id id, int *type, char login[256], char guid[37])
{
	int rc = 0;

	pthread_rwlock_rdlock(&ctx->lock);
	if (!acct__index_has(&ctx->ix, id)) {
		rc = acct__error_set(ACCT_ENOTFOUND, "account %lld not found", (long long)id);
	} else {
		if (type)
			*type = ctx->ix.type[id];
		if (login)
			snprintf(login, 256, "%s", acct__index_login(&ctx->ix, (uint32_t)id));
		if (guid)
			acct__uuid_format(guid, ctx->ix.guid[id]);
	}
	pthread_rwlock_unlock(&ctx->lock);
	return rc;
}
