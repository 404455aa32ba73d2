/**
 * @file acct/buf.h
 * @brief Byte and string buffers that libacct fills for the caller.
 */
#ifndef ACCT_BUF_H
#define ACCT_BUF_H

#include "common.h"

ACCT_BEGIN_DECL

/**
 * A buffer owned by the caller and filled by libacct.
 *
 * Start it with ACCT_BUF_INIT or acct_buf_init(); release it with
 * acct_buf_dispose(), never with free(): libacct's allocator filled it.
 * After a successful fill, @c ptr[size] is always a NUL byte, so text can be
 * used as a C string; binary data may also contain NULs.
 */
typedef struct acct_buf {
	char *ptr;       /**< the bytes, or NULL when empty and never filled */
	size_t reserved; /**< bytes allocated at @c ptr (0 when not owned) */
	size_t size;     /**< bytes in use, not counting the trailing NUL */
} acct_buf;

#define ACCT_BUF_INIT { NULL, 0, 0 }

/** Initialise @p buf as ACCT_BUF_INIT does (for bindings that cannot expand macros). */
ACCT_EXTERN(void) acct_buf_init(acct_buf *buf);

/**
 * Replace the contents of @p buf with a copy of @p len bytes at @p data
 * (which may be NULL when @p len is 0) and a trailing NUL. The data is copied.
 * Storage and transport backends return data this way so allocators never mix.
 * @return 0 or ACCT_ENOMEM (the buffer is unchanged on failure)
 */
ACCT_EXTERN(int) acct_buf_set(acct_buf *buf, const void *data, size_t len);

/**
 * Free the memory of @p buf and reset it to empty. Accepts NULL and an
 * already disposed buffer.
 */
ACCT_EXTERN(void) acct_buf_dispose(acct_buf *buf);

ACCT_END_DECL

#endif
