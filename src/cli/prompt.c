/*
 * Passwords: from an option, from the terminal without echo, from a line of
 * standard input, or generated. Every buffer that held one is wiped.
 */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include "acctctl.h"

/* Through a volatile pointer, so the compiler cannot drop the stores as dead. */
void wipe(void *p, size_t n)
{
	volatile unsigned char *v = p;

	while (n--)
		*v++ = 0;
}

/* ---- the terminal ---- */

static int tty_fd = -1;
static struct termios tty_saved;
static const int tty_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
#define NSIGNALS (sizeof(tty_signals) / sizeof(tty_signals[0]))

/* Ctrl-C at a prompt must not leave the terminal without echo. */
static void tty_restore_and_die(int sig)
{
	tcsetattr(tty_fd, TCSAFLUSH, &tty_saved);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void tty_signals_set(struct sigaction *old, int install)
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = tty_restore_and_die;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < NSIGNALS; i++) {
		if (install)
			sigaction(tty_signals[i], &sa, &old[i]);
		else
			sigaction(tty_signals[i], &old[i], NULL);
	}
}

/* Read a line from fd into buf; 0, or -1 when it does not fit or nothing came. */
static int read_line_fd(int fd, char *buf, size_t size)
{
	size_t n = 0;
	int too_long = 0;
	char ch;

	while (read(fd, &ch, 1) == 1 && ch != '\n') {
		if (n + 1 < size)
			buf[n++] = ch;
		else
			too_long = 1;
	}
	if (n && buf[n - 1] == '\r')
		n--;
	buf[n] = '\0';
	return too_long ? -1 : 0;
}

static int tty_ask(cli *c, const char *prompt, char *buf)
{
	struct sigaction old[NSIGNALS];
	struct termios quiet;
	int rc;

	if ((tty_fd = open("/dev/tty", O_RDWR | O_NOCTTY)) < 0 || tcgetattr(tty_fd, &tty_saved) < 0) {
		if (tty_fd >= 0)
			close(tty_fd);
		return failf(c, "cannot ask for a password: no terminal");
	}
	quiet = tty_saved;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	tty_signals_set(old, 1);
	/* Echo goes off before the prompt appears, so nothing typed after it can be echoed or flushed. */
	rc = tcsetattr(tty_fd, TCSAFLUSH, &quiet) < 0 || write(tty_fd, prompt, strlen(prompt)) < 0 ? -1
	     : read_line_fd(tty_fd, buf, PASSWORD_SIZE);
	tcsetattr(tty_fd, TCSAFLUSH, &tty_saved);
	tty_signals_set(old, 0);
	if (write(tty_fd, "\n", 1) < 0)
		rc = -1;
	close(tty_fd);
	tty_fd = -1;
	if (rc < 0)
		return failf(c, "the password is longer than %d characters", PASSWORD_SIZE - 2);
	return buf[0] ? CLI_OK : failf(c, "no password typed");
}

/* Twice, so a typing mistake does not lock anyone out. */
static int tty_ask_twice(cli *c, const char *what, char *buf)
{
	char prompt[160], again[PASSWORD_SIZE];
	int rc;

	snprintf(prompt, sizeof(prompt), "%s: ", what);
	if ((rc = tty_ask(c, prompt, buf)) != CLI_OK)
		return rc;
	if ((rc = tty_ask(c, "Retype it: ", again)) == CLI_OK && strcmp(buf, again) != 0)
		rc = failf(c, "the passwords do not match");
	wipe(again, sizeof(again));
	if (rc != CLI_OK)
		wipe(buf, PASSWORD_SIZE);
	return rc;
}

/* `--password -`: a person at a terminal is asked; a pipe gives its first line. */
static int password_dash(cli *c, const char *what, char *buf)
{
	if (isatty(STDIN_FILENO))
		return tty_ask_twice(c, what, buf);
	if (read_line_fd(STDIN_FILENO, buf, PASSWORD_SIZE) < 0)
		return failf(c, "the password on standard input is longer than %d characters", PASSWORD_SIZE - 2);
	return buf[0] ? CLI_OK : failf(c, "no password on standard input");
}

int read_password(cli *c, char *buf, const char *option, const char *what, int ask)
{
	const char *given = opt_str(c, option);
	int generate = opt_count(c, "generate-password") > 0, none = opt_count(c, "no-password") > 0;

	buf[0] = '\0';
	if ((given != NULL) + generate + none > 1)
		return usage(c, "give only one of --%s, --generate-password and --no-password", option);
	if (generate)
		return generate_password(c, buf);
	if (given && strcmp(given, "-") == 0)
		return password_dash(c, what, buf);
	if (given) {
		if (strlen(given) >= PASSWORD_SIZE - 1)
			return failf(c, "the password is longer than %d characters", PASSWORD_SIZE - 2);
		strcpy(buf, given);
		return CLI_OK;
	}
	if (ask && !none) {
		if (!isatty(STDIN_FILENO))
			return usage(c, "no password given: use --%s PASSWORD or --%s - (a line of standard input)%s%s", option,
			             option, opt_declared(c, "generate-password") ? ", --generate-password" : "",
			             opt_declared(c, "no-password") ? ", --no-password" : "");
		return tty_ask_twice(c, what, buf);
	}
	return CLI_OK;
}

/* ---- generated passwords ---- */

/* No look-alikes (l, I, O, 0, 1): people copy these by hand. */
static const char password_chars[] = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
#define GENERATED_LENGTH 20

static int mixed(const char *p)
{
	return strpbrk(p, "abcdefghijkmnopqrstuvwxyz") && strpbrk(p, "ABCDEFGHJKLMNPQRSTUVWXYZ") &&
	       strpbrk(p, "23456789");
}

int generate_password(cli *c, char *buf)
{
	const size_t nchars = sizeof(password_chars) - 1;
	const unsigned limit = 256 - 256 % nchars; /* rejecting bytes above it keeps every character equally likely */
	unsigned char byte;
	size_t n;
	int fd = open("/dev/urandom", O_RDONLY);

	if (fd < 0)
		return failf(c, "cannot open /dev/urandom to generate a password");
	do {
		for (n = 0; n < GENERATED_LENGTH;) {
			if (read(fd, &byte, 1) != 1) {
				close(fd);
				return failf(c, "cannot read /dev/urandom to generate a password");
			}
			if (byte < limit)
				buf[n++] = password_chars[byte % nchars];
		}
		buf[n] = '\0';
	} while (!mixed(buf));
	wipe(&byte, sizeof(byte));
	close(fd);
	return CLI_OK;
}
