/*
 * (issue 10, being written)
 */
#ifndef JAILER_PARAM_H
#define JAILER_PARAM_H

#include "jailer.h"

#endif
