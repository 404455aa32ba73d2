/* Field validation. Every refusal names the field and the rule broken. */
#include <string.h>
#include "util.h"

int acct__utf8_valid(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < len) {
		unsigned char c = s[i];
		size_t n, k;
		uint32_t cp;

		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xE0) == 0xC0) {
			n = 1;
			cp = c & 0x1F;
		} else if ((c & 0xF0) == 0xE0) {
			n = 2;
			cp = c & 0x0F;
		} else if ((c & 0xF8) == 0xF0) {
			n = 3;
			cp = c & 0x07;
		} else {
			return 0;
		}
		if (i + n >= len)
			return 0;
		for (k = 1; k <= n; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		/* Overlong forms, surrogates and values past U+10FFFF are invalid. */
		if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
			return 0;
		i += n + 1;
	}
	return 1;
}

/* Characters counted as code points, so "60 characters" means what a person thinks. */
static size_t utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

int acct__validate_text(const char *what, const char *s, size_t min, size_t max)
{
	size_t len, chars;
	const unsigned char *p;

	if (!s)
		s = "";
	len = strlen(s);
	if (!acct__utf8_valid(s, len))
		return acct__error_set(ACCT_EINVALID, "%s is not valid UTF-8", what);
	for (p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 && *p != '\t')
			return acct__error_set(ACCT_EINVALID, "%s contains a control character", what);
	chars = utf8_chars(s);
	if (chars < min)
		return acct__error_set(ACCT_EINVALID, min == 1 ? "%s is required" : "%s is too short (at least %zu characters)",
		                       what, min);
	if (chars > max)
		return acct__error_set(ACCT_EINVALID, "%s is too long (%zu characters; at most %zu)", what, chars, max);
	return 0;
}

static int is_alnum(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

int acct__validate_email(const char *what, const char *s)
{
	const char *at, *p, *dot;

	if (acct__validate_text(what, s, 3, 255) < 0)
		return ACCT_EINVALID;
	at = strchr(s, '@');
	if (!at || at == s || strchr(at + 1, '@'))
		return acct__error_set(ACCT_EINVALID, "%s '%s' is not an e-mail address (one '@' with a name before it)", what, s);
	for (p = s; p < at; p++)
		if (!is_alnum(*p) && !strchr(".!#$%&'*+/=?^_`{|}~-", *p))
			return acct__error_set(ACCT_EINVALID, "%s '%s' has a character not allowed before '@'", what, s);
	if (s[0] == '.' || at[-1] == '.' || strstr(s, ".."))
		return acct__error_set(ACCT_EINVALID, "%s '%s' has a misplaced '.'", what, s);
	dot = strrchr(at + 1, '.');
	if (!dot || dot == at + 1 || !dot[1])
		return acct__error_set(ACCT_EINVALID, "%s '%s' needs a domain such as example.com after '@'", what, s);
	for (p = at + 1; *p; p++)
		if (!is_alnum(*p) && *p != '-' && *p != '.')
			return acct__error_set(ACCT_EINVALID, "%s '%s' has a character not allowed in a domain name", what, s);
	return 0;
}

int acct__validate_login(const char *s)
{
	const char *p;

	if (!s || !*s)
		return acct__error_set(ACCT_EINVALID, "login is required");
	if (strlen(s) > 60)
		return acct__error_set(ACCT_EINVALID, "login '%.60s...' is too long (at most 60 characters)", s);
	if (strchr(s, '@'))
		return acct__validate_email("login", s);
	for (p = s; *p; p++)
		if (!is_alnum(*p) && *p != '-' && *p != '.' && *p != '_')
			return acct__error_set(ACCT_EINVALID,
			                       "login '%s' may only contain letters, digits, '-', '.' and '_' (or be an e-mail address)", s);
	return 0;
}

int acct__validate_country(const char *s)
{
	if (!acct__country_known(s))
		return acct__error_set(ACCT_EINVALID,
		                       "country '%s' is not an ISO 3166-1 alpha-2 code (two upper-case letters, e.g. US, DE)", s);
	return 0;
}

int acct__validate_locale(const char *s)
{
	size_t n = strlen(s);

	/* "en", "en-US", "pt_BR", "zh-Hans-CN": letters in groups joined by - or _. */
	if (n >= 2 && n <= 17) {
		const char *p;
		int ok = 1, group = 0;
		for (p = s; *p && ok; p++) {
			if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9'))
				group++;
			else if ((*p == '-' || *p == '_') && group > 0)
				group = 0;
			else
				ok = 0;
		}
		if (ok && group > 0 && ((s[0] >= 'a' && s[0] <= 'z') && (s[1] >= 'a' && s[1] <= 'z')))
			return 0;
	}
	return acct__error_set(ACCT_EINVALID, "locale '%s' is not a language tag such as en or en-US", s);
}

static int lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

int acct__ascii_casecmp(const char *a, const char *b)
{
	for (;; a++, b++) {
		int ca = lower((unsigned char)*a), cb = lower((unsigned char)*b);
		if (ca != cb || !ca)
			return ca - cb;
	}
}

/* FNV-1a, 64 bit: cheap and good enough for the index's open addressing. */
uint64_t acct__hash_str_nocase(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++) {
		h ^= (uint64_t)lower((unsigned char)*s);
		h *= 1099511628211ULL;
	}
	return h ^ (h >> 29);
}

uint64_t acct__hash_bytes(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 1469598103934665603ULL;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= s[i];
		h *= 1099511628211ULL;
	}
	return h ^ (h >> 29);
}
