/*
 * The permission catalogs of a context: built-in names, names hosts
 * register, and names found in the store that nobody registered (kept so
 * their grants survive). Each has a bit in its space; a small hash finds a
 * name in a few nanoseconds, which acct_check needs.
 */
#include <string.h>
#include "util/util.h"
#include "engine.h"

static uint64_t hash_name(const char *s, size_t len)
{
	return acct__hash_bytes(s, len);
}

static int rehash(acct__catalogs *c, size_t nslots)
{
	uint32_t *slots = acct__calloc(nslots, sizeof(*slots));
	size_t i;

	if (!slots)
		return acct__error_oom();
	for (i = 0; i < c->n; i++) {
		size_t j = (size_t)hash_name(c->perms[i].name, strlen(c->perms[i].name)) & (nslots - 1);
		while (slots[j])
			j = (j + 1) & (nslots - 1);
		slots[j] = (uint32_t)i + 1;
	}
	acct__free(c->slots);
	c->slots = slots;
	c->nslots = nslots;
	return 0;
}

static const acct__perm *find_len(const acct__catalogs *c, const char *name, size_t len)
{
	size_t j;

	if (!c->nslots)
		return NULL;
	for (j = (size_t)hash_name(name, len) & (c->nslots - 1); c->slots[j]; j = (j + 1) & (c->nslots - 1)) {
		const acct__perm *p = &c->perms[c->slots[j] - 1];
		if (strncmp(p->name, name, len) == 0 && p->name[len] == '\0')
			return p;
	}
	return NULL;
}

const acct__perm *acct__perm_find(const acct__catalogs *c, const char *name)
{
	return find_len(c, name, strlen(name));
}

/* Append an entry (the name and label are copied); its bit is the next free in its space. */
static int add(acct__catalogs *c, const char *name, size_t len, const char *label, int catalog, int space,
               acct__perm **out)
{
	acct__perm *p;
	void *arr = c->perms;

	if (c->used[space] >= 64)
		return acct__error_set(ACCT_ELIMIT, "no room for permission '%.*s': at most 64 %s names", (int)len, name,
		                       space == ACCT__SPACE_ROLE ? "role permission" : "account permission");
	if (acct__grow(&arr, &c->cap, c->n + 1, sizeof(*c->perms)) < 0)
		return ACCT_ENOMEM;
	c->perms = arr;
	if ((c->n + 1) * 2 > c->nslots && rehash(c, c->nslots ? c->nslots * 2 : 128) < 0)
		return ACCT_ENOMEM;
	p = &c->perms[c->n];
	memset(p, 0, sizeof(*p));
	p->name = acct__strndup(name, len);
	p->label = acct__strdup(label ? label : "");
	if (!p->name || !p->label) {
		acct__free(p->name);
		acct__free(p->label);
		return acct__error_oom();
	}
	p->catalog = catalog;
	p->space = space;
	p->bit = c->used[space]++;
	p->needs = -1;
	c->n++;
	if (rehash(c, c->nslots) < 0) { /* cannot fail after the growth above, but stay honest */
		c->n--;
		c->used[space]--;
		acct__free(p->name);
		acct__free(p->label);
		return ACCT_ENOMEM;
	}
	*out = p;
	return 0;
}

int acct__catalogs_init(acct__catalogs *c)
{
	static const int catalogs[] = { ACCT_CATALOG_ACCOUNT, ACCT_CATALOG_ROLE, ACCT_CATALOG_PARTNER };
	size_t k, i, n;

	memset(c, 0, sizeof(*c));
	for (k = 0; k < ACCT__ARRAY_LEN(catalogs); k++) {
		const acct__perm_builtin *b = acct__perm_builtins(catalogs[k], &n);
		for (i = 0; i < n; i++) {
			acct__perm *p;
			if (add(c, b[i].name, strlen(b[i].name), b[i].label, catalogs[k], (int)k, &p) < 0)
				return ACCT_ENOMEM;
			p->writable_by = b[i].writable_by;
			p->reseller_only = b[i].reseller_only;
			if (b[i].default_for)
				c->defaults[b[i].default_for] |= (uint64_t)1 << p->bit;
		}
	}
	/* Role permissions that need an account permission of the owner. */
	{
		const acct__perm_builtin *b = acct__perm_builtins(ACCT_CATALOG_ROLE, &n);
		for (i = 0; i < n; i++) {
			const acct__perm *need = b[i].needs ? acct__perm_find(c, b[i].needs) : NULL;
			acct__perm *p = (acct__perm *)acct__perm_find(c, b[i].name);
			if (need) {
				p->needs = need->bit;
				c->role_needs[p->bit] = (uint64_t)1 << need->bit;
			}
		}
	}
	return 0;
}

void acct__catalogs_free(acct__catalogs *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		acct__free(c->perms[i].name);
		acct__free(c->perms[i].label);
	}
	for (i = 0; i < c->nhost; i++)
		acct__free(c->host[i]);
	acct__free(c->host);
	acct__free(c->perms);
	acct__free(c->slots);
	memset(c, 0, sizeof(*c));
}

int acct__perm_bit_seen(acct__catalogs *c, const char *name, size_t len, int space)
{
	const acct__perm *p = find_len(c, name, len);
	acct__perm *np;

	if (p)
		return p->space == space ? p->bit : -1;
	if (add(c, name, len, "", 0, space, &np) < 0)
		return -1;
	np->writable_by = ACCT_WRITABLE_BY_ADMIN;
	return np->bit;
}

int acct__perm_bits(acct__catalogs *c, const acct_buf *names, int space, uint64_t *bits)
{
	size_t pos = 0;
	const char *n;

	*bits = 0;
	while ((n = acct__names_next(names, &pos))) {
		const acct__perm *p = acct__perm_find(c, n);
		int bit;

		if (p && p->space != space)
			continue; /* a name of another space: kept in the record, no bit here */
		bit = p ? p->bit : acct__perm_bit_seen(c, n, strlen(n), space);
		if (bit < 0)
			return acct__error_set(ACCT_ELIMIT, "permission '%s' does not fit in the index", n);
		*bits |= (uint64_t)1 << bit;
	}
	return 0;
}
