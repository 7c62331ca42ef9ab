/*
 * Release images: the mirror, MANIFEST checks, the remote index and the
 * ZFS datasets DS/image/RELEASE@base.
 */
#ifndef JAILER_IMAGE_H
#define JAILER_IMAGE_H

#include "jailer.h"

#define	SHA256_HEX	64

char	*mirror_get(struct jailer *);
int	 manifest_sha256(struct jailer *, const char *, const char *,
	    char [SHA256_HEX + 1]);
size_t	 index_releases(const char *, char ***);
void	 releases_sort(char **, size_t);
int	 image_local(struct jailer *, char ***, size_t *);
void	 image_names_parse(char *, const char *, char ***, size_t *);
int	 image_exists(struct jailer *, const char *);
int	 image_default(struct jailer *, char **);
int	 image_check_host(struct jailer *, const char *);
int	 image_fetch(struct jailer *, const char *, int);
int	 image_clean_partial(struct jailer *, const char *);

#endif /* !JAILER_IMAGE_H */
