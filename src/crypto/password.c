/*
 * Password hashing: scrypt (memory-hard) with a random salt, in a
 * self-describing string so the cost can be raised later without breaking
 * stored hashes: "$scrypt$ln=15,r=8,p=1$<salt b64>$<hash b64>".
 */
#include <stdio.h>
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include "util/util.h"
#include "crypto.h"

#define SALT_LEN 16
#define HASH_LEN 32
#define SCRYPT_R 8
#define SCRYPT_P 1

static int derive(uint8_t out[HASH_LEN], const char *password, const uint8_t *salt, size_t salt_len,
                  int ln, int r, int p)
{
	uint64_t n = (uint64_t)1 << ln;
	uint64_t maxmem = n * (uint64_t)r * 128u * 2u + (1u << 20);

	if (EVP_PBE_scrypt(password, strlen(password), salt, salt_len, n, (uint64_t)r, (uint64_t)p, maxmem,
	                   out, HASH_LEN) != 1)
		return acct__error_set(ACCT_ERROR, "password hashing failed (scrypt ln=%d r=%d p=%d)", ln, r, p);
	return 0;
}

int acct__password_hash(char **out, const char *password, int cost)
{
	uint8_t salt[SALT_LEN], hash[HASH_LEN];
	unsigned char salt64[4 * ((SALT_LEN + 2) / 3) + 1], hash64[4 * ((HASH_LEN + 2) / 3) + 1];
	char enc[160];

	*out = NULL;
	if (cost <= 0)
		cost = ACCT__PASSWORD_COST_DEFAULT;
	if (acct__random_bytes(salt, sizeof(salt)) < 0 || derive(hash, password, salt, sizeof(salt), cost, SCRYPT_R, SCRYPT_P) < 0)
		return ACCT_ERROR;
	EVP_EncodeBlock(salt64, salt, SALT_LEN);
	EVP_EncodeBlock(hash64, hash, HASH_LEN);
	OPENSSL_cleanse(hash, sizeof(hash));
	snprintf(enc, sizeof(enc), "$scrypt$ln=%d,r=%d,p=%d$%s$%s", cost, SCRYPT_R, SCRYPT_P, salt64, hash64);
	*out = acct__strdup(enc);
	return *out ? 0 : acct__error_oom();
}

/* Decode standard base64 of a known byte length. */
static int unb64(uint8_t *out, size_t want, const char *s, size_t len)
{
	unsigned char tmp[128];
	int n;
	size_t pad = 0;

	if (len == 0 || len % 4 || len > 4 * ((sizeof(tmp) + 2) / 3))
		return -1;
	n = EVP_DecodeBlock(tmp, (const unsigned char *)s, (int)len);
	if (n < 0)
		return -1;
	if (s[len - 1] == '=')
		pad++;
	if (s[len - 2] == '=')
		pad++;
	if ((size_t)n - pad != want)
		return -1;
	memcpy(out, tmp, want);
	return 0;
}

int acct__password_verify(const char *encoded, const char *password)
{
	int ln, r, p, consumed = 0, ok;
	const char *salt, *hash;
	uint8_t saltb[SALT_LEN], want[HASH_LEN], got[HASH_LEN];

	if (!encoded || sscanf(encoded, "$scrypt$ln=%d,r=%d,p=%d$%n", &ln, &r, &p, &consumed) != 3 || !consumed)
		return acct__error_set(ACCT_EPARSE, "stored password hash is not in a known format");
	if (ln < 1 || ln > 24 || r < 1 || r > 32 || p < 1 || p > 16)
		return acct__error_set(ACCT_EPARSE, "stored password hash has out-of-range parameters");
	salt = encoded + consumed;
	hash = strchr(salt, '$');
	if (!hash || unb64(saltb, SALT_LEN, salt, (size_t)(hash - salt)) < 0 ||
	    unb64(want, HASH_LEN, hash + 1, strlen(hash + 1)) < 0)
		return acct__error_set(ACCT_EPARSE, "stored password hash is corrupt");
	if (derive(got, password, saltb, SALT_LEN, ln, r, p) < 0)
		return ACCT_ERROR;
	ok = acct__ct_equal(got, want, HASH_LEN);
	OPENSSL_cleanse(got, sizeof(got));
	return ok;
}
