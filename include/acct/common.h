/**
 * @file acct/common.h
 * @brief Export macros, version numbers, the id type and library start-up.
 *
 * Included by every other libacct header; hosts rarely include it directly.
 */
#ifndef ACCT_COMMON_H
#define ACCT_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
# define ACCT_BEGIN_DECL extern "C" {
# define ACCT_END_DECL }
#else
# define ACCT_BEGIN_DECL
# define ACCT_END_DECL
#endif

/** Marks a public declaration: exported from the shared library, hidden otherwise. */
#if defined(ACCT_STATIC)
# define ACCT_EXTERN(type) extern type
#elif defined(_WIN32)
# if defined(BUILDING_LIBACCT)
#  define ACCT_EXTERN(type) extern __declspec(dllexport) type
# else
#  define ACCT_EXTERN(type) extern __declspec(dllimport) type
# endif
#elif defined(__GNUC__) && __GNUC__ >= 4
# define ACCT_EXTERN(type) extern __attribute__((visibility("default"))) type
#else
# define ACCT_EXTERN(type) extern type
#endif

/** Marks a declaration that will be removed at the next soname change. */
#if defined(__GNUC__)
# define ACCT_DEPRECATED __attribute__((deprecated))
#else
# define ACCT_DEPRECATED
#endif

#define ACCT_VERSION_MAJOR 0
#define ACCT_VERSION_MINOR 1
#define ACCT_VERSION_PATCH 0
#define ACCT_VERSION "0.1.0"

ACCT_BEGIN_DECL

/** An account id: positive, assigned by libacct, never reused. 0 means "none". */
typedef int64_t acct_id;

/**
 * The version of the library actually loaded (which may be newer than the headers).
 *
 * @param major_out  receives the major number; may be NULL
 * @param minor_out  receives the minor number; may be NULL
 * @param patch_out  receives the patch number; may be NULL
 * @return a static string such as "0.1.0" (borrowed, never freed)
 */
ACCT_EXTERN(const char *) acct_version(int *major_out, int *minor_out, int *patch_out);

/**
 * Initialise process-wide state (libxml2's parser). Reference-counted: every call
 * must be matched by acct_global_shutdown(). Thread-safe.
 *
 * @return the new reference count (>= 1), or a negative ACCT_E* code
 */
ACCT_EXTERN(int) acct_global_init(void);

/**
 * Drop one reference taken by acct_global_init(). libacct never calls
 * xmlCleanupParser() nor tears down OpenSSL: the host owns process-wide state.
 *
 * @return the remaining reference count (>= 0), or ACCT_ERROR when not initialised
 */
ACCT_EXTERN(int) acct_global_shutdown(void);

ACCT_END_DECL

#endif
