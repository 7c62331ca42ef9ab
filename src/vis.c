/*
 * Showing untrusted strings safely: the bottom of the library.  vis.c
 * depends on nothing but libc; err.c, util.c and validate.c (and every
 * other module) build on it, never the other way round.
 */
#include <string.h>

#include "vis.h"

/* The length of the valid UTF-8 sequence at p (2 to 4), or 0. */
size_t
utf8_len(const unsigned char *p)
{
	size_t n, i;

	if (*p >= 0xc2 && *p <= 0xdf)
		n = 2;
	else if (*p >= 0xe0 && *p <= 0xef)
		n = 3;
	else if (*p >= 0xf0 && *p <= 0xf4)
		n = 4;
	else
		return (0);
	for (i = 1; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return (0);
	/* Overlong forms, surrogates and code points past U+10FFFF. */
	if ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] > 0x9f) ||
	    (p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] > 0x8f))
		return (0);
	return (n);
}

/*
 * A printable, bounded rendering of an untrusted value for messages:
 * control characters become \n, \t or \xNN and long values are cut.
 * Four rotating buffers, so a message may use it a few times.
 */
const char *
vis(const char *s)
{
	static char bufs[4][160];
	static int slot;
	static const char hex[] = "0123456789abcdef";
	char *b;
	size_t o, n;
	unsigned char c;

	b = bufs[slot];
	slot = (slot + 1) % 4;
	for (o = 0; *s != '\0' && o < sizeof(bufs[0]) - 8; s++) {
		c = (unsigned char)*s;
		if (c == '\n') {
			b[o++] = '\\';
			b[o++] = 'n';
		} else if (c == '\t') {
			b[o++] = '\\';
			b[o++] = 't';
		} else if (c >= 0x80 && (n = utf8_len((const unsigned char *)s)) >
		    0 && !(c == 0xc2 && (unsigned char)s[1] < 0xa0) &&
		    o + n < sizeof(bufs[0]) - 8) {
			/* Valid UTF-8, but not a C1 control (U+0080-U+009F). */
			memcpy(b + o, s, n);
			o += n;
			s += n - 1;
		} else if (c < 0x20 || c >= 0x7f) {
			b[o++] = '\\';
			b[o++] = 'x';
			b[o++] = hex[c >> 4];
			b[o++] = hex[c & 15];
		} else
			b[o++] = (char)c;
	}
	if (*s != '\0') {
		memcpy(b + o, "...", 3);
		o += 3;
	}
	b[o] = '\0';
	return (b);
}
