/*
 * Images over time: image update (freebsd-update on the image dataset,
 * a snapshot @pN per patch level), image destroy, the newest snapshot
 * create copies, the patch level image list shows.
 */
#ifndef JAILER_IMGUPDATE_H
#define JAILER_IMGUPDATE_H

#include "jailer.h"

char	*image_newest_snap(struct jailer *, const char *, const char *);
int	 image_patch_levels(struct jailer *, char **, size_t, int *);
int	 image_record_release(struct jailer *, const char *, const char *,
	    int);
int	 image_update(struct jailer *, const char *, int, struct buf *);
int	 image_destroy(struct jailer *, const char *, int);

#endif /* !JAILER_IMGUPDATE_H */
