/* Diagnostics over a pipe (diag_wire.c): how a worker process sends back what
 * it found, and the parent reads it, in the machine's own byte order (both
 * ends are the same program). */
#ifndef LG_DIAG_WIRE_H
#define LG_DIAG_WIRE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "diag.h"

/** Writes V to F. */
void lg_wire_put_u32(FILE *f, uint32_t v);

/** Reads a value lg_wire_put_u32 wrote into *V; false at the end of F. */
bool lg_wire_get_u32(FILE *f, uint32_t *v);

/** Writes every diagnostic of D to F, as lg_wire_get_diags reads them. */
void lg_wire_put_diags(FILE *f, const lg_diags *d);

/** Appends to D the diagnostics lg_wire_put_diags wrote; false when F ends
 * before all of them were read (the writer died). */
bool lg_wire_get_diags(FILE *f, lg_diags *d);

#endif
