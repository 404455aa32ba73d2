/*
 * Credentials: secret keys, Partner API logins, password reset tokens.
 * All three live in one small table, in memory and in the store ("c" + id),
 * and go with their account when it is deleted. Secrets are returned once
 * and stored only as hashes: SHA-256 for random keys and tokens, scrypt for
 * API login passwords.
 */
#include <stdio.h>
#include <string.h>
#include <openssl/crypto.h>
#include "util/util.h"
#include "crypto/crypto.h"
#include "storage/storage_internal.h"
#include "engine.h"

enum { CTAG_KIND = 1, CTAG_ACCOUNT = 2, CTAG_HASH = 3, CTAG_TEXT = 4, CTAG_DESCRIPTION = 5, CTAG_PW_HASH = 6,
       CTAG_ROLE = 7, CTAG_ENABLED = 8, CTAG_EXPIRES = 9 };

static const unsigned char KEY_NEXT_CRED[] = "w";

/* ---- the table ---- */

static void cred_clear(acct__cred *c)
{
	acct_buf_dispose(&c->unknown);
	acct__free(c->text);
	acct__free(c->description);
	acct__free(c->pw_hash);
	memset(c, 0, sizeof(*c));
}

void acct__creds_free(acct__creds *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		cred_clear(&c->v[i]);
	acct__free(c->v);
	memset(c, 0, sizeof(*c));
}

const acct__cred *acct__cred_get(const acct__creds *c, uint32_t id)
{
	size_t lo = 0, hi = c->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->v[mid].id == id)
			return &c->v[mid];
		if (c->v[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int reserve(acct__creds *c)
{
	void *arr = c->v;
	int rc = acct__grow(&arr, &c->cap, c->n + 1, sizeof(*c->v));
	c->v = arr;
	return rc;
}

/* Insert (after reserve), keeping the order by id; takes over the strings. */
static void insert(acct__creds *c, const acct__cred *e)
{
	size_t i;

	for (i = c->n; i > 0 && c->v[i - 1].id > e->id; i--)
		c->v[i] = c->v[i - 1];
	c->v[i] = *e;
	c->n++;
	if (e->id >= c->next_id)
		c->next_id = e->id + 1;
}

static void erase(acct__creds *c, uint32_t id)
{
	acct__cred *e = (acct__cred *)acct__cred_get(c, id);
	size_t i;

	if (!e)
		return;
	i = (size_t)(e - c->v);
	cred_clear(e);
	memmove(&c->v[i], &c->v[i + 1], (c->n - i - 1) * sizeof(*c->v));
	c->n--;
}

/* ---- records ---- */

static int encode(acct_buf *out, const acct__cred *c)
{
	unsigned char ver = ACCT__RECORD_VERSION;

	acct_buf_dispose(out);
	if (acct__buf_put(out, &ver, 1) < 0 || acct__tlv_put_uint(out, CTAG_KIND, (uint64_t)c->kind) < 0 ||
	    acct__tlv_put_uint(out, CTAG_ACCOUNT, c->account) < 0)
		return ACCT_ENOMEM;
	if (c->kind != ACCT__CRED_APILOGIN && acct__tlv_put(out, CTAG_HASH, c->hash, 32) < 0)
		return ACCT_ENOMEM;
	if (c->text && acct__tlv_put(out, CTAG_TEXT, c->text, strlen(c->text)) < 0)
		return ACCT_ENOMEM;
	if (c->description && acct__tlv_put(out, CTAG_DESCRIPTION, c->description, strlen(c->description)) < 0)
		return ACCT_ENOMEM;
	if (c->pw_hash && acct__tlv_put(out, CTAG_PW_HASH, c->pw_hash, strlen(c->pw_hash)) < 0)
		return ACCT_ENOMEM;
	if (c->kind == ACCT__CRED_APILOGIN &&
	    (acct__tlv_put_uint(out, CTAG_ROLE, (uint64_t)c->role) < 0 ||
	     acct__tlv_put_uint(out, CTAG_ENABLED, (uint64_t)c->enabled) < 0))
		return ACCT_ENOMEM;
	if (c->kind == ACCT__CRED_TOKEN && acct__tlv_put_uint(out, CTAG_EXPIRES, (uint64_t)c->expires) < 0)
		return ACCT_ENOMEM;
	if (c->unknown.size && acct__buf_put(out, c->unknown.ptr, c->unknown.size) < 0)
		return ACCT_ENOMEM;
	return 0;
}

static int decode_tlv(void *arg, uint64_t tag, const unsigned char *v, size_t len, const unsigned char *raw,
                      size_t raw_len)
{
	acct__cred *c = arg;
	uint64_t n = 0;
	char **str = NULL;

	switch (tag) {
	case CTAG_HASH:
		if (len != 32)
			return acct__error_set(ACCT_EPARSE, "a stored credential has a corrupt hash");
		memcpy(c->hash, v, 32);
		return 0;
	case CTAG_TEXT: str = &c->text; break;
	case CTAG_DESCRIPTION: str = &c->description; break;
	case CTAG_PW_HASH: str = &c->pw_hash; break;
	case CTAG_KIND: case CTAG_ACCOUNT: case CTAG_ROLE: case CTAG_ENABLED: case CTAG_EXPIRES:
		if (acct__tlv_uint(&n, v, len) < 0)
			return ACCT_EPARSE;
		if (tag == CTAG_KIND)
			c->kind = (int)n;
		else if (tag == CTAG_ACCOUNT)
			c->account = n < UINT32_MAX ? (uint32_t)n : 0;
		else if (tag == CTAG_ROLE)
			c->role = (int)n;
		else if (tag == CTAG_ENABLED)
			c->enabled = n != 0;
		else
			c->expires = (int64_t)n;
		return 0;
	default:
		/* A newer libacct's field: kept and written back. */
		return acct__buf_put(&c->unknown, raw, raw_len);
	}
	acct__free(*str);
	*str = acct__strndup((const char *)v, len);
	return *str ? 0 : acct__error_oom();
}

static int store(acct_ctx *ctx, const acct__cred *c)
{
	unsigned char key[9];
	acct_buf b = ACCT_BUF_INIT;
	int rc = encode(&b, c);

	acct__key(key, 'c', c->id);
	if (rc == 0)
		rc = acct__st_put(ctx->st, key, sizeof(key), b.ptr, b.size);
	acct_buf_dispose(&b);
	return rc;
}

static int remove_stored(acct_ctx *ctx, uint32_t id)
{
	unsigned char key[9];

	acct__key(key, 'c', id);
	return acct__st_del(ctx->st, key, sizeof(key));
}

int acct__creds_load(acct_ctx *ctx, acct__creds *out)
{
	static const unsigned char prefix[] = "c";
	acct_storage_iterator *it = NULL;
	acct_buf k = ACCT_BUF_INIT, v = ACCT_BUF_INIT;
	uint64_t next = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	out->next_id = 1;
	rc = acct__st_iterate(&it, ctx->st, prefix, 1);
	while (rc == 0 && (rc = acct__st_next(it, &k, &v)) == 0) {
		acct__cred c;
		uint64_t id = 0;

		memset(&c, 0, sizeof(c));
		if ((rc = acct__key_id(&id, &k)) < 0)
			break;
		c.id = id < UINT32_MAX ? (uint32_t)id : 0;
		rc = acct__tlv_walk((const unsigned char *)v.ptr, v.size, decode_tlv, &c);
		if (rc == 0 && (!c.id || c.kind < ACCT__CRED_KEY || c.kind > ACCT__CRED_TOKEN || !c.account))
			rc = acct__error_set(ACCT_EPARSE, "credential %llu is corrupt", (unsigned long long)id);
		if (rc == 0 && (rc = reserve(out)) == 0) {
			insert(out, &c);
			continue;
		}
		cred_clear(&c);
	}
	if (rc == ACCT_ITEROVER)
		rc = 0;
	acct__st_iter_free(it);
	acct_buf_dispose(&k);
	acct_buf_dispose(&v);
	if (rc == 0 && (rc = acct__counter_get(ctx, KEY_NEXT_CRED, &next)) == 0 && next > out->next_id &&
	    next < UINT32_MAX)
		out->next_id = (uint32_t)next;
	if (rc < 0)
		acct__creds_free(out);
	return rc;
}

/* Take the next credential id and advance the stored counter (write transaction). */
static int next_id(acct_ctx *ctx, uint32_t *id)
{
	if (ctx->creds.next_id >= UINT32_MAX - 2)
		return acct__error_set(ACCT_ELIMIT, "credential ids are exhausted");
	*id = ctx->creds.next_id;
	return acct__counter_put(ctx, KEY_NEXT_CRED, (uint64_t)*id + 1);
}

int acct__creds_delete_accounts(acct_ctx *ctx, const uint32_t *ids, size_t n)
{
	size_t i, j;
	int rc = 0;

	for (i = 0; rc == 0 && i < ctx->creds.n; i++)
		for (j = 0; rc == 0 && j < n; j++)
			if (ctx->creds.v[i].account == ids[j])
				rc = remove_stored(ctx, ctx->creds.v[i].id);
	return rc;
}

void acct__creds_forget_accounts(acct__creds *c, const acct__index *ix)
{
	size_t i = 0;

	while (i < c->n) {
		if (!acct__index_has(ix, c->v[i].account))
			erase(c, c->v[i].id);
		else
			i++;
	}
}

static const acct__cred *apilogin_by_name(const acct__creds *creds, const char *login);

/* ---- shared steps ---- */

/* Commit a new credential: store it, reserve memory, then insert after the commit. */
static int add_cred(acct_session *s, acct__request *rq, acct__cred *c)
{
	int rc;

	if ((rc = acct__write_begin(s->ctx)) < 0)
		return rc;
	rc = acct__decide(s, rq);
	/* Under the write lock, so two creates cannot both take one name. */
	if (rc == 0 && c->kind == ACCT__CRED_APILOGIN && apilogin_by_name(&s->ctx->creds, c->text))
		rc = acct__error_set(ACCT_EEXISTS, "API login '%s' already exists", c->text);
	if (rc == 0)
		rc = next_id(s->ctx, &c->id);
	if (rc == 0)
		rc = store(s->ctx, c);
	if (rc == 0)
		rc = reserve(&s->ctx->creds);
	rc = acct__write_end(s->ctx, rc);
	if (rc == 0)
		insert(&s->ctx->creds, c);
	acct__write_unlock(s->ctx);
	return rc;
}

/* The credential `id` of `kind`, if the session may manage it (call with a lock held). */
static int find_cred(acct_session *s, uint32_t id, int kind, const acct__cred **out)
{
	acct__request rq = { .op = ACCT__OP_CREDENTIAL };
	const acct__cred *c = acct__cred_get(&s->ctx->creds, id);
	int rc;

	*out = NULL;
	if (!c || c->kind != kind) {
		/* The same kind as an out-of-scope one: the kind must not tell existence. */
		acct__error_set(ACCT_ENOTFOUND, "%s %u not found", kind == ACCT__CRED_KEY ? "secret key" : "API login", id);
		acct__error_set_deny_kind(ACCT_DENY_OBJECT);
		return ACCT_ENOTFOUND;
	}
	rq.target = c->account;
	if ((rc = acct__decide(s, &rq)) < 0) {
		if (rc == ACCT_ENOTFOUND) {
			int why = acct_error_last()->deny_kind;
			acct__error_set(ACCT_ENOTFOUND, "%s %u not found", kind == ACCT__CRED_KEY ? "secret key" : "API login", id);
			acct__error_set_deny_kind(why);
		}
		return rc;
	}
	*out = c;
	return 0;
}

/* Change one credential in a write transaction; `edit` works on a copy. */
typedef int (*edit_fn)(acct__cred *copy, void *arg);

static int update_cred(acct_session *s, acct_id id, int kind, const char *op, edit_fn edit, void *arg)
{
	const acct__cred *c;
	acct__cred copy;
	acct_id copy_account = 0;
	int rc;

	if ((rc = acct__session_check(s)) < 0)
		return rc;
	if ((rc = acct__write_begin(s->ctx)) < 0)
		return rc;
	memset(&copy, 0, sizeof(copy));
	rc = find_cred(s, acct__id32(id), kind, &c);
	if (rc == 0) {
		copy_account = c->account;
		copy = *c;
		copy.text = acct__strdup(c->text);
		copy.description = c->description ? acct__strdup(c->description) : NULL;
		copy.pw_hash = c->pw_hash ? acct__strdup(c->pw_hash) : NULL;
		memset(&copy.unknown, 0, sizeof(copy.unknown));
		if (!copy.text || (c->description && !copy.description) || (c->pw_hash && !copy.pw_hash) ||
		    (c->unknown.size && acct__buf_put(&copy.unknown, c->unknown.ptr, c->unknown.size) < 0))
			rc = acct__error_oom();
	}
	if (rc == 0)
		rc = edit ? edit(&copy, arg) : remove_stored(s->ctx, copy.id);
	if (rc == 0 && edit)
		rc = store(s->ctx, &copy);
	rc = acct__write_end(s->ctx, rc);
	if (rc == 0) {
		acct__cred *live = (acct__cred *)acct__cred_get(&s->ctx->creds, copy.id);
		if (edit) {
			cred_clear(live);
			*live = copy;
			memset(&copy, 0, sizeof(copy));
		} else {
			erase(&s->ctx->creds, copy.id);
		}
	}
	acct__write_unlock(s->ctx);
	cred_clear(&copy);
	return ACCT__AUDIT(s, op, copy_account, rc);
}

/* ---- secret keys ---- */

/* Canonical, comma-separated addresses from a list separated by commas or spaces. */
static int parse_ips(acct_buf *out, const char *list)
{
	const char *p = list;

	acct__buf_clear(out);
	while (p && *p) {
		char one[64], canon[48];
		size_t n = strcspn(p, ", \t");
		if (n == 0) {
			p++;
			continue;
		}
		if (n >= sizeof(one) || (memcpy(one, p, n), one[n] = '\0', acct__ip_canonical(canon, one) < 0))
			return acct__error_set(ACCT_EINVALID, "'%.*s' is not an IPv4 or IPv6 address", (int)(n < 60 ? n : 60), p);
		if ((out->size && acct__buf_puts(out, ",") < 0) || acct__buf_puts(out, canon) < 0)
			return ACCT_ENOMEM;
		p += n;
	}
	if (!out->size)
		return acct__error_set(ACCT_EINVALID, "a secret key needs at least one client IP address");
	return 0;
}

int acct_key_create(acct_buf *secret_out, acct_id *key_id_out, acct_session *s, acct_id account, const char *ip_list,
                    const char *description)
{
	acct__request rq = { .op = ACCT__OP_CREDENTIAL };
	acct__cred c;
	acct_buf ips = ACCT_BUF_INIT;
	uint8_t uuid[16];
	char secret[37];
	int rc;

	if (key_id_out)
		*key_id_out = 0;
	if (!secret_out)
		return acct__error_set(ACCT_EINVALID, "acct_key_create: secret_out is NULL");
	if ((rc = acct__session_check(s)) < 0)
		return rc;
	if (description && (rc = acct__validate_text("key description", description, 0, 255)) < 0)
		return rc;
	if ((rc = parse_ips(&ips, ip_list)) < 0) {
		acct_buf_dispose(&ips);
		return rc;
	}
	memset(&c, 0, sizeof(c));
	c.kind = ACCT__CRED_KEY;
	c.account = acct__id32(account);
	rq.target = c.account;
	c.text = ips.ptr; /* taken over */
	c.description = description && *description ? acct__strdup(description) : NULL;
	rc = (description && *description && !c.description) ? acct__error_oom() : acct__uuid_v4(uuid);
	if (rc == 0) {
		acct__uuid_format(secret, uuid);
		rc = acct__sha256(c.hash, secret, 36);
	}
	if (rc == 0)
		rc = add_cred(s, &rq, &c);
	if (rc == 0) {
		rc = acct_buf_set(secret_out, secret, 36);
		if (key_id_out)
			*key_id_out = c.id;
	} else {
		cred_clear(&c);
	}
	OPENSSL_cleanse(secret, sizeof(secret));
	return ACCT__AUDIT(s, "key.create", account, rc);
}

int acct_key_delete(acct_session *s, acct_id key_id)
{
	return update_cred(s, key_id, ACCT__CRED_KEY, "key.delete", NULL, NULL);
}

/* The key whose secret is `secret`: every key is compared, in constant time. */
static const acct__cred *key_by_secret(const acct__creds *creds, const char *secret)
{
	const acct__cred *found = NULL;
	uint8_t h[32];
	size_t i;

	if (acct__sha256(h, secret, strlen(secret)) < 0)
		return NULL;
	for (i = 0; i < creds->n; i++)
		if (creds->v[i].kind == ACCT__CRED_KEY && acct__ct_equal(creds->v[i].hash, h, 32))
			found = &creds->v[i];
	return found;
}

int acct_key_find(acct_id *key_id_out, acct_session *s, const char *secret)
{
	const acct__cred *c, *ok = NULL;
	int rc;

	if (!key_id_out || !secret)
		return acct__error_set(ACCT_EINVALID, "acct_key_find needs key_id_out and a secret");
	*key_id_out = 0;
	if ((rc = acct__session_check(s)) < 0)
		return rc;
	pthread_rwlock_rdlock(&s->ctx->lock);
	c = key_by_secret(&s->ctx->creds, secret);
	rc = c ? find_cred(s, c->id, ACCT__CRED_KEY, &ok) : ACCT_ENOTFOUND;
	if (rc == 0) {
		*key_id_out = ok->id;
	} else if (rc == ACCT_ENOTFOUND) {
		acct__error_set(ACCT_ENOTFOUND, "no such secret key");
		acct__error_set_deny_kind(ACCT_DENY_OBJECT);
	}
	pthread_rwlock_unlock(&s->ctx->lock);
	return rc;
}

int acct_key_info(acct_id *account_out, acct_buf *ips_out, acct_buf *description_out, acct_session *s, acct_id key_id)
{
	const acct__cred *c;
	int rc;

	if (account_out)
		*account_out = 0;
	if ((rc = acct__session_check(s)) < 0)
		return rc;
	pthread_rwlock_rdlock(&s->ctx->lock);
	rc = find_cred(s, acct__id32(key_id), ACCT__CRED_KEY, &c);
	if (rc == 0 && account_out)
		*account_out = c->account;
	if (rc == 0 && ips_out)
		rc = acct_buf_set(ips_out, c->text, strlen(c->text));
	if (rc == 0 && description_out)
		rc = acct_buf_set(description_out, c->description ? c->description : "",
		                  c->description ? strlen(c->description) : 0);
	pthread_rwlock_unlock(&s->ctx->lock);
	return rc;
}

/* ---- iterators over keys and API logins ---- */

struct acct_key_iterator {
	acct__ids i;
};
struct acct_apilogin_iterator {
	acct__ids i;
};

static int collect(acct__ids *out, acct_session *s, acct_id account, int kind)
{
	acct__request rq = { .op = ACCT__OP_CREDENTIAL };
	acct__verdict v = { 1, ACCT__DENY_NONE };
	void *arr = NULL;
	size_t cap = 0, i;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if ((rc = acct__session_check(s)) < 0)
		return rc;
	pthread_rwlock_rdlock(&s->ctx->lock);
	if (account) {
		rq.target = acct__id32(account);
		rc = acct__decide(s, &rq);
	}
	for (i = 0; rc == 0 && i < s->ctx->creds.n; i++) {
		const acct__cred *c = &s->ctx->creds.v[i];
		if (c->kind != kind || (account && c->account != acct__id32(account)))
			continue;
		rq.target = c->account;
		if (!account && acct__policy_decide(s, &rq, &v) != 0)
			continue; /* listing all: only what the session may manage */
		if ((rc = acct__grow(&arr, &cap, out->n + 1, sizeof(uint32_t))) == 0)
			((uint32_t *)arr)[out->n++] = c->id;
	}
	pthread_rwlock_unlock(&s->ctx->lock);
	out->ids = arr;
	if (rc < 0) {
		acct__free(arr);
		out->ids = NULL;
	}
	return rc;
}

int acct_key_iterator_new(acct_key_iterator **out, acct_session *s, acct_id account)
{
	acct_key_iterator *it;
	int rc;

	if (!out)
		return acct__error_set(ACCT_EINVALID, "acct_key_iterator_new: out is NULL");
	*out = NULL;
	if (!(it = acct__calloc(1, sizeof(*it))))
		return acct__error_oom();
	if ((rc = collect(&it->i, s, account, ACCT__CRED_KEY)) < 0) {
		acct__free(it);
		return rc;
	}
	*out = it;
	return 0;
}

int acct_key_iterator_next(acct_id *key_id_out, acct_key_iterator *it)
{
	return acct__ids_next(key_id_out, it ? &it->i : NULL);
}

void acct_key_iterator_free(acct_key_iterator *it)
{
	acct__ids_free(it ? &it->i : NULL);
}

int acct_apilogin_iterator_new(acct_apilogin_iterator **out, acct_session *s, acct_id account)
{
	acct_apilogin_iterator *it;
	int rc;

	if (!out)
		return acct__error_set(ACCT_EINVALID, "acct_apilogin_iterator_new: out is NULL");
	*out = NULL;
	if (!(it = acct__calloc(1, sizeof(*it))))
		return acct__error_oom();
	if ((rc = collect(&it->i, s, account, ACCT__CRED_APILOGIN)) < 0) {
		acct__free(it);
		return rc;
	}
	*out = it;
	return 0;
}

int acct_apilogin_iterator_next(acct_id *id_out, acct_apilogin_iterator *it)
{
	return acct__ids_next(id_out, it ? &it->i : NULL);
}

void acct_apilogin_iterator_free(acct_apilogin_iterator *it)
{
	acct__ids_free(it ? &it->i : NULL);
}

/* ---- sessions from keys and API logins ---- */

static int session_for(acct_session **out, acct_ctx *ctx, uint32_t account, uint32_t apilogin)
{
	acct_session *s;
	int rc;

	pthread_rwlock_rdlock(&ctx->lock);
	rc = acct__policy_login(&ctx->ix, account);
	pthread_rwlock_unlock(&ctx->lock);
	if (rc < 0)
		return rc;
	if (!(s = acct__calloc(1, sizeof(*s))))
		return acct__error_oom();
	s->ctx = ctx;
	s->actor = account;
	s->apilogin = apilogin;
	*out = s;
	return 0;
}

static int ip_in_list(const char *list, const char *ip)
{
	size_t n = strlen(ip);
	const char *p = list;

	while (p && *p) {
		if (strncmp(p, ip, n) == 0 && (p[n] == ',' || p[n] == '\0'))
			return 1;
		p = strchr(p, ',');
		if (p)
			p++;
	}
	return 0;
}

int acct_session_open_key(acct_session **out, acct_ctx *ctx, const char *secret, const char *client_ip)
{
	const acct__cred *c;
	char canon[48];
	uint32_t account = 0;
	int ok;

	if (out)
		*out = NULL;
	if (!out || !ctx || !secret || !client_ip)
		return acct__error_set(ACCT_EINVALID, "acct_session_open_key needs out, ctx, a secret and the client IP");
	pthread_rwlock_rdlock(&ctx->lock);
	c = key_by_secret(&ctx->creds, secret);
	ok = c && acct__ip_canonical(canon, client_ip) == 0 && ip_in_list(c->text, canon);
	if (ok)
		account = c->account;
	pthread_rwlock_unlock(&ctx->lock);
	if (!ok)
		return acct__audited(ctx, 0, "session.open_key", 0, client_ip,
		                     acct__error_set(ACCT_EKEY, "secret key validation failed"));
	return acct__audited(ctx, account, "session.open_key", account, client_ip,
	                     session_for(out, ctx, account, 0));
}

static const acct__cred *apilogin_by_name(const acct__creds *creds, const char *login)
{
	size_t i;

	for (i = 0; i < creds->n; i++)
		if (creds->v[i].kind == ACCT__CRED_APILOGIN && acct__ascii_casecmp(creds->v[i].text, login) == 0)
			return &creds->v[i];
	return NULL;
}

int acct_session_open_api(acct_session **out, acct_ctx *ctx, const char *login, const char *password)
{
	const acct__cred *c;
	char *hash = NULL, lockkey[80];
	uint32_t id = 0, account = 0;
	int enabled = 0, ok, rc;

	if (out)
		*out = NULL;
	if (!out || !ctx || !login || !password)
		return acct__error_set(ACCT_EINVALID, "acct_session_open_api needs out, ctx, login and password");
	/* API logins have their own namespace: count their failures apart from account logins. */
	snprintf(lockkey, sizeof(lockkey), "api:%.70s", login);
	if ((rc = acct__lockout_check(&ctx->lockout, lockkey, acct__now(ctx))) < 0)
		return acct__audited(ctx, 0, "session.open_api", 0, login, rc);
	pthread_rwlock_rdlock(&ctx->lock);
	c = apilogin_by_name(&ctx->creds, login);
	if (c) {
		id = c->id;
		account = c->account;
		enabled = c->enabled;
		hash = c->pw_hash ? acct__strdup(c->pw_hash) : NULL;
	}
	pthread_rwlock_unlock(&ctx->lock);
	if (c && c->pw_hash && !hash)
		return acct__error_oom();
	ok = acct__password_verify(hash ? hash : ctx->dummy_hash, password);
	if (!hash && ok > 0)
		ok = 0;
	acct__free_secret(hash);
	if (ok < 0)
		return ok;
	acct__lockout_record(&ctx->lockout, lockkey, ok, acct__now(ctx));
	if (!ok)
		return acct__audited(ctx, 0, "session.open_api", 0, login, acct__error_set(ACCT_EAUTH, "wrong login or password"));
	if (!enabled)
		return acct__audited(ctx, account, "session.open_api", account, login,
		                     acct__error_set(ACCT_EDISABLED, "API login '%s' is disabled", login));
	return acct__audited(ctx, account, "session.open_api", account, login, session_for(out, ctx, account, id));
}

int acct_session_api_role(const acct_session *s)
{
	const acct__cred *c;
	int role = 0;

	if (!s || !s->apilogin)
		return 0;
	/* The role as it is now: it may have changed since the session opened. */
	pthread_rwlock_rdlock(&s->ctx->lock);
	c = acct__cred_get(&s->ctx->creds, s->apilogin);
	if (c && c->kind == ACCT__CRED_APILOGIN)
		role = c->role;
	pthread_rwlock_unlock(&s->ctx->lock);
	return role;
}

/* ---- API logins ---- */

static int new_password(char pw[21], char **hash, int cost)
{
	int rc = acct__random_password(pw, 20);

	if (rc == 0)
		rc = acct__password_hash(hash, pw, cost);
	return rc;
}

int acct_apilogin_create(acct_buf *password_out, acct_id *id_out, acct_session *s, acct_id account, const char *login,
                         int role)
{
	acct__request rq = { .op = ACCT__OP_CREDENTIAL };
	acct__cred c;
	char pw[21];
	int rc;

	if (id_out)
		*id_out = 0;
	if (!password_out)
		return acct__error_set(ACCT_EINVALID, "acct_apilogin_create: password_out is NULL");
	if ((rc = acct__session_check(s)) < 0)
		return rc;
	if ((rc = acct__validate_login(login)) < 0)
		return rc;
	if (!acct_partner_role_name(role))
		return acct__error_set(ACCT_EINVALID, "Partner API role %d is not one of ACCT_PARTNER_* (1..8)", role);
	memset(&c, 0, sizeof(c));
	c.kind = ACCT__CRED_APILOGIN;
	c.account = acct__id32(account);
	c.role = role;
	c.enabled = 1;
	rq.target = c.account;
	rq.type = role;
	if (!(c.text = acct__strdup(login)))
		return acct__error_oom();
	rc = new_password(pw, &c.pw_hash, s->ctx->password_cost);
	if (rc == 0)
		rc = add_cred(s, &rq, &c);
	if (rc == 0) {
		rc = acct_buf_set(password_out, pw, strlen(pw));
		if (id_out)
			*id_out = c.id;
	} else {
		cred_clear(&c);
	}
	OPENSSL_cleanse(pw, sizeof(pw));
	return ACCT__AUDIT(s, "apilogin.create", account, rc);
}

typedef struct pw_edit {
	char *hash;
} pw_edit;

static int edit_password(acct__cred *c, void *arg)
{
	pw_edit *e = arg;

	acct__free_secret(c->pw_hash);
	c->pw_hash = e->hash;
	e->hash = NULL;
	return 0;
}

int acct_apilogin_new_password(acct_buf *password_out, acct_session *s, acct_id id)
{
	pw_edit e = { NULL };
	char pw[21];
	int rc;

	if (!password_out)
		return acct__error_set(ACCT_EINVALID, "acct_apilogin_new_password: password_out is NULL");
	if ((rc = acct__session_check(s)) < 0)
		return rc;
	if ((rc = new_password(pw, &e.hash, s->ctx->password_cost)) == 0)
		rc = update_cred(s, id, ACCT__CRED_APILOGIN, "apilogin.password", edit_password, &e);
	if (rc == 0)
		rc = acct_buf_set(password_out, pw, strlen(pw));
	acct__free_secret(e.hash);
	OPENSSL_cleanse(pw, sizeof(pw));
	return rc;
}

static int edit_enabled(acct__cred *c, void *arg)
{
	c->enabled = *(int *)arg;
	return 0;
}

int acct_apilogin_set_enabled(acct_session *s, acct_id id, int enabled)
{
	int e = enabled != 0;
	return update_cred(s, id, ACCT__CRED_APILOGIN, enabled ? "apilogin.enable" : "apilogin.disable", edit_enabled, &e);
}

typedef struct role_edit {
	acct_session *s;
	int role;
} role_edit;

static int edit_role(acct__cred *c, void *arg)
{
	role_edit *e = arg;
	acct__request rq = { .op = ACCT__OP_CREDENTIAL };

	if (!acct_partner_role_name(e->role))
		return acct__error_set(ACCT_EINVALID, "Partner API role %d is not one of ACCT_PARTNER_* (1..8)", e->role);
	rq.target = c->account;
	rq.type = e->role;
	c->role = e->role;
	return acct__decide(e->s, &rq);
}

int acct_apilogin_set_role(acct_session *s, acct_id id, int role)
{
	role_edit e = { s, role };
	return update_cred(s, id, ACCT__CRED_APILOGIN, "apilogin.role", edit_role, &e);
}

int acct_apilogin_delete(acct_session *s, acct_id id)
{
	return update_cred(s, id, ACCT__CRED_APILOGIN, "apilogin.delete", NULL, NULL);
}

int acct_apilogin_info(acct_buf *login_out, acct_id *account_out, int *role_out, int *enabled_out, acct_session *s,
                       acct_id id)
{
	const acct__cred *c;
	int rc;

	if (account_out)
		*account_out = 0;
	if (role_out)
		*role_out = 0;
	if (enabled_out)
		*enabled_out = 0;
	if ((rc = acct__session_check(s)) < 0)
		return rc;
	pthread_rwlock_rdlock(&s->ctx->lock);
	rc = find_cred(s, acct__id32(id), ACCT__CRED_APILOGIN, &c);
	if (rc == 0) {
		if (account_out)
			*account_out = c->account;
		if (role_out)
			*role_out = c->role;
		if (enabled_out)
			*enabled_out = c->enabled;
		if (login_out)
			rc = acct_buf_set(login_out, c->text, strlen(c->text));
	}
	pthread_rwlock_unlock(&s->ctx->lock);
	return rc;
}

int acct_apilogin_lookup(acct_id *id_out, acct_session *s, const char *login)
{
	const acct__cred *c, *ok;
	int rc;

	if (!id_out || !login)
		return acct__error_set(ACCT_EINVALID, "acct_apilogin_lookup needs id_out and a login");
	*id_out = 0;
	if ((rc = acct__session_check(s)) < 0)
		return rc;
	pthread_rwlock_rdlock(&s->ctx->lock);
	c = apilogin_by_name(&s->ctx->creds, login);
	rc = c ? find_cred(s, c->id, ACCT__CRED_APILOGIN, &ok) : ACCT_ENOTFOUND;
	if (rc == 0) {
		*id_out = ok->id;
	} else if (rc == ACCT_ENOTFOUND) {
		acct__error_set(ACCT_ENOTFOUND, "API login '%s' not found", login);
		acct__error_set_deny_kind(ACCT_DENY_OBJECT);
	}
	pthread_rwlock_unlock(&s->ctx->lock);
	return rc;
}

/* ---- password reset tokens ---- */

int acct_reset_token_create(acct_buf *token_out, acct_session *s, acct_id account, int64_t ttl_seconds)
{
	acct__request rq = { .op = ACCT__OP_RESET };
	acct__cred c;
	char token[96], rnd[65];
	int rc;

	if (!token_out)
		return acct__error_set(ACCT_EINVALID, "acct_reset_token_create: token_out is NULL");
	if ((rc = acct__session_check(s)) < 0)
		return rc;
	memset(&c, 0, sizeof(c));
	c.kind = ACCT__CRED_TOKEN;
	c.account = acct__id32(account);
	c.expires = acct__now(s->ctx) + (ttl_seconds > 0 ? ttl_seconds : 3600);
	rq.target = c.account;
	if ((rc = acct__random_hex(rnd, 32)) < 0)
		return rc;
	/* The id goes in front so redeeming finds the record without a scan;
	 * the stored hash covers the whole token. The id is fixed in the write
	 * transaction, so the hash is computed there too. */
	if ((rc = acct__write_begin(s->ctx)) < 0)
		return ACCT__AUDIT(s, "reset.create", account, rc);
	rc = acct__decide(s, &rq);
	if (rc == 0)
		rc = next_id(s->ctx, &c.id);
	if (rc == 0) {
		snprintf(token, sizeof(token), "%u.%s", c.id, rnd);
		rc = acct__sha256(c.hash, token, strlen(token));
	}
	if (rc == 0)
		rc = store(s->ctx, &c);
	if (rc == 0)
		rc = reserve(&s->ctx->creds);
	rc = acct__write_end(s->ctx, rc);
	if (rc == 0)
		insert(&s->ctx->creds, &c);
	acct__write_unlock(s->ctx);
	if (rc == 0)
		rc = acct_buf_set(token_out, token, strlen(token));
	OPENSSL_cleanse(token, sizeof(token));
	OPENSSL_cleanse(rnd, sizeof(rnd));
	return ACCT__AUDIT(s, "reset.create", account, rc);
}

int acct_reset_token_redeem(acct_ctx *ctx, const char *token, const char *new_password)
{
	const acct__cred *c;
	acct_account *rec = NULL, *check;
	char *hash = NULL, *end = NULL;
	unsigned long id;
	uint8_t h[32];
	uint32_t account = 0;
	int rc, expired = 0;

	if (!ctx || !token || !new_password)
		return acct__error_set(ACCT_EINVALID, "acct_reset_token_redeem needs ctx, a token and a new password");
	/* The password rules first, and the slow hash before any lock. */
	if (!(check = acct__account_alloc(ACCT_TYPE_CUSTOMER)))
		return acct__error_oom();
	rc = acct_account_set(check, ACCT_FIELD_PASSWORD, new_password);
	acct_account_free(check);
	if (rc < 0)
		return rc;
	if ((rc = acct__password_hash(&hash, new_password, ctx->password_cost)) < 0)
		return rc;
	id = strtoul(token, &end, 10);
	if ((rc = acct__sha256(h, token, strlen(token))) < 0) {
		acct__free_secret(hash);
		return rc;
	}
	if ((rc = acct__write_begin(ctx)) < 0) {
		acct__free_secret(hash);
		return rc;
	}
	c = end && *end == '.' && id < UINT32_MAX ? acct__cred_get(&ctx->creds, (uint32_t)id) : NULL;
	if (!c || c->kind != ACCT__CRED_TOKEN || !acct__ct_equal(c->hash, h, 32)) {
		rc = acct__error_set(ACCT_EAUTH, "the password reset token is not valid (unknown or already used)");
	} else if (c->expires <= acct__now(ctx)) {
		/* An expired token is spent: it goes now. */
		expired = 1;
		rc = remove_stored(ctx, c->id);
	} else {
		account = c->account;
		rc = acct__load_record(ctx, account, &rec);
		if (rc == 0) {
			acct__free_secret(rec->password_hash);
			rec->password_hash = hash;
			hash = NULL;
			rc = acct__store_record(ctx, rec);
		}
		if (rc == 0)
			rc = remove_stored(ctx, c->id);
	}
	rc = acct__write_end(ctx, rc);
	if (rc == 0)
		erase(&ctx->creds, (uint32_t)id);
	acct__write_unlock(ctx);
	acct_account_free(rec);
	acct__free_secret(hash);
	if (rc == 0 && expired)
		rc = acct__error_set(ACCT_EAUTH, "the password reset token has expired");
	return acct__audited(ctx, account, "reset.redeem", account, NULL, rc);
}
