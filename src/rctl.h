/*
 * (issue 10, being written)
 */
#ifndef JAILER_RCTL_H
#define JAILER_RCTL_H

#include "jailer.h"

#endif
