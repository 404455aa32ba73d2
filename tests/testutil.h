/*
 * testutil.h - helpers shared by the check suites.
 *
 * Black-box: only the public headers (acct.h and the acct/sys headers) are used.
 * Helpers whose name starts with open_/add_ assert success themselves (with
 * check's ck_assert), so they may only be called from a test's own thread.
 */
#ifndef ACCT_TESTUTIL_H
#define ACCT_TESTUTIL_H

#include <check.h>
#include <stddef.h>
#include <stdint.h>

#include <acct.h>
#include <acct/sys/alloc.h>
#include <acct/sys/errors.h>
#include <acct/sys/storage.h>

#define TEST_ADMIN_LOGIN "admin"
#define TEST_ADMIN_PASSWORD "adminpass1"
/* A password every test account gets, so it can log in. */
#define TEST_PASSWORD "Secret-pass1"

/* ------------------------------------------------------------------------ */
/* Fake clock                                                               */
/* ------------------------------------------------------------------------ */

/* 2024-03-05 12:00:00 UTC */
#define TEST_CLOCK_START INT64_C(1709640000)
#define TEST_CLOCK_START_DATE "2024-03-05"

typedef struct test_clock {
	int64_t now; /* seconds since the Unix epoch; tests move it by hand */
} test_clock;

/* An acct_clock_fn: returns ((test_clock *)payload)->now. */
int64_t test_clock_now(void *payload);

/* The clock open_ctx() uses; reset to TEST_CLOCK_START by open_ctx(). */
extern test_clock test_default_clock;

/* ------------------------------------------------------------------------ */
/* Assertions                                                               */
/* ------------------------------------------------------------------------ */

/* The calling thread's last error message, copied (never NULL). */
const char *test_last_message(char *buf, size_t size);

/* Assert that EXPR returns EXPECTED; the failure names both codes and the message. */
#define ck_assert_rc(expr, expected)                                           \
	do {                                                                       \
		int ck_rc_ = (expr);                                                   \
		int ck_exp_ = (expected);                                              \
		char ck_msg_[512];                                                     \
		test_last_message(ck_msg_, sizeof ck_msg_);                            \
		ck_assert_msg(ck_rc_ == ck_exp_,                                       \
		              "%s returned %d (%s), expected %d (%s); last error: '%s'", \
		              #expr, ck_rc_, acct_strerror(ck_rc_), ck_exp_,           \
		              acct_strerror(ck_exp_), ck_msg_);                        \
	} while (0)

#define ck_assert_ok(expr) ck_assert_rc((expr), 0)

/*
 * Assert that the last error on this thread is CODE with a non-empty message
 * that contains NEEDLE (case-insensitive; NULL: any non-empty message).
 */
void test_assert_last_error(int code, const char *needle, const char *context);

/* strstr ignoring ASCII case. */
const char *test_strcasestr(const char *haystack, const char *needle);

/* ------------------------------------------------------------------------ */
/* Contexts, sessions and accounts                                          */
/* ------------------------------------------------------------------------ */

/*
 * Fill @p opts from ACCT_CTX_OPTIONS_INIT: admin "admin" / "adminpass1",
 * password_cost 1 (fast), and @p clock (NULL: no clock, the system's).
 */
void test_ctx_options(acct_ctx_options *opts, test_clock *clock);

/* A ctx over a new memory store with test_ctx_options(&test_default_clock). */
acct_ctx *open_ctx(void);

/*
 * As open_ctx(), also giving the backend (owned by the ctx, valid until
 * acct_ctx_free()) so the test can dump it.
 */
acct_ctx *open_ctx_with_storage(acct_storage **storage_out);

/* acct_ctx_new() over @p storage with test_ctx_options(clock); asserts success. */
acct_ctx *open_ctx_over(acct_storage *storage, test_clock *clock);

/* A session acting as account @p id (acct_session_open_as); asserts success. */
acct_session *open_session(acct_ctx *ctx, acct_id id);

/* A password session (acct_session_open); asserts success. */
acct_session *open_session_pw(acct_ctx *ctx, const char *login, const char *password);

/*
 * Add an account of @p type under @p owner with login, name (the login when
 * NULL) and TEST_PASSWORD. Returns the code of acct_account_add().
 */
int try_add_account(acct_id *id_out, acct_session *s, acct_id owner, int type,
                    const char *login, const char *name);

/* As try_add_account(), asserting success; returns the new id. */
acct_id add_account(acct_session *s, acct_id owner, int type, const char *login, const char *name);
acct_id add_reseller(acct_session *s, acct_id owner, const char *login, const char *name);
acct_id add_customer(acct_session *s, acct_id owner, const char *login, const char *name);
acct_id add_user(acct_session *s, acct_id owner, const char *login, const char *name);

/* One account of a test tree: its login, type and owner (an index into the same table; -1 for the admin). */
typedef struct test_node {
	const char *login;
	int type;
	int owner;
} test_node;

/*
 * Add the accounts of @p nodes[1..n-1] in table order (so ids ascend in that
 * order) with @p admin; nodes[0] is the admin (id 1). @p ids receives the ids.
 */
void add_tree(acct_id *ids, acct_session *admin, const test_node *nodes, int n);

/* The most nodes a test_tree holds. */
#define TEST_TREE_MAX 32

/*
 * A test tree: a fresh ctx holding the accounts of a test_node table, and a
 * session per node, opened the first time tree_session() asks for it.
 */
typedef struct test_tree {
	acct_ctx *ctx;
	acct_storage *store;            /* the memory backend (owned by ctx), for dumps */
	acct_session *admin;            /* a session of the admin (node 0) */
	acct_session *s[TEST_TREE_MAX]; /* a session per node, or NULL (see tree_session()) */
	acct_id id[TEST_TREE_MAX];      /* the id of each node */
	int n;                          /* the number of nodes */
} test_tree;

/*
 * Fill @p t (zeroed first): open_ctx_with_storage(), a session of the admin,
 * and add_tree() with @p nodes[0..n-1] (n at most TEST_TREE_MAX).
 */
void open_tree(test_tree *t, const test_node *nodes, int n);

/* The session of node @p node: t->admin for node 0, else opened (open_session) on first use. */
acct_session *tree_session(test_tree *t, int node);

/* Free every session of @p t, then its ctx (and with it the store). */
void close_tree(test_tree *t);

/* Lookup @p id with @p s, asserting success (the caller frees). */
acct_account *lookup_ok(acct_session *s, acct_id id);

/* The owner / type / own status of @p id, read with @p s (asserts it is found). */
acct_id owner_of(acct_session *s, acct_id id);
int type_of(acct_session *s, acct_id id);
unsigned int status_of(acct_session *s, acct_id id);

/*
 * Collect the ids an iterator gives (acct_account_iterator_new with
 * @p parent and @p mode) into @p ids (at most @p max). Returns the code of
 * iterator_new or the first error of next (0 on a clean end).
 */
int collect_ids(acct_id *ids, size_t max, size_t *n_out, acct_session *s, acct_id parent, int mode);

/* Assert that @p got (n_got ids) is exactly @p want (n_want ids), naming @p what. */
void assert_ids(const acct_id *got, size_t n_got, const acct_id *want, size_t n_want, const char *what);

/* Whether an account of type @p owner_type may own one of type @p type (spec/policy.md). */
int test_may_own(int owner_type, int type);

/* ------------------------------------------------------------------------ */
/* Workers: threads (or processes) that must not assert                      */
/* ------------------------------------------------------------------------ */

/*
 * Check's assertions may only run on the test's own thread: a worker notes
 * its problems in a test_worker_log and the test asserts afterwards that
 * there were none. The helpers below never assert.
 */
typedef struct test_worker_log {
	char who[32];      /* what every message starts with, e.g. "thread 2" */
	int problems;      /* problems noted */
	char problem[256]; /* the first one: "<who>: <message>" */
} test_worker_log;

/* Zero @p log; its messages will start with "<kind> <index>". */
void test_worker_log_init(test_worker_log *log, const char *kind, int index);

/* Note a problem (printf-style, "<who>: " is prepended); only the first message is kept. */
void test_problem(test_worker_log *log, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

/* A customer a worker created, and where it should be now. */
typedef struct test_customer {
	acct_id id;
	acct_id owner; /* the reseller it should be under now */
	acct_id user;  /* its user, or 0 */
	int alive;
} test_customer;

/* Note a problem (naming @p what) unless @p id, looked up with @p s, is owned by @p owner. */
void test_worker_check_owner(test_worker_log *log, acct_session *s, acct_id id, acct_id owner, const char *what);

/*
 * Suspend customer @p id as its reseller (@p rs), see with @p admin that its
 * effective status is ACCT_STATUS_BY_RESELLER, and activate it again; note
 * any problem.
 */
void test_worker_suspend_activate(test_worker_log *log, acct_session *admin, acct_session *rs, acct_id id);

/*
 * Move @p c to owner @p to as the admin; on success c->owner follows, else
 * note a problem naming @p what (e.g. "change owner").
 */
void test_worker_move(test_worker_log *log, acct_session *admin, test_customer *c, acct_id to, const char *what);

/*
 * Delete @p c (and with it its user) as the admin: on success c->alive is
 * cleared and the number of accounts removed (2 with a user, else 1) is
 * returned; on failure a problem is noted and 0 returned.
 */
int test_worker_delete(test_worker_log *log, acct_session *admin, test_customer *c);

/* ------------------------------------------------------------------------ */
/* Byte strings: store dumps and views                                      */
/* ------------------------------------------------------------------------ */

typedef struct test_bytes {
	unsigned char *data;
	size_t len;
	size_t cap;
} test_bytes;

#define TEST_BYTES_INIT { NULL, 0, 0 }

void test_bytes_append(test_bytes *b, const void *data, size_t len);
void test_bytes_printf(test_bytes *b, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
void test_bytes_free(test_bytes *b);
int test_bytes_equal(const test_bytes *a, const test_bytes *b);

/*
 * Dump every key and value of @p storage into @p out (replacing it), through
 * the vtable in one read transaction: for each pair in key order, a 4-byte
 * length and the key, then a 4-byte length and the value. Two dumps compare
 * equal iff the stores hold exactly the same data.
 * @return 0 or the backend's error
 */
int test_dump_store(test_bytes *out, acct_storage *storage);

/*
 * A text view of every account @p s can see (its own account, then its
 * descendants): id, type, owner, own status, created, every readable field,
 * and the descriptions written by the account itself and by the admin.
 * Two contexts over the same store must give the same view.
 * @return 0 or the first error
 */
int test_view(test_bytes *out, acct_session *s);

/* ------------------------------------------------------------------------ */
/* A delegating backend: contract checks, fault injection, free counting      */
/* ------------------------------------------------------------------------ */

#define TEST_FAULT_MESSAGE "injected storage fault"

/*
 * State of a wrapper made by test_storage_wrap(). Owned by the test (it must
 * outlive the wrapper, so the test can read free_calls after acct_ctx_free).
 */
typedef struct test_storage {
	acct_storage *inner;       /* the backend calls are passed to */
	int owns_inner;            /* free @c inner when the wrapper is freed */

	/* Fault injection: every call of begin, commit, get, put, del, iterate
	 * and iterator next is counted; call number @c fail_at (1-based; 0:
	 * never) fails with ACCT_EUSER and TEST_FAULT_MESSAGE instead of
	 * reaching the inner backend. rollback is never failed. */
	unsigned long calls;
	unsigned long fail_at;
	unsigned long faults;      /* faults injected so far */

	int free_calls;            /* times the wrapper's free method ran */

	/* Contract checks (acct/sys/storage.h): no nested transactions, no
	 * access outside a transaction, no writes in a read transaction or
	 * while an iterator is open, iterators freed before the transaction
	 * ends, no transaction open when the backend is freed. */
	int in_txn;
	int txn_write;
	int open_iterators;
	unsigned long violations;
	char violation[256];       /* the first violation seen */
} test_storage;

/* Zero @p st and set its inner backend. */
void test_storage_setup(test_storage *st, acct_storage *inner, int owns_inner);

/*
 * Make a version-1 backend that passes every call to @p st->inner. It is
 * allocated with exactly the size of struct acct_storage as of version 1
 * (an "old backend": ASan catches the library reading past it).
 * Its free method frees the wrapper (and the inner backend when owns_inner).
 * @return 0 or ACCT_ENOMEM
 */
int test_storage_wrap(acct_storage **out, test_storage *st);

/* The size of struct acct_storage as of version 1. */
#define TEST_STORAGE_V1_SIZE \
	(offsetof(acct_storage, free) + sizeof(((acct_storage *)0)->free))

/* ------------------------------------------------------------------------ */
/* Running a suite                                                          */
/* ------------------------------------------------------------------------ */

/*
 * Run @p suite with CK_NORMAL output; when @p global_init, between
 * acct_global_init() and acct_global_shutdown().
 * @return EXIT_SUCCESS when every test passed, else EXIT_FAILURE
 */
int test_run_suite(Suite *suite, int global_init);

#endif
