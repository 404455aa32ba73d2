/*
 * Fuzz target: whatever bytes arrive as a request packet, the agent must
 * answer with a reply (a <system> error or one result per operation), never
 * crash, hang, leak or read out of bounds; and the reply it writes must be
 * one its own client reads back (acct_response_parse). The same bytes are
 * also read as a reply packet, walking every result with the acct_result_*
 * readers, since a client parses whatever a server sends.
 *
 * The store: a memory store seeded once, lazily, with a small hierarchy
 * (admin 1; reseller "res1" (id 2) with 192.0.2.10 in its pool; customers
 * "cust1" (3) of the admin and "cust2" (4) of the reseller; user "user1" (5)
 * of cust1; fixed GUIDs; a secret key (id 1) of the admin bound to
 * 192.0.2.1), password_cost 4, a fixed clock and server name. Its key-value
 * pairs are then kept as a snapshot, and every input runs on a fresh memory
 * store filled from that snapshot, so writes of one input (add, del, set...)
 * never reach the next: an input always takes the same path (only the GUIDs,
 * keys and session ids of new objects are random), and nothing lives across
 * runs but the snapshot. The requester is the admin through ACCT_CRED_SESSION (a
 * trusted session), so every operator and operation is reachable.
 *
 * Built with libFuzzer by ./build.sh check (gate "fuzz"); tests/fuzz/replay.c
 * runs the corpus (tests/fuzz/corpus_agent) under every ordinary build.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <acct.h>
#include <acct/sys/storage.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* 2024-01-02T03:04:05Z */
#define FIXED_NOW INT64_C(1704164645)

/* Fixed GUIDs (and, by the order of adds, ids 2 to 5), so seeds can name them. */
#define GUID_RES1 "22222222-2222-4222-8222-222222222222"
#define GUID_CUST1 "33333333-3333-4333-8333-333333333333"
#define GUID_CUST2 "44444444-4444-4444-8444-444444444444"
#define GUID_USER1 "55555555-5555-4555-8555-555555555555"

typedef struct kv {
	unsigned char *key, *value;
	size_t klen, vlen;
} kv;

static kv *snapshot;
static size_t nsnapshot;
static int seeded; /* 1: the snapshot is ready */

static int64_t fixed_clock(void *payload)
{
	(void)payload;
	return FIXED_NOW;
}

static void ctx_options(acct_ctx_options *o)
{
	acct_ctx_options init = ACCT_CTX_OPTIONS_INIT;

	*o = init;
	o->admin_login = "admin";
	o->admin_password = "adminpass";
	o->password_cost = 4;
	o->clock = fixed_clock;
}

static void configure(acct_ctx *ctx)
{
	acct_agent_options ao = ACCT_AGENT_OPTIONS_INIT;

	ao.server_name = "fuzz.example.com"; /* not the host name: deterministic replies */
	if (acct_agent_configure(ctx, &ao) != 0)
		__builtin_trap();
}

static int add_account(acct_id *id, acct_session *s, int type, acct_id owner, const char *login,
                       const char *password, const char *guid)
{
	acct_account *a = NULL;
	int rc = acct_account_new(&a, type);

	if (rc == 0)
		rc = acct_account_set(a, ACCT_FIELD_LOGIN, login);
	if (rc == 0)
		rc = acct_account_set(a, ACCT_FIELD_NAME, login);
	if (rc == 0)
		rc = acct_account_set(a, ACCT_FIELD_EMAIL, "owner@example.com");
	if (rc == 0 && type != ACCT_TYPE_USER)
		rc = acct_account_set(a, ACCT_FIELD_EXTERNAL_ID, login);
	if (rc == 0 && password != NULL)
		rc = acct_account_set(a, ACCT_FIELD_PASSWORD, password);
	if (rc == 0)
		rc = acct_account_set(a, ACCT_FIELD_GUID, guid);
	if (rc == 0)
		rc = acct_account_add(id, s, owner, a);
	acct_account_free(a);
	return rc;
}

/* The hierarchy every input starts from, written through the C API. */
static int seed(acct_ctx *ctx)
{
	acct_session *admin = NULL;
	acct_id reseller = 0, c1 = 0, c2 = 0, user = 0;
	acct_buf secret = ACCT_BUF_INIT;
	int rc = acct_session_open_as(&admin, ctx, 1);

	if (rc == 0)
		rc = add_account(&reseller, admin, ACCT_TYPE_RESELLER, 1, "res1", "respass1", GUID_RES1);
	if (rc == 0)
		rc = add_account(&c1, admin, ACCT_TYPE_CUSTOMER, 1, "cust1", "custpass1", GUID_CUST1);
	if (rc == 0)
		rc = add_account(&c2, admin, ACCT_TYPE_CUSTOMER, reseller, "cust2", NULL, GUID_CUST2);
	if (rc == 0)
		rc = add_account(&user, admin, ACCT_TYPE_USER, c1, "user1", "userpass1", GUID_USER1);
	if (rc == 0)
		rc = acct_ip_add(admin, 1, "192.0.2.10", ACCT_IP_SHARED);
	if (rc == 0)
		rc = acct_ip_add(admin, 1, "2001:db8::10", ACCT_IP_EXCLUSIVE);
	if (rc == 0)
		rc = acct_ip_add(admin, reseller, "192.0.2.10", ACCT_IP_SHARED);
	if (rc == 0)
		rc = acct_key_create(&secret, NULL, admin, 1, "192.0.2.1", "fuzz key");
	acct_buf_dispose(&secret);
	acct_session_free(admin);
	return rc;
}

static int take_snapshot(acct_storage *st)
{
	acct_storage_iterator *it = NULL;
	acct_buf k = ACCT_BUF_INIT, v = ACCT_BUF_INIT;
	size_t cap = 0;
	int rc;

	if ((rc = st->begin(st, 0)) != 0)
		return rc;
	if ((rc = st->iterate(&it, st, (const unsigned char *)"", 0)) != 0) {
		st->rollback(st);
		return rc;
	}
	while ((rc = it->next(it, &k, &v)) == 0) {
		kv *e;
		if (nsnapshot == cap) {
			kv *grown = realloc(snapshot, (cap = cap ? cap * 2 : 64) * sizeof(*snapshot));
			if (grown == NULL) {
				rc = ACCT_ENOMEM;
				break;
			}
			snapshot = grown;
		}
		e = &snapshot[nsnapshot];
		e->key = malloc(k.size ? k.size : 1);
		e->value = malloc(v.size ? v.size : 1);
		if (e->key == NULL || e->value == NULL) {
			free(e->key);
			free(e->value);
			rc = ACCT_ENOMEM;
			break;
		}
		memcpy(e->key, k.ptr, k.size);
		memcpy(e->value, v.ptr, v.size);
		e->klen = k.size;
		e->vlen = v.size;
		nsnapshot++;
	}
	it->free(it);
	st->commit(st);
	acct_buf_dispose(&k);
	acct_buf_dispose(&v);
	return rc == ACCT_ITEROVER ? 0 : rc;
}

/* Seed once: a context over a memory store, the hierarchy, then its pairs. */
static void seed_once(void)
{
	acct_ctx_options o;
	acct_storage *st = NULL;
	acct_ctx *ctx = NULL;

	if (seeded)
		return;
	seeded = -1;
	acct_global_init(); /* never shut down: the snapshot lives as long as the process */
	ctx_options(&o);
	if (acct_storage_memory_new(&st) != 0)
		return;
	if (acct_ctx_new(&ctx, st, &o) != 0) { /* on failure the storage is still ours */
		acct_storage_free(st);
		return;
	}
	if (seed(ctx) == 0 && take_snapshot(st) == 0)
		seeded = 1;
	else
		fprintf(stderr, "fuzz_agent: seeding the store failed: %s\n", acct_error_last()->message);
	acct_ctx_free(ctx);
}

/* A fresh context over a fresh memory store holding the snapshot. */
static acct_ctx *fresh_ctx(void)
{
	acct_ctx_options o;
	acct_storage *st = NULL;
	acct_ctx *ctx = NULL;

	ctx_options(&o);
	if (acct_storage_memory_new(&st) != 0)
		return NULL;
	if (st->begin(st, 1) != 0) {
		acct_storage_free(st);
		return NULL;
	}
	for (size_t i = 0; i < nsnapshot; i++) {
		if (st->put(st, snapshot[i].key, snapshot[i].klen, snapshot[i].value, snapshot[i].vlen) != 0) {
			st->rollback(st);
			acct_storage_free(st);
			return NULL;
		}
	}
	if (st->commit(st) != 0) {
		st->rollback(st);
		acct_storage_free(st);
		return NULL;
	}
	if (acct_ctx_new(&ctx, st, &o) != 0) {
		acct_storage_free(st);
		return NULL;
	}
	configure(ctx);
	return ctx;
}

/* Touch every byte of a borrowed string (ASan sees a bad pointer or a missing NUL). */
static size_t touch(const char *s)
{
	return s != NULL ? strlen(s) : 0;
}

static const char *const item_elements[] = { "name", "value", "ip-address", "ip-type", "id", "label", "url",
	                                     "key", "ip_address", "description", "login", "type", "login-time",
	                                     "idle", "proto", "ascii-name", "guid", "default-value", "writable-by",
	                                     "", "no-such-element", NULL };

/* Read back everything a reply holds, through the public readers only. */
static size_t walk_response(const acct_response *resp)
{
	size_t sum = 0, n = acct_response_count(resp);
	const char *text = NULL;
	int code = 0;

	sum += touch(acct_response_version(resp));
	if (acct_response_system_error(&code, &text, resp))
		sum += touch(text) + (size_t)code;
	(void)acct_response_system_error(NULL, NULL, resp);
	for (size_t i = 0; i <= n; i++) { /* one past the end: must be NULL */
		const acct_result *res = acct_response_result(resp, i);
		if (res == NULL) {
			if (i < n)
				__builtin_trap();
			break;
		}
		sum += (size_t)acct_result_op(res) + acct_result_operation(res) + (size_t)acct_result_ok(res);
		sum += (size_t)acct_result_errcode(res) + (size_t)acct_result_id(res);
		sum += touch(acct_result_errtext(res)) + touch(acct_result_filter_id(res));
		if (acct_result_ok(res) && acct_result_errcode(res) != 0)
			__builtin_trap();
		for (int f = -1; f <= ACCT_FIELD_LAST + 1; f++)
			sum += touch(acct_result_get(res, f));
		for (int f = 99; f <= ACCT_PFIELD_SERVER_NAME + 1; f++)
			sum += touch(acct_result_get(res, f));
		for (int kind = 0; kind <= ACCT_ITEM_KEY_PROPERTY + 1; kind++) {
			size_t count = acct_result_item_count(res, kind);
			for (size_t j = 0; j <= count; j++) {
				const char *name = NULL, *value = NULL;
				int rc = acct_result_item(&name, &value, res, kind, j);
				if ((rc == 0) != (j < count))
					__builtin_trap();
				(void)acct_result_item(NULL, NULL, res, kind, j);
				sum += touch(name) + touch(value);
				for (size_t e = 0; item_elements[e] != NULL; e++)
					sum += touch(acct_result_item_get(res, kind, j, item_elements[e]));
			}
		}
	}
	return sum;
}

static volatile size_t sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	acct_credentials cred = ACCT_CREDENTIALS_INIT;
	acct_buf reply = ACCT_BUF_INIT;
	acct_response *resp = NULL;
	acct_session *admin = NULL;
	const char *xml = (const char *)data;
	acct_ctx *ctx;

	seed_once();
	if (seeded != 1)
		__builtin_trap(); /* the API changed under the seeding: say so loudly, never pass vacuously */

	/* 1. The bytes as a reply: parse, walk, free. */
	if (acct_response_parse(&resp, xml, size) == 0) {
		sink = walk_response(resp);
		acct_response_free(resp);
		resp = NULL;
	} else if (acct_error_last()->message[0] == '\0') {
		__builtin_trap(); /* refused without saying why */
	}

	/* 2. The bytes as a request, from a trusted admin session. */
	if ((ctx = fresh_ctx()) == NULL)
		return 0; /* out of memory, as under -rss_limit_mb: nothing to learn */
	if (acct_session_open_as(&admin, ctx, 1) != 0) {
		acct_ctx_free(ctx);
		return 0;
	}
	cred.kind = ACCT_CRED_SESSION;
	cred.session = admin;
	cred.client_ip = "192.0.2.1";
	if (acct_agent_handle(ctx, &cred, xml, size, &reply) == 0) {
		/* Every reply is a packet its own client reads back. */
		if (reply.size == 0 || reply.ptr == NULL)
			__builtin_trap();
		if (acct_response_parse(&resp, reply.ptr, reply.size) != 0) {
			fprintf(stderr, "fuzz_agent: the agent's reply does not parse: %s\n--- reply ---\n%s\n",
			        acct_error_last()->message, reply.ptr);
			__builtin_trap();
		}
		sink = walk_response(resp);
		acct_response_free(resp);
	} else if (acct_error_last()->code != ACCT_ENOMEM) {
		fprintf(stderr, "fuzz_agent: acct_agent_handle wrote no reply: %s\n", acct_error_last()->message);
		__builtin_trap();
	}
	acct_buf_dispose(&reply);
	acct_session_free(admin);
	acct_ctx_free(ctx);
	return 0;
}
