// The worker pool shared by matrix products and element-wise loops (see include/CKernels.h).
//
// One job at a time: the caller publishes the task, then bumps `generation`; workers spin a while waiting for
// a new generation (jobs come in quick succession within a training step) and then sleep on a condition
// variable. Parts are claimed from a ticket that holds the generation in its high 32 bits and the count of
// unclaimed parts in its low 32 bits, so a worker still leaving an old job can never claim a part of a new one.
// The caller runs parts too and returns when every part has finished.
#include "CKernels.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define PAUSE() _mm_pause()
#elif defined(__aarch64__)
#define PAUSE() __asm__ __volatile__("yield")
#else
#define PAUSE() ((void)0)
#endif

/// Spins before a waiting worker sleeps (about 100 µs: longer than the gaps between the parallel parts of a
/// training step, far shorter than the gaps between steps of anything else).
#define SPINS 20000
#define MAX_WORKERS 63

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static pthread_t workers[MAX_WORKERS];
static int workerCount = 0;

static _Atomic uint32_t generation = 0;
static _Atomic uint64_t ticket = 0;
static _Atomic size_t remaining = 0;
static _Atomic int sleepers = 0;
static _Atomic int stopping = 0;
/// Held by the thread whose job runs now; another caller meanwhile runs its parts itself.
static atomic_flag busy = ATOMIC_FLAG_INIT;

static anneal_pool_task jobTask;
static void *jobContext;

/// Claims and runs parts of generation `g` until none is left or a newer job has started. The ticket counts the
/// parts not yet claimed; a successful claim synchronises with the caller's store of the ticket, which came
/// after the task was written, and the caller waits for every claimed part before writing another task.
static void run_parts(uint32_t g) {
    for (;;) {
        uint64_t current = atomic_load_explicit(&ticket, memory_order_acquire);
        if ((uint32_t)(current >> 32) != g) return;
        uint32_t left = (uint32_t)current;
        if (left == 0) return;
        if (!atomic_compare_exchange_weak_explicit(&ticket, &current, current - 1, memory_order_acq_rel, memory_order_relaxed)) continue;
        jobTask(jobContext, left - 1);
        atomic_fetch_sub_explicit(&remaining, 1, memory_order_acq_rel);
    }
}

static void *worker_main(void *unused) {
    (void)unused;
    uint32_t seen = atomic_load(&generation);
    for (;;) {
        uint32_t g;
        int spins = 0;
        while ((g = atomic_load(&generation)) == seen && !atomic_load(&stopping)) {
            if (++spins < SPINS) { PAUSE(); continue; }
            pthread_mutex_lock(&lock);
            atomic_fetch_add(&sleepers, 1);
            while (atomic_load(&generation) == seen && !atomic_load(&stopping)) pthread_cond_wait(&wake, &lock);
            atomic_fetch_sub(&sleepers, 1);
            pthread_mutex_unlock(&lock);
            spins = 0;
        }
        if (atomic_load(&stopping)) return NULL;
        seen = g;
        run_parts(g);
    }
}

void anneal_pool_set_threads(int threads) {
    int wanted = threads < 1 ? 0 : threads - 1;
    if (wanted > MAX_WORKERS) wanted = MAX_WORKERS;
    while (atomic_flag_test_and_set_explicit(&busy, memory_order_acquire)) PAUSE();
    if (wanted != workerCount) {
        if (workerCount > 0) {
            atomic_store(&stopping, 1);
            pthread_mutex_lock(&lock);
            pthread_cond_broadcast(&wake);
            pthread_mutex_unlock(&lock);
            for (int i = 0; i < workerCount; i++) pthread_join(workers[i], NULL);
            atomic_store(&stopping, 0);
            workerCount = 0;
        }
        for (int i = 0; i < wanted; i++) {
            if (pthread_create(&workers[i], NULL, worker_main, NULL) != 0) break;
            workerCount = i + 1;
        }
    }
    atomic_flag_clear_explicit(&busy, memory_order_release);
}

int anneal_pool_threads(void) { return workerCount + 1; }

void anneal_pool_run(size_t parts, anneal_pool_task task, void *context) {
    if (parts == 0) return;
    if (parts == 1 || workerCount == 0 || atomic_flag_test_and_set_explicit(&busy, memory_order_acquire)) {
        // One part, no workers, or a job already running (a nested call, or another thread's): run here.
        for (size_t part = 0; part < parts; part++) task(context, part);
        return;
    }
    jobTask = task;
    jobContext = context;
    atomic_store(&remaining, parts);
    uint32_t g = atomic_load(&generation) + 1;
    atomic_store(&ticket, ((uint64_t)g << 32) | (uint32_t)parts);
    atomic_store(&generation, g);
    if (atomic_load(&sleepers) > 0) {
        pthread_mutex_lock(&lock);
        pthread_cond_broadcast(&wake);
        pthread_mutex_unlock(&lock);
    }
    run_parts(g);
    while (atomic_load_explicit(&remaining, memory_order_acquire) != 0) PAUSE();
    atomic_flag_clear_explicit(&busy, memory_order_release);
}
