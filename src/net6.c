/*
 * (issue 10, being written)
 */
#include "net6.h"
