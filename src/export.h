/*
 * jailer export and import: the export file (its manifest and members,
 * written and verified in exfile.c), export (export.c) and import
 * (import.c).
 */
#ifndef JAILER_EXPORT_H
#define JAILER_EXPORT_H

#include <sys/types.h>
#include <sys/stat.h>

#include "jailer.h"

#define	EXPORT_FORMAT	1
#define	EXPORT_MEMBER_MAX (1L << 20)	/* conf, fstab, rules: 1 MiB each */
#define	EXPORT_CHUNK	65536		/* the stream is read in chunks */

/* The members of an export file, in the order they are stored. */
enum { EXM_CONF, EXM_FSTAB, EXM_RULES, EXM_STREAM, EXM_N };

/*
 * A read and verified export file: manifest values and the small members
 * in memory; the stream stays in the file, at stream_off in fd.
 */
struct export_file {
	char		*v[16];		/* the values, by EXF_* */
	const char	*mem[EXM_N];	/* into raw; NULL for the stream */
	size_t		 memlen[EXM_N];
	struct buf	 raw;		/* the manifest, the small members */
	int		 fd;		/* the file, open; or -1 */
	off_t		 stream_off, stream_len;
	struct stat	 sb;		/* fd when it was verified */
};

/* The manifest's lines after "jailer-export 1", in order. */
enum { EXF_VERSION, EXF_HOST, EXF_CREATED, EXF_JAIL, EXF_RELEASE,
    EXF_NETWORK, EXF_ID, EXF_MAC, EXF_IP4, EXF_GATEWAY, EXF_IFACE,
    EXF_DOMAIN, EXF_SNAPSHOT, EXF_FROM, EXF_N };

extern const char *const export_keys[EXF_N];
extern const char *const export_members[EXM_N];

int	export_read(struct jailer *, const char *, struct export_file *);
void	export_file_free(struct export_file *);
int	export_stream_fd(struct jailer *, struct export_file *);
int	export_header(struct jailer *, char *const *, const struct buf *,
	    off_t, const char *, struct buf *);
int	write_all(struct jailer *, int, const void *, size_t, const char *);
int	fd_digest(struct jailer *, int, off_t, off_t, int, off_t *, char[65],
	    const char *);

struct export;

struct export *export_open(struct jailer *, const char *, const char *,
	    const char *);
void	export_print(struct jailer *, const struct export *);
int	export_run(struct jailer *, struct export *);
const char *export_snapshot(const struct export *);
void	export_free(struct export *);

struct import;

struct import *import_open(struct jailer *, const char *, const char *);
void	import_print(struct jailer *, const struct import *);
int	import_run(struct jailer *, struct import *);
const char *import_notes(const struct import *);
const char *import_name(const struct import *);
int	import_incremental(const struct import *);
void	import_free(struct import *);

#endif /* !JAILER_EXPORT_H */
