/**
 * @file acct/sys/alloc.h
 * @brief Replace the allocator libacct uses for its own memory.
 *
 * libacct does not redirect libxml2's or OpenSSL's allocators: those are
 * process-wide and belong to the host.
 */
#ifndef ACCT_SYS_ALLOC_H
#define ACCT_SYS_ALLOC_H

#include "../common.h"

ACCT_BEGIN_DECL

/**
 * An allocator. All three functions are required and must be thread-safe.
 * @c malloc and @c realloc return NULL on failure; @c free accepts NULL.
 */
typedef struct acct_allocator {
	unsigned int version; /**< ACCT_ALLOCATOR_VERSION; stays first */
	void *payload;        /**< passed to every call */
	void *(*malloc)(void *payload, size_t size);
	void *(*realloc)(void *payload, void *ptr, size_t size);
	void (*free)(void *payload, void *ptr);
	/* --- version 1 ends here; append only --- */
} acct_allocator;

#define ACCT_ALLOCATOR_VERSION 1
#define ACCT_ALLOCATOR_INIT { ACCT_ALLOCATOR_VERSION, NULL, NULL, NULL, NULL }

/**
 * Initialise @p a as ACCT_ALLOCATOR_INIT does, for @p version.
 * @return 0, or ACCT_EINVALID for an unknown version
 */
ACCT_EXTERN(int) acct_allocator_init(acct_allocator *a, unsigned int version);

/**
 * Install @p a (copied) as libacct's allocator, or restore the C library's
 * with NULL. Only allowed while libacct is not initialised (before the first
 * acct_global_init() or after the last acct_global_shutdown()), so memory is
 * never freed by an allocator that did not allocate it.
 * @return 0; ACCT_EINVALID (bad version, a missing function, or libacct is initialised)
 */
ACCT_EXTERN(int) acct_global_set_allocator(const acct_allocator *a);

ACCT_END_DECL

#endif
