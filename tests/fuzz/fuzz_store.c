/*
 * Fuzz target: whatever bytes a store holds, opening a context over it and
 * using every account must fail cleanly (an error with a message) or work,
 * never crash, leak or read out of bounds. The input becomes raw entries put
 * into a memory store after a valid one was initialised:
 *   repeated { u8 kind, u8 id, u16 length (big-endian), value }
 * kind 0: account record "a"+id; 1: role "r"+id; 2: credential "c"+id;
 * 3: a counter ("g", "n", "q", "w", "v" by id % 5); other kinds: a raw key of
 * one byte (id) with the value.
 * Built with libFuzzer by ./build.sh check (gate "fuzz"); tests/fuzz/replay.c
 * runs the corpus under every ordinary build.
 */
#include <stdint.h>
#include <string.h>
#include <acct.h>
#include <acct/sys/storage.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A backend that passes calls to a shared memory store and never frees it,
 * so a second context can open what the first one wrote. */
typedef struct shared {
	acct_storage base;
	acct_storage *inner;
} shared;

static int s_begin(acct_storage *s, int w) { acct_storage *i = ((shared *)s->payload)->inner; return i->begin(i, w); }
static int s_commit(acct_storage *s) { acct_storage *i = ((shared *)s->payload)->inner; return i->commit(i); }
static int s_rollback(acct_storage *s) { acct_storage *i = ((shared *)s->payload)->inner; return i->rollback(i); }
static int s_get(acct_storage *s, const unsigned char *k, size_t kl, acct_buf *v)
{
	acct_storage *i = ((shared *)s->payload)->inner;
	return i->get(i, k, kl, v);
}
static int s_put(acct_storage *s, const unsigned char *k, size_t kl, const unsigned char *v, size_t vl)
{
	acct_storage *i = ((shared *)s->payload)->inner;
	return i->put(i, k, kl, v, vl);
}
static int s_del(acct_storage *s, const unsigned char *k, size_t kl)
{
	acct_storage *i = ((shared *)s->payload)->inner;
	return i->del(i, k, kl);
}
static int s_iterate(acct_storage_iterator **out, acct_storage *s, const unsigned char *p, size_t pl)
{
	acct_storage *i = ((shared *)s->payload)->inner;
	return i->iterate(out, i, p, pl);
}
static void s_free(acct_storage *s) { (void)s; }

static void wrap(shared *w, acct_storage *inner)
{
	acct_storage_init(&w->base, ACCT_STORAGE_VERSION);
	w->base.payload = w;
	w->inner = inner;
	w->base.begin = s_begin;
	w->base.commit = s_commit;
	w->base.rollback = s_rollback;
	w->base.get = s_get;
	w->base.put = s_put;
	w->base.del = s_del;
	w->base.iterate = s_iterate;
	w->base.free = s_free;
}

static void use_everything(acct_ctx *ctx)
{
	acct_session *s = NULL;
	acct_account_iterator *it = NULL;
	acct_role_iterator *rit = NULL;
	acct_key_iterator *kit = NULL;
	acct_id id;
	int allowed;

	if (acct_session_open_as(&s, ctx, 1) < 0)
		return;
	if (acct_account_iterator_new(&it, s, 1, ACCT_ITER_DESCENDANTS) == 0) {
		while (acct_account_iterator_next(&id, it) == 0) {
			acct_account *a = NULL;
			unsigned int st;
			if (acct_account_lookup(&a, s, id) == 0) {
				(void)acct_account_get(a, ACCT_FIELD_LOGIN);
				(void)acct_account_set(a, ACCT_FIELD_PHONE, "+1 555 0100");
				(void)acct_account_update(s, a);
			}
			acct_account_free(a);
			(void)acct_account_effective_status(&st, s, id);
			(void)acct_check(&allowed, s, "manage_dns", id);
		}
		acct_account_iterator_free(it);
	}
	if (acct_role_iterator_new(&rit, s, 1) == 0) {
		while (acct_role_iterator_next(&id, rit) == 0)
			(void)acct_role_get_permission(&allowed, s, id, "dnsManagement");
		acct_role_iterator_free(rit);
	}
	if (acct_key_iterator_new(&kit, s, 0) == 0)
		acct_key_iterator_free(kit);
	acct_session_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char counters[] = "gnqwv";
	acct_ctx_options o = ACCT_CTX_OPTIONS_INIT;
	acct_storage *inner = NULL;
	acct_ctx *ctx = NULL;
	shared w1, w2;
	size_t pos = 0;

	o.admin_login = "admin";
	o.admin_password = "adminpass";
	o.password_cost = 1;
	if (acct_storage_memory_new(&inner) < 0)
		return 0;
	wrap(&w1, inner);
	if (acct_ctx_new(&ctx, &w1.base, &o) < 0) {
		inner->free(inner);
		return 0;
	}
	acct_ctx_free(ctx);
	if (inner->begin(inner, 1) == 0) {
		while (pos + 4 <= size) {
			unsigned char key[9];
			size_t klen = 9, len = (size_t)data[pos + 2] << 8 | data[pos + 3];
			int kind = data[pos], i;
			uint8_t id = data[pos + 1];
			pos += 4;
			if (len > size - pos)
				len = size - pos;
			memset(key, 0, sizeof(key));
			key[8] = id;
			switch (kind) {
			case 0: key[0] = 'a'; break;
			case 1: key[0] = 'r'; break;
			case 2: key[0] = 'c'; break;
			case 3: key[0] = (unsigned char)counters[id % 5]; klen = 1; break;
			default: key[0] = id; klen = 1; break;
			}
			for (i = 1; i < 8 && klen == 9; i++)
				key[i] = 0;
			inner->put(inner, key, klen, data + pos, len);
			pos += len;
		}
		inner->commit(inner);
	}
	wrap(&w2, inner);
	if (acct_ctx_new(&ctx, &w2.base, &o) == 0) {
		use_everything(ctx);
		acct_ctx_free(ctx);
	} else {
		/* Refused: the reason must be a sentence. */
		if (!acct_error_last()->message[0])
			__builtin_trap();
	}
	inner->free(inner);
	return 0;
}
