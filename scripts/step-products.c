/*
 * Replays the matrix products of one training step of the benchmark models, as Anneal's graph makes them
 * (forward x·Wᵀ with β = 1 onto the bias rows, input gradient dz·W with β = 0, weight gradient dzᵀ·x with
 * β = 0; no input gradient for the first layer), through whichever CBLAS it is linked with, and prints the best
 * and mean time of a step's products over many repeats. Between repeats it streams an Adam-sized pass over
 * 652,824 parameters (four arrays), as the step does, unless --hot is given.
 *
 *   gcc -O2 scripts/step-products.c $(pkg-config --cflags --libs openblas) -o /tmp/step-openblas
 *   gcc -O2 scripts/step-products.c -I/usr/include/x86_64-linux-gnu/blis-openmp \
 *       -L/usr/lib/x86_64-linux-gnu/blis-serial -l:libblis.so.4 -Wl,-rpath,/usr/lib/x86_64-linux-gnu/blis-serial \
 *       -o /tmp/step-blis                                  # Debian: apt-get install libblis-dev libblis4-serial
 *   env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 taskset -c 0 /tmp/step-openblas
 *   BLIS_NUM_THREADS=1 taskset -c 0 /tmp/step-blis
 */
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static float *buffer(size_t n) {
    float *p;
    if (posix_memalign((void **)&p, 64, n * sizeof(float)) != 0) abort();
    for (size_t i = 0; i < n; i++) p[i] = (float)((i * 2654435761u) % 1000) / 1000.0f - 0.5f;
    return p;
}

static void run(const char *name, int batch, int layers, const int (*shape)[2], int repeats, int hot) {
    float *x[8], *w[8], *y[8], *dy[8], *dx[8], *dw[8];
    double flops = 0;
    for (int l = 0; l < layers; l++) {
        int in = shape[l][0], out = shape[l][1];
        x[l] = buffer((size_t)batch * in); w[l] = buffer((size_t)out * in); y[l] = buffer((size_t)batch * out);
        dy[l] = buffer((size_t)batch * out); dx[l] = buffer((size_t)batch * in); dw[l] = buffer((size_t)out * in);
        flops += 2.0 * batch * in * out * (l == 0 ? 2 : 3);
    }
    size_t count = 652824;
    float *p = buffer(count), *g = buffer(count), *m = buffer(count), *v = buffer(count);
    double best = 1e9, sum = 0;
    for (int r = 0; r < repeats; r++) {
        if (!hot) {
            for (size_t i = 0; i < count; i++) {
                m[i] = 0.9f * m[i] + 0.1f * g[i];
                v[i] = 0.999f * v[i] + 0.001f * g[i] * g[i];
                p[i] -= 0.001f * m[i] / (v[i] + 1e-8f);
            }
        }
        double t = now();
        for (int l = 0; l < layers; l++) {
            int in = shape[l][0], out = shape[l][1];
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, batch, out, in, 1, x[l], in, w[l], in, 1, y[l], out);
        }
        for (int l = layers - 1; l >= 0; l--) {
            int in = shape[l][0], out = shape[l][1];
            if (l > 0) cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, batch, in, out, 1, dy[l], out, w[l], in, 0, dx[l], in);
            cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, out, in, batch, 1, dy[l], out, x[l], in, 0, dw[l], in);
        }
        t = now() - t;
        sum += t;
        if (t < best) best = t;
    }
    printf("%s: a step's products best %.3f ms (%.1f GFLOP/s), mean %.3f ms (%.1f GFLOP/s)\n", name, best * 1e3,
           flops / best / 1e9, sum / repeats * 1e3, flops / (sum / repeats) / 1e9);
}

int main(int argc, char **argv) {
    int hot = argc > 1 && strcmp(argv[1], "--hot") == 0;
    const int mlp[4][2] = {{784, 400}, {400, 40}, {20, 400}, {400, 784}};
    const int ternary[6][2] = {{27, 128}, {128, 128}, {128, 16}, {8, 128}, {128, 128}, {128, 27}};
    run("mlp-784, batch 128", 128, 4, mlp, 300, hot);
    run("ternary, batch 256", 256, 6, ternary, 3000, hot);
    return 0;
}
