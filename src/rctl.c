/*
 * (issue 10, being written)
 */
#include "rctl.h"
