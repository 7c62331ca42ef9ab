/*
 * (issue 10, being written)
 */
#include "param.h"
