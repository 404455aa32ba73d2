/*
 * The seed store of the agent's tests (tests/check_agent.c,
 * tests/check_packet.c) and of the fixtures in tests/fixtures/agent: one
 * memory store with a fixed clock, built through the C API.
 *
 *   1 admin        pool 192.0.2.10-13 (shared); secret key 1 (192.0.2.50)
 *   2 res1         reseller, remote_access_interface, max_cl 10, guid R,
 *                  ext-res1, pool .10 shared + .11 exclusive, button "Help"
 *   3 res2         reseller without remote_access_interface
 *   4 cust1        customer of the admin, guid C1, ext-cust1, contact fields,
 *                  the admin's description
 *   5 cust2        customer of res1, ext-cust2, remote_access_interface
 *   6 cust3        customer of res1
 *   7 cust-off     customer of the admin, status 16
 *   8 user1        user of cust1, guid U1, ext-user1, role "Support"
 */
#ifndef ACCT_TEST_AGENT_SEED_H
#define ACCT_TEST_AGENT_SEED_H

#include <acct.h>
#include "testutil.h"

#define GUID_RES1 "22222222-2222-4222-8222-222222222222"
#define GUID_CUST1 "11111111-1111-4111-8111-111111111111"
#define GUID_USER1 "33333333-3333-4333-8333-333333333333"
#define CLIENT_IP "192.0.2.50"
#define SERVER_NAME "fixture.example"

typedef struct seed {
	acct_ctx *ctx;
	acct_session *admin;
	acct_id res1, res2, cust1, cust2, cust3, off, user1;
	acct_role_id role;
	acct_id key_id;
	char key[64];
} seed;

/* The seed's clock; tests move it (lockout expiry). */
extern test_clock seed_clock;

/* Build the seed store; `pretty` is the agent's reply indentation. */
void seed_open(seed *sd, int pretty);
void seed_close(seed *sd);

#endif
