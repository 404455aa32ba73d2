/* See strmap.h. Linear probing, load kept at or under one half. */
#include <string.h>
#include "util.h"
#include "strmap.h"

#define DELETED UINT32_MAX

void acct__idmap_init(acct__idmap *m, acct__idmap_hash hash, acct__idmap_eq eq, const void *owner)
{
	memset(m, 0, sizeof(*m));
	m->hash = hash;
	m->eq = eq;
	m->owner = owner;
}

void acct__idmap_free(acct__idmap *m)
{
	acct__free(m->slots);
	m->slots = NULL;
	m->cap = m->used = m->filled = 0;
}

static void place(uint32_t *slots, size_t cap, uint64_t hash, uint32_t id)
{
	size_t i = (size_t)hash & (cap - 1);

	while (slots[i] != 0 && slots[i] != DELETED)
		i = (i + 1) & (cap - 1);
	slots[i] = id;
}

int acct__idmap_reserve(acct__idmap *m, size_t n)
{
	size_t cap, i;
	uint32_t *slots;

	if ((m->filled + n) * 2 <= m->cap)
		return 0;
	cap = 16;
	while (cap < (m->used + n) * 2)
		cap *= 2;
	slots = acct__calloc(cap, sizeof(*slots));
	if (!slots)
		return acct__error_oom();
	for (i = 0; i < m->cap; i++) {
		uint32_t id = m->slots[i];
		if (id != 0 && id != DELETED)
			place(slots, cap, m->hash(m->owner, id), id);
	}
	acct__free(m->slots);
	m->slots = slots;
	m->cap = cap;
	m->filled = m->used;
	return 0;
}

uint32_t acct__idmap_find(const acct__idmap *m, uint64_t hash, const void *key)
{
	size_t i;

	if (!m->cap)
		return 0;
	for (i = (size_t)hash & (m->cap - 1); m->slots[i] != 0; i = (i + 1) & (m->cap - 1)) {
		uint32_t id = m->slots[i];
		if (id != DELETED && m->eq(m->owner, id, key))
			return id;
	}
	return 0;
}

void acct__idmap_insert(acct__idmap *m, uint32_t id)
{
	size_t i = (size_t)m->hash(m->owner, id) & (m->cap - 1);

	while (m->slots[i] != 0 && m->slots[i] != DELETED)
		i = (i + 1) & (m->cap - 1);
	if (m->slots[i] == 0)
		m->filled++;
	m->slots[i] = id;
	m->used++;
}

void acct__idmap_remove(acct__idmap *m, uint32_t id)
{
	size_t i;

	if (!m->cap)
		return;
	for (i = (size_t)m->hash(m->owner, id) & (m->cap - 1); m->slots[i] != 0; i = (i + 1) & (m->cap - 1)) {
		if (m->slots[i] == id) {
			m->slots[i] = DELETED;
			m->used--;
			return;
		}
	}
}

size_t acct__idmap_bytes(const acct__idmap *m)
{
	return m->cap * sizeof(uint32_t);
}
