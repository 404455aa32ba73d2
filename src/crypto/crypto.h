/* OpenSSL behind a small internal interface; public headers never see OpenSSL. */
#ifndef ACCT_CRYPTO_H
#define ACCT_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

/* random.c */
int acct__random_bytes(void *out, size_t n);
/* A fresh UUID v4 in binary. */
int acct__uuid_v4(uint8_t out[16]);
/* Canonical form: 8-4-4-4-12 lower-case hex digits, 36 chars + NUL. */
void acct__uuid_format(char out[37], const uint8_t uuid[16]);
/* Parse a UUID in canonical form (either case); 0 or ACCT_EINVALID (no message set). */
int acct__uuid_parse(uint8_t out[16], const char *s);
/* Constant-time equality of n bytes. */
int acct__ct_equal(const void *a, const void *b, size_t n);

/* SHA-256 of n bytes: for secrets that are random already (keys, tokens),
 * where a slow KDF would add nothing. */
int acct__sha256(uint8_t out[32], const void *data, size_t n);
/* A random string of `len` characters from [A-Za-z0-9], with at least one of
 * each class (generated passwords); out has room for len + 1. len >= 3. */
int acct__random_password(char *out, size_t len);
/* `n` random bytes as lower-case hex into out (2n + 1 bytes). */
int acct__random_hex(char *out, size_t n);

/* password.c: scrypt, encoded as "$scrypt$ln=15,r=8,p=1$<salt b64>$<hash b64>". */
#define ACCT__PASSWORD_COST_DEFAULT 15
int acct__password_hash(char **out, const char *password, int cost);
/* 1 match, 0 no match, negative on error (bad encoding, no memory). */
int acct__password_verify(const char *encoded, const char *password);

#endif
