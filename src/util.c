/*
 * Memory, buffers, host paths and file helpers.
 *
 * Depends on: err.c (jailer_seterr), vis.c.  validate.c and the rest of
 * the library build on util.c, never the other way round.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jailer.h"
#include "vis.h"

static char *root_dir;		/* JAILER_ROOT without a trailing slash */

#define	FILE_READ_MAX	(16 * 1024 * 1024)	/* host files jailer reads */

void *
xmalloc(size_t n)
{
	void *p;

	if ((p = malloc(n == 0 ? 1 : n)) == NULL) {
		fputs("jailer: out of memory\n", stderr);
		abort();
	}
	return (p);
}

void *
xcalloc(size_t n, size_t size)
{
	void *p;

	if ((p = calloc(n == 0 ? 1 : n, size == 0 ? 1 : size)) == NULL) {
		fputs("jailer: out of memory\n", stderr);
		abort();
	}
	return (p);
}

void *
xrealloc(void *p, size_t n)
{
	if ((p = realloc(p, n == 0 ? 1 : n)) == NULL) {
		fputs("jailer: out of memory\n", stderr);
		abort();
	}
	return (p);
}

char *
xstrdup(const char *s)
{
	return (xstrndup(s, strlen(s)));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p;

	p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return (p);
}

static size_t	vlen(const char *, va_list) PRINTFLIKE(1, 0);

/* How long fmt with ap prints (ap is left unused). */
static size_t
vlen(const char *fmt, va_list ap)
{
	va_list cp;
	char probe[1];	/* vsnprintf returns the whole length */
	int n;

	if (fmt == NULL)	/* no caller does; tells gcc -O1 + UBSan so */
		abort();
	va_copy(cp, ap);
	n = vsnprintf(probe, sizeof(probe), fmt, cp);
	va_end(cp);
	if (n < 0)
		abort();
	return ((size_t)n);
}

char *
xvasprintf(const char *fmt, va_list ap)
{
	char *s;
	size_t n;

	n = vlen(fmt, ap);
	s = xmalloc(n + 1);
	vsnprintf(s, n + 1, fmt, ap);
	return (s);
}

char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	return (s);
}

void
buf_init(struct buf *b)
{
	b->cap = 64;
	b->len = 0;
	b->data = xmalloc(b->cap);
	b->data[0] = '\0';
}

void
buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	b->data[0] = '\0';
}

void
buf_add(struct buf *b, const void *p, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		while (b->len + n + 1 > b->cap)
			b->cap *= 2;
		b->data = xrealloc(b->data, b->cap);
	}
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_addc(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

void
buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = vlen(fmt, ap);
	if (b->len + n + 1 > b->cap) {
		while (b->len + n + 1 > b->cap)
			b->cap *= 2;
		b->data = xrealloc(b->data, b->cap);
	}
	vsnprintf(b->data + b->len, n + 1, fmt, ap);
	va_end(ap);
	b->len += n;
}

char *
buf_steal(struct buf *b)
{
	char *p;

	p = b->data;
	b->data = NULL;
	b->len = b->cap = 0;
	return (p);
}

/*
 * Return the line that starts at *pos with its newline replaced by NUL,
 * and advance *pos past it; NULL at the end.  Embedded NUL bytes end the
 * buffer, so binary garbage cannot smuggle data past a check.
 */
char *
buf_nextline(struct buf *b, size_t *pos)
{
	char *line, *nl;
	size_t end;

	if (*pos >= b->len)
		return (NULL);
	line = b->data + *pos;
	end = strlen(line);
	if ((nl = memchr(line, '\n', end)) != NULL) {
		*nl = '\0';
		*pos += (size_t)(nl - line) + 1;
	} else
		*pos = b->len;
	if (*pos > b->len)
		*pos = b->len;
	return (line);
}

/*
 * Read JAILER_ROOT once.  It must be an absolute path of an existing
 * directory; unset or empty means the real root.
 */
int
host_root_init(struct jailer *jp)
{
	const char *r;
	size_t n;

	r = getenv("JAILER_ROOT");
	if (r == NULL || *r == '\0')
		r = "/";
	if (r[0] != '/')
		return (jailer_seterr(jp,
		    "JAILER_ROOT: not an absolute path: %s", vis(r)));
	if (!dir_exists(r))
		return (jailer_seterr(jp,
		    "JAILER_ROOT: not a directory: %s", vis(r)));
	free(root_dir);
	root_dir = xstrdup(r);
	n = strlen(root_dir);
	while (n > 0 && root_dir[n - 1] == '/')
		root_dir[--n] = '\0';
	return (0);
}

const char *
host_root(void)
{
	return (root_dir != NULL && *root_dir != '\0' ? root_dir : "/");
}

/* Map a host path ("/etc/rc.conf") to the file system; caller frees. */
char *
host_path(const char *p)
{
	if (root_dir == NULL || *root_dir == '\0')
		return (xstrdup(p));
	return (xasprintf("%s%s", root_dir, p));
}

/*
 * Append the file open at fd to b and close fd; it must be a regular
 * file of at most max bytes.  what names the file in errors.
 */
int
fd_read_all(struct jailer *jp, int fd, long max, const char *what,
    struct buf *b)
{
	struct stat sb;
	char chunk[8192];
	ssize_t n;

	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode) || sb.st_size > max) {
		close(fd);
		jailer_seterr(jp, "%s: not a regular file of at most %ld bytes",
		    what, max);
		errno = EINVAL;
		return (-1);
	}
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			jailer_seterrno(jp, "%s", what);
			close(fd);
			return (-1);
		}
		buf_add(b, chunk, (size_t)n);
	}
	close(fd);
	return (0);
}

/* Read a whole regular file, refusing symlinks at the last component. */
int
file_read(struct jailer *jp, const char *path, struct buf *b)
{
	int fd;

	buf_reset(b);
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd == -1)
		return (jailer_seterrno(jp, "%s", path));
	return (fd_read_all(jp, fd, FILE_READ_MAX, path, b));
}

/*
 * Replace path with data: write a temporary file in the same directory,
 * fsync it, rename it over path and fsync the directory, so readers see
 * the old or the new file and never a mix.  A symlink at path is replaced,
 * never followed.
 */
int
file_write_atomic(struct jailer *jp, const char *path, const void *data,
    size_t len, mode_t mode)
{
	char *tmp, *dir, *slash;
	const char *p;
	ssize_t n;
	size_t off;
	int fd, dfd;

	tmp = xasprintf("%s.jailer.XXXXXX", path);
	if ((fd = mkstemp(tmp)) == -1) {
		jailer_seterrno(jp, "%s", path);
		free(tmp);
		return (-1);
	}
	for (p = data, off = 0; off < len; off += (size_t)n) {
		n = write(fd, p + off, len - off);
		if (n == -1) {
			if (errno == EINTR) {
				n = 0;
				continue;
			}
			goto fail;
		}
	}
	if (fchmod(fd, mode) == -1 || fsync(fd) == -1)
		goto fail;
	if (close(fd) == -1) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) == -1)
		goto fail;
	dir = xstrdup(path);
	if ((slash = strrchr(dir, '/')) != NULL) {
		*(slash == dir ? slash + 1 : slash) = '\0';
		if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) != -1) {
			(void)fsync(dfd);
			close(dfd);
		}
	}
	free(dir);
	free(tmp);
	return (0);
fail:
	jailer_seterrno(jp, "%s", path);
	if (fd != -1)
		close(fd);
	unlink(tmp);
	free(tmp);
	return (-1);
}

int
file_exists(const char *path)
{
	struct stat sb;

	return (lstat(path, &sb) == 0);
}

int
dir_exists(const char *path)
{
	struct stat sb;

	return (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode));
}

/*
 * mkdir -p; *created (if not NULL) is set to 1 when the last component
 * was created by this call, so an undo knows whether to remove it.
 */
int
mkdir_p(struct jailer *jp, const char *path, mode_t mode, int *created)
{
	char *p, *s;

	if (created != NULL)
		*created = 0;
	if (dir_exists(path))
		return (0);
	p = xstrdup(path);
	/* "a/b/" is "a/b": the last component is what *created reports. */
	for (s = p + strlen(p); s > p + 1 && s[-1] == '/'; s--)
		s[-1] = '\0';
	for (s = p + 1; *s != '\0'; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0755) == -1 && errno != EEXIST) {
			jailer_seterrno(jp, "mkdir %s", p);
			free(p);
			return (-1);
		}
		*s = '/';
	}
	if (mkdir(p, mode) == -1) {
		if (errno == EEXIST && dir_exists(p)) {
			free(p);
			return (0);
		}
		jailer_seterrno(jp, "mkdir %s", p);
		free(p);
		return (-1);
	}
	free(p);
	if (created != NULL)
		*created = 1;
	return (0);
}

int
str_has_prefix(const char *s, const char *prefix)
{
	return (strncmp(s, prefix, strlen(prefix)) == 0);
}

/* Strip leading and trailing white space in place. */
char *
str_trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' ||
	    e[-1] == '\r'))
		*--e = '\0';
	return (s);
}

/* Is w one of the blank-separated words of list? */
int
str_word_in(const char *list, const char *w)
{
	const char *p, *e;
	size_t n;

	n = strlen(w);
	for (p = list != NULL ? list : ""; *p != '\0'; p = e) {
		p += strspn(p, " \t\n");
		e = p + strcspn(p, " \t\n");
		if ((size_t)(e - p) == n && n > 0 && strncmp(p, w, n) == 0)
			return (1);
	}
	return (0);
}

/* Append s quoted for sh(1), quoting only when needed. */
void
shell_quote(struct buf *b, const char *s)
{
	const char *p;
	int plain;

	plain = *s != '\0';
	for (p = s; *p != '\0'; p++)
		if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789@%+=:,./_-", *p) == NULL)
			plain = 0;
	if (plain) {
		buf_adds(b, s);
		return;
	}
	buf_addc(b, '\'');
	for (p = s; *p != '\0'; p++) {
		if (*p == '\'')
			buf_adds(b, "'\\''");
		else
			buf_addc(b, *p);
	}
	buf_addc(b, '\'');
}

/* Append s as a JSON string; bytes that are not UTF-8 become U+FFFD. */
void
json_quote(struct buf *b, const char *s)
{
	/* The characters with a short escape, and the letter after '\\'. */
	static const char plain[] = "\"\\\n\t\r", named[] = "\"\\ntr";
	const unsigned char *p;
	const char *e;
	size_t n;

	buf_addc(b, '"');
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p >= 0x80) {
			if ((n = utf8_len(p)) == 0)
				buf_adds(b, "\\ufffd");
			else {
				buf_add(b, p, n);
				p += n - 1;
			}
			continue;
		}
		if ((e = strchr(plain, *p)) != NULL) {
			buf_addc(b, '\\');
			buf_addc(b, named[e - plain]);
		} else if (*p < 0x20 || *p == 0x7f)
			buf_addf(b, "\\u%04x", *p);
		else
			buf_addc(b, (char)*p);
	}
	buf_addc(b, '"');
}

/* The next word of *p ended by a character of seps (strsep, portably). */
char *
str_next_word(char **p, const char *seps)
{
	char *w;

	if ((w = *p) == NULL)
		return (NULL);
	*p = w + strcspn(w, seps);
	if (**p == '\0')
		*p = NULL;
	else
		*(*p)++ = '\0';
	return (w);
}

/* Append s (owned by the vector from now on) to the string vector *v. */
void
strv_push(char ***v, size_t *n, char *s)
{
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = s;
}

void
strv_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}
