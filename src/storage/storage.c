/* The storage vtable glue: init functions, attach checks, error-reporting call wrappers. */
#include <stdio.h>
#include <string.h>
#include "util/util.h"
#include "storage_internal.h"

int acct_storage_init(acct_storage *s, unsigned int version)
{
	acct_storage init = ACCT_STORAGE_INIT;

	if (!s || version == 0 || version > ACCT_STORAGE_VERSION)
		return acct__error_set(ACCT_EINVALID, "storage version %u is not supported (1..%d)", version,
		                       ACCT_STORAGE_VERSION);
	*s = init;
	s->version = version;
	return 0;
}

int acct_storage_iterator_init(acct_storage_iterator *it, unsigned int version)
{
	acct_storage_iterator init = ACCT_STORAGE_ITERATOR_INIT;

	if (!it || version == 0 || version > ACCT_STORAGE_ITERATOR_VERSION)
		return acct__error_set(ACCT_EINVALID, "storage iterator version %u is not supported (1..%d)", version,
		                       ACCT_STORAGE_ITERATOR_VERSION);
	*it = init;
	it->version = version;
	return 0;
}

void acct_storage_free(acct_storage *s)
{
	if (s && s->free)
		s->free(s);
}

int acct__storage_check(const acct_storage *s)
{
	if (!s)
		return acct__error_set(ACCT_EINVALID, "no storage backend given");
	if (s->version == 0 || s->version > ACCT_STORAGE_VERSION)
		return acct__error_set(ACCT_EINVALID,
		                       "storage backend has version %u; this libacct supports 1..%d (start it from ACCT_STORAGE_INIT)",
		                       s->version, ACCT_STORAGE_VERSION);
	/* Only version 1 fields are read here: all of them are mandatory. */
	if (!s->begin || !s->commit || !s->rollback || !s->get || !s->put || !s->del || !s->iterate || !s->free)
		return acct__error_set(ACCT_EINVALID,
		                       "storage backend lacks a mandatory method (begin, commit, rollback, get, put, del, iterate and free are required)");
	return 0;
}

/* A backend may fail without saying why: make sure the caller gets a sentence. */
static int failed(int rc, const char *method)
{
	const acct_error *e = acct_error_last();

	if (rc == ACCT_ITEROVER || (rc == ACCT_ENOTFOUND && strcmp(method, "get") == 0))
		return rc;
	if (rc >= 0) /* positive returns are not in the contract */
		return acct__error_set(ACCT_ESTORAGE, "storage backend returned %d from %s", rc, method);
	if (e->code != rc || !e->message[0])
		return acct__error_set(rc, "storage backend failed in %s: %s", method, acct_strerror(rc));
	if (!strstr(e->message, "storage"))
		acct__error_prefix("storage %s failed", method);
	return rc;
}

#define CALL(expr, method)                       \
	do {                                         \
		int rc_;                                 \
		acct_error_clear();                      \
		rc_ = (expr);                            \
		return rc_ == 0 ? 0 : failed(rc_, method); \
	} while (0)

int acct__st_begin(acct_storage *s, int write) { CALL(s->begin(s, write), "begin"); }
int acct__st_commit(acct_storage *s) { CALL(s->commit(s), "commit"); }
int acct__st_get(acct_storage *s, const unsigned char *k, size_t klen, acct_buf *v) { CALL(s->get(s, k, klen, v), "get"); }
int acct__st_del(acct_storage *s, const unsigned char *k, size_t klen) { CALL(s->del(s, k, klen), "del"); }
int acct__st_next(acct_storage_iterator *it, acct_buf *k, acct_buf *v) { CALL(it->next(it, k, v), "iterator next"); }

int acct__st_put(acct_storage *s, const unsigned char *k, size_t klen, const void *v, size_t vlen)
{
	CALL(s->put(s, k, klen, v, vlen), "put");
}

int acct__st_iterate(acct_storage_iterator **out, acct_storage *s, const unsigned char *p, size_t plen)
{
	*out = NULL;
	acct_error_clear();
	{
		int rc = s->iterate(out, s, p, plen);
		if (rc == 0 && (!*out || !(*out)->next || !(*out)->free))
			return acct__error_set(ACCT_ESTORAGE, "storage backend returned an incomplete iterator");
		return rc == 0 ? 0 : failed(rc, "iterate");
	}
}

void acct__st_rollback(acct_storage *s)
{
	/* Keep the error that made us roll back: a rollback's own failure matters less. */
	acct__error_saved sv;

	acct__error_save(&sv);
	(void)s->rollback(s);
	acct__error_restore(&sv);
}

void acct__st_iter_free(acct_storage_iterator *it)
{
	if (it)
		it->free(it);
}
