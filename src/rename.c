/*
 * (issue 10, being written)
 */
#include "rename.h"
