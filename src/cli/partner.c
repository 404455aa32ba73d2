/*
 * The partner accounts API's rules and its mapping onto libacct accounts:
 * username -> login, first and last name -> the personal name ("First
 * Last"; split at the first space when read back), alpha-3 country <->
 * stored alpha-2, vat_number -> ACCT_FIELD_VAT_NUMBER. Validation follows
 * spec/partner-apis.md section 2.2 field by field; the error codes
 * (INVALID_<FIELD>, USERNAME_EXISTS, ...) are libacct's choice where the
 * spec has none (section 2.3 marks them UNVERIFIED).
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "partner.h"

const char *const partner_contact_keys[11] = {
	"first_name", "last_name", "country", "state", "email", "phone",
	"company", "address", "postal_code", "city", "vat_number",
};

const char **partner_contact_slot(partner_contact *pc, size_t index)
{
	const char **slots[11] = {
		&pc->first_name, &pc->last_name, &pc->country, &pc->state, &pc->email, &pc->phone,
		&pc->company, &pc->address, &pc->postal_code, &pc->city, &pc->vat_number,
	};
	return index < 11 ? slots[index] : NULL;
}

static int refuse(partner_error *err, int http, const char *code, const char *fmt, ...)
{
	va_list ap;

	err->http = http;
	snprintf(err->code, sizeof err->code, "%s", code);
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof err->message, fmt, ap);
	va_end(ap);
	return -1;
}

static int length_ok(const char *v, size_t min, size_t max)
{
	size_t n = v != NULL ? strlen(v) : 0;
	return n >= min && n <= max;
}

/* ^[a-z0-9]+(_[a-z0-9]+)*$, 4..64 */
static int username_ok(const char *u)
{
	size_t n = strlen(u);

	if (n < 4 || n > 64 || u[0] == '_' || u[n - 1] == '_')
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (u[i] == '_') {
			if (u[i + 1] == '_')
				return 0;
		} else if (!((u[i] >= 'a' && u[i] <= 'z') || (u[i] >= '0' && u[i] <= '9'))) {
			return 0;
		}
	}
	return 1;
}

static int password_ok(const char *p)
{
	int lower = 0, upper = 0, digit = 0;

	if (!length_ok(p, 8, 256))
		return 0;
	for (; *p; p++) {
		lower |= islower((unsigned char)*p) != 0;
		upper |= isupper((unsigned char)*p) != 0;
		digit |= isdigit((unsigned char)*p) != 0;
	}
	return lower && upper && digit;
}

/* +CC.NUMBER: a plus, 1-3 digits, a period, 4-15 digits. */
static int phone_ok(const char *p)
{
	size_t cc = 0, nat = 0;

	if (*p++ != '+')
		return 0;
	while (isdigit((unsigned char)*p))
		p++, cc++;
	if (*p++ != '.' || cc < 1 || cc > 3)
		return 0;
	while (isdigit((unsigned char)*p))
		p++, nat++;
	return *p == '\0' && nat >= 4 && nat <= 15;
}

static int email_ok(const char *e)
{
	const char *at = strchr(e, '@');
	return at != NULL && at != e && strchr(at + 1, '.') != NULL && strchr(at + 1, '@') == NULL &&
	       at[1] != '.' && e[strlen(e) - 1] != '.' && strpbrk(e, " \t\r\n") == NULL && strlen(e) <= 255;
}

/* Two letters (a country prefix, as EU VAT numbers have) then 2..13 letters or digits. */
static int vat_ok(const char *v)
{
	size_t n = strlen(v);

	if (n < 4 || n > 15 || !isupper((unsigned char)v[0]) || !isupper((unsigned char)v[1]))
		return 0;
	for (size_t i = 2; i < n; i++)
		if (!isupper((unsigned char)v[i]) && !isdigit((unsigned char)v[i]))
			return 0;
	return 1;
}

/* Address: one or two lines, each 1..100 characters. */
static int address_ok(const char *a)
{
	const char *nl = strchr(a, '\n');

	if (nl == NULL)
		return length_ok(a, 1, 100);
	return nl - a >= 1 && nl - a <= 100 && strchr(nl + 1, '\n') == NULL && length_ok(nl + 1, 1, 100);
}

int partner_validate(partner_error *err, const char *username, const char *password, const partner_contact *c)
{
	char a2[3];

	if (username == NULL || *username == '\0')
		return refuse(err, 400, "USERNAME_MISSING", "username is required");
	/* The spec allows 64; a libacct login holds 60 (Plesk's limit). */
	if (!username_ok(username) || strlen(username) > 60)
		return refuse(err, 400, "INVALID_USERNAME", "username '%s' must be 4 to 60 lower-case letters and digits, "
		                                            "in groups joined by single underscores", username);
	if (password == NULL || *password == '\0')
		return refuse(err, 400, "PASSWORD_MISSING", "password is required");
	if (!password_ok(password) || strlen(password) > 255)
		return refuse(err, 400, "INVALID_PASSWORD", "password must be 8 to 255 characters with at least one "
		                                            "lower-case letter, one upper-case letter and one digit");
	if (c == NULL)
		return 0;
	if (!length_ok(c->first_name, 1, 50))
		return refuse(err, 400, "INVALID_FIRST_NAME", "contact_details.first_name is required, 1 to 50 characters");
	if (!length_ok(c->last_name, 1, 50))
		return refuse(err, 400, "INVALID_LAST_NAME", "contact_details.last_name is required, 1 to 50 characters");
	/* libacct keeps one personal name of at most 60 characters: "First Last". */
	if (strlen(c->first_name) + 1 + strlen(c->last_name) > 60)
		return refuse(err, 400, "INVALID_LAST_NAME", "first_name and last_name together may have at most 59 "
		                                             "characters (libacct keeps one personal name of 60)");
	if (c->email == NULL || !email_ok(c->email))
		return refuse(err, 400, "INVALID_EMAIL", "contact_details.email is required and must be an e-mail address");
	if (c->country != NULL && country_alpha2(a2, c->country) != 0)
		return refuse(err, 400, "INVALID_COUNTRY", "contact_details.country '%s' is not an ISO 3166-1 alpha-3 code "
		                                           "(e.g. FIN, USA)", c->country);
	if (c->country != NULL && strcmp(c->country, "USA") == 0 && (c->state == NULL || *c->state == '\0'))
		return refuse(err, 400, "INVALID_STATE", "contact_details.state is required when the country is USA");
	if (c->state != NULL && !length_ok(c->state, 1, 100))
		return refuse(err, 400, "INVALID_STATE", "contact_details.state must be 1 to 100 characters");
	if (c->phone != NULL && !phone_ok(c->phone))
		return refuse(err, 400, "INVALID_PHONE", "contact_details.phone '%s' must be in international format, the "
		                                         "country code and the number separated by a period: +358.91234567",
		              c->phone);
	if (c->company != NULL && !length_ok(c->company, 1, 60))
		return refuse(err, 400, "INVALID_COMPANY", "contact_details.company must be 1 to 60 characters (libacct's "
		                                           "company field)");
	if (c->address != NULL && (!address_ok(c->address) || strchr(c->address, '\n') != NULL))
		return refuse(err, 400, "INVALID_ADDRESS", "contact_details.address must be one line of 1 to 100 "
		                                           "characters (libacct keeps a one-line address)");
	if (c->postal_code != NULL && !length_ok(c->postal_code, 1, 16))
		return refuse(err, 400, "INVALID_POSTAL_CODE", "contact_details.postal_code must be 1 to 16 characters "
		                                               "(libacct's postal code field)");
	if (c->city != NULL && !length_ok(c->city, 1, 100))
		return refuse(err, 400, "INVALID_CITY", "contact_details.city must be 1 to 100 characters");
	if (c->vat_number != NULL && !vat_ok(c->vat_number))
		return refuse(err, 400, "INVALID_VAT_NUMBER", "contact_details.vat_number '%s' is not a VAT number (a "
		                                              "two-letter country prefix and 2 to 13 letters or digits)",
		              c->vat_number);
	return 0;
}

void partner_error_from_last(partner_error *err)
{
	const acct_error *e = acct_error_last();

	switch (e->code) {
	case ACCT_EAUTH:
	case ACCT_ELOCKED:
	case ACCT_EDISABLED:
		refuse(err, 401, "AUTHENTICATION_FAILED", "%s", e->message);
		break;
	case ACCT_EDENIED:
	case ACCT_ELIMIT:
		refuse(err, 403, "ACCOUNT_FORBIDDEN", "%s", e->message);
		break;
	case ACCT_ENOTFOUND:
		refuse(err, 404, "NOT_FOUND", "%s", e->message);
		break;
	case ACCT_EEXISTS:
		refuse(err, 409, "USERNAME_EXISTS", "%s", e->message);
		break;
	case ACCT_EINVALID:
		refuse(err, 400, "INVALID_CONTACT_DETAILS", "%s", e->message);
		break;
	default:
		refuse(err, 500, "SERVER_ERROR", "%s", e->message);
		break;
	}
}

json_t *partner_error_json(const partner_error *err)
{
	return json_pack("{s:{s:s,s:s}}", "error", "error_code", err->code, "error_message", err->message);
}

static const char *or_empty(const char *s)
{
	return s != NULL ? s : "";
}

/* The 12 string fields of section 2.1, "" when unset. */
static json_t *account_json(const acct_account *a)
{
	const char *name = or_empty(acct_account_get(a, ACCT_FIELD_NAME));
	const char *space = strchr(name, ' ');
	const char *a3 = country_alpha3(acct_account_get(a, ACCT_FIELD_COUNTRY));
	json_t *o;

	o = json_pack("{s:s, s:s%, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
	              "username", or_empty(acct_account_get(a, ACCT_FIELD_LOGIN)),
	              "first_name", name, space != NULL ? (size_t)(space - name) : strlen(name),
	              "last_name", space != NULL ? space + 1 : "",
	              "country", or_empty(a3),
	              "state", or_empty(acct_account_get(a, ACCT_FIELD_STATE)),
	              "email", or_empty(acct_account_get(a, ACCT_FIELD_EMAIL)),
	              "phone", or_empty(acct_account_get(a, ACCT_FIELD_PHONE)),
	              "company", or_empty(acct_account_get(a, ACCT_FIELD_COMPANY)),
	              "address", or_empty(acct_account_get(a, ACCT_FIELD_ADDRESS)),
	              "postal_code", or_empty(acct_account_get(a, ACCT_FIELD_POSTAL_CODE)),
	              "city", or_empty(acct_account_get(a, ACCT_FIELD_CITY)),
	              "vat_number", or_empty(acct_account_get(a, ACCT_FIELD_VAT_NUMBER)));
	return o;
}

int partner_list(partner_error *err, json_t **array_out, acct_session *s)
{
	acct_account_iterator *it = NULL;
	json_t *arr = json_array();
	acct_id id;
	int rc;

	*array_out = NULL;
	if (arr == NULL)
		return refuse(err, 500, "SERVER_ERROR", "out of memory");
	if (acct_account_iterator_new(&it, s, acct_session_account(s), ACCT_ITER_CHILDREN) != 0) {
		json_decref(arr);
		partner_error_from_last(err);
		return -1;
	}
	while ((rc = acct_account_iterator_next(&id, it)) == 0) {
		acct_account *a = NULL;
		if (acct_account_lookup(&a, s, id) == 0 && acct_account_type(a) == ACCT_TYPE_CUSTOMER)
			json_array_append_new(arr, account_json(a));
		acct_account_free(a);
	}
	acct_account_iterator_free(it);
	if (rc != ACCT_ITEROVER) {
		json_decref(arr);
		partner_error_from_last(err);
		return -1;
	}
	*array_out = arr;
	return 0;
}

static int set_field(acct_account *a, int field, const char *v)
{
	return v != NULL && *v != '\0' ? acct_account_set(a, field, v) : 0;
}

/* Contact fields onto the new account: the request's, or the partner's own. */
static int apply_contact(acct_account *a, acct_session *s, const partner_contact *c)
{
	static const int copied[] = {
		ACCT_FIELD_NAME, ACCT_FIELD_COMPANY, ACCT_FIELD_PHONE, ACCT_FIELD_FAX, ACCT_FIELD_EMAIL,
		ACCT_FIELD_ADDRESS, ACCT_FIELD_CITY, ACCT_FIELD_STATE, ACCT_FIELD_POSTAL_CODE, ACCT_FIELD_COUNTRY,
		ACCT_FIELD_LOCALE, ACCT_FIELD_VAT_NUMBER,
	};
	char name[128], a2[3];
	int rc = 0;

	if (c == NULL) {
		acct_account *partner = NULL;
		if ((rc = acct_account_lookup(&partner, s, acct_session_account(s))) != 0)
			return rc;
		for (size_t i = 0; i < sizeof copied / sizeof copied[0] && rc == 0; i++)
			rc = set_field(a, copied[i], acct_account_get(partner, copied[i]));
		acct_account_free(partner);
		return rc;
	}
	snprintf(name, sizeof name, "%s %s", c->first_name, c->last_name);
	rc = acct_account_set(a, ACCT_FIELD_NAME, name);
	if (rc == 0 && c->country != NULL && country_alpha2(a2, c->country) == 0)
		rc = acct_account_set(a, ACCT_FIELD_COUNTRY, a2);
	if (rc == 0)
		rc = set_field(a, ACCT_FIELD_STATE, c->state);
	if (rc == 0)
		rc = set_field(a, ACCT_FIELD_EMAIL, c->email);
	if (rc == 0)
		rc = set_field(a, ACCT_FIELD_PHONE, c->phone);
	if (rc == 0)
		rc = set_field(a, ACCT_FIELD_COMPANY, c->company);
	if (rc == 0)
		rc = set_field(a, ACCT_FIELD_ADDRESS, c->address);
	if (rc == 0)
		rc = set_field(a, ACCT_FIELD_POSTAL_CODE, c->postal_code);
	if (rc == 0)
		rc = set_field(a, ACCT_FIELD_CITY, c->city);
	if (rc == 0)
		rc = set_field(a, ACCT_FIELD_VAT_NUMBER, c->vat_number);
	return rc;
}

int partner_create(partner_error *err, json_t **account_out, acct_session *s, const char *username,
                   const char *password, const partner_contact *contact)
{
	acct_account *a = NULL;
	int rc;

	*account_out = NULL;
	if (partner_validate(err, username, password, contact) != 0)
		return -1;
	rc = acct_account_new(&a, ACCT_TYPE_CUSTOMER);
	if (rc == 0)
		rc = acct_account_set(a, ACCT_FIELD_LOGIN, username);
	if (rc == 0)
		rc = acct_account_set(a, ACCT_FIELD_PASSWORD, password);
	if (rc == 0)
		rc = apply_contact(a, s, contact);
	if (rc == 0)
		rc = acct_account_add(NULL, s, acct_session_account(s), a);
	if (rc != 0) {
		partner_error_from_last(err);
		acct_account_free(a);
		return -1;
	}
	*account_out = account_json(a);
	acct_account_free(a);
	return 0;
}
