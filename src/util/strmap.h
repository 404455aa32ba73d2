/*
 * An open-addressing hash table from a key to a 32-bit id. Keys are not stored:
 * the table keeps ids only and asks its owner for an id's hash and to compare
 * (the index already holds each login and GUID once). 0 is never a valid id.
 */
#ifndef ACCT_STRMAP_H
#define ACCT_STRMAP_H

#include <stdint.h>
#include <stddef.h>

/* The hash of the key that `id` holds. */
typedef uint64_t (*acct__idmap_hash)(const void *owner, uint32_t id);
/* Does `id` hold `key`? */
typedef int (*acct__idmap_eq)(const void *owner, uint32_t id, const void *key);

typedef struct acct__idmap {
	uint32_t *slots;  /* 0 empty, UINT32_MAX deleted, else an id */
	size_t cap;       /* a power of two, or 0 */
	size_t used;      /* live ids */
	size_t filled;    /* live + deleted slots */
	acct__idmap_hash hash;
	acct__idmap_eq eq;
	const void *owner;
} acct__idmap;

void acct__idmap_init(acct__idmap *m, acct__idmap_hash hash, acct__idmap_eq eq, const void *owner);
void acct__idmap_free(acct__idmap *m);
/* Make room for `n` more inserts, so they cannot fail. 0 or ACCT_ENOMEM. */
int acct__idmap_reserve(acct__idmap *m, size_t n);
/* The id holding key (whose hash is `hash`), or 0. */
uint32_t acct__idmap_find(const acct__idmap *m, uint64_t hash, const void *key);
/* Insert after a reserve; the caller ensures the key is absent. */
void acct__idmap_insert(acct__idmap *m, uint32_t id);
/* Remove id; call before the owner forgets its key. */
void acct__idmap_remove(acct__idmap *m, uint32_t id);
size_t acct__idmap_bytes(const acct__idmap *m);

#endif
