/*
 * (issue 10, being written)
 */
#ifndef JAILER_RENAME_H
#define JAILER_RENAME_H

#include "jailer.h"

#endif
