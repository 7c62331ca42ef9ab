/*
 * SHA-256 (FIPS 180-4), for the checksums of export files (export.c).
 */
#ifndef JAILER_SHA256_H
#define JAILER_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t	h[8];
	uint64_t	len;		/* bytes hashed so far */
	unsigned char	blk[64];
	size_t		nblk;		/* bytes waiting in blk */
};

void	sha256_init(struct sha256 *);
void	sha256_update(struct sha256 *, const void *, size_t);
void	sha256_final(struct sha256 *, unsigned char[32]);
void	sha256_hex(const void *, size_t, char[65]);

#endif /* !JAILER_SHA256_H */
