// See include/CKernels.h: the time spent in matrix products, for `anneal bench`. Off unless turned on, and then
// one monotonic clock read before and after each product; relaxed atomics, so concurrent graphs (tests) can
// never corrupt it, only mix their shares.
#include "CKernels.h"
#include <stdatomic.h>
#include <time.h>

static atomic_int enabled = 0;
static atomic_ullong total = 0;
static atomic_ullong calls = 0;

void anneal_product_timing_enable(int on) { atomic_store_explicit(&enabled, on != 0, memory_order_relaxed); }
int anneal_product_timing_enabled(void) { return atomic_load_explicit(&enabled, memory_order_relaxed); }

unsigned long long anneal_monotonic_nanoseconds(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (unsigned long long)now.tv_sec * 1000000000ull + (unsigned long long)now.tv_nsec;
}

void anneal_product_timing_add(unsigned long long nanoseconds) {
    atomic_fetch_add_explicit(&total, nanoseconds, memory_order_relaxed);
    atomic_fetch_add_explicit(&calls, 1, memory_order_relaxed);
}

unsigned long long anneal_product_nanoseconds(void) { return atomic_load_explicit(&total, memory_order_relaxed); }
unsigned long long anneal_product_calls(void) { return atomic_load_explicit(&calls, memory_order_relaxed); }
