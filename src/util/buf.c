/* acct_buf: the one way libacct hands bytes to callers and backends. */
#include <string.h>
#include "util.h"

void acct_buf_init(acct_buf *buf)
{
	if (buf) {
		buf->ptr = NULL;
		buf->reserved = 0;
		buf->size = 0;
	}
}

int acct__buf_grow(acct_buf *buf, size_t need)
{
	size_t cap;
	char *p;

	if (need < buf->reserved)
		return 0;
	if (need == SIZE_MAX)
		return acct__error_oom();
	cap = buf->reserved ? buf->reserved : 64;
	while (cap <= need) {
		if (cap > SIZE_MAX / 2)
			return acct__error_oom();
		cap *= 2;
	}
	p = acct__realloc(buf->ptr, cap);
	if (!p)
		return acct__error_oom();
	buf->ptr = p;
	buf->reserved = cap;
	return 0;
}

int acct_buf_set(acct_buf *buf, const void *data, size_t len)
{
	if (!buf || (!data && len))
		return acct__error_set(ACCT_EINVALID, "acct_buf_set: NULL buffer or data");
	if (acct__buf_grow(buf, len) < 0)
		return ACCT_ENOMEM;
	if (len)
		memmove(buf->ptr, data, len);
	buf->size = len;
	buf->ptr[len] = '\0';
	return 0;
}

int acct__buf_put(acct_buf *buf, const void *data, size_t len)
{
	if (len > SIZE_MAX - buf->size - 1)
		return acct__error_oom();
	if (acct__buf_grow(buf, buf->size + len) < 0)
		return ACCT_ENOMEM;
	if (len)
		memcpy(buf->ptr + buf->size, data, len);
	buf->size += len;
	buf->ptr[buf->size] = '\0';
	return 0;
}

int acct__buf_puts(acct_buf *buf, const char *s)
{
	return acct__buf_put(buf, s, strlen(s));
}

void acct__buf_clear(acct_buf *buf)
{
	buf->size = 0;
	if (buf->ptr)
		buf->ptr[0] = '\0';
}

void acct_buf_dispose(acct_buf *buf)
{
	if (!buf)
		return;
	if (buf->reserved)
		acct__free(buf->ptr);
	buf->ptr = NULL;
	buf->reserved = 0;
	buf->size = 0;
}

void acct__be64_put(unsigned char out[8], uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		out[i] = (unsigned char)(v >> (56 - 8 * i));
}

uint64_t acct__be64_get(const unsigned char in[8])
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | in[i];
	return v;
}
