/**
 * @file acct/ctx.h
 * @brief The context: one store, its in-memory hierarchy index, and settings.
 *
 * A context may be shared by threads: reads run in parallel and writes are
 * serialized (see docs/threads.md). Everything created from a context must be
 * freed before it.
 */
#ifndef ACCT_CTX_H
#define ACCT_CTX_H

#include "common.h"
#include "storage.h"

ACCT_BEGIN_DECL

typedef struct acct_ctx acct_ctx;

/** A clock: seconds since the Unix epoch. Hosts and tests may inject their own. */
typedef int64_t (*acct_clock_fn)(void *payload);

/**
 * Options for acct_ctx_new(). Start from ACCT_CTX_OPTIONS_INIT or
 * acct_ctx_options_init(); fields are only ever appended.
 */
typedef struct acct_ctx_options {
	unsigned int version;       /**< ACCT_CTX_OPTIONS_VERSION */
	/** Login of the administrator created when the store is empty (copied). */
	const char *admin_login;
	/** Password of that administrator (copied, hashed at once, never stored in clear). */
	const char *admin_password;
	/**
	 * Password hashing cost: log2 of scrypt's N (r=8, p=1). 0 means the
	 * default, 15 (32 MiB, tens of milliseconds). Valid: 1..20. Tests may go low.
	 */
	int password_cost;
	/** Clock; NULL means the system clock. */
	acct_clock_fn clock;
	/** Passed to @c clock. */
	void *clock_payload;
	/**
	 * Login lockout: @c lockout_attempts failed password checks for one
	 * login within @c lockout_window seconds lock it for @c lockout_duration
	 * seconds, during which even the right password gets ACCT_ELOCKED
	 * (Plesk 1012). 0 means the default (5, 60, 900); lockout_attempts -1
	 * turns lockout off.
	 */
	int lockout_attempts;
	int lockout_window;
	int lockout_duration;
	/* --- version 1 ends here --- */
	/**
	 * Version 2. Seconds a verified login and password are remembered, so
	 * a server answering many requests with the same credentials does not
	 * run scrypt for each; 0 (the default) remembers nothing. Only a keyed
	 * SHA-256 of the password is kept, in memory; any write through this
	 * context forgets everything at once, a write by another process within
	 * a second, and lockout is still checked on every use.
	 */
	int auth_cache_seconds;
} acct_ctx_options;

#define ACCT_CTX_OPTIONS_VERSION 2
#define ACCT_CTX_OPTIONS_INIT { ACCT_CTX_OPTIONS_VERSION, NULL, NULL, 0, NULL, NULL, 0, 0, 0, 0 }

/**
 * Initialise @p opts as ACCT_CTX_OPTIONS_INIT does, for @p version.
 * @return 0, or ACCT_EINVALID for an unknown version
 */
ACCT_EXTERN(int) acct_ctx_options_init(acct_ctx_options *opts, unsigned int version);

/**
 * Open a context over @p storage.
 *
 * The backend's version and mandatory methods are checked first. If the store
 * is empty it is initialised: the administrator (id 1) is created with
 * @c opts->admin_login and @c opts->admin_password, which are then required.
 * Otherwise the hierarchy index is loaded from the store.
 *
 * @param out      receives the context (owned; release with acct_ctx_free())
 * @param storage  on success ownership passes to the context, which calls the
 *                 backend's @c free exactly once; on failure the caller keeps it
 * @param opts     options (copied), or NULL for the defaults
 * @return 0, ACCT_EINVALID (bad backend or options), ACCT_ESTORAGE/ACCT_EUSER
 *         (the backend failed), ACCT_EPARSE (a corrupt record), ACCT_ENOMEM
 */
ACCT_EXTERN(int) acct_ctx_new(acct_ctx **out, acct_storage *storage, const acct_ctx_options *opts);

/** Free a context and its backend. Accepts NULL. All sessions must be freed first. */
ACCT_EXTERN(void) acct_ctx_free(acct_ctx *ctx);

/**
 * Reload the hierarchy index if another context or process changed the store
 * (its generation key moved). Write operations do this on their own.
 * @return 0 or an error from the backend
 */
ACCT_EXTERN(int) acct_ctx_refresh(acct_ctx *ctx);

/** The store's generation as last seen by this context (bumped by every write). */
ACCT_EXTERN(uint64_t) acct_ctx_generation(acct_ctx *ctx);

/** Number of accounts in the index. */
ACCT_EXTERN(size_t) acct_ctx_account_count(acct_ctx *ctx);

/** Bytes of memory the hierarchy index uses (arrays, tables, strings). */
ACCT_EXTERN(size_t) acct_ctx_index_bytes(acct_ctx *ctx);

ACCT_END_DECL

#endif
