/*
 * (issue 10, being written)
 */
#ifndef JAILER_NULLFS_H
#define JAILER_NULLFS_H

#include "jailer.h"

#endif
