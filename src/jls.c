/*
 * The running jails as jls(8) shows them, read so that no value a jail
 * sets can forge a record.
 *
 * Depends on: exec (run_read), util.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "exec.h"
#include "jls.h"

/* Split one line of "jls -q" output into its space-separated values. */
size_t
jls_split(char *line, char **f, size_t max)
{
	char *r, *w, q;
	size_t n;

	n = 0;
	r = line;
	while (*r != '\0' && n < max) {
		while (*r == ' ')
			r++;
		if (*r == '\0')
			break;
		f[n++] = w = r;
		if (*r == '"' || *r == '\'') {
			/* jls -q quotes a value but escapes nothing in it. */
			q = *r;
			for (r++; *r != '\0' && *r != q; r++)
				*w++ = *r;
			if (*r == q)
				r++;
		} else
			while (*r != '\0' && *r != ' ')
				*w++ = *r++;
		if (*r == ' ')
			r++;
		*w = '\0';
	}
	return (n);
}

#define	JLS_PARAMS	"jid", "name", "vnet", "ip4.addr", "path"

/* The lines a jls(8) call prints. */
static int
jls_lines(struct jailer *jp, const char *const *argv, char ***lines,
    size_t *n)
{
	struct buf out;
	char *line;
	size_t pos;

	*lines = NULL;
	*n = 0;
	if (run_read(jp, argv, &out) == -1)
		return (-1);
	for (pos = 0; (line = buf_nextline(&out, &pos)) != NULL; )
		strv_push(lines, n, xstrdup(line));
	buf_free(&out);
	return (0);
}

/* One record of jls -q JLS_PARAMS, split: a copy into the array. */
static void
use_record(struct jls_rec **v, size_t *n, char *const *f)
{
	struct jls_rec *r;

	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	r = &(*v)[(*n)++];
	r->jid = xstrdup(f[0]);
	r->name = xstrdup(f[1]);
	r->vnet = xstrdup(f[2]);
	r->ip4 = xstrdup(f[3]);
	r->path = xstrdup(f[4]);
}

/* How many of the lines begin with the record of jid. */
static size_t
jid_lines(char *const *lines, size_t n, const char *jid)
{
	size_t i, len, c;

	len = strlen(jid);
	for (i = c = 0; i < n; i++)
		c += strncmp(lines[i], jid, len) == 0 && lines[i][len] == ' ';
	return (c);
}

/*
 * Two lines claim the record of jid: one is a jail's name going on after
 * a newline.  Ask jls for that jail alone (jls -j JID), whose own name is
 * what its one line of five fields shows.
 */
static int
jid_requery(struct jailer *jp, struct jls_rec **v, size_t *nv,
    const char *jid)
{
	const char *argv[] = { "jls", "-j", jid, "-q", JLS_PARAMS, NULL };
	char **lines, *f[6];
	size_t n;

	jailer_warnx(NULL, "jls printed more than one record for JID %s (a "
	    "jail's name holds a newline); asking jls -j %s", jid, jid);
	if (jls_lines(jp, argv, &lines, &n) == -1) {
		jp->err[0] = '\0';	/* it has just gone */
		return (0);
	}
	if (n == 1 && jls_split(lines[0], f, 6) == 5 && strcmp(f[0], jid) == 0)
		use_record(v, nv, f);
	strv_free(lines, n);
	return (0);
}

/*
 * The records of the running jails: one jls(8) call for them, one for
 * their JIDs.  Only parameters the host sets are asked for: a jail may set its
 * own host.hostname to anything, newlines and quotes included, and
 * "jls -q" escapes nothing, so a hostile host name could forge records;
 * the host name shown is the one the jail's conf file gives it.  A jail's
 * name can hold a newline too (a child jail's name is its parent's
 * root's choice): a record that does not begin with a JID "jls jid"
 * printed, or that is not the only one of its JID, is not used as it is.
 */
int
jls_records(struct jailer *jp, struct jls_rec **v, size_t *nv)
{
	static const char *const argv[] = { "jls", "-q", JLS_PARAMS, NULL };
	static const char *const jidv[] = { "jls", "jid", NULL };
	char **lines, **jids, **asked, *f[6];
	size_t i, k, n, njids, nasked, *count;
	int rc;

	*v = NULL;
	*nv = 0;
	if (jls_lines(jp, argv, &lines, &n) == -1)
		return (-1);
	if (jls_lines(jp, jidv, &jids, &njids) == -1) {
		strv_free(lines, n);
		return (-1);
	}
	count = xcalloc(n + 1, sizeof(*count));
	for (i = 0; i < n; i++) {
		f[0] = xstrndup(lines[i], strcspn(lines[i], " "));
		count[i] = jid_lines(lines, n, f[0]);
		free(f[0]);
	}
	asked = NULL;
	nasked = 0;
	for (i = rc = 0; i < n && rc == 0; i++) {
		/* jls prints the JID first, unquoted, at the line's start */
		if (!isdigit((unsigned char)lines[i][0]) ||
		    jls_split(lines[i], f, 6) != 5)
			continue;
		for (k = 0; k < njids && strcmp(jids[k], f[0]) != 0; k++)
			continue;
		if (k == njids)
			continue;	/* forged, or the jail has just gone */
		if (count[i] == 1) {
			use_record(v, nv, f);
			continue;
		}
		for (k = 0; k < nasked && strcmp(asked[k], f[0]) != 0; k++)
			continue;
		if (k == nasked) {
			strv_push(&asked, &nasked, xstrdup(f[0]));
			rc = jid_requery(jp, v, nv, f[0]);
		}
	}
	free(count);
	strv_free(asked, nasked);
	strv_free(jids, njids);
	strv_free(lines, n);
	return (rc);
}

void
jls_records_free(struct jls_rec *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].jid);
		free(v[i].name);
		free(v[i].vnet);
		free(v[i].ip4);
		free(v[i].path);
	}
	free(v);
}
