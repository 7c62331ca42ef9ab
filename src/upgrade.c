/*
 * Bringing the conf files an earlier jailer wrote up to date, for jailer
 * init: every jail's block gets the hooks that load and flush its pf
 * rules when jail(8) starts or stops it (confrender.c).  Only files that
 * parse as one jail of their own name are touched, and only by inserting
 * the two lines before the closing brace; the jails' data never.
 *
 * Depends on: jail, conf, undo, util, err.
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "jail.h"
#include "undo.h"
#include "upgrade.h"

/* The jails whose conf files lack the hooks, in name order. */
int
upgrade_find(struct jailer *jp, char ***names, size_t *n)
{
	struct jails js;
	size_t i;

	*names = NULL;
	*n = 0;
	if (jails_load(jp, &js, JAILS_CONF) == -1)
		return (-1);
	for (i = 0; i < js.n; i++) {
		if (!js.v[i].has_conf || js.v[i].conf_err != NULL ||
		    js.v[i].has_hooks)
			continue;
		*names = xrealloc(*names, (*n + 1) * sizeof(**names));
		(*names)[(*n)++] = xstrdup(js.v[i].name);
	}
	jails_free(&js);
	return (0);
}

/*
 * text with the hooks inserted before the final brace, or NULL when the
 * file does not end with the block's brace (then it is left alone).
 */
static char *
with_hooks(const char *text)
{
	struct buf b;
	size_t end;

	end = strlen(text);
	while (end > 0 && strchr(" \t\r\n", text[end - 1]) != NULL)
		end--;
	if (end == 0 || text[end - 1] != '}')
		return (NULL);
	end--;
	buf_init(&b);
	buf_addf(&b, "%.*s", (int)end, text);
	if (b.len > 0 && b.data[b.len - 1] != '\n')
		buf_addc(&b, '\n');
	conf_hooks_render(&b);
	buf_adds(&b, "}\n");
	return (buf_steal(&b));
}

/* Add the hooks to the conf file of the jail name, with its undo. */
int
upgrade_conf(struct jailer *jp, struct undo *u, const char *name)
{
	struct conf_file cf;
	struct stat sb;
	struct buf text;
	char *path, *fpath, *next;
	int rc;

	path = jail_conf_path(name);
	fpath = host_path(path);
	buf_init(&text);
	next = NULL;
	rc = -1;
	if (file_read(jp, fpath, &text) == -1 || stat(fpath, &sb) == -1)
		goto out;
	if ((next = with_hooks(text.data)) == NULL) {
		jailer_seterr(jp, "%s does not end with the jail's closing "
		    "brace: add the hooks by hand (jailer(8), Boot and "
		    "jail(8) without jailer)",
		    path);
		goto out;
	}
	if (conf_parse(jp, next, path, &cf) == -1)
		goto out;
	rc = cf.njails == 1 && strcmp(cf.jails[0].name, name) == 0 &&
	    conf_has_hooks(&cf.jails[0]) ? 0 : -1;
	conf_free(&cf);
	if (rc == -1) {
		jailer_seterr(jp, "%s: the hooks do not fit in its block: "
		    "add them by hand (jailer(8), Boot and jail(8) without "
		    "jailer)", path);
		goto out;
	}
	rc = -1;
	if (undo_save_file(jp, u, fpath) == 0 &&
	    file_write_atomic(jp, fpath, next, strlen(next),
	    sb.st_mode & 07777) == 0)
		rc = 0;
out:
	free(next);
	free(path);
	free(fpath);
	buf_free(&text);
	return (rc);
}
