// Counts the process's heap allocations, for `anneal bench`'s allocations per step.
//
// On Linux with glibc, malloc, calloc and realloc are replaced by functions that add one to a counter and call
// glibc's own (__libc_malloc and so on): the program's definitions take precedence over libc's for every
// caller, the Swift runtime included. Elsewhere nothing is replaced and counting is unavailable.
#ifndef ANNEAL_ALLOCATION_COUNTER_H
#define ANNEAL_ALLOCATION_COUNTER_H

#ifdef __cplusplus
extern "C" {
#endif

/// Whether allocations are counted in this build (1) or not (0).
int anneal_allocation_counting(void);

/// Calls to malloc, calloc and realloc since the program started (0 when not counted).
unsigned long long anneal_allocation_count(void);

#ifdef __cplusplus
}
#endif

#endif
