/*
 * quickstart.c - the first libacct program to copy from.
 *
 * It opens a context over an SQLite file (the embedded default store; the
 * memory store when libacct was built without SQLite), builds a small
 * hierarchy (a reseller, two customers, two users), prints it, suspends the
 * reseller to show that its whole subtree is disabled at once, activates it
 * again, and shows two operations the policy refuses.
 *
 * Build (after `make install`):
 *     cc -std=c99 -Wall -Wextra quickstart.c $(pkg-config --cflags --libs libacct)
 * Run: ./quickstart [FILE]   (default quickstart.db; it starts afresh each run)
 *
 * Every libacct call that can fail is wrapped in CHECK(): on failure it
 * prints the error's message and exits. A real host would handle the error
 * instead of exiting.
 */
#include <stdio.h>
#include <stdlib.h>
#include <acct.h>

/* Print the details of the last libacct error on this thread and exit. */
static void die(const char *what, int rc)
{
	const acct_error *e = acct_error_last();

	/* e is valid until the next libacct call on this thread: use it first. */
	fprintf(stderr, "quickstart: %s failed: %s (Plesk %d)\n", what, e->message, e->plesk_code);
	fprintf(stderr, "quickstart: return code %d: %s\n", rc, acct_strerror(rc));
	exit(EXIT_FAILURE);
}

#define CHECK(call)                          \
	do {                                 \
		int rc_ = (call);            \
		if (rc_ < 0)                 \
			die(#call, rc_);     \
	} while (0)

/* Print what a refused call said, and stop if it was not refused as expected. */
static void show_refusal(const char *what, int rc, int expected)
{
	const acct_error *e = acct_error_last();

	if (rc == 0) {
		fprintf(stderr, "quickstart: %s was allowed, but should have been refused\n", what);
		exit(EXIT_FAILURE);
	}
	printf("  %s\n    -> refused: %s (Plesk %d)\n", what, e->message, e->plesk_code);
	if (rc != expected) {
		fprintf(stderr, "quickstart: expected \"%s\", got \"%s\"\n",
		        acct_strerror(expected), acct_strerror(rc));
		exit(EXIT_FAILURE);
	}
}

/* "active", or the status bits spelled out. */
static const char *status_text(unsigned int status, char *buf, size_t len)
{
	static const struct { unsigned int bit; const char *name; } bits[] = {
		{ ACCT_STATUS_BACKUP, "backup" },
		{ ACCT_STATUS_BY_ADMIN, "disabled-by-admin" },
		{ ACCT_STATUS_BY_RESELLER, "disabled-by-reseller" },
		{ ACCT_STATUS_BY_CUSTOMER, "disabled-by-customer" },
		{ ACCT_STATUS_EXPIRED, "expired" },
	};
	size_t i, used = 0;

	if (status == ACCT_STATUS_ACTIVE)
		return "active";
	buf[0] = '\0';
	for (i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		if (status & bits[i].bit) {
			int n = snprintf(buf + used, len - used, "%s%s", used ? "," : "", bits[i].name);
			if (n < 0 || (size_t)n >= len - used)
				break;
			used += (size_t)n;
		}
	}
	return buf;
}

/* One text field of a new account; a list of them ends with { 0, NULL }. */
struct field {
	int field;         /* ACCT_FIELD_* */
	const char *value; /* copied by acct_account_set() */
};

/* Create an account of @p type under @p owner, acting as @p s; return its id. */
static acct_id create(acct_session *s, acct_id owner, int type, const struct field *fields)
{
	acct_account *a = NULL;
	acct_id id = 0;

	CHECK(acct_account_new(&a, type));
	for (; fields->field != 0; fields++)
		CHECK(acct_account_set(a, fields->field, fields->value));
	CHECK(acct_account_add(&id, s, owner, a));
	printf("created %-8s %-8s id %lld\n", acct_account_type_name(type),
	       acct_account_get(a, ACCT_FIELD_LOGIN), (long long)id);
	acct_account_free(a);
	return id;
}

/* Print every account below the session's own account, indented by depth. */
static void print_tree(acct_session *s)
{
	struct { acct_id id; int depth; } seen[64];
	size_t nseen = 0;
	acct_account_iterator *it = NULL;
	acct_id root = acct_session_account(s);
	acct_id id;
	int rc;

	printf("\n%-28s %-9s %-22s %-3s %s\n", "login", "type", "email", "cc", "status (own / effective)");
	CHECK(acct_account_iterator_new(&it, s, root, ACCT_ITER_DESCENDANTS));
	/* Depth first, parents before their children: an owner is always seen first. */
	while ((rc = acct_account_iterator_next(&id, it)) == 0) {
		acct_account *a = NULL;
		const char *email, *country;
		unsigned int effective;
		char own_buf[96], eff_buf[96], indented[64];
		int depth = 1;
		size_t i;

		CHECK(acct_account_lookup(&a, s, id));
		CHECK(acct_account_effective_status(&effective, s, id));
		for (i = 0; i < nseen; i++)
			if (seen[i].id == acct_account_owner(a))
				depth = seen[i].depth + 1;
		if (nseen < sizeof(seen) / sizeof(seen[0])) {
			seen[nseen].id = id;
			seen[nseen].depth = depth;
			nseen++;
		}
		email = acct_account_get(a, ACCT_FIELD_EMAIL);     /* borrowed from a */
		country = acct_account_get(a, ACCT_FIELD_COUNTRY); /* NULL when unset */
		snprintf(indented, sizeof(indented), "%*s%s", 2 * (depth - 1), "",
		         acct_account_get(a, ACCT_FIELD_LOGIN));
		printf("%-28s %-9s %-22s %-3s %s / %s\n", indented,
		       acct_account_type_name(acct_account_type(a)),
		       email ? email : "-", country ? country : "-",
		       status_text(acct_account_status(a), own_buf, sizeof(own_buf)),
		       status_text(effective, eff_buf, sizeof(eff_buf)));
		acct_account_free(a);
	}
	if (rc != ACCT_ITEROVER)
		die("acct_account_iterator_next", rc);
	acct_account_iterator_free(it);
	printf("\n");
}

/* Look an account up by login and print its type and status. */
static void show_account(acct_session *s, const char *login)
{
	acct_account *a = NULL;
	unsigned int effective;
	char own_buf[96], eff_buf[96];

	CHECK(acct_account_lookup_login(&a, s, login));
	CHECK(acct_account_effective_status(&effective, s, acct_account_id(a)));
	printf("  %-8s %-6s own status: %s, effective: %s%s\n",
	       acct_account_type_name(acct_account_type(a)), login,
	       status_text(acct_account_status(a), own_buf, sizeof(own_buf)),
	       status_text(effective, eff_buf, sizeof(eff_buf)),
	       effective ? " (effectively disabled)" : "");
	acct_account_free(a);
}

/* Start from an empty file: remove the database and SQLite's WAL files. */
static void remove_store(const char *path)
{
	char side[4096];

	remove(path);
	snprintf(side, sizeof(side), "%s-wal", path);
	remove(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	remove(side);
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "quickstart.db";
	acct_storage *store = NULL;
	acct_ctx *ctx = NULL;
	acct_ctx_options opts = ACCT_CTX_OPTIONS_INIT;
	acct_session *admin = NULL, *reseller = NULL, *bob = NULL, *denied = NULL;
	acct_account *a = NULL;
	acct_id acme, bob_id, carol_id;
	int rc;

	CHECK(acct_global_init());
	printf("libacct %s\n", acct_version(NULL, NULL, NULL));

	/* SQLite: one file, durable. The demo starts afresh each time. */
	remove_store(path);
	rc = acct_storage_sqlite_new(&store, path, NULL);
	if (rc == ACCT_ENOTSUPPORTED) {
		printf("(built without SQLite: using the memory store)\n");
		CHECK(acct_storage_memory_new(&store));
	} else {
		CHECK(rc);
		printf("store: %s (SQLite)\n", path);
	}

	/*
	 * An empty store is initialised with an administrator (id 1). A real host
	 * reads the password from its configuration. password_cost 10 keeps this
	 * demo quick; leave it at 0 for the default (15, about 32 MiB per hash),
	 * which is much harder to brute-force.
	 */
	opts.admin_login = "admin";
	opts.admin_password = "admin-secret-1";
	opts.password_cost = 10;
	rc = acct_ctx_new(&ctx, store, &opts);
	if (rc < 0) {
		/* Read the error first; on failure the store is still ours to free. */
		fprintf(stderr, "quickstart: acct_ctx_new failed: %s\n", acct_error_last()->message);
		acct_storage_free(store);
		return EXIT_FAILURE;
	}
	store = NULL; /* the context owns it now and frees it */

	CHECK(acct_session_open(&admin, ctx, "admin", "admin-secret-1"));
	printf("admin session opened (account %lld)\n\n", (long long)acct_session_account(admin));

	/* The hierarchy: admin -> reseller acme -> customers bob, carol; users under bob. */
	acme = create(admin, 1, ACCT_TYPE_RESELLER, (const struct field[]) {
		{ ACCT_FIELD_LOGIN, "acme" }, { ACCT_FIELD_PASSWORD, "acme-secret-1" },
		{ ACCT_FIELD_NAME, "Acme Hosting" }, { ACCT_FIELD_EMAIL, "ops@acme.example" },
		{ ACCT_FIELD_COUNTRY, "DE" }, { 0, NULL } });
	bob_id = create(admin, acme, ACCT_TYPE_CUSTOMER, (const struct field[]) {
		{ ACCT_FIELD_LOGIN, "bob" }, { ACCT_FIELD_PASSWORD, "bob-secret-1" },
		{ ACCT_FIELD_NAME, "Bob Smith" }, { ACCT_FIELD_EMAIL, "bob@example.com" },
		{ ACCT_FIELD_COUNTRY, "US" }, { 0, NULL } });
	carol_id = create(admin, acme, ACCT_TYPE_CUSTOMER, (const struct field[]) {
		{ ACCT_FIELD_LOGIN, "carol" }, { ACCT_FIELD_PASSWORD, "carol-secret-1" },
		{ ACCT_FIELD_NAME, "Carol Jones" }, { ACCT_FIELD_EMAIL, "carol@example.org" },
		{ ACCT_FIELD_COUNTRY, "GB" }, { 0, NULL } });
	create(admin, bob_id, ACCT_TYPE_USER, (const struct field[]) {
		{ ACCT_FIELD_LOGIN, "bob.web" }, { ACCT_FIELD_PASSWORD, "web-secret-1" },
		{ ACCT_FIELD_NAME, "Bob's webmaster" }, { ACCT_FIELD_EMAIL, "web@example.com" },
		{ 0, NULL } });
	create(admin, bob_id, ACCT_TYPE_USER, (const struct field[]) {
		{ ACCT_FIELD_LOGIN, "bob.mail" }, { ACCT_FIELD_PASSWORD, "mail-secret-1" },
		{ ACCT_FIELD_NAME, "Bob's mail admin" }, { ACCT_FIELD_EMAIL, "mail@example.com" },
		{ 0, NULL } });

	print_tree(admin);

	/* Lookups return a detached copy; fields are borrowed from it. */
	CHECK(acct_account_lookup_login(&a, admin, "carol"));
	printf("lookup 'carol': id %lld, %s, owner %lld, name \"%s\", country %s\n\n",
	       (long long)acct_account_id(a), acct_account_type_name(acct_account_type(a)),
	       (long long)acct_account_owner(a), acct_account_get(a, ACCT_FIELD_NAME),
	       acct_account_get(a, ACCT_FIELD_COUNTRY));
	acct_account_free(a);
	a = NULL;

	/*
	 * Suspending the reseller sets the admin's bit (16) on it alone; its
	 * customers and their users are disabled through it without any record
	 * of theirs being rewritten.
	 */
	printf("suspend reseller 'acme':\n");
	CHECK(acct_account_suspend(admin, acme));
	show_account(admin, "acme");
	show_account(admin, "bob");
	rc = acct_session_open(&denied, ctx, "bob", "bob-secret-1");
	if (rc != ACCT_EDISABLED) {
		fprintf(stderr, "quickstart: bob should not be able to log in (got %d)\n", rc);
		acct_session_free(denied);
		return EXIT_FAILURE;
	}
	{
		const acct_error *e = acct_error_last();
		printf("  login as bob: %s (Plesk %d)\n", e->message, e->plesk_code);
	}

	/* Activating clears only that bit: everything is as it was. */
	printf("\nactivate reseller 'acme':\n");
	CHECK(acct_account_activate(admin, acme));
	show_account(admin, "acme");
	show_account(admin, "bob");
	CHECK(acct_session_open(&bob, ctx, "bob", "bob-secret-1"));
	printf("  login as bob: ok (account %lld)\n", (long long)acct_session_account(bob));

	/* The policy refuses what the acting account may not do. */
	printf("\nrefused operations:\n");
	CHECK(acct_session_open(&reseller, ctx, "acme", "acme-secret-1"));

	/* Only the admin creates resellers, whichever owner a reseller names. */
	CHECK(acct_account_new(&a, ACCT_TYPE_RESELLER));
	CHECK(acct_account_set(a, ACCT_FIELD_LOGIN, "acme2"));
	CHECK(acct_account_set(a, ACCT_FIELD_NAME, "Acme's own reseller"));
	rc = acct_account_add(NULL, reseller, 1, a);
	show_refusal("reseller 'acme' creates reseller 'acme2'", rc, ACCT_EDENIED);
	acct_account_free(a);
	a = NULL;

	/* A customer sees only itself and its own users: carol does not exist for bob. */
	rc = acct_account_lookup(&a, bob, carol_id);
	show_refusal("customer 'bob' reads customer 'carol'", rc, ACCT_ENOTFOUND);

	/* Everything made from the context is freed before the context. */
	acct_session_free(reseller);
	acct_session_free(bob);
	acct_session_free(admin);
	acct_ctx_free(ctx); /* also frees the store */
	CHECK(acct_global_shutdown());
	printf("\ndone\n");
	return EXIT_SUCCESS;
}
