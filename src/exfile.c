/*
 * The export file format of jailer export and import: written by
 * export.c with export_header(), read and verified by export_read() for
 * import.c.  See export.c for the format itself.
 *
 * Only the manifest and the small members (conf, fstab, rules: at most
 * EXPORT_MEMBER_MAX each) are ever held in memory; the stream member is
 * hashed and copied in chunks of EXPORT_CHUNK bytes.
 *
 * Depends on: sha256, util.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "export.h"
#include "sha256.h"

#define	EXPORT_STREAM_MAX (1LL << 60)	/* a sanity bound, no memory limit */
#define	EXPORT_HEAD_MAX	16384		/* the manifest is far smaller */

const char *const export_keys[EXF_N] = { "version", "host", "created",
    "jail", "release", "network", "id", "mac", "ip4", "gateway", "iface",
    "domain", "snapshot", "from" };
const char *const export_members[EXM_N] = { "conf", "fstab", "rules",
    "stream" };

/* A manifest value: printable ASCII, no blanks, not empty. */
static int
value_ok(const char *s)
{
	if (*s == '\0' || strlen(s) > 255)
		return (0);
	for (; *s != '\0'; s++)
		if (*s <= ' ' || *s > '~')
			return (0);
	return (1);
}

/*
 * The manifest for v (EXF_N values), the small members m[0..EXM_STREAM-1]
 * and a stream of slen bytes with the digest shex; then the small
 * members.  The stream itself follows it in the file.
 */
int
export_header(struct jailer *jp, char *const *v, const struct buf *m,
    off_t slen, const char *shex, struct buf *out)
{
	char hex[65];
	int i;

	buf_addf(out, "jailer-export %d\n", EXPORT_FORMAT);
	for (i = 0; i < EXF_N; i++) {
		if (!value_ok(v[i]))
			return (jailer_seterr(jp, "cannot export the %s '%s': "
			    "not a plain word", export_keys[i], vis(v[i])));
		buf_addf(out, "%s %s\n", export_keys[i], v[i]);
	}
	for (i = 0; i < EXM_STREAM; i++) {
		sha256_hex(m[i].data, m[i].len, hex);
		buf_addf(out, "member %s %zu %s\n", export_members[i],
		    m[i].len, hex);
	}
	buf_addf(out, "member %s %lld %s\n", export_members[EXM_STREAM],
	    (long long)slen, shex);
	sha256_hex(out->data, out->len, hex);
	buf_addf(out, "manifest %s\n", hex);
	for (i = 0; i < EXM_STREAM; i++)
		buf_add(out, m[i].data, m[i].len);
	return (0);
}

/* Write all of data to fd. */
int
write_all(struct jailer *jp, int fd, const void *data, size_t len,
    const char *what)
{
	const char *p = data;
	ssize_t n;

	while (len > 0) {
		if ((n = write(fd, p, len)) == -1) {
			if (errno == EINTR)
				continue;
			return (jailer_seterrno(jp, "%s", what));
		}
		p += n;
		len -= (size_t)n;
	}
	return (0);
}

/*
 * Read fd from off in chunks, len bytes (-1: to the end of the file):
 * their SHA-256 into hex, their number into *got, each chunk copied to
 * out unless it is -1.
 */
int
fd_digest(struct jailer *jp, int fd, off_t off, off_t len, int out,
    off_t *got, char hex[65], const char *what)
{
	static const char digits[] = "0123456789abcdef";
	unsigned char chunk[EXPORT_CHUNK], md[32];
	struct sha256 ctx;
	ssize_t n;
	size_t want;
	int i;

	sha256_init(&ctx);
	*got = 0;
	for (;;) {
		if (jailer_interrupted)
			return (jailer_seterr(jp, "%s: interrupted", what));
		want = sizeof(chunk);
		if (len >= 0 && (off_t)want > len - *got)
			want = (size_t)(len - *got);
		if (want == 0)
			break;
		if ((n = pread(fd, chunk, want, off + *got)) == -1) {
			if (errno == EINTR)
				continue;
			return (jailer_seterrno(jp, "%s", what));
		}
		if (n == 0) {
			if (len < 0)
				break;
			return (jailer_seterr(jp, "%s: shorter than its "
			    "manifest says", what));
		}
		sha256_update(&ctx, chunk, (size_t)n);
		if (out != -1 && write_all(jp, out, chunk, (size_t)n,
		    out == STDOUT_FILENO ? "standard output" : what) == -1)
			return (-1);
		*got += n;
	}
	sha256_final(&ctx, md);
	for (i = 0; i < 32; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[64] = '\0';
	return (0);
}

/* One manifest line "KEY VALUE" at *pos: the value, or NULL. */
static char *
next_value(struct export_file *f, size_t *pos, const char *key)
{
	const char *p, *nl;
	size_t klen;
	char *v;

	p = f->raw.data + *pos;
	if ((nl = memchr(p, '\n', f->raw.len - *pos)) == NULL ||
	    nl - p > 512)
		return (NULL);
	klen = strlen(key);
	if ((size_t)(nl - p) <= klen + 1 || strncmp(p, key, klen) != 0 ||
	    p[klen] != ' ')
		return (NULL);
	v = xstrndup(p + klen + 1, (size_t)(nl - p) - klen - 1);
	if (memchr(p + klen + 1, '\0', (size_t)(nl - p) - klen - 1) != NULL) {
		free(v);
		return (NULL);
	}
	*pos = (size_t)(nl - f->raw.data) + 1;
	return (v);
}

/* "member NAME SIZE SHA256": its size and digest. */
static int
member_line(struct export_file *f, size_t *pos, int i, off_t *size,
    char hex[65])
{
	char *v, *end, *sp;
	unsigned long long n;
	int rc;

	if ((v = next_value(f, pos, "member")) == NULL)
		return (-1);
	rc = -1;
	if (str_has_prefix(v, export_members[i]) &&
	    v[strlen(export_members[i])] == ' ') {
		sp = v + strlen(export_members[i]) + 1;
		errno = 0;
		n = strtoull(sp, &end, 10);
		if (errno == 0 && end != sp && *sp != '-' && *end == ' ' &&
		    strlen(end + 1) == 64 && strspn(end + 1,
		    "0123456789abcdef") == 64 && n <= (i == EXM_STREAM ?
		    (unsigned long long)EXPORT_STREAM_MAX :
		    (unsigned long long)EXPORT_MEMBER_MAX)) {
			*size = (off_t)n;
			memcpy(hex, end + 1, 65);
			rc = 0;
		}
	}
	free(v);
	return (rc);
}

/* The manifest: version, values, members, its own checksum. */
static int
read_manifest(struct jailer *jp, const char *what, struct export_file *f,
    size_t *pos, off_t *size, char (*hex)[65])
{
	char *v, sum[65];
	size_t end;
	int i;

	if (f->raw.len < 15 || memcmp(f->raw.data, "jailer-export ", 14) != 0)
		return (jailer_seterr(jp, "%s: not a jailer export file",
		    what));
	*pos = 0;
	if ((v = next_value(f, pos, "jailer-export")) == NULL ||
	    strcmp(v, "1") != 0) {
		jailer_seterr(jp, "%s: export format %s is not supported "
		    "(this jailer reads format %d)", what, v != NULL ?
		    vis(v) : "?", EXPORT_FORMAT);
		free(v);
		return (-1);
	}
	free(v);
	for (i = 0; i < EXF_N; i++)
		if ((f->v[i] = next_value(f, pos, export_keys[i])) == NULL ||
		    !value_ok(f->v[i]))
			return (jailer_seterr(jp, "%s: a damaged manifest "
			    "(line '%s')", what, export_keys[i]));
	for (i = 0; i < EXM_N; i++)
		if (member_line(f, pos, i, &size[i], hex[i]) == -1)
			return (jailer_seterr(jp, "%s: a damaged manifest "
			    "(member %s)", what, export_members[i]));
	end = *pos;
	sha256_hex(f->raw.data, end, sum);
	if ((v = next_value(f, pos, "manifest")) == NULL ||
	    strcmp(v, sum) != 0) {
		free(v);
		return (jailer_seterr(jp, "%s: the manifest's SHA-256 does not "
		    "match: the file is damaged or was changed", what));
	}
	free(v);
	return (0);
}

/* Read len bytes at off of fd onto b. */
static int
fd_pread(struct jailer *jp, int fd, off_t off, size_t len, struct buf *b,
    const char *what)
{
	char chunk[8192];
	ssize_t n;

	while (len > 0) {
		n = pread(fd, chunk, len < sizeof(chunk) ? len : sizeof(chunk),
		    off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return (jailer_seterrno(jp, "%s", what));
		if (n == 0)
			return (jailer_seterr(jp, "%s is truncated", what));
		buf_add(b, chunk, (size_t)n);
		off += n;
		len -= (size_t)n;
	}
	return (0);
}

/* Its size: the manifest's members end exactly at the end of the file. */
static int
check_size(struct jailer *jp, const char *what, off_t have, off_t want)
{
	if (have < want)
		return (jailer_seterr(jp, "%s is truncated: %lld bytes "
		    "missing", what, (long long)(want - have)));
	if (have > want)
		return (jailer_seterr(jp, "%s has %lld bytes after its last "
		    "member", what, (long long)(have - want)));
	return (0);
}

/*
 * Open path and verify it: the manifest, every member's size and SHA-256
 * (the stream's read in chunks, never held).  Only the manifest and the
 * small members are kept in memory; the file stays open in f->fd for
 * export_stream_fd().  Nothing of the file is used unless this returns 0.
 */
int
export_read(struct jailer *jp, const char *path, struct export_file *f)
{
	char hex[EXM_N][65], sum[65], *what;
	size_t pos;
	off_t size[EXM_N], total, got;
	int i, rc;

	memset(f, 0, sizeof(*f));
	buf_init(&f->raw);
	what = xstrdup(vis(path));
	rc = -1;
	if ((f->fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		jailer_seterrno(jp, "%s", what);
		goto out;
	}
	if (fstat(f->fd, &f->sb) == -1 || !S_ISREG(f->sb.st_mode)) {
		jailer_seterr(jp, "%s: not a regular file", what);
		goto out;
	}
	if (fd_pread(jp, f->fd, 0, f->sb.st_size < EXPORT_HEAD_MAX ?
	    (size_t)f->sb.st_size : EXPORT_HEAD_MAX, &f->raw, what) == -1 ||
	    read_manifest(jp, what, f, &pos, size, hex) == -1)
		goto out;
	for (total = (off_t)pos, i = 0; i < EXM_N; i++)
		total += size[i];
	if (check_size(jp, what, f->sb.st_size, total) == -1)
		goto out;
	f->raw.len = pos;
	if (fd_pread(jp, f->fd, (off_t)pos, (size_t)(size[0] + size[1] +
	    size[2]), &f->raw, what) == -1)
		goto out;
	for (i = 0; i < EXM_N; i++) {
		if (i < EXM_STREAM) {
			f->mem[i] = f->raw.data + pos;
			f->memlen[i] = (size_t)size[i];
			sha256_hex(f->mem[i], f->memlen[i], sum);
		} else {
			f->stream_off = (off_t)pos;
			f->stream_len = size[i];
			if (fd_digest(jp, f->fd, f->stream_off, size[i], -1,
			    &got, sum, what) == -1)
				goto out;
		}
		if (strcmp(sum, hex[i]) != 0) {
			jailer_seterr(jp, "%s: the SHA-256 of its %s member "
			    "does not match: the file is damaged or was "
			    "changed", what, export_members[i]);
			goto out;
		}
		pos += (size_t)size[i];
	}
	rc = 0;
out:
	free(what);
	return (rc);
}

/*
 * The verified file's descriptor, positioned at the stream (the last
 * member: a reader of fd reads it to the end of the file).  Refused when
 * the file was changed since export_read() verified it; a writer of the
 * file can still change it while the stream is read (see jailer(8)).
 */
int
export_stream_fd(struct jailer *jp, struct export_file *f)
{
	struct stat sb;

	if (fstat(f->fd, &sb) == -1)
		return (jailer_seterrno(jp, "the export file"));
	if (sb.st_size != f->sb.st_size || sb.st_ino != f->sb.st_ino ||
	    sb.st_mtim.tv_sec != f->sb.st_mtim.tv_sec ||
	    sb.st_mtim.tv_nsec != f->sb.st_mtim.tv_nsec ||
	    sb.st_ctim.tv_sec != f->sb.st_ctim.tv_sec ||
	    sb.st_ctim.tv_nsec != f->sb.st_ctim.tv_nsec)
		return (jailer_seterr(jp, "the export file was changed after "
		    "it was verified"));
	if (lseek(f->fd, f->stream_off, SEEK_SET) == -1)
		return (jailer_seterrno(jp, "the export file"));
	return (f->fd);
}

void
export_file_free(struct export_file *f)
{
	int i;

	for (i = 0; i < EXF_N; i++)
		free(f->v[i]);
	buf_free(&f->raw);
	if (f->fd > 0)
		close(f->fd);
	memset(f, 0, sizeof(*f));
	f->fd = -1;
}
