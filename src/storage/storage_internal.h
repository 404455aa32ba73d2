/* Glue between the engine and any storage backend: attach checks and calls. */
#ifndef ACCT_STORAGE_INTERNAL_H
#define ACCT_STORAGE_INTERNAL_H

#include "acct/sys/storage.h"

/* Check a backend before a context takes it: version and mandatory methods. */
int acct__storage_check(const acct_storage *s);

/*
 * Call wrappers: the same contract as the vtable, but a failure always leaves
 * a message in the thread's last error, naming the method, even when the
 * backend forgot to set one.
 */
int acct__st_begin(acct_storage *s, int write);
int acct__st_commit(acct_storage *s);
void acct__st_rollback(acct_storage *s);
int acct__st_get(acct_storage *s, const unsigned char *k, size_t klen, acct_buf *v);
int acct__st_put(acct_storage *s, const unsigned char *k, size_t klen, const void *v, size_t vlen);
int acct__st_del(acct_storage *s, const unsigned char *k, size_t klen);
int acct__st_iterate(acct_storage_iterator **out, acct_storage *s, const unsigned char *p, size_t plen);
int acct__st_next(acct_storage_iterator *it, acct_buf *k, acct_buf *v);
void acct__st_iter_free(acct_storage_iterator *it);

#endif
