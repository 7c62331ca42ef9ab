/*
 * (issue 10, being written)
 */
#include "nullfs.h"
