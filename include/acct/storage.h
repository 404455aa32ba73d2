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

/** SQLite synchronous settings (PRAGMA synchronous). Append-only. */
typedef enum {
	ACCT_SQLITE_SYNC_OFF = 0,    /**< fastest; a power cut may lose recent commits or corrupt the file */
	ACCT_SQLITE_SYNC_NORMAL = 1, /**< with WAL: survives a crash of the program, not a power cut */
	ACCT_SQLITE_SYNC_FULL = 2    /**< the default: every commit is on disk when it returns */
} acct_sqlite_sync;

/** Options for acct_storage_sqlite_new(). Start from ACCT_SQLITE_OPTIONS_INIT or acct_sqlite_options_init(). */
typedef struct acct_sqlite_options {
	unsigned int version; /**< ACCT_SQLITE_OPTIONS_VERSION */
	int synchronous;      /**< an acct_sqlite_sync value */
	int busy_timeout_ms;  /**< how long to wait for another writer; 0 means 5000 */
} acct_sqlite_options;

#define ACCT_SQLITE_OPTIONS_VERSION 1
#define ACCT_SQLITE_OPTIONS_INIT { ACCT_SQLITE_OPTIONS_VERSION, ACCT_SQLITE_SYNC_FULL, 0 }

/**
 * Initialise @p opts as ACCT_SQLITE_OPTIONS_INIT does, for @p version.
 * @return 0, or ACCT_EINVALID for an unknown version
 */
ACCT_EXTERN(int) acct_sqlite_options_init(acct_sqlite_options *opts, unsigned int version);

/**
 * Open (creating it if needed) an SQLite store at @p path: one file, WAL
 * journal, prepared statements only, a schema version with migrations.
 * Several processes may open one file; writers take turns.
 *
 * @param out   receives the backend (owned until a context takes it, as for
 *              acct_storage_memory_new())
 * @param path  a file name (copied)
 * @param opts  options (copied), or NULL for the defaults
 * @return 0; ACCT_ENOTSUPPORTED when libacct was built without SQLite;
 *         ACCT_ESTORAGE (cannot open, not a libacct database, locked);
 *         ACCT_EVERSION (a schema newer than this libacct); ACCT_EINVALID
 */
ACCT_EXTERN(int) acct_storage_sqlite_new(acct_storage **out, const char *path, const acct_sqlite_options *opts);

/**
 * Open a PostgreSQL store through libpq, for several nodes sharing one
 * database. Keys and values live in one table (created if missing), reached
 * only with parameters. Writers take a transaction-scoped advisory lock, so
 * writes from every node serialize and uniqueness holds across nodes;
 * readers see a consistent snapshot (REPEATABLE READ, READ ONLY).
 *
 * @param out       receives the backend (owned until a context takes it)
 * @param conninfo  a libpq connection string or URI, e.g.
 *                  "postgresql://acct@db/acct" or "host=/tmp dbname=acct" (copied)
 * @return 0; ACCT_ENOTSUPPORTED when libacct was built without libpq;
 *         ACCT_ESTORAGE with the server's message; ACCT_EINVALID
 */
ACCT_EXTERN(int) acct_storage_postgres_new(acct_storage **out, const char *conninfo);

/**
 * Release a backend that was never attached to a context, by calling its
 * own @c free method. Accepts NULL. Never call this on a backend a context owns.
 */
ACCT_EXTERN(void) acct_storage_free(acct_storage *storage);

ACCT_END_DECL

#endif
