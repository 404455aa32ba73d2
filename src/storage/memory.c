/*
 * The in-memory backend: a sorted array of entries, binary search, and an undo
 * log for write transactions (rollback restores the exact previous entries).
 * Ascending keys append at the end, which is how libacct writes accounts.
 */
#include <string.h>
#include "util/util.h"
#include "acct/sys/storage.h"

typedef struct entry {
	size_t klen, vlen;
	unsigned char data[]; /* key then value */
} entry;

typedef struct undo {
	entry *old;             /* the entry before the change, or NULL if the key was absent */
	entry *key_only;        /* when old is NULL: a copy of the key to remove on rollback */
} undo;

typedef struct mem {
	acct_storage base;
	entry **items;
	size_t n, cap;
	undo *log;
	size_t nlog, caplog;
	int in_txn, writing;
} mem;

typedef struct mem_iter {
	acct_storage_iterator base;
	mem *m;
	size_t pos;
	unsigned char *prefix;
	size_t plen;
} mem_iter;

static int keycmp(const unsigned char *a, size_t alen, const unsigned char *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);
	if (c)
		return c;
	return alen < blen ? -1 : alen > blen;
}

/* Index of the first entry >= key; *found set when equal. */
static size_t find(const mem *m, const unsigned char *k, size_t klen, int *found)
{
	size_t lo = 0, hi = m->n;

	/* Fast path for appends in ascending order. */
	if (m->n && keycmp(m->items[m->n - 1]->data, m->items[m->n - 1]->klen, k, klen) < 0) {
		*found = 0;
		return m->n;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = keycmp(m->items[mid]->data, m->items[mid]->klen, k, klen);
		if (c == 0) {
			*found = 1;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = 0;
	return lo;
}

static entry *entry_new(const unsigned char *k, size_t klen, const unsigned char *v, size_t vlen)
{
	entry *e = acct__malloc(sizeof(*e) + klen + vlen);
	if (!e)
		return NULL;
	e->klen = klen;
	e->vlen = vlen;
	memcpy(e->data, k, klen);
	if (vlen)
		memcpy(e->data + klen, v, vlen);
	return e;
}

static int reserve(mem *m)
{
	void *items = m->items;
	int rc = acct__grow(&items, &m->cap, m->n + 1, sizeof(*m->items));
	m->items = items;
	return rc;
}

static int log_reserve(mem *m)
{
	void *log = m->log;
	int rc = acct__grow(&log, &m->caplog, m->nlog + 1, sizeof(*m->log));
	m->log = log;
	return rc;
}

static int need_write(mem *m, const char *what)
{
	if (!m->in_txn || !m->writing)
		return acct_error_set_str(ACCT_ESTORAGE, what);
	return 0;
}

static int mem_begin(acct_storage *s, int write)
{
	mem *m = s->payload;

	if (m->in_txn)
		return acct_error_set_str(ACCT_ESTORAGE, "memory store: a transaction is already open");
	m->in_txn = 1;
	m->writing = write;
	m->nlog = 0;
	return 0;
}

static void forget_log(mem *m)
{
	size_t i;

	for (i = 0; i < m->nlog; i++) {
		acct__free(m->log[i].old);
		acct__free(m->log[i].key_only);
	}
	m->nlog = 0;
}

static int mem_commit(acct_storage *s)
{
	mem *m = s->payload;

	if (!m->in_txn)
		return acct_error_set_str(ACCT_ESTORAGE, "memory store: commit without a transaction");
	forget_log(m);
	m->in_txn = 0;
	return 0;
}

static int mem_rollback(acct_storage *s)
{
	mem *m = s->payload;

	/* Undo in reverse; each step puts back exactly one entry, so it needs no memory
	 * beyond the array capacity reserved when the change was made. */
	while (m->nlog) {
		undo *u = &m->log[--m->nlog];
		const entry *k = u->old ? u->old : u->key_only;
		int found;
		size_t i = find(m, k->data, k->klen, &found);

		if (u->old) {
			if (found) {
				acct__free(m->items[i]);
				m->items[i] = u->old;
			} else {
				memmove(&m->items[i + 1], &m->items[i], (m->n - i) * sizeof(*m->items));
				m->items[i] = u->old;
				m->n++;
			}
		} else if (found) {
			acct__free(m->items[i]);
			memmove(&m->items[i], &m->items[i + 1], (m->n - i - 1) * sizeof(*m->items));
			m->n--;
		}
		acct__free(u->key_only);
	}
	m->in_txn = 0;
	return 0;
}

static int mem_get(acct_storage *s, const unsigned char *k, size_t klen, acct_buf *v)
{
	mem *m = s->payload;
	int found;
	size_t i = find(m, k, klen, &found);

	if (!found)
		return ACCT_ENOTFOUND;
	return acct_buf_set(v, m->items[i]->data + klen, m->items[i]->vlen);
}

static int mem_put(acct_storage *s, const unsigned char *k, size_t klen, const unsigned char *v, size_t vlen)
{
	mem *m = s->payload;
	int found;
	size_t i;
	entry *e, *key_only = NULL;

	if (need_write(m, "memory store: put outside a write transaction") < 0)
		return ACCT_ESTORAGE;
	i = find(m, k, klen, &found);
	e = entry_new(k, klen, v, vlen);
	if (!e || reserve(m) < 0 || log_reserve(m) < 0 || (!found && !(key_only = entry_new(k, klen, NULL, 0)))) {
		acct__free(e);
		return acct_error_set_str(ACCT_ENOMEM, "memory store: out of memory");
	}
	if (found) {
		m->log[m->nlog].old = m->items[i];
		m->log[m->nlog].key_only = NULL;
		m->items[i] = e;
	} else {
		m->log[m->nlog].old = NULL;
		m->log[m->nlog].key_only = key_only;
		memmove(&m->items[i + 1], &m->items[i], (m->n - i) * sizeof(*m->items));
		m->items[i] = e;
		m->n++;
	}
	m->nlog++;
	return 0;
}

static int mem_del(acct_storage *s, const unsigned char *k, size_t klen)
{
	mem *m = s->payload;
	int found;
	size_t i;

	if (need_write(m, "memory store: del outside a write transaction") < 0)
		return ACCT_ESTORAGE;
	i = find(m, k, klen, &found);
	if (!found)
		return 0;
	if (log_reserve(m) < 0)
		return acct_error_set_str(ACCT_ENOMEM, "memory store: out of memory");
	m->log[m->nlog].old = m->items[i];
	m->log[m->nlog].key_only = NULL;
	m->nlog++;
	memmove(&m->items[i], &m->items[i + 1], (m->n - i - 1) * sizeof(*m->items));
	m->n--;
	return 0;
}

static int iter_next(acct_storage_iterator *it, acct_buf *k, acct_buf *v)
{
	mem_iter *mi = it->payload;
	entry *e;

	if (mi->pos >= mi->m->n)
		return ACCT_ITEROVER;
	e = mi->m->items[mi->pos];
	if (e->klen < mi->plen || memcmp(e->data, mi->prefix, mi->plen) != 0)
		return ACCT_ITEROVER;
	mi->pos++;
	if (acct_buf_set(k, e->data, e->klen) < 0 || acct_buf_set(v, e->data + e->klen, e->vlen) < 0)
		return ACCT_ENOMEM;
	return 0;
}

static void iter_free(acct_storage_iterator *it)
{
	mem_iter *mi = it->payload;

	acct__free(mi->prefix);
	acct__free(mi);
}

static int mem_iterate(acct_storage_iterator **out, acct_storage *s, const unsigned char *p, size_t plen)
{
	mem *m = s->payload;
	mem_iter *mi = acct__calloc(1, sizeof(*mi));
	int found;

	if (!mi || !(mi->prefix = acct__malloc(plen))) {
		acct__free(mi);
		return acct_error_set_str(ACCT_ENOMEM, "memory store: out of memory");
	}
	acct_storage_iterator_init(&mi->base, ACCT_STORAGE_ITERATOR_VERSION);
	mi->base.payload = mi;
	mi->base.next = iter_next;
	mi->base.free = iter_free;
	mi->m = m;
	if (plen)
		memcpy(mi->prefix, p, plen);
	mi->plen = plen;
	mi->pos = find(m, p, plen, &found);
	*out = &mi->base;
	return 0;
}

static void mem_free(acct_storage *s)
{
	mem *m = s->payload;
	size_t i;

	if (m->in_txn)
		mem_rollback(s);
	for (i = 0; i < m->n; i++)
		acct__free(m->items[i]);
	acct__free(m->items);
	acct__free(m->log);
	acct__free(m);
}

int acct_storage_memory_new(acct_storage **out)
{
	mem *m;

	if (!out)
		return acct_error_set_str(ACCT_EINVALID, "acct_storage_memory_new: out is NULL");
	*out = NULL;
	m = acct__calloc(1, sizeof(*m));
	if (!m)
		return acct_error_set_str(ACCT_ENOMEM, "out of memory");
	acct_storage_init(&m->base, ACCT_STORAGE_VERSION);
	m->base.payload = m;
	m->base.begin = mem_begin;
	m->base.commit = mem_commit;
	m->base.rollback = mem_rollback;
	m->base.get = mem_get;
	m->base.put = mem_put;
	m->base.del = mem_del;
	m->base.iterate = mem_iterate;
	m->base.free = mem_free;
	*out = &m->base;
	return 0;
}
