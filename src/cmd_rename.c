/*
 * (issue 10, being written)
 */
#include "cmd.h"
