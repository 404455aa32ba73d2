/* Random material from OpenSSL's CSPRNG: GUIDs, salts, later keys and tokens. */
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/evp.h>
#include "util/util.h"
#include "crypto.h"

int acct__random_bytes(void *out, size_t n)
{
	if (n > INT32_MAX || RAND_bytes(out, (int)n) != 1)
		return acct__error_set(ACCT_ERROR, "the system random generator failed");
	return 0;
}

int acct__uuid_v4(uint8_t out[16])
{
	if (acct__random_bytes(out, 16) < 0)
		return ACCT_ERROR;
	out[6] = (uint8_t)((out[6] & 0x0F) | 0x40); /* version 4 */
	out[8] = (uint8_t)((out[8] & 0x3F) | 0x80); /* RFC 4122 variant */
	return 0;
}

void acct__uuid_format(char out[37], const uint8_t u[16])
{
	static const char hex[] = "0123456789abcdef";
	size_t i, o = 0;

	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[u[i] >> 4];
		out[o++] = hex[u[i] & 15];
	}
	out[o] = '\0';
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int acct__uuid_parse(uint8_t out[16], const char *s)
{
	size_t i, o = 0;

	if (!s || strlen(s) != 36)
		return ACCT_EINVALID;
	for (i = 0; i < 36;) {
		int hi, lo;
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return ACCT_EINVALID;
			i++;
			continue;
		}
		hi = hexval((unsigned char)s[i]);
		lo = hexval((unsigned char)s[i + 1]);
		if (hi < 0 || lo < 0)
			return ACCT_EINVALID;
		out[o++] = (uint8_t)(hi << 4 | lo);
		i += 2;
	}
	return 0;
}

int acct__ct_equal(const void *a, const void *b, size_t n)
{
	return CRYPTO_memcmp(a, b, n) == 0;
}

int acct__sha256(uint8_t out[32], const void *data, size_t n)
{
	unsigned int len = 0;

	if (EVP_Digest(data, n, out, &len, EVP_sha256(), NULL) != 1 || len != 32)
		return acct__error_set(ACCT_ERROR, "SHA-256 failed");
	return 0;
}

int acct__random_password(char *out, size_t len)
{
	static const char lower[] = "abcdefghijkmnopqrstuvwxyz", upper[] = "ABCDEFGHJKLMNPQRSTUVWXYZ",
	                  digit[] = "23456789";
	static const char *const classes[] = { lower, upper, digit };
	unsigned char r[64];
	size_t i;

	if (len < 3 || len > sizeof(r) / 2)
		return acct__error_set(ACCT_EINVALID, "generated passwords are 3 to %zu characters", sizeof(r) / 2);
	if (acct__random_bytes(r, sizeof(r)) < 0)
		return ACCT_ERROR;
	/* Look-alike characters (l, I, O, 0, 1) are left out: people copy these. */
	for (i = 0; i < len; i++) {
		const char *c = classes[i < 3 ? i : r[i] % 3];
		out[i] = c[r[len + i] % strlen(c)];
	}
	/* Move the three guaranteed characters to random places. */
	for (i = 0; i < 3; i++) {
		size_t j = r[2 * len - 1 - i] % len;
		char t = out[i];
		out[i] = out[j];
		out[j] = t;
	}
	out[len] = '\0';
	OPENSSL_cleanse(r, sizeof(r));
	return 0;
}

int acct__random_hex(char *out, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char r[64];
	size_t i;

	if (n > sizeof(r) || acct__random_bytes(r, n) < 0)
		return acct__error_set(ACCT_ERROR, "the system random generator failed");
	for (i = 0; i < n; i++) {
		out[2 * i] = hex[r[i] >> 4];
		out[2 * i + 1] = hex[r[i] & 15];
	}
	out[2 * n] = '\0';
	OPENSSL_cleanse(r, sizeof(r));
	return 0;
}
