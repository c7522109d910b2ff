// See include/CAllocationCounter.h.
#include "CAllocationCounter.h"
#include <stddef.h>

#if defined(__linux__)
#include <features.h>
#endif

#if defined(__linux__) && defined(__GLIBC__)
#include <stdatomic.h>

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *pointer, size_t size);

static _Atomic unsigned long long allocations;

void *malloc(size_t size) {
    atomic_fetch_add_explicit(&allocations, 1, memory_order_relaxed);
    return __libc_malloc(size);
}

void *calloc(size_t count, size_t size) {
    atomic_fetch_add_explicit(&allocations, 1, memory_order_relaxed);
    return __libc_calloc(count, size);
}

void *realloc(void *pointer, size_t size) {
    atomic_fetch_add_explicit(&allocations, 1, memory_order_relaxed);
    return __libc_realloc(pointer, size);
}

int anneal_allocation_counting(void) { return 1; }
unsigned long long anneal_allocation_count(void) { return atomic_load_explicit(&allocations, memory_order_relaxed); }
#else
int anneal_allocation_counting(void) { return 0; }
unsigned long long anneal_allocation_count(void) { return 0; }
#endif
