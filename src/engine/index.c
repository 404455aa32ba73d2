/*
 * The hierarchy index: one slot per id in parallel arrays, intrusive child
 * lists, and id-only hash tables over the strings held here once.
 */
#include <string.h>
#include "util/util.h"
#include "engine.h"

static uint64_t login_hash(const void *owner, uint32_t id)
{
	const acct__index *ix = owner;
	return acct__hash_str_nocase(acct__index_login(ix, id));
}

static int login_eq(const void *owner, uint32_t id, const void *key)
{
	const acct__index *ix = owner;
	return acct__ascii_casecmp(acct__index_login(ix, id), key) == 0;
}

static uint64_t guid_hash(const void *owner, uint32_t id)
{
	const acct__index *ix = owner;
	return acct__hash_bytes(ix->guid[id], 16);
}

static int guid_eq(const void *owner, uint32_t id, const void *key)
{
	const acct__index *ix = owner;
	return memcmp(ix->guid[id], key, 16) == 0;
}

static uint64_t ext_hash(const void *owner, uint32_t id)
{
	const acct__index *ix = owner;
	const char *s = ix->strings + ix->external_id[id];
	return acct__hash_bytes(s, strlen(s));
}

static int ext_eq(const void *owner, uint32_t id, const void *key)
{
	const acct__index *ix = owner;
	return ix->external_id[id] && strcmp(ix->strings + ix->external_id[id], key) == 0;
}

int acct__index_init(acct__index *ix)
{
	memset(ix, 0, sizeof(*ix));
	acct__idmap_init(&ix->by_login, login_hash, login_eq, ix);
	acct__idmap_init(&ix->by_guid, guid_hash, guid_eq, ix);
	acct__idmap_init(&ix->by_external_id, ext_hash, ext_eq, ix);
	ix->next_id = 1;
	ix->strings = acct__malloc(64);
	if (!ix->strings)
		return acct__error_oom();
	ix->strings[0] = '\0';
	ix->strings_len = 1;
	ix->strings_cap = 64;
	return 0;
}

void acct__index_free(acct__index *ix)
{
	acct__free(ix->type);
	acct__free(ix->status);
	acct__free(ix->owner);
	acct__free(ix->first_child);
	acct__free(ix->next_sibling);
	acct__free(ix->prev_sibling);
	acct__free(ix->login);
	acct__free(ix->external_id);
	acct__free(ix->guid);
	acct__free(ix->perms);
	acct__free(ix->strings);
	acct__idmap_free(&ix->by_login);
	acct__idmap_free(&ix->by_guid);
	acct__idmap_free(&ix->by_external_id);
	memset(ix, 0, sizeof(*ix));
}

/* Grow one array from old_cap to cap elements, zero-filling the new part. */
static int grow_array(void **arr, size_t old_cap, size_t cap, size_t elem)
{
	void *p = acct__realloc(*arr, cap * elem);
	if (!p)
		return acct__error_oom();
	memset((char *)p + old_cap * elem, 0, (cap - old_cap) * elem);
	*arr = p;
	return 0;
}

int acct__index_reserve(acct__index *ix, uint32_t max_id, size_t str_bytes, size_t n_new)
{
	if (max_id >= UINT32_MAX - 1)
		return acct__error_set(ACCT_ELIMIT, "account ids are exhausted");
	if (max_id >= ix->cap) {
		size_t cap = ix->cap ? ix->cap : 64;
		while (cap <= max_id)
			cap += cap / 2;
		if (grow_array((void **)&ix->type, ix->cap, cap, sizeof(*ix->type)) < 0 ||
		    grow_array((void **)&ix->status, ix->cap, cap, sizeof(*ix->status)) < 0 ||
		    grow_array((void **)&ix->owner, ix->cap, cap, sizeof(*ix->owner)) < 0 ||
		    grow_array((void **)&ix->first_child, ix->cap, cap, sizeof(*ix->first_child)) < 0 ||
		    grow_array((void **)&ix->next_sibling, ix->cap, cap, sizeof(*ix->next_sibling)) < 0 ||
		    grow_array((void **)&ix->prev_sibling, ix->cap, cap, sizeof(*ix->prev_sibling)) < 0 ||
		    grow_array((void **)&ix->login, ix->cap, cap, sizeof(*ix->login)) < 0 ||
		    grow_array((void **)&ix->external_id, ix->cap, cap, sizeof(*ix->external_id)) < 0 ||
		    grow_array((void **)&ix->guid, ix->cap, cap, sizeof(*ix->guid)) < 0 ||
		    grow_array((void **)&ix->perms, ix->cap, cap, sizeof(*ix->perms)) < 0)
			return ACCT_ENOMEM; /* arrays already grown keep their size: harmless */
		ix->cap = (uint32_t)cap;
	}
	if (ix->strings_len + str_bytes > ix->strings_cap) {
		size_t cap = ix->strings_cap;
		char *p;
		while (cap < ix->strings_len + str_bytes)
			cap += cap / 2 + 64;
		if (cap > UINT32_MAX)
			return acct__error_set(ACCT_ELIMIT, "the index string area is full");
		p = acct__realloc(ix->strings, cap);
		if (!p)
			return acct__error_oom();
		ix->strings = p;
		ix->strings_cap = cap;
	}
	/* Each new account, and each changed login or external id, adds one entry to a table. */
	if (acct__idmap_reserve(&ix->by_login, n_new) < 0 || acct__idmap_reserve(&ix->by_guid, n_new) < 0 ||
	    acct__idmap_reserve(&ix->by_external_id, n_new) < 0)
		return ACCT_ENOMEM;
	return 0;
}

static uint32_t add_string(acct__index *ix, const char *s, size_t len)
{
	uint32_t off = (uint32_t)ix->strings_len;

	memcpy(ix->strings + off, s, len);
	ix->strings[off + len] = '\0';
	ix->strings_len += len + 1;
	return off;
}

void acct__index_put(acct__index *ix, uint32_t id, const acct__record_summary *s, uint64_t perms)
{
	if (ix->type[id] == 0)
		ix->count++;
	ix->type[id] = (uint8_t)s->type;
	ix->status[id] = (uint16_t)s->status;
	ix->perms[id] = perms;
	ix->login[id] = add_string(ix, s->login ? s->login : "", s->login ? s->login_len : 0);
	acct__idmap_insert(&ix->by_login, id);
	if (s->guid) {
		memcpy(ix->guid[id], s->guid, 16);
		acct__idmap_insert(&ix->by_guid, id);
	}
	if (s->external_id && s->external_id_len) {
		ix->external_id[id] = add_string(ix, s->external_id, s->external_id_len);
		acct__idmap_insert(&ix->by_external_id, id);
	}
	if (id >= ix->next_id)
		ix->next_id = id + 1;
}

void acct__index_link(acct__index *ix, uint32_t id, uint32_t owner)
{
	uint32_t head;

	ix->owner[id] = owner;
	if (!owner)
		return;
	head = ix->first_child[owner];
	ix->prev_sibling[id] = 0;
	ix->next_sibling[id] = head;
	if (head)
		ix->prev_sibling[head] = id;
	ix->first_child[owner] = id;
}

void acct__index_unlink(acct__index *ix, uint32_t id)
{
	uint32_t owner = ix->owner[id], prev = ix->prev_sibling[id], next = ix->next_sibling[id];

	if (!owner)
		return;
	if (prev)
		ix->next_sibling[prev] = next;
	else
		ix->first_child[owner] = next;
	if (next)
		ix->prev_sibling[next] = prev;
	ix->owner[id] = ix->prev_sibling[id] = ix->next_sibling[id] = 0;
}

void acct__index_remove(acct__index *ix, uint32_t id)
{
	if (!acct__index_has(ix, id))
		return;
	acct__index_unlink(ix, id);
	acct__idmap_remove(&ix->by_login, id);
	acct__idmap_remove(&ix->by_guid, id);
	if (ix->external_id[id])
		acct__idmap_remove(&ix->by_external_id, id);
	ix->type[id] = 0;
	ix->status[id] = 0;
	ix->perms[id] = 0;
	ix->login[id] = ix->external_id[id] = 0;
	memset(ix->guid[id], 0, 16);
	ix->count--;
}

void acct__index_set_login(acct__index *ix, uint32_t id, const char *login)
{
	acct__idmap_remove(&ix->by_login, id);
	ix->login[id] = add_string(ix, login, strlen(login));
	acct__idmap_insert(&ix->by_login, id);
}

void acct__index_set_external_id(acct__index *ix, uint32_t id, const char *ext)
{
	if (ix->external_id[id])
		acct__idmap_remove(&ix->by_external_id, id);
	ix->external_id[id] = 0;
	if (ext && *ext) {
		ix->external_id[id] = add_string(ix, ext, strlen(ext));
		acct__idmap_insert(&ix->by_external_id, id);
	}
}

uint32_t acct__index_find_login(const acct__index *ix, const char *login)
{
	return acct__idmap_find(&ix->by_login, acct__hash_str_nocase(login), login);
}

uint32_t acct__index_find_guid(const acct__index *ix, const uint8_t guid[16])
{
	return acct__idmap_find(&ix->by_guid, acct__hash_bytes(guid, 16), guid);
}

uint32_t acct__index_find_external_id(const acct__index *ix, const char *ext)
{
	return acct__idmap_find(&ix->by_external_id, acct__hash_bytes(ext, strlen(ext)), ext);
}

unsigned int acct__index_effective_status(const acct__index *ix, uint32_t id)
{
	unsigned int st = 0;

	/* The hierarchy is at most four levels deep; the bound guards a corrupt store. */
	for (int depth = 0; id && depth < 8; depth++, id = ix->owner[id])
		st |= ix->status[id];
	return st;
}

int acct__index_in_subtree(const acct__index *ix, uint32_t root, uint32_t id)
{
	for (int depth = 0; id && depth < 8; depth++, id = ix->owner[id])
		if (id == root)
			return 1;
	return 0;
}

size_t acct__index_bytes(const acct__index *ix)
{
	size_t per_id = sizeof(*ix->type) + sizeof(*ix->status) + sizeof(*ix->owner) + 3 * sizeof(uint32_t) +
	                sizeof(*ix->login) + sizeof(*ix->external_id) + sizeof(*ix->guid) + sizeof(*ix->perms);

	return sizeof(*ix) + (size_t)ix->cap * per_id + ix->strings_cap + acct__idmap_bytes(&ix->by_login) +
	       acct__idmap_bytes(&ix->by_guid) + acct__idmap_bytes(&ix->by_external_id);
}
