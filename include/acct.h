/**
 * @file acct.h
 * @brief libacct: accounts, hierarchy, permissions and Plesk XML API packets.
 *
 * The umbrella header for applications. Backend authors also include
 * acct/sys/storage.h (and the other acct/sys/ headers) themselves.
 */
#ifndef ACCT_H
#define ACCT_H

#include "acct/common.h"
#include "acct/errors.h"
#include "acct/buf.h"
#include "acct/storage.h"
#include "acct/ctx.h"
#include "acct/session.h"
#include "acct/account.h"
#include "acct/perm.h"
#include "acct/role.h"
#include "acct/limit.h"
#include "acct/credential.h"
#include "acct/audit.h"
#include "acct/packet.h"
#include "acct/agent.h"
#include "acct/transport.h"

#endif
