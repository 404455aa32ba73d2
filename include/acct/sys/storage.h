/**
 * @file acct/sys/storage.h
 * @brief The storage vtable, for hosts that bring their own backend.
 *
 * A backend is an ordered key-value store with transactions. Keys and values
 * are byte strings; keys compare as unsigned bytes (memcmp, shorter first on a
 * tie). libacct keeps the whole account schema itself, so fields can be added
 * without changing this interface.
 *
 * Threads: libacct calls a backend's methods from one thread at a time (the
 * context serializes them), so a backend attached to one context needs no
 * locking of its own. Two contexts on one shared store must be kept apart by
 * the store (SQLite's or PostgreSQL's own locking).
 *
 * Errors: return 0 or a negative ACCT_E* code; report host failures with
 * acct_error_set_str(ACCT_EUSER or ACCT_ESTORAGE, "what went wrong").
 * Return data through acct_buf_set() so allocators never mix.
 *
 * See docs/storage.md for a complete backend.
 */
#ifndef ACCT_SYS_STORAGE_H
#define ACCT_SYS_STORAGE_H

#include "../common.h"
#include "../buf.h"
#include "../storage.h"
#include "errors.h"

ACCT_BEGIN_DECL

typedef struct acct_storage_iterator acct_storage_iterator;

/** An iterator over keys with one prefix, in key order; made by acct_storage.iterate. */
struct acct_storage_iterator {
	unsigned int version; /**< ACCT_STORAGE_ITERATOR_VERSION; stays first */
	void *payload;        /**< the backend's own data */
	/**
	 * Fill @p key and @p value (with acct_buf_set()) with the next pair.
	 * @return 0, ACCT_ITEROVER after the last pair, or an error
	 */
	int (*next)(acct_storage_iterator *it, acct_buf *key, acct_buf *value);
	/** Release the iterator (libacct calls it exactly once). */
	void (*free)(acct_storage_iterator *it);
	/* --- version 1 ends here; append only --- */
};

#define ACCT_STORAGE_ITERATOR_VERSION 1
#define ACCT_STORAGE_ITERATOR_INIT { ACCT_STORAGE_ITERATOR_VERSION, NULL, NULL, NULL }

/**
 * A storage backend. Every method of version 1 is mandatory.
 *
 * Transactions: libacct brackets every access with begin()/commit() or
 * begin()/rollback(), never nests them, and iterates only inside one.
 * A read transaction (write == 0) sees a consistent snapshot; a write
 * transaction is atomic: after rollback(), or after a failed commit(), the
 * store must hold exactly what it held before begin(). When commit() fails,
 * libacct calls rollback() to end the transaction, so rollback() must accept
 * that; it must end the transaction even when it reports an error.
 */
struct acct_storage {
	unsigned int version; /**< ACCT_STORAGE_VERSION; stays first */
	void *payload;        /**< the host's own data */

	/** Start a transaction; @p write is 1 for a write transaction. */
	int (*begin)(acct_storage *s, int write);
	/** Make the transaction's writes durable and end it. */
	int (*commit)(acct_storage *s);
	/** Discard the transaction's writes and end it. */
	int (*rollback)(acct_storage *s);
	/** Copy the value of @p key into @p value; ACCT_ENOTFOUND when absent. */
	int (*get)(acct_storage *s, const unsigned char *key, size_t key_len, acct_buf *value);
	/** Insert or replace @p key (inside a write transaction). Both are copied. */
	int (*put)(acct_storage *s, const unsigned char *key, size_t key_len,
	           const unsigned char *value, size_t value_len);
	/** Remove @p key; removing an absent key succeeds. */
	int (*del)(acct_storage *s, const unsigned char *key, size_t key_len);
	/**
	 * Start an iterator over the keys beginning with @p prefix (all keys when
	 * @p prefix_len is 0), in ascending key order. It is freed before the
	 * transaction ends; writes are not made while it is open.
	 */
	int (*iterate)(acct_storage_iterator **out, acct_storage *s,
	               const unsigned char *prefix, size_t prefix_len);
	/** Release the backend: called exactly once by the context that owns it. */
	void (*free)(acct_storage *s);
	/* --- version 1 ends here; append only --- */
};

#define ACCT_STORAGE_VERSION 1
#define ACCT_STORAGE_INIT { ACCT_STORAGE_VERSION, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL }

/**
 * Initialise @p s as ACCT_STORAGE_INIT does, for @p version (1..ACCT_STORAGE_VERSION).
 * @return 0, or ACCT_EINVALID for an unknown version
 */
ACCT_EXTERN(int) acct_storage_init(acct_storage *s, unsigned int version);

/**
 * Initialise @p it as ACCT_STORAGE_ITERATOR_INIT does, for @p version.
 * @return 0, or ACCT_EINVALID for an unknown version
 */
ACCT_EXTERN(int) acct_storage_iterator_init(acct_storage_iterator *it, unsigned int version);

ACCT_END_DECL

#endif
