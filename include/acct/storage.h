/**
 * @file acct/storage.h
 * @brief The built-in storage backends a host can open a context over.
 *
 * To write a backend of your own, include acct/sys/storage.h.
 */
#ifndef ACCT_STORAGE_H
#define ACCT_STORAGE_H

#include "common.h"

ACCT_BEGIN_DECL

/** A storage backend: an ordered key-value store with transactions (acct/sys/storage.h). */
typedef struct acct_storage acct_storage;

/**
 * Create an empty in-memory store. Nothing survives acct_ctx_free().
 *
 * @param out  receives the backend; owned by the caller until a successful
 *             acct_ctx_new() takes it over (then the context frees it);
 *             otherwise release it with acct_storage_free()
 * @return 0 or ACCT_ENOMEM
 */
ACCT_EXTERN(int) acct_storage_memory_new(acct_storage **out);

/**
 * Release a backend that was never attached to a context, by calling its
 * own @c free method. Accepts NULL. Never call this on a backend a context owns.
 */
ACCT_EXTERN(void) acct_storage_free(acct_storage *storage);

ACCT_END_DECL

#endif
