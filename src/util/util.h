/*
 * Internal helpers shared by every floor: allocation through the host's
 * allocator, error reporting, buffers, validation. Names are acct__*: hidden.
 */
#ifndef ACCT_UTIL_H
#define ACCT_UTIL_H

#include <stdarg.h>
#include <stdint.h>
#include "acct/common.h"
#include "acct/errors.h"
#include "acct/buf.h"

#if defined(__GNUC__)
# define ACCT__PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
# define ACCT__PRINTF(f, a)
#endif

#define ACCT__ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* alloc.c: every allocation of libacct goes through the installed allocator. */
void *acct__malloc(size_t size);
void *acct__calloc(size_t n, size_t size);
void *acct__realloc(void *ptr, size_t size);
void acct__free(void *ptr);
char *acct__strdup(const char *s);
char *acct__strndup(const char *s, size_t n);
/* Wipe then free a secret (password, key): OPENSSL_cleanse first. */
void acct__free_secret(char *s);
/* Grow *arr (of *cap elements of size elem) to hold at least need; 0 or ACCT_ENOMEM. */
int acct__grow(void **arr, size_t *cap, size_t need, size_t elem);

/* errors.c: set the thread's last error; each returns its code. */
int acct__error_set(int code, const char *fmt, ...) ACCT__PRINTF(2, 3);
int acct__error_setv(int code, const char *fmt, va_list ap);
int acct__error_oom(void);
/* Keep the thread's last error across calls that may overwrite it (ending a
 * transaction, a host callback), and put it back afterwards. */
typedef struct acct__error_saved {
	int code, deny_kind;
	char message[512];
} acct__error_saved;
void acct__error_save(acct__error_saved *sv);
void acct__error_restore(const acct__error_saved *sv);
/* Mark the current error as a policy refusal of this kind (acct_deny_kind). */
void acct__error_set_deny_kind(int kind);
/* Prefix the current message with "what: " (adds context on the way up). */
void acct__error_prefix(const char *fmt, ...) ACCT__PRINTF(1, 2);

/* buf.c */
int acct__buf_grow(acct_buf *buf, size_t need);
int acct__buf_put(acct_buf *buf, const void *data, size_t len);
int acct__buf_puts(acct_buf *buf, const char *s);
void acct__buf_clear(acct_buf *buf);

/* buf.c: 8-byte big-endian numbers (keys sort by id, counters, record fields). */
void acct__be64_put(unsigned char out[8], uint64_t v);
uint64_t acct__be64_get(const unsigned char in[8]);

/* validate.c: each returns 0 or ACCT_EINVALID with a message naming `what`. */
int acct__validate_text(const char *what, const char *s, size_t min, size_t max);
int acct__validate_login(const char *s);
int acct__validate_email(const char *what, const char *s);
int acct__validate_country(const char *s);
int acct__validate_locale(const char *s);
int acct__utf8_valid(const char *s, size_t len);
int acct__ascii_casecmp(const char *a, const char *b);
uint64_t acct__hash_str_nocase(const char *s);
uint64_t acct__hash_bytes(const void *p, size_t n);

/* country.c: 1 when s is an assigned ISO 3166-1 alpha-2 code. */
int acct__country_known(const char *s);

/* global.c */
int acct__global_initialized(void);

#endif
