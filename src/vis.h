/*
 * Showing untrusted strings safely (vis.c): the lowest module of the
 * library, which depends on nothing else of jailer.
 */
#ifndef JAILER_VIS_H
#define JAILER_VIS_H

#include <stddef.h>

size_t		 utf8_len(const unsigned char *);
const char	*vis(const char *);

#endif /* !JAILER_VIS_H */
