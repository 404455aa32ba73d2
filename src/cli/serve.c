/*
 * acctctl serve: HTTPS for Plesk clients (POST /enterprise/control/agent.php)
 * and UpCloud-style partner clients (GET/POST /1.3/partner/accounts).
 *
 * libevent's evhttp parses HTTP (no hand-written parser) over OpenSSL
 * bufferevents; one event loop per core shares the listening port
 * (SO_REUSEPORT) and the one context, which is thread-safe. Limits: body
 * size (413 from evhttp), header size, and a read/write timeout that drops
 * slow clients. SIGTERM stops accepting, lets the loops finish what they
 * hold for a short grace, then closes the store: a request that was answered
 * was committed first, so no write is lost.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <strings.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/listener.h>
#include <event2/thread.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include "acctctl.h"
#include "partner.h"

const cli_opt cli_serve_opts[] = {
	{ "listen", 'l', "ADDR:PORT", 0, 0, "where to listen (default 127.0.0.1:8443; port 0 picks a free one)" },
	{ "cert", 0, "FILE", 0, 0, "PEM certificate chain (default: generated beside the store)" },
	{ "key", 0, "FILE", 0, 0, "PEM private key of --cert" },
	{ "threads", 0, "N", 0, 0, "event loops sharing the port (default: one per CPU)" },
	{ "timeout", 0, "SECONDS", 0, 0, "drop a connection idle or slow for this long (default 30)" },
	{ "max-body", 0, "BYTES", 0, 0, "larger request bodies get 413 (default 1048576)" },
	{ "access-log", 0, "FILE", 0, 0, "one line per request to FILE, '-' for standard output, 'off' (default: stderr)" },
	{ "grace", 0, "MS", 0, 0, "after SIGTERM, time given to open connections (default 1000)" },
	OPT_END
};

#define AGENT_PATH "/enterprise/control/agent.php"
#define PARTNER_PATH "/1.3/partner/accounts"

typedef struct server server;

typedef struct worker {
	server *srv;
	struct event_base *base;
	struct evhttp *http;
	struct evhttp_bound_socket *sock;
	pthread_t thread;
} worker;

struct server {
	cli *c;
	acct_ctx *ctx;
	acct_session *admin;
	SSL_CTX *ssl;
	FILE *log;
	pthread_mutex_t log_mu;
	worker *workers;
	int nworkers;
	int grace_ms;
	long long max_body, timeout;
};

/* ---- TLS ---- */

static int tls_fail(const char *what)
{
	unsigned long e = ERR_get_error();
	char buf[256];

	ERR_error_string_n(e, buf, sizeof buf);
	return seterr(ACCT_EUSER, "%s: %s", what, e != 0 ? buf : "unknown OpenSSL error");
}

/* A self-signed P-256 certificate for localhost, valid one year. */
static int make_certificate(const char *cert_path, const char *key_path)
{
	EVP_PKEY *key = EVP_EC_gen("P-256");
	X509 *x = X509_new();
	X509_NAME *name;
	X509_EXTENSION *ext = NULL;
	X509V3_CTX v3;
	FILE *f;
	int rc = 0, fd;

	if (key == NULL || x == NULL) {
		rc = tls_fail("cannot generate a key");
		goto out;
	}
	ASN1_INTEGER_set(X509_get_serialNumber(x), (long)time(NULL));
	X509_set_version(x, 2);
	X509_gmtime_adj(X509_getm_notBefore(x), -60);
	X509_gmtime_adj(X509_getm_notAfter(x), 365L * 24 * 3600);
	X509_set_pubkey(x, key);
	name = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)"localhost", -1, -1, 0);
	X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, (const unsigned char *)"acctctl serve", -1, -1, 0);
	X509_set_issuer_name(x, name);
	X509V3_set_ctx(&v3, x, x, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &v3, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1,IP:::1");
	if (ext == NULL || !X509_add_ext(x, ext, -1) || !X509_sign(x, key, EVP_sha256())) {
		rc = tls_fail("cannot sign the certificate");
		goto out;
	}
	fd = open(key_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (f == NULL && fd >= 0)
		close(fd);
	if (f == NULL || !PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL) || fclose(f) != 0) {
		rc = seterr(ACCT_EUSER, "cannot write %s: %s", key_path, strerror(errno));
		goto out;
	}
	f = fopen(cert_path, "w");
	if (f == NULL || !PEM_write_X509(f, x) || fclose(f) != 0) {
		rc = seterr(ACCT_EUSER, "cannot write %s: %s", cert_path, strerror(errno));
		unlink(key_path);
	}
out:
	X509_EXTENSION_free(ext);
	X509_free(x);
	EVP_PKEY_free(key);
	return rc;
}

/* Where a generated certificate lives: beside an SQLite store, else here. */
static void default_paths(cli *c, char *cert, char *key, size_t n)
{
	const char *uri = c->store_uri;
	const char *slash;

	if (strncmp(uri, "sqlite:", 7) == 0 && (slash = strrchr(uri + 7, '/')) != NULL) {
		snprintf(cert, n, "%.*s/acctctl-serve.crt", (int)(slash - uri - 7), uri + 7);
		snprintf(key, n, "%.*s/acctctl-serve.key", (int)(slash - uri - 7), uri + 7);
	} else {
		snprintf(cert, n, "acctctl-serve.crt");
		snprintf(key, n, "acctctl-serve.key");
	}
}

static int tls_setup(server *srv)
{
	cli *c = srv->c;
	const char *cert = opt_str(c, "cert"), *key = opt_str(c, "key");
	char gcert[1024], gkey[1024];
	struct stat st;
	int rc;

	if ((cert == NULL) != (key == NULL))
		return usage(c, "--cert and --key go together");
	if (cert == NULL) {
		default_paths(c, gcert, gkey, sizeof gcert);
		cert = gcert;
		key = gkey;
		/* Both are made together; one without the other is an earlier run cut short. */
		if (stat(cert, &st) != 0 || stat(key, &st) != 0) {
			if ((rc = make_certificate(cert, key)) != 0)
				return fail(c);
			note(c, "generated a self-signed certificate for localhost: %s (key %s)", cert, key);
		}
	}
	srv->ssl = SSL_CTX_new(TLS_server_method());
	if (srv->ssl == NULL)
		return tls_fail("cannot create the TLS context"), fail(c);
	SSL_CTX_set_min_proto_version(srv->ssl, TLS1_2_VERSION);
	SSL_CTX_set_options(srv->ssl, SSL_OP_NO_RENEGOTIATION);
	if (SSL_CTX_use_certificate_chain_file(srv->ssl, cert) != 1)
		return tls_fail(cert), fail(c);
	if (SSL_CTX_use_PrivateKey_file(srv->ssl, key, SSL_FILETYPE_PEM) != 1 || SSL_CTX_check_private_key(srv->ssl) != 1)
		return tls_fail(key), fail(c);
	return 0;
}

static struct bufferevent *make_bev(struct event_base *base, void *arg)
{
	server *srv = arg;
	SSL *ssl = SSL_new(srv->ssl);

	return bufferevent_openssl_socket_new(base, -1, ssl, BUFFEREVENT_SSL_ACCEPTING, BEV_OPT_CLOSE_ON_FREE);
}

/* ---- requests ---- */

typedef struct exchange {
	server *srv;
	struct evhttp_request *req;
	const char *method;
	char peer[64];
	char who[128];
	struct timeval start;
	int status;
	size_t bytes;
} exchange;

/* Log fields come from the client: bytes that could forge a line (control
 * characters, quotes, backslashes, non-ASCII) are written as \xNN. */
static void log_safe(char *out, size_t n, const char *in)
{
	size_t o = 0;

	for (; *in != '\0' && o + 5 < n; in++) {
		unsigned char ch = (unsigned char)*in;
		if (ch < 0x20 || ch >= 0x7f || ch == '"' || ch == '\\')
			o += (size_t)snprintf(out + o, n - o, "\\x%02x", ch);
		else
			out[o++] = (char)ch;
	}
	out[o] = '\0';
}

static void access_log(exchange *x)
{
	char who[sizeof x->who * 4 + 1], uri[1024];
	struct timeval end;
	char when[32];
	struct tm tm;
	time_t now = time(NULL);
	double ms;

	if (x->srv->log == NULL)
		return;
	gettimeofday(&end, NULL);
	ms = (double)(end.tv_sec - x->start.tv_sec) * 1e3 + (double)(end.tv_usec - x->start.tv_usec) / 1e3;
	gmtime_r(&now, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	log_safe(who, sizeof who, x->who[0] ? x->who : "-");
	log_safe(uri, sizeof uri, evhttp_request_get_uri(x->req));
	pthread_mutex_lock(&x->srv->log_mu);
	fprintf(x->srv->log, "%s %s %s \"%s %s\" %d %zu %.1fms\n", when, x->peer, who, x->method, uri, x->status,
	        x->bytes, ms);
	fflush(x->srv->log);
	pthread_mutex_unlock(&x->srv->log_mu);
}

static void reply(exchange *x, int status, const char *reason, const char *type, const char *body, size_t len)
{
	struct evbuffer *out = evbuffer_new();
	struct evkeyvalq *h = evhttp_request_get_output_headers(x->req);

	if (type != NULL)
		evhttp_add_header(h, "Content-Type", type);
	if (out != NULL && len > 0)
		evbuffer_add(out, body, len);
	x->status = status;
	x->bytes = len;
	evhttp_send_reply(x->req, status, reason, out);
	if (out != NULL)
		evbuffer_free(out);
	access_log(x);
}

static void reply_json(exchange *x, int status, const char *reason, json_t *v)
{
	char *text = json_dumps(v, JSON_COMPACT);

	json_decref(v);
	if (text == NULL) {
		reply(x, 500, "Internal Server Error", "text/plain", "out of memory\n", 14);
		return;
	}
	reply(x, status, reason, "application/json; charset=UTF-8", text, strlen(text));
	free(text);
}

static const char *reason_of(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	default: return "Internal Server Error";
	}
}

static void reply_partner_error(exchange *x, const partner_error *err)
{
	if (err->http == 401)
		evhttp_add_header(evhttp_request_get_output_headers(x->req), "WWW-Authenticate", "Basic realm=\"libacct\"");
	reply_json(x, err->http, reason_of(err->http), partner_error_json(err));
}

/* The request body as one NUL-terminated block (evhttp has already bounded its size). */
static char *body_of(struct evhttp_request *req, size_t *len)
{
	struct evbuffer *in = evhttp_request_get_input_buffer(req);
	unsigned char *p;

	*len = evbuffer_get_length(in);
	evbuffer_add(in, "", 1);
	p = evbuffer_pullup(in, -1);
	return (char *)p;
}

static void serve_agent(exchange *x)
{
	struct evkeyvalq *h = evhttp_request_get_input_headers(x->req);
	acct_credentials cred = ACCT_CREDENTIALS_INIT;
	acct_buf out = ACCT_BUF_INIT;
	size_t len;
	char *body;

	if (evhttp_request_get_command(x->req) != EVHTTP_REQ_POST) {
		evhttp_add_header(evhttp_request_get_output_headers(x->req), "Allow", "POST");
		reply(x, 405, "Method Not Allowed", "text/plain", "POST an XML packet here\n", 24);
		return;
	}
	/* Plesk's headers keep their underscores; evhttp passes them through as sent. */
	cred.client_ip = x->peer;
	if ((cred.secret_key = evhttp_find_header(h, "KEY")) != NULL) {
		cred.kind = ACCT_CRED_KEY;
		snprintf(x->who, sizeof x->who, "key");
	} else if ((cred.login = evhttp_find_header(h, "HTTP_AUTH_LOGIN")) != NULL &&
	           (cred.password = evhttp_find_header(h, "HTTP_AUTH_PASSWD")) != NULL) {
		cred.kind = ACCT_CRED_PASSWORD;
		snprintf(x->who, sizeof x->who, "%s", cred.login);
	}
	body = body_of(x->req, &len);
	if (acct_agent_handle(x->srv->ctx, &cred, body, len, &out) != 0) {
		reply(x, 500, "Internal Server Error", "text/plain", "out of memory\n", 14);
		return;
	}
	reply(x, 200, "OK", "text/xml; charset=UTF-8", out.ptr, out.size);
	wipe(out.ptr, out.size); /* it may hold a new secret key */
	acct_buf_dispose(&out);
}

/* HTTP Basic: an API login if one has that name, else an account login. */
static int basic_session(exchange *x, acct_session **s, partner_error *err)
{
	const char *auth = evhttp_find_header(evhttp_request_get_input_headers(x->req), "Authorization");
	unsigned char *raw = NULL;
	char decoded[600], *colon = NULL;
	size_t n = 0;
	acct_id apilogin;
	int rc;

	*s = NULL;
	if (auth != NULL && strncasecmp(auth, "Basic ", 6) == 0 && strlen(auth + 6) <= 800 &&
	    base64_decode(&raw, &n, auth + 6) == 0 && n < sizeof decoded) {
		memcpy(decoded, raw, n);
		decoded[n] = '\0';
		colon = memchr(decoded, '\0', n) == NULL ? strchr(decoded, ':') : NULL;
	}
	if (raw != NULL) {
		wipe(raw, n);
		free(raw);
	}
	if (colon == NULL) {
		wipe(decoded, sizeof decoded);
		err->http = 401;
		snprintf(err->code, sizeof err->code, "AUTHENTICATION_FAILED");
		snprintf(err->message, sizeof err->message, "HTTP Basic authentication is required");
		return -1;
	}
	*colon = '\0';
	snprintf(x->who, sizeof x->who, "%.100s", decoded);
	/* An API login another process just created must be found: refresh first. */
	acct_ctx_refresh(x->srv->ctx);
	if (acct_apilogin_lookup(&apilogin, x->srv->admin, decoded) == 0)
		rc = acct_session_open_api(s, x->srv->ctx, decoded, colon + 1);
	else
		rc = acct_session_open(s, x->srv->ctx, decoded, colon + 1);
	wipe(decoded, sizeof decoded);
	if (rc != 0) {
		partner_error_from_last(err);
		err->http = 401;
		snprintf(err->code, sizeof err->code, "AUTHENTICATION_FAILED");
		return -1;
	}
	return 0;
}

static const char *json_string_or_null(json_t *obj, const char *key, int *bad)
{
	json_t *v = json_object_get(obj, key);

	if (v == NULL || json_is_null(v))
		return NULL;
	if (!json_is_string(v)) {
		*bad = 1;
		return NULL;
	}
	return json_string_value(v);
}

static void partner_post(exchange *x, acct_session *s)
{
	partner_contact contact, *cp = NULL;
	partner_error err = { 0, "", "" };
	json_error_t jerr;
	json_t *doc, *cd, *account = NULL;
	const char *username, *password;
	size_t len;
	char *body = body_of(x->req, &len);
	int bad = 0;

	doc = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
	if (doc == NULL || !json_is_object(doc)) {
		snprintf(err.message, sizeof err.message, "the body is not a JSON object%s%s", doc == NULL ? ": " : "",
		         doc == NULL ? jerr.text : "");
		json_decref(doc);
		err.http = 400;
		snprintf(err.code, sizeof err.code, "INVALID_JSON");
		reply_partner_error(x, &err);
		return;
	}
	username = json_string_or_null(doc, "username", &bad);
	password = json_string_or_null(doc, "password", &bad);
	cd = json_object_get(doc, "contact_details");
	if (cd != NULL && !json_is_null(cd)) {
		if (!json_is_object(cd)) {
			bad = 1;
		} else {
			memset(&contact, 0, sizeof contact);
			for (size_t i = 0; i < 11; i++)
				*partner_contact_slot(&contact, i) = json_string_or_null(cd, partner_contact_keys[i], &bad);
			cp = &contact;
		}
	}
	if (bad) {
		err.http = 400;
		snprintf(err.code, sizeof err.code, "INVALID_JSON");
		snprintf(err.message, sizeof err.message, "username, password and every contact detail must be strings, "
		                                          "and contact_details an object");
	} else if (partner_create(&err, &account, s, username, password, cp) == 0) {
		json_decref(doc);
		reply_json(x, 201, "Created", account);
		return;
	}
	json_decref(doc);
	reply_partner_error(x, &err);
}

static void serve_partner(exchange *x)
{
	enum evhttp_cmd_type cmd = evhttp_request_get_command(x->req);
	partner_error err = { 0, "", "" };
	acct_session *s = NULL;
	json_t *list;

	if (cmd != EVHTTP_REQ_GET && cmd != EVHTTP_REQ_POST) {
		evhttp_add_header(evhttp_request_get_output_headers(x->req), "Allow", "GET, POST");
		err.http = 405;
		snprintf(err.code, sizeof err.code, "METHOD_NOT_ALLOWED");
		snprintf(err.message, sizeof err.message, "use GET to list partner accounts or POST to create one");
		reply_partner_error(x, &err);
		return;
	}
	if (basic_session(x, &s, &err) != 0) {
		reply_partner_error(x, &err);
		return;
	}
	if (cmd == EVHTTP_REQ_POST)
		partner_post(x, s);
	else if (partner_list(&err, &list, s) == 0)
		reply_json(x, 200, "OK", list);
	else
		reply_partner_error(x, &err);
	acct_session_free(s);
}

static const char *method_name(enum evhttp_cmd_type cmd)
{
	switch (cmd) {
	case EVHTTP_REQ_GET: return "GET";
	case EVHTTP_REQ_POST: return "POST";
	case EVHTTP_REQ_HEAD: return "HEAD";
	case EVHTTP_REQ_PUT: return "PUT";
	case EVHTTP_REQ_DELETE: return "DELETE";
	default: return "OTHER";
	}
}

static void on_request(struct evhttp_request *req, void *arg)
{
	exchange x;
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
	const char *path = uri != NULL ? evhttp_uri_get_path(uri) : NULL;
	char *peer = NULL;
	ev_uint16_t port = 0;

	memset(&x, 0, sizeof x);
	x.srv = arg;
	x.req = req;
	x.method = method_name(evhttp_request_get_command(req));
	gettimeofday(&x.start, NULL);
	evhttp_connection_get_peer(evhttp_request_get_connection(req), &peer, &port);
	snprintf(x.peer, sizeof x.peer, "%s", peer != NULL ? peer : "-");
	if (path != NULL && strcmp(path, AGENT_PATH) == 0)
		serve_agent(&x);
	else if (path != NULL && strcmp(path, PARTNER_PATH) == 0)
		serve_partner(&x);
	else
		reply(&x, 404, "Not Found", "text/plain", "not found\n", 10);
}

/* ---- listening, workers, shutdown ---- */

static int parse_listen(cli *c, const char *spec, struct sockaddr_storage *ss, socklen_t *len)
{
	char host[256];
	const char *colon = strrchr(spec, ':');
	char *end;
	long port;

	if (colon == NULL || (size_t)(colon - spec) >= sizeof host)
		return usage(c, "--listen takes ADDRESS:PORT, e.g. 127.0.0.1:8443 or [::1]:8443");
	port = strtol(colon + 1, &end, 10);
	if (*end != '\0' || port < 0 || port > 65535 || colon[1] == '\0')
		return usage(c, "the port in --listen %s is not a number from 0 to 65535", spec);
	memcpy(host, spec, (size_t)(colon - spec));
	host[colon - spec] = '\0';
	memset(ss, 0, sizeof *ss);
	if (host[0] == '[' && host[strlen(host) - 1] == ']') {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
		host[strlen(host) - 1] = '\0';
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		if (inet_pton(AF_INET6, host + 1, &s6->sin6_addr) != 1)
			return usage(c, "'%s' is not an IPv6 address", host + 1);
		*len = sizeof *s6;
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		if (inet_pton(AF_INET, host[0] ? host : "0.0.0.0", &s4->sin_addr) != 1)
			return usage(c, "'%s' is not an IPv4 address", host);
		*len = sizeof *s4;
	}
	return 0;
}

/* A whole number option within [min, max]; `fallback` when absent. */
static int number_opt(cli *c, const char *name, long long min, long long max, long long fallback, long long *out)
{
	const char *v = opt_str(c, name);
	char *end;

	*out = fallback;
	if (v == NULL)
		return 0;
	errno = 0;
	*out = strtoll(v, &end, 10);
	if (errno != 0 || end == v || *end != '\0' || *out < min || *out > max)
		return usage(c, "--%s takes a whole number from %lld to %lld, not '%s'", name, min, max, v);
	return 0;
}

static int worker_start(server *srv, worker *w, struct sockaddr_storage *ss, socklen_t len)
{
	cli *c = srv->c;
	struct evconnlistener *l;
	struct event_config *cfg = event_config_new();

	w->srv = srv;
	/* Bufferevents switch reading and writing on and off many times per
	 * request; the changelist folds those into one epoll_ctl each. */
	if (cfg != NULL)
		event_config_set_flag(cfg, EVENT_BASE_FLAG_EPOLL_USE_CHANGELIST);
	w->base = event_base_new_with_config(cfg);
	event_config_free(cfg);
	w->http = w->base != NULL ? evhttp_new(w->base) : NULL;
	if (w->http == NULL)
		return seterr(ACCT_ENOMEM, "cannot create the HTTP server");
	l = evconnlistener_new_bind(w->base, NULL, NULL,
	                            LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE | LEV_OPT_REUSEABLE_PORT, 128,
	                            (struct sockaddr *)ss, (int)len);
	if (l == NULL)
		return seterr(ACCT_EUSER, "cannot listen on %s: %s", opt_str(c, "listen"), strerror(errno));
	/* Replies are small and written in pieces by TLS: without TCP_NODELAY
	 * (inherited by accepted sockets on Linux) each waits for a delayed ACK. */
	{
		int one = 1;
		setsockopt(evconnlistener_get_fd(l), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	}
	w->sock = evhttp_bind_listener(w->http, l);
	evhttp_set_allowed_methods(w->http, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_HEAD | EVHTTP_REQ_PUT |
	                                        EVHTTP_REQ_DELETE);
	evhttp_set_max_body_size(w->http, (ev_ssize_t)srv->max_body);
	evhttp_set_max_headers_size(w->http, 16384);
	evhttp_set_timeout(w->http, (int)srv->timeout);
	evhttp_set_bevcb(w->http, make_bev, srv);
	evhttp_set_gencb(w->http, on_request, srv);
	return 0;
}

static void *worker_run(void *arg)
{
	worker *w = arg;

	event_base_dispatch(w->base);
	return NULL;
}

/* In the worker's own loop: stop accepting, finish within the grace. */
static void worker_stop(evutil_socket_t fd, short what, void *arg)
{
	worker *w = arg;
	struct timeval grace = { w->srv->grace_ms / 1000, (w->srv->grace_ms % 1000) * 1000 };

	(void)fd;
	(void)what;
	if (w->sock != NULL) {
		evhttp_del_accept_socket(w->http, w->sock);
		w->sock = NULL;
	}
	event_base_loopexit(w->base, &grace);
}

static void on_signal(evutil_socket_t sig, short what, void *arg)
{
	server *srv = arg;

	(void)what;
	note(srv->c, "%s: stopping (no new connections; open requests finish)", sig == SIGTERM ? "SIGTERM" : "SIGINT");
	for (int i = 0; i < srv->nworkers; i++)
		event_base_once(srv->workers[i].base, -1, EV_TIMEOUT, worker_stop, &srv->workers[i], NULL);
}

static int bound_port(worker *w)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	evutil_socket_t fd = evhttp_bound_socket_get_fd(w->sock);

	if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0)
		return 0;
	return ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
	                                      : ((struct sockaddr_in *)&ss)->sin_port);
}

static int open_log(server *srv)
{
	const char *path = opt_str(srv->c, "access-log");

	if (path == NULL || strcmp(path, "-") == 0)
		srv->log = path == NULL ? stderr : stdout;
	else if (strcmp(path, "off") == 0)
		srv->log = NULL;
	else if ((srv->log = fopen(path, "a")) == NULL)
		return failf(srv->c, "cannot open the access log %s: %s", path, strerror(errno));
	return 0;
}

int cmd_serve(cli *c)
{
	server srv;
	struct sockaddr_storage ss;
	socklen_t len = 0;
	struct event_base *main_base = NULL;
	struct event *sigterm = NULL, *sigint = NULL;
	sigset_t block, old;
	int rc, port = 0, started = 0;

	memset(&srv, 0, sizeof srv);
	srv.c = c;
	srv.ctx = c->ctx;
	srv.admin = c->admin;
	if ((rc = parse_listen(c, opt_str(c, "listen") != NULL ? opt_str(c, "listen") : "127.0.0.1:8443", &ss, &len)) != 0)
		return rc;
	{
		long long threads, grace, cpus = sysconf(_SC_NPROCESSORS_ONLN);
		acct_agent_options ao = ACCT_AGENT_OPTIONS_INIT;

		if ((rc = number_opt(c, "threads", 1, 64, cpus >= 1 && cpus <= 64 ? cpus : 2, &threads)) != 0 ||
		    (rc = number_opt(c, "grace", 0, 600000, 1000, &grace)) != 0 ||
		    (rc = number_opt(c, "timeout", 1, 3600, 30, &srv.timeout)) != 0 ||
		    (rc = number_opt(c, "max-body", 1024, (long long)1 << 30, 1 << 20, &srv.max_body)) != 0)
			return rc;
		srv.nworkers = (int)threads;
		srv.grace_ms = (int)grace;
		/* The agent's packet limit follows --max-body, so one limit rules. */
		ao.max_packet_bytes = (size_t)srv.max_body;
		if (acct_agent_configure(c->ctx, &ao) != 0)
			return fail(c);
	}
	if ((rc = tls_setup(&srv)) != 0)
		return rc;
	if ((rc = open_log(&srv)) != 0)
		goto out;
	pthread_mutex_init(&srv.log_mu, NULL);
	evthread_use_pthreads();
	signal(SIGPIPE, SIG_IGN);
	srv.workers = calloc((size_t)srv.nworkers, sizeof *srv.workers);
	if (srv.workers == NULL)
		die_oom();
	for (int i = 0; i < srv.nworkers; i++) {
		if (worker_start(&srv, &srv.workers[i], &ss, len) != 0) {
			rc = fail(c);
			goto out;
		}
		/* Port 0: the others share the port the first one was given. */
		port = bound_port(&srv.workers[i]);
		if (ss.ss_family == AF_INET6)
			((struct sockaddr_in6 *)&ss)->sin6_port = htons((uint16_t)port);
		else
			((struct sockaddr_in *)&ss)->sin_port = htons((uint16_t)port);
	}
	/* Signals go to the main loop only. */
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	for (int i = 0; i < srv.nworkers; i++, started++)
		if (pthread_create(&srv.workers[i].thread, NULL, worker_run, &srv.workers[i]) != 0)
			break;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	main_base = event_base_new();
	sigterm = evsignal_new(main_base, SIGTERM, on_signal, &srv);
	sigint = evsignal_new(main_base, SIGINT, on_signal, &srv);
	evsignal_add(sigterm, NULL);
	evsignal_add(sigint, NULL);
	{
		char host[INET6_ADDRSTRLEN] = "";
		if (ss.ss_family == AF_INET6)
			inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, host, sizeof host);
		else
			inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, host, sizeof host);
		fprintf(stderr, "acctctl: serving https://%s%s%s:%d on %d threads (store %s)\n",
		        ss.ss_family == AF_INET6 ? "[" : "", host, ss.ss_family == AF_INET6 ? "]" : "", port, started,
		        store_name(c));
		fflush(stderr);
	}
	/* The main loop exits once the signal has told every worker to stop. */
	event_base_loop(main_base, EVLOOP_ONCE);
	for (int i = 0; i < started; i++)
		pthread_join(srv.workers[i].thread, NULL);
	note(c, "stopped");
	rc = 0;
out:
	if (sigterm != NULL)
		event_free(sigterm);
	if (sigint != NULL)
		event_free(sigint);
	if (main_base != NULL)
		event_base_free(main_base);
	for (int i = 0; srv.workers != NULL && i < srv.nworkers; i++) {
		if (srv.workers[i].http != NULL)
			evhttp_free(srv.workers[i].http);
		if (srv.workers[i].base != NULL)
			event_base_free(srv.workers[i].base);
	}
	free(srv.workers);
	if (srv.log != NULL && srv.log != stderr && srv.log != stdout)
		fclose(srv.log);
	SSL_CTX_free(srv.ssl);
	return rc;
}
