/*
 * The UpCloud-style partner accounts API (spec/partner-apis.md section 2),
 * shared by `acctctl serve` (GET/POST /1.3/partner/accounts) and
 * `acctctl partner account list|create`. A partner is the acting account
 * (a reseller, or the admin); its partner accounts are the customers it owns.
 */
#ifndef ACCTCTL_PARTNER_H
#define ACCTCTL_PARTNER_H

#include <jansson.h>
#include <acct.h>

/* country3.c: ISO 3166-1 alpha-2 <-> alpha-3. */
const char *country_alpha3(const char *alpha2);
int country_alpha2(char out[3], const char *alpha3);

/* Contact details as the API names them; NULL for absent. */
typedef struct partner_contact {
	const char *first_name, *last_name, *country, *state, *email, *phone;
	const char *company, *address, *postal_code, *city, *vat_number;
} partner_contact;

/* A refusal: the HTTP status, the error code and a sentence. */
typedef struct partner_error {
	int http;
	char code[48];
	char message[300];
} partner_error;

/* The request's fields by their JSON names, in the spec's order. */
extern const char *const partner_contact_keys[11];
const char **partner_contact_slot(partner_contact *pc, size_t index);

/*
 * Check a create request against the field rules of section 2.2. `contact`
 * NULL means "copy the partner's own details". 0, or -1 with `err` filled
 * (400 and an INVALID_* code naming the field).
 */
int partner_validate(partner_error *err, const char *username, const char *password, const partner_contact *contact);

/* Create the account as a customer of the session's account; 0 or -1 with `err`. */
int partner_create(partner_error *err, json_t **account_out, acct_session *s, const char *username,
                   const char *password, const partner_contact *contact);

/* The session account's customers as account objects, by id; 0 or -1 with `err`. */
int partner_list(partner_error *err, json_t **array_out, acct_session *s);

/* The error envelope of section 2.3: {"error":{"error_code":..,"error_message":..}}. */
json_t *partner_error_json(const partner_error *err);

/* Fill `err` from libacct's last error (status by code: 400, 401, 403, 404, 409, 500). */
void partner_error_from_last(partner_error *err);

#endif
