/*
 * Base64 (RFC 4648, standard alphabet, with padding) for the keys and
 * values of export documents: store content is binary.
 */
#include <stdlib.h>
#include <string.h>
#include "acctctl.h"

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *base64_encode(const unsigned char *data, size_t len)
{
	char *out = xmalloc((len + 2) / 3 * 4 + 1), *p = out;
	size_t i;

	for (i = 0; i + 2 < len; i += 3) {
		*p++ = alphabet[data[i] >> 2];
		*p++ = alphabet[(data[i] & 3) << 4 | data[i + 1] >> 4];
		*p++ = alphabet[(data[i + 1] & 15) << 2 | data[i + 2] >> 6];
		*p++ = alphabet[data[i + 2] & 63];
	}
	if (i < len) {
		*p++ = alphabet[data[i] >> 2];
		*p++ = alphabet[(data[i] & 3) << 4 | (i + 1 < len ? data[i + 1] >> 4 : 0)];
		*p++ = i + 1 < len ? alphabet[(data[i + 1] & 15) << 2] : '=';
		*p++ = '=';
	}
	*p = '\0';
	return out;
}

static int sextet(char ch)
{
	const char *p = ch ? strchr(alphabet, ch) : NULL;

	return p ? (int)(p - alphabet) : -1;
}

/* Strict: only whole groups of four, padding only at the end. Returns 0, or -1 for bad input. */
int base64_decode(unsigned char **out, size_t *out_len, const char *text)
{
	size_t len = strlen(text), i, n = 0;
	unsigned char *buf;
	int v[4], k;

	*out = NULL;
	*out_len = 0;
	if (len % 4)
		return -1;
	buf = xmalloc(len / 4 * 3 + 1);
	for (i = 0; i < len; i += 4) {
		int last = i + 4 == len;
		for (k = 0; k < 4; k++)
			v[k] = last && k >= 2 && text[i + k] == '=' ? -2 : sextet(text[i + k]);
		if (v[0] < 0 || v[1] < 0 || v[2] == -1 || v[3] == -1 || (v[2] == -2 && v[3] != -2)) {
			free(buf);
			return -1;
		}
		buf[n++] = (unsigned char)(v[0] << 2 | v[1] >> 4);
		if (v[2] >= 0)
			buf[n++] = (unsigned char)((v[1] & 15) << 4 | v[2] >> 2);
		if (v[3] >= 0)
			buf[n++] = (unsigned char)((v[2] & 3) << 6 | v[3]);
	}
	*out = buf;
	*out_len = n;
	return 0;
}
