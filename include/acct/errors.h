/**
 * @file acct/errors.h
 * @brief Error codes, their messages and their Plesk errcodes.
 *
 * Fallible functions return 0 or a negative ACCT_E* code. Details of the last
 * failure on the calling thread come from acct_error_last().
 */
#ifndef ACCT_ERRORS_H
#define ACCT_ERRORS_H

#include "common.h"

ACCT_BEGIN_DECL

/**
 * Error codes. Append-only: values are never renumbered or reused.
 * The Plesk errcode each maps to is given in brackets.
 */
typedef enum {
	ACCT_OK = 0,              /**< success */
	ACCT_ERROR = -1,          /**< generic failure [1023] */
	ACCT_ENOTFOUND = -2,      /**< no such object, or outside the caller's scope [1013] */
	ACCT_EEXISTS = -3,        /**< the object or a unique value already exists [1007] */
	ACCT_EINVALID = -4,       /**< an argument or value is invalid [1019] */
	ACCT_ENOMEM = -5,         /**< out of memory [1023] */
	ACCT_EDENIED = -6,        /**< permission denied [1006] */
	ACCT_EPARSE = -7,         /**< malformed input (XML, record, JSON) [1014] */
	ACCT_ENOTSUPPORTED = -8,  /**< not supported by this build, backend or protocol [1017] */
	ACCT_EUSER = -9,          /**< a host callback or backend failed [1023] */
	ACCT_ITEROVER = -10,      /**< an iterator has no more items (not a failure) [0] */
	ACCT_EAUTH = -11,         /**< wrong login or password [1001] */
	ACCT_EDISABLED = -12,     /**< the account is (effectively) disabled [1011] */
	ACCT_ELOCKED = -13,       /**< the login is locked after failed attempts [1012] */
	ACCT_ELIMIT = -14,        /**< a limit would be exceeded [1024] */
	ACCT_ESTATUS = -15,       /**< a status value that may not be set [1025] */
	ACCT_EOWNER = -16,        /**< the owner does not exist or cannot own this [1015] */
	ACCT_ESTORAGE = -17,      /**< the storage backend failed [1023] */
	ACCT_EKEY = -18,          /**< secret key validation failed [11003] */
	ACCT_EVERSION = -19,      /**< protocol or format version not supported [1005] */
	ACCT_ENETWORK = -20       /**< a transport could not reach the agent or got no reply [1023] */
} acct_error_code;

/**
 * Details of the last failure on this thread.
 *
 * Owned by libacct; valid until the next libacct call on the same thread.
 * Fields may be appended in later versions (libacct allocates it, never the caller).
 */
typedef struct acct_error {
	int code;            /**< the ACCT_E* code, or ACCT_OK if nothing failed */
	int plesk_code;      /**< the Plesk errcode for @c code (0 for ACCT_OK) */
	const char *message; /**< a sentence a person understands; never NULL */
	/**
	 * For a refusal by the policy, which rule refused (an acct_deny_kind of
	 * acct/perm.h: object, method, rule, ...); 0 for every other failure.
	 */
	int deny_kind;
} acct_error;

/**
 * A static description of an error code, e.g. "not found".
 * Never NULL, never allocates; unknown codes give "unknown error".
 */
ACCT_EXTERN(const char *) acct_strerror(int code);

/**
 * The Plesk XML API errcode for an ACCT_E* code (spec/plesk-protocol.md section 11).
 * @return e.g. 1013 for ACCT_ENOTFOUND; 0 for ACCT_OK and ACCT_ITEROVER; 1023 for unknown codes
 */
ACCT_EXTERN(int) acct_error_plesk_code(int code);

/**
 * The last error on the calling thread. Never NULL: when nothing failed the
 * code is ACCT_OK and the message is empty. Borrowed: owned by libacct.
 * Works before acct_global_init() and when a constructor failed.
 */
ACCT_EXTERN(const acct_error *) acct_error_last(void);

/** Forget the calling thread's last error. */
ACCT_EXTERN(void) acct_error_clear(void);

ACCT_END_DECL

#endif
