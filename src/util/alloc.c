/* The allocator hook. Read without a lock: it may only change while libacct is not initialised. */
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>
#include "acct/sys/alloc.h"
#include "util.h"

static void *std_malloc(void *payload, size_t n) { (void)payload; return malloc(n); }
static void *std_realloc(void *payload, void *p, size_t n) { (void)payload; return realloc(p, n); }
static void std_free(void *payload, void *p) { (void)payload; free(p); }

static acct_allocator current = { ACCT_ALLOCATOR_VERSION, NULL, std_malloc, std_realloc, std_free };

int acct_allocator_init(acct_allocator *a, unsigned int version)
{
	acct_allocator init = ACCT_ALLOCATOR_INIT;

	if (!a || version == 0 || version > ACCT_ALLOCATOR_VERSION)
		return acct__error_set(ACCT_EINVALID, "acct_allocator version %u is not supported (1..%d)",
		                       version, ACCT_ALLOCATOR_VERSION);
	*a = init;
	a->version = version;
	return 0;
}

int acct_global_set_allocator(const acct_allocator *a)
{
	if (acct__global_initialized())
		return acct__error_set(ACCT_EINVALID, "the allocator can only be replaced while libacct is not initialised");
	if (!a) {
		current.payload = NULL;
		current.malloc = std_malloc;
		current.realloc = std_realloc;
		current.free = std_free;
		return 0;
	}
	if (a->version == 0 || a->version > ACCT_ALLOCATOR_VERSION)
		return acct__error_set(ACCT_EINVALID, "acct_allocator version %u is not supported (1..%d)",
		                       a->version, ACCT_ALLOCATOR_VERSION);
	if (!a->malloc || !a->realloc || !a->free)
		return acct__error_set(ACCT_EINVALID, "acct_allocator needs malloc, realloc and free");
	current.payload = a->payload;
	current.malloc = a->malloc;
	current.realloc = a->realloc;
	current.free = a->free;
	return 0;
}

void *acct__malloc(size_t size)
{
	return current.malloc(current.payload, size ? size : 1);
}

void *acct__calloc(size_t n, size_t size)
{
	void *p;

	if (size && n > SIZE_MAX / size)
		return NULL;
	p = acct__malloc(n * size);
	if (p)
		memset(p, 0, n * size);
	return p;
}

void *acct__realloc(void *ptr, size_t size)
{
	return current.realloc(current.payload, ptr, size ? size : 1);
}

void acct__free(void *ptr)
{
	if (ptr)
		current.free(current.payload, ptr);
}

char *acct__strndup(const char *s, size_t n)
{
	char *d = acct__malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

char *acct__strdup(const char *s)
{
	return s ? acct__strndup(s, strlen(s)) : NULL;
}

void acct__free_secret(char *s)
{
	if (s) {
		OPENSSL_cleanse(s, strlen(s));
		acct__free(s);
	}
}

int acct__grow(void **arr, size_t *cap, size_t need, size_t elem)
{
	size_t ncap;
	void *p;

	if (need <= *cap)
		return 0;
	ncap = *cap ? *cap : 16;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2 / elem)
			return acct__error_oom();
		ncap *= 2;
	}
	p = acct__realloc(*arr, ncap * elem);
	if (!p)
		return acct__error_oom();
	*arr = p;
	*cap = ncap;
	return 0;
}
