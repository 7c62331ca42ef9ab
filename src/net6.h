/*
 * (issue 10, being written)
 */
#ifndef JAILER_NET6_H
#define JAILER_NET6_H

#include "jailer.h"

#endif
