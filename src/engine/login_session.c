/*
 * Panel login sessions: what Plesk's server create_session hands out and its
 * session operator lists and terminates. libacct has no panel; it keeps the
 * sessions so a host's panel can honour them. Each lives under "l" + the
 * first 8 bytes of its random 16-byte id, so keys stay short and no counter
 * is needed; the record holds the whole id, the account, the address and
 * the time. Who may create, see and end them: whoever may manage the
 * account's credentials (the policy's CREDENTIAL rule).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util/util.h"
#include "crypto/crypto.h"
#include "storage/storage_internal.h"
#include "engine.h"

enum { TAG_ID = 1, TAG_ACCOUNT = 2, TAG_IP = 3, TAG_CREATED = 4 };

static int key_of(unsigned char key[9], const char *id)
{
	unsigned char raw[8];

	if (strlen(id) != 32)
		return ACCT_ENOTFOUND;
	for (int i = 0; i < 8; i++) {
		unsigned int byte;
		if (sscanf(id + 2 * i, "%2x", &byte) != 1)
			return ACCT_ENOTFOUND;
		raw[i] = (unsigned char)byte;
	}
	for (const char *p = id; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return ACCT_ENOTFOUND;
	acct__key(key, 'l', acct__be64_get(raw));
	return 0;
}

static int decode_tlv(void *arg, uint64_t tag, const unsigned char *v, size_t len, const unsigned char *raw,
                      size_t raw_len)
{
	acct__login_session *ls = arg;
	uint64_t n;

	(void)raw;
	(void)raw_len;
	switch (tag) {
	case TAG_ID:
		if (len != 32)
			return ACCT_EPARSE;
		memcpy(ls->id, v, 32);
		ls->id[32] = '\0';
		return 0;
	case TAG_ACCOUNT:
		if (acct__tlv_uint(&n, v, len) < 0)
			return ACCT_EPARSE;
		ls->account = (acct_id)n;
		return 0;
	case TAG_IP:
		if (len >= sizeof ls->ip)
			return ACCT_EPARSE;
		memcpy(ls->ip, v, len);
		ls->ip[len] = '\0';
		return 0;
	case TAG_CREATED:
		if (acct__tlv_uint(&n, v, len) < 0)
			return ACCT_EPARSE;
		ls->created = (int64_t)n;
		return 0;
	default:
		return 0;
	}
}

static int decode(acct__login_session *ls, const acct_buf *v)
{
	memset(ls, 0, sizeof *ls);
	if (acct__tlv_walk((const unsigned char *)v->ptr, v->size, decode_tlv, ls) != 0 || ls->id[0] == '\0')
		return acct__error_set(ACCT_EPARSE, "a login session record is corrupt");
	return 0;
}

/* May the session manage account `id`'s sessions? Called with a lock held. */
static int may_manage(acct_session *s, acct_id id, int quiet)
{
	acct__request rq = { .op = ACCT__OP_CREDENTIAL };
	acct__verdict v = { quiet, ACCT__DENY_NONE };

	rq.target = acct__id32(id);
	if (quiet)
		return acct__policy_decide(s, &rq, &v);
	return acct__decide(s, &rq);
}

int acct__login_session_create(char id_out[33], acct_session *s, const char *login, const char *ip)
{
	acct_ctx *ctx;
	acct_buf rec = ACCT_BUF_INIT;
	unsigned char key[9], raw[16];
	uint32_t account;
	char canon[48] = "";
	int rc;

	if ((rc = acct__session_check(s)) < 0)
		return rc;
	ctx = s->ctx;
	if (ip != NULL && *ip != '\0' && acct__ip_canonical(canon, ip) < 0)
		return acct__error_set(ACCT_EINVALID, "'%s' is not an IP address", ip);
	if ((rc = acct__random_bytes(raw, sizeof raw)) < 0)
		return rc;
	for (int i = 0; i < 16; i++)
		snprintf(id_out + 2 * i, 3, "%02x", raw[i]);
	acct__key(key, 'l', acct__be64_get(raw));
	if ((rc = acct__write_begin(ctx)) < 0)
		return rc;
	account = acct__index_find_login(&ctx->ix, login);
	if (account == 0)
		rc = acct__error_set(ACCT_ENOTFOUND, "login '%s' not found", login);
	if (rc == 0)
		rc = may_manage(s, account, 0);
	if (rc == 0)
		rc = acct__policy_login(&ctx->ix, account);
	if (rc == 0 && ((rc = acct__buf_put(&rec, (const char[]){ ACCT__RECORD_VERSION }, 1)) < 0 ||
	                (rc = acct__tlv_put(&rec, TAG_ID, id_out, 32)) < 0 ||
	                (rc = acct__tlv_put_uint(&rec, TAG_ACCOUNT, account)) < 0 ||
	                (rc = acct__tlv_put(&rec, TAG_IP, canon, strlen(canon))) < 0 ||
	                (rc = acct__tlv_put_uint(&rec, TAG_CREATED, (uint64_t)acct__now(ctx))) < 0))
		rc = acct__error_oom();
	if (rc == 0)
		rc = acct__st_put(ctx->st, key, sizeof key, rec.ptr, rec.size);
	rc = acct__write_end(ctx, rc);
	acct__write_unlock(ctx);
	acct_buf_dispose(&rec);
	if (rc < 0)
		id_out[0] = '\0';
	return ACCT__AUDIT(s, "session.create", account, rc);
}

static int by_created(const void *a, const void *b)
{
	const acct__login_session *x = a, *y = b;

	if (x->created != y->created)
		return x->created < y->created ? -1 : 1;
	return strcmp(x->id, y->id);
}

int acct__login_session_list(acct__login_session **out, size_t *n, acct_session *s)
{
	static const unsigned char prefix[] = "l";
	acct_storage_iterator *it = NULL;
	acct_buf k = ACCT_BUF_INIT, v = ACCT_BUF_INIT;
	acct__login_session *list = NULL;
	size_t count = 0, cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = acct__session_check(s)) < 0)
		return rc;
	if ((rc = acct__read_begin(s->ctx)) < 0)
		return rc;
	rc = acct__st_iterate(&it, s->ctx->st, prefix, 1);
	while (rc == 0 && (rc = acct__st_next(it, &k, &v)) == 0) {
		acct__login_session ls;

		if ((rc = decode(&ls, &v)) < 0)
			break;
		/* Sessions of deleted accounts, or of accounts out of reach, are not shown. */
		if (!acct__index_has(&s->ctx->ix, ls.account) || may_manage(s, ls.account, 1) != 0)
			continue;
		snprintf(ls.login, sizeof ls.login, "%s", acct__index_login(&s->ctx->ix, (uint32_t)ls.account));
		if (acct__grow((void **)&list, &cap, count + 1, sizeof *list) < 0) {
			rc = acct__error_oom();
			break;
		}
		list[count++] = ls;
	}
	if (rc == ACCT_ITEROVER)
		rc = 0;
	acct__st_iter_free(it);
	acct__read_end(s->ctx);
	acct_buf_dispose(&k);
	acct_buf_dispose(&v);
	if (rc < 0) {
		acct__free(list);
		return rc;
	}
	/* Keys are random: order by creation time, as the comment in engine.h promises. */
	if (count > 1)
		qsort(list, count, sizeof(*list), by_created);
	*out = list;
	*n = count;
	return 0;
}

int acct__login_session_terminate(acct_session *s, const char *id)
{
	acct_buf v = ACCT_BUF_INIT;
	acct__login_session ls = { "", 0, "", "", 0 };
	unsigned char key[9];
	int rc;

	if ((rc = acct__session_check(s)) < 0)
		return rc;
	if (id == NULL || key_of(key, id) != 0)
		return acct__error_set(ACCT_ENOTFOUND, "session '%s' not found", id != NULL ? id : "");
	if ((rc = acct__write_begin(s->ctx)) < 0)
		return rc;
	rc = acct__st_get(s->ctx->st, key, sizeof key, &v);
	if (rc == 0)
		rc = decode(&ls, &v);
	/* A deleted account's sessions are the admin's to end. */
	if (rc == ACCT_ENOTFOUND || (rc == 0 && strcmp(ls.id, id) != 0) ||
	    (rc == 0 && acct__index_has(&s->ctx->ix, ls.account) && may_manage(s, ls.account, 1) != 0) ||
	    (rc == 0 && !acct__index_has(&s->ctx->ix, ls.account) && s->actor != 1))
		rc = acct__error_set(ACCT_ENOTFOUND, "session '%s' not found", id);
	if (rc == 0)
		rc = acct__st_del(s->ctx->st, key, sizeof key);
	rc = acct__write_end(s->ctx, rc);
	acct__write_unlock(s->ctx);
	acct_buf_dispose(&v);
	return ACCT__AUDIT(s, "session.terminate", rc == 0 ? ls.account : 0, rc);
}
