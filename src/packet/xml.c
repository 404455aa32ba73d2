/*
 * XML in and out. In: libxml2 with no DTD (a DOCTYPE stops the parser before
 * any declaration is read, so no entity can be defined, expanded or
 * fetched), no network, and limits on bytes, depth, elements and text, all
 * checked before anything else looks at the tree. Out: a small writer that
 * appends escaped text to an acct_buf, faster than building a tree only to
 * serialize it.
 */
#include <limits.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include "packet/packet.h"
#include "util/util.h"

void acct__plimits_default(acct__plimits *l)
{
	l->max_bytes = 1u << 20;
	l->max_depth = 32;
	l->max_elements = 20000;
	l->max_operations = 500;
	l->max_text = 65536;
}

typedef struct guard {
	int dtd;
	int dtd_line;
	int err_line;      /* the first error: libxml2 keeps only the last one, */
	char err[256];     /* which for a mismatched tag is "premature end of data" */
} guard;

/* Any DOCTYPE ends the parse: packets have no use for one, and refusing it
 * outright is what makes XXE and entity expansion impossible. */
static void refuse_dtd(void *ctx, const xmlChar *name, const xmlChar *external_id, const xmlChar *system_id)
{
	xmlParserCtxtPtr p = ctx;
	guard *g = p->_private;

	(void)name;
	(void)external_id;
	(void)system_id;
	g->dtd = 1;
	g->dtd_line = xmlSAX2GetLineNumber(ctx);
	xmlStopParser(p);
}

#if LIBXML_VERSION >= 21200
static void first_error(void *data, const xmlError *e)
#else
static void first_error(void *data, xmlErrorPtr e)
#endif
{
	xmlParserCtxtPtr p = data;
	guard *g = p != NULL ? p->_private : NULL;

	if (g == NULL || e == NULL || e->level < XML_ERR_ERROR || g->err[0] != '\0')
		return;
	g->err_line = e->line;
	snprintf(g->err, sizeof g->err, "%s", e->message != NULL ? e->message : "not well-formed");
}

static int invalid(long line, const char *fmt, const char *detail)
{
	char msg[512];
	size_t n;

	snprintf(msg, sizeof msg, fmt, detail);
	for (char *p = msg; *p != '\0'; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	if (line > 0)
		return acct__error_set(ACCT_EPARSE, "Request is invalid. Error in line %ld: %s", line, msg);
	return acct__error_set(ACCT_EPARSE, "Request is invalid. %s", msg);
}

/* Depth, element count and text size over the whole tree, without recursion. */
static int check_tree(xmlNodePtr root, const acct__plimits *lim)
{
	size_t elements = 0;
	unsigned int depth = 1;
	xmlNodePtr n = root;

	while (n != NULL) {
		if (n->type == XML_ELEMENT_NODE) {
			size_t text = 0;
			int leaf = 1;

			if (++elements > lim->max_elements) {
				char d[64];
				snprintf(d, sizeof d, "%zu", lim->max_elements);
				return invalid(xmlGetLineNo(n), "the packet has more than %s elements", d);
			}
			if (depth > lim->max_depth) {
				char d[64];
				snprintf(d, sizeof d, "%u", lim->max_depth);
				return invalid(xmlGetLineNo(n), "elements are nested deeper than %s levels", d);
			}
			/* A text value is all the text children of an element without
			 * element children together (comments split it into several
			 * nodes, and the decoder joins them); elsewhere, each node. */
			for (xmlNodePtr c = n->children; c != NULL && leaf; c = c->next)
				leaf = c->type != XML_ELEMENT_NODE;
			for (xmlNodePtr c = n->children; c != NULL; c = c->next) {
				size_t len;
				if ((c->type != XML_TEXT_NODE && c->type != XML_CDATA_SECTION_NODE) || c->content == NULL)
					continue;
				len = strlen((const char *)c->content);
				text = leaf ? text + len : len;
				if (text > lim->max_text) {
					char d[64];
					snprintf(d, sizeof d, "%zu", lim->max_text);
					return invalid(xmlGetLineNo(n), "a text value is longer than %s bytes", d);
				}
			}
		} else if (n->type == XML_ENTITY_REF_NODE || n->type == XML_ENTITY_NODE) {
			return invalid(xmlGetLineNo(n->parent), "entity references are not accepted%s", "");
		}
		if (n->type == XML_ELEMENT_NODE && n->children != NULL) {
			n = n->children;
			depth++;
			continue;
		}
		while (n != NULL && n->next == NULL) {
			n = n->parent;
			depth--;
			if (n == root || depth == 0)
				return 0;
		}
		if (n != NULL)
			n = n->next;
	}
	return 0;
}

/* libxml2 reports some errors (encoding conversion, I/O) through its generic
 * handler, which prints on stderr whatever the parser context says: silenced
 * for the parse (the handler is per thread), restored after. */
static void quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

int acct__xml_parse(acct__xmldoc *doc_out, const char *xml, size_t len, const acct__plimits *lim)
{
	xmlGenericErrorFunc saved_handler;
	void *saved_ctx;
	xmlParserCtxtPtr ctxt;
	xmlDocPtr doc;
	const void *nul;
	guard g = { 0, 0, 0, "" };
	int rc;

	*doc_out = NULL;
	if (len > lim->max_bytes || len > INT_MAX) {
		char d[96];
		snprintf(d, sizeof d, "%zu bytes, more than the limit of %zu", len, lim->max_bytes);
		return invalid(0, "The packet has %s.", d);
	}
	if (len == 0)
		return invalid(0, "The packet is empty.%s", "");
	nul = memchr(xml, '\0', len);
	if (nul != NULL) {
		char d[64];
		snprintf(d, sizeof d, "%zu", (size_t)((const char *)nul - xml));
		return invalid(0, "The packet contains a NUL byte at offset %s.", d);
	}
	ctxt = xmlNewParserCtxt();
	if (ctxt == NULL)
		return acct__error_oom();
	ctxt->sax->internalSubset = refuse_dtd;
	ctxt->sax->externalSubset = refuse_dtd;
	ctxt->sax->serror = first_error;
	ctxt->userData = ctxt;
	ctxt->_private = &g;
	/* No XML_PARSE_NOERROR: from libxml2 2.13 on it also silences the
	 * structured handler above. The handler prints nothing. */
	saved_handler = xmlGenericError;
	saved_ctx = xmlGenericErrorContext;
	xmlSetGenericErrorFunc(NULL, quiet);
	doc = xmlCtxtReadMemory(ctxt, xml, (int)len, NULL, NULL, XML_PARSE_NONET | XML_PARSE_NOCDATA);
	xmlSetGenericErrorFunc(saved_ctx, saved_handler);
	if (g.dtd) {
		rc = invalid(g.dtd_line, "a document type declaration (DOCTYPE) is not accepted%s", "");
	} else if ((doc == NULL || !ctxt->wellFormed) && g.err[0] != '\0') {
		rc = invalid(g.err_line, "%s", g.err);
	} else if (doc == NULL || !ctxt->wellFormed) {
		const xmlError *e = xmlCtxtGetLastError(ctxt);
		rc = invalid(e != NULL ? e->line : 0, "%s", e != NULL && e->message != NULL ? e->message : "not well-formed");
	} else {
		rc = check_tree(xmlDocGetRootElement(doc), lim);
	}
	xmlFreeParserCtxt(ctxt);
	if (rc != 0) {
		xmlFreeDoc(doc);
		return rc;
	}
	*doc_out = doc;
	return 0;
}

void acct__xml_free(acct__xmldoc doc)
{
	xmlFreeDoc(doc);
}

/* ---- writer ---- */

static void put(acct__xw *w, const char *s, size_t n)
{
	if (!w->err && acct__buf_put(w->out, s, n) != 0)
		w->err = ACCT_ENOMEM;
}

static void indent(acct__xw *w)
{
	static const char spaces[] = "                                                                ";

	if (w->pretty) {
		size_t n = (size_t)w->depth * 2;
		put(w, spaces, n < sizeof spaces - 1 ? n : sizeof spaces - 1);
	}
}

static void newline(acct__xw *w)
{
	if (w->pretty)
		put(w, "\n", 1);
}

static void tag(acct__xw *w, const char *pre, const char *name, const char *post)
{
	put(w, pre, strlen(pre));
	put(w, name, strlen(name));
	put(w, post, strlen(post));
}

void acct__xw_header(acct__xw *w, const char *version)
{
	static const char decl[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

	put(w, decl, sizeof decl - 1);
	if (version != NULL && *version != '\0')
		tag(w, "<packet version=\"", version, "\">");
	else
		put(w, "<packet>", 8);
	newline(w);
	w->depth = 1;
}

void acct__xw_open(acct__xw *w, const char *name)
{
	indent(w);
	tag(w, "<", name, ">");
	newline(w);
	w->depth++;
}

void acct__xw_close(acct__xw *w, const char *name)
{
	w->depth--;
	indent(w);
	tag(w, "</", name, ">");
	newline(w);
}

void acct__xw_empty(acct__xw *w, const char *name)
{
	indent(w);
	tag(w, "<", name, "/>");
	newline(w);
}

/* The length of the UTF-8 sequence at @p s if it encodes a character XML 1.0
 * allows (Char production), else 0. Stops at a NUL (never a continuation byte). */
static size_t xml_char(const unsigned char *s)
{
	unsigned char c = s[0];
	uint32_t cp;
	size_t n;

	if (c < 0x80)
		return c >= 0x20 || c == '\t' || c == '\n' || c == '\r' ? 1 : 0;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff) ||
	    cp == 0xfffe || cp == 0xffff)
		return 0;
	return n;
}

/* Escape markup, and replace what XML cannot carry (invalid UTF-8, control
 * characters) with U+FFFD, so that every reply is well-formed whatever the
 * bytes it quotes (libxml2's messages quote the input's bytes as they are). */
static void escaped(acct__xw *w, const char *s)
{
	const char *run = s;

	while (*s != '\0') {
		const char *rep;
		size_t n = 1;

		switch (*s) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '\r': rep = "&#13;"; break;
		default:
			if ((unsigned char)*s >= 0x20 && (unsigned char)*s < 0x80) {
				s++;
				continue;
			}
			if ((n = xml_char((const unsigned char *)s)) != 0) {
				s += n;
				continue;
			}
			n = 1;
			rep = "\xef\xbf\xbd"; /* U+FFFD REPLACEMENT CHARACTER */
			break;
		}
		put(w, run, (size_t)(s - run));
		put(w, rep, strlen(rep));
		s += n;
		run = s;
	}
	put(w, run, (size_t)(s - run));
}

void acct__xw_text(acct__xw *w, const char *name, const char *text)
{
	if (text == NULL || *text == '\0') {
		acct__xw_empty(w, name);
		return;
	}
	indent(w);
	tag(w, "<", name, ">");
	escaped(w, text);
	tag(w, "</", name, ">");
	newline(w);
}

void acct__xw_raw(acct__xw *w, const char *s)
{
	put(w, s, strlen(s));
}

size_t acct__gen_encode(acct__xw *w, const char *name, const acct__gfield *g, size_t n, unsigned int purpose,
                        const char *const *f, int always)
{
	int in_contact = 0;
	size_t written = 0;

	if (always)
		acct__xw_open(w, name);
	for (size_t i = 0; i < n; i++) {
		const char *v = g[i].field != 0 ? f[acct__slot(g[i].field)] : NULL;

		if (!(g[i].flags & purpose) || (v == NULL && !(always && (g[i].flags & ACCT__GF_ALWAYS))))
			continue;
		if (written++ == 0 && !always)
			acct__xw_open(w, name);
		if ((g[i].flags & ACCT__GF_CONTACT) && !in_contact) {
			acct__xw_open(w, "contact-info");
			in_contact = 1;
		} else if (!(g[i].flags & ACCT__GF_CONTACT) && in_contact) {
			acct__xw_close(w, "contact-info");
			in_contact = 0;
		}
		acct__xw_text(w, g[i].name, v);
	}
	if (in_contact)
		acct__xw_close(w, "contact-info");
	if (always || written > 0)
		acct__xw_close(w, name);
	return written;
}

int acct__xw_finish(acct__xw *w)
{
	put(w, "</packet>\n", 10);
	if (w->err)
		return acct__error_oom();
	return 0;
}

/* ---- base64 ---- */

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int acct__base64_encode(acct_buf *out, const void *data, size_t len)
{
	const unsigned char *in = data;
	char quad[4];

	acct__buf_clear(out);
	if (acct__buf_grow(out, (len + 2) / 3 * 4 + 1) != 0)
		return acct__error_oom();
	for (size_t i = 0; i < len; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16;
		if (i + 1 < len)
			v |= (uint32_t)in[i + 1] << 8;
		if (i + 2 < len)
			v |= in[i + 2];
		quad[0] = b64[(v >> 18) & 63];
		quad[1] = b64[(v >> 12) & 63];
		quad[2] = i + 1 < len ? b64[(v >> 6) & 63] : '=';
		quad[3] = i + 2 < len ? b64[v & 63] : '=';
		acct__buf_put(out, quad, 4);
	}
	return acct__buf_put(out, "", 0);
}

int acct__base64_decode(acct_buf *out, const char *text, size_t len)
{
	uint32_t v = 0;
	int bits = 0;
	size_t pad = 0;

	acct__buf_clear(out);
	if (acct__buf_grow(out, len / 4 * 3 + 4) != 0)
		return acct__error_oom();
	for (size_t i = 0; i < len; i++) {
		const char *p;
		char c = text[i];

		if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
			continue;
		if (c == '=') {
			pad++;
			continue;
		}
		p = c != '\0' ? strchr(b64, c) : NULL;
		if (p == NULL || pad > 0)
			return acct__error_set(ACCT_EINVALID, "'%.*s' is not base64", (int)(len < 64 ? len : 64), text);
		v = (v << 6) | (uint32_t)(p - b64);
		bits += 6;
		if (bits >= 8) {
			char byte = (char)((v >> (bits - 8)) & 0xff);
			bits -= 8;
			acct__buf_put(out, &byte, 1);
		}
	}
	if (pad > 2)
		return acct__error_set(ACCT_EINVALID, "'%.*s' is not base64", (int)(len < 64 ? len : 64), text);
	return acct__buf_put(out, "", 0);
}
