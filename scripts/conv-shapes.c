/*
 * Replays the convolutions of one conv-64 training step (disentanglement_lib's VAE for 64×64 images, batch 64:
 * `../shared/bench/ref_torch_vae.py --model conv-64`) through the two ways Anneal could compute them, and prints
 * the best and mean time of a step's convolutions and their GFLOP/s, layer by layer and in all:
 *
 *   onednn-any    oneDNN 2.x primitives, each in the memory formats it chooses (blocked), no reorders counted:
 *                 the best oneDNN can do when activations stay in its formats between layers;
 *   onednn-nchw   the same primitives forced to plain NCHW activations and OIHW weights (no reorders needed);
 *   onednn-plain  the onednn-any primitives with Anneal's NCHW activations and PyTorch-layout weights reordered
 *                 into their formats and back every time (what a graph of NCHW values pays for them);
 *   im2col        im2col / col2im around OpenBLAS's sgemm, one image at a time (Caffe's scheme);
 *   im2col-dnnl   the same around oneDNN's dnnl_sgemm.
 *
 * A step is, per convolution: forward, the input gradient (not for the first, whose input is the data), the
 * weight and bias gradients; per transposed convolution: forward, input gradient, weight gradient. The dense
 * layers and element-wise work are not included (they are the same for both ways).
 *
 *   gcc -O2 -march=native scripts/conv-shapes.c $(pkg-config --cflags --libs openblas) -ldnnl -o /tmp/conv-shapes
 *   env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 taskset -c 0 /tmp/conv-shapes
 *                                                                  # Debian: libdnnl-dev, libopenblas-dev
 */
#include <cblas.h>
#include <dnnl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CHECK(call) do { dnnl_status_t s_ = (call); if (s_ != dnnl_success) { fprintf(stderr, "%s:%d: %s failed (%d)\n", __FILE__, __LINE__, #call, (int)s_); exit(1); } } while (0)

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static float *buffer(size_t n) {
    float *p;
    if (posix_memalign((void **)&p, 64, (n ? n : 1) * sizeof(float)) != 0) abort();
    for (size_t i = 0; i < n; i++) p[i] = (float)((i * 2654435761u) % 1000) / 1000.0f - 0.5f;
    return p;
}

/* One layer: a convolution (transposed = 0) from ci×hi×wi to co×ho×wo, or a transposed convolution (transposed = 1)
 * from ci×hi×wi to co×ho×wo; kernel k, stride s, padding p on every side. */
typedef struct { const char *name; int transposed, ci, hi, wi, co, ho, wo, k, s, p, input_gradient; } Layer;

static const int N = 64;
static const Layer layers[] = {
    {"e1 conv 1→32 4×4/2", 0, 1, 64, 64, 32, 32, 32, 4, 2, 1, 0},
    {"e2 conv 32→32 4×4/2", 0, 32, 32, 32, 32, 16, 16, 4, 2, 1, 1},
    {"e3 conv 32→64 2×2/2", 0, 32, 16, 16, 64, 8, 8, 2, 2, 0, 1},
    {"e4 conv 64→64 2×2/2", 0, 64, 8, 8, 64, 4, 4, 2, 2, 0, 1},
    {"d1 deconv 64→64 4×4/2", 1, 64, 4, 4, 64, 8, 8, 4, 2, 1, 1},
    {"d2 deconv 64→32 4×4/2", 1, 64, 8, 8, 32, 16, 16, 4, 2, 1, 1},
    {"d3 deconv 32→32 4×4/2", 1, 32, 16, 16, 32, 32, 32, 4, 2, 1, 1},
    {"d4 deconv 32→1 4×4/2", 1, 32, 32, 32, 1, 64, 64, 4, 2, 1, 1},
};
enum { LAYERS = sizeof(layers) / sizeof(layers[0]) };

/* Multiply-adds of one pass (forward, input gradient and weight gradient each have as many). */
static double macs(const Layer *l) {
    return l->transposed ? (double)N * l->ci * l->hi * l->wi * l->co * l->k * l->k
                         : (double)N * l->co * l->ho * l->wo * l->ci * l->k * l->k;
}
static double step_flops(const Layer *l) { return 2 * macs(l) * (l->input_gradient ? 3 : 2); }

/* ---- im2col / col2im (one image, channels × height × width) ---- */

static void im2col(const float *x, int c, int h, int w, int k, int s, int p, int ho, int wo, float *col) {
    for (int ch = 0; ch < c; ch++)
        for (int ky = 0; ky < k; ky++)
            for (int kx = 0; kx < k; kx++) {
                float *row = col + ((size_t)(ch * k + ky) * k + kx) * ho * wo;
                for (int oy = 0; oy < ho; oy++) {
                    int iy = oy * s - p + ky;
                    for (int ox = 0; ox < wo; ox++) {
                        int ix = ox * s - p + kx;
                        row[oy * wo + ox] = (iy >= 0 && iy < h && ix >= 0 && ix < w) ? x[((size_t)ch * h + iy) * w + ix] : 0;
                    }
                }
            }
}

static void col2im(const float *col, int c, int h, int w, int k, int s, int p, int ho, int wo, float *x) {
    memset(x, 0, sizeof(float) * (size_t)c * h * w);
    for (int ch = 0; ch < c; ch++)
        for (int ky = 0; ky < k; ky++)
            for (int kx = 0; kx < k; kx++) {
                const float *row = col + ((size_t)(ch * k + ky) * k + kx) * ho * wo;
                for (int oy = 0; oy < ho; oy++) {
                    int iy = oy * s - p + ky;
                    if (iy < 0 || iy >= h) continue;
                    for (int ox = 0; ox < wo; ox++) {
                        int ix = ox * s - p + kx;
                        if (ix >= 0 && ix < w) x[((size_t)ch * h + iy) * w + ix] += row[oy * wo + ox];
                    }
                }
            }
}

typedef struct { float *x, *w, *y, *dy, *dx, *dw, *col; } Buffers;

static Buffers im2col_buffers(const Layer *l) {
    Buffers b;
    size_t in = (size_t)N * l->ci * l->hi * l->wi, out = (size_t)N * l->co * l->ho * l->wo, weights = (size_t)l->ci * l->co * l->k * l->k;
    /* The column matrix of one image: (C·k·k) × (spatial) of the side that is convolved over. */
    size_t col = l->transposed ? (size_t)l->co * l->k * l->k * l->hi * l->wi : (size_t)l->ci * l->k * l->k * l->ho * l->wo;
    b.x = buffer(in); b.dx = buffer(in); b.y = buffer(out); b.dy = buffer(out); b.w = buffer(weights); b.dw = buffer(weights); b.col = buffer(col);
    return b;
}

/* The sgemm of the im2col ways: OpenBLAS's, or oneDNN's (row-major, as cblas_sgemm with CblasRowMajor). */
static int use_dnnl_sgemm = 0;
static void sgemm(int transa, int transb, int m, int n, int k, float alpha, const float *a, int lda, const float *b, int ldb, float beta, float *c, int ldc) {
    if (use_dnnl_sgemm) {
        CHECK(dnnl_sgemm(transa ? 'T' : 'N', transb ? 'T' : 'N', m, n, k, alpha, a, lda, b, ldb, beta, c, ldc));
    } else {
        cblas_sgemm(CblasRowMajor, transa ? CblasTrans : CblasNoTrans, transb ? CblasTrans : CblasNoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }
}

/* One training step of layer l by im2col + sgemm, image by image. */
static void im2col_step(const Layer *l, Buffers *b) {
    int kk = l->k * l->k;
    size_t in = (size_t)l->ci * l->hi * l->wi, out = (size_t)l->co * l->ho * l->wo;
    if (!l->transposed) {
        int K = l->ci * kk, S = l->ho * l->wo;
        for (int n = 0; n < N; n++) {  /* forward: y = W·col(x) */
            im2col(b->x + n * in, l->ci, l->hi, l->wi, l->k, l->s, l->p, l->ho, l->wo, b->col);
            sgemm(0, 0, l->co, S, K, 1, b->w, K, b->col, S, 0, b->y + n * out, S);
        }
        for (int n = 0; n < N; n++) {  /* weight gradient: dW += dy·col(x)ᵀ; input gradient: dx = col2im(Wᵀ·dy) */
            im2col(b->x + n * in, l->ci, l->hi, l->wi, l->k, l->s, l->p, l->ho, l->wo, b->col);
            sgemm(0, 1, l->co, K, S, 1, b->dy + n * out, S, b->col, S, n ? 1 : 0, b->dw, K);
            if (l->input_gradient) {
                sgemm(1, 0, K, S, l->co, 1, b->w, K, b->dy + n * out, S, 0, b->col, S);
                col2im(b->col, l->ci, l->hi, l->wi, l->k, l->s, l->p, l->ho, l->wo, b->dx + n * in);
            }
        }
    } else {
        /* W is ci × (co·k·k), PyTorch's ConvTranspose2d layout; the convolution runs over the output. */
        int K = l->co * kk, S = l->hi * l->wi;
        for (int n = 0; n < N; n++) {  /* forward: y = col2im(Wᵀ·x) */
            sgemm(1, 0, K, S, l->ci, 1, b->w, K, b->x + n * in, S, 0, b->col, S);
            col2im(b->col, l->co, l->ho, l->wo, l->k, l->s, l->p, l->hi, l->wi, b->y + n * out);
        }
        for (int n = 0; n < N; n++) {  /* input gradient: dx = W·col(dy); weight gradient: dW += x·col(dy)ᵀ */
            im2col(b->dy + n * out, l->co, l->ho, l->wo, l->k, l->s, l->p, l->hi, l->wi, b->col);
            sgemm(0, 0, l->ci, S, K, 1, b->w, K, b->col, S, 0, b->dx + n * in, S);
            sgemm(0, 1, l->ci, K, S, 1, b->x + n * in, S, b->col, S, n ? 1 : 0, b->dw, K);
        }
    }
}

/* ---- oneDNN ---- */

/* A reorder from a plain NCHW/OIHW buffer of `dims` into `to` (or back, `back`), with its plain memory. */
typedef struct { dnnl_primitive_t primitive; dnnl_memory_t plain, blocked; int back; } Reorder;

static Reorder reorder_for(dnnl_memory_t blocked, int ndims, const dnnl_dims_t dims, dnnl_format_tag_t tag, int back, dnnl_engine_t engine) {
    Reorder r;
    dnnl_memory_desc_t plain;
    CHECK(dnnl_memory_desc_init_by_tag(&plain, ndims, dims, dnnl_f32, tag));
    CHECK(dnnl_memory_create(&r.plain, &plain, engine, DNNL_MEMORY_ALLOCATE));
    const dnnl_memory_desc_t *blocked_md;
    CHECK(dnnl_memory_get_memory_desc(blocked, &blocked_md));
    dnnl_primitive_desc_t pd;
    if (back) CHECK(dnnl_reorder_primitive_desc_create(&pd, blocked_md, engine, &plain, engine, NULL));
    else CHECK(dnnl_reorder_primitive_desc_create(&pd, &plain, engine, blocked_md, engine, NULL));
    CHECK(dnnl_primitive_create(&r.primitive, pd));
    r.blocked = blocked;
    r.back = back;
    return r;
}

static void run_reorder(Reorder *r, dnnl_stream_t stream) {
    dnnl_exec_arg_t args[] = {{DNNL_ARG_FROM, r->back ? r->blocked : r->plain}, {DNNL_ARG_TO, r->back ? r->plain : r->blocked}};
    CHECK(dnnl_primitive_execute(r->primitive, stream, 2, args));
}

typedef struct {
    Reorder reorders[12];
    int reorder_count;
    dnnl_primitive_t forward, data, weights;
    /* Each primitive's arguments in the formats it chose (a weight gradient may want another source layout). */
    dnnl_memory_t f_src, f_wei, f_bias, f_dst, w_src, w_diff_dst, w_diff_wei, w_diff_bias, d_diff_dst, d_wei, d_diff_src;
    int input_gradient;
    /* Whether oneDNN fell back to its reference implementation (ref:any), which is slow enough to time once. */
    int reference;
} Primitives;

static dnnl_memory_t memory_for(const dnnl_memory_desc_t *md, dnnl_engine_t engine) {
    dnnl_memory_t memory;
    CHECK(dnnl_memory_create(&memory, md, engine, DNNL_MEMORY_ALLOCATE));
    void *handle;
    CHECK(dnnl_memory_get_data_handle(memory, &handle));
    size_t size = dnnl_memory_desc_get_size(md);
    for (size_t i = 0; i < size / 4; i++) ((float *)handle)[i] = (float)((i * 2654435761u) % 1000) / 1000.0f - 0.5f;
    return memory;
}

static Primitives onednn_layer(const Layer *l, dnnl_engine_t engine, int plain) {
    Primitives q;
    q.input_gradient = l->input_gradient;
    dnnl_dims_t src_dims = {N, l->ci, l->hi, l->wi}, dst_dims = {N, l->co, l->ho, l->wo};
    /* Convolution weights are O×I×kh×kw; deconvolution weights too (O = its output channels). */
    dnnl_dims_t wei_dims = {l->co, l->ci, l->k, l->k}, bias_dims = {l->co};
    dnnl_dims_t strides = {l->s, l->s}, padding = {l->p, l->p};
    dnnl_memory_desc_t src, wei, bias, dst;
    int forced = plain == 1;
    CHECK(dnnl_memory_desc_init_by_tag(&src, 4, src_dims, dnnl_f32, forced ? dnnl_nchw : dnnl_format_tag_any));
    CHECK(dnnl_memory_desc_init_by_tag(&dst, 4, dst_dims, dnnl_f32, forced ? dnnl_nchw : dnnl_format_tag_any));
    CHECK(dnnl_memory_desc_init_by_tag(&wei, 4, wei_dims, dnnl_f32, forced ? dnnl_oihw : dnnl_format_tag_any));
    CHECK(dnnl_memory_desc_init_by_tag(&bias, 1, bias_dims, dnnl_f32, dnnl_x));
    dnnl_primitive_desc_t fpd, dpd = NULL, wpd;
    if (!l->transposed) {
        dnnl_convolution_desc_t fd, dd, wd;
        CHECK(dnnl_convolution_forward_desc_init(&fd, dnnl_forward_training, dnnl_convolution_direct, &src, &wei, &bias, &dst, strides, padding, padding));
        CHECK(dnnl_primitive_desc_create(&fpd, &fd, NULL, engine, NULL));
        if (l->input_gradient) {
            CHECK(dnnl_convolution_backward_data_desc_init(&dd, dnnl_convolution_direct, &src, &wei, &dst, strides, padding, padding));
            CHECK(dnnl_primitive_desc_create(&dpd, &dd, NULL, engine, fpd));
        }
        CHECK(dnnl_convolution_backward_weights_desc_init(&wd, dnnl_convolution_direct, &src, &wei, &bias, &dst, strides, padding, padding));
        CHECK(dnnl_primitive_desc_create(&wpd, &wd, NULL, engine, fpd));
    } else {
        dnnl_deconvolution_desc_t fd, dd, wd;
        CHECK(dnnl_deconvolution_forward_desc_init(&fd, dnnl_forward_training, dnnl_deconvolution_direct, &src, &wei, &bias, &dst, strides, padding, padding));
        CHECK(dnnl_primitive_desc_create(&fpd, &fd, NULL, engine, NULL));
        CHECK(dnnl_deconvolution_backward_data_desc_init(&dd, dnnl_deconvolution_direct, &src, &wei, &dst, strides, padding, padding));
        CHECK(dnnl_primitive_desc_create(&dpd, &dd, NULL, engine, fpd));
        CHECK(dnnl_deconvolution_backward_weights_desc_init(&wd, dnnl_deconvolution_direct, &src, &wei, &bias, &dst, strides, padding, padding));
        CHECK(dnnl_primitive_desc_create(&wpd, &wd, NULL, engine, fpd));
    }
    CHECK(dnnl_primitive_create(&q.forward, fpd));
    CHECK(dnnl_primitive_create(&q.weights, wpd));
    q.data = NULL;
    if (dpd) CHECK(dnnl_primitive_create(&q.data, dpd));
    q.f_src = memory_for(dnnl_primitive_desc_query_md(fpd, dnnl_query_src_md, 0), engine);
    q.f_wei = memory_for(dnnl_primitive_desc_query_md(fpd, dnnl_query_weights_md, 0), engine);
    q.f_bias = memory_for(dnnl_primitive_desc_query_md(fpd, dnnl_query_weights_md, 1), engine);
    q.f_dst = memory_for(dnnl_primitive_desc_query_md(fpd, dnnl_query_dst_md, 0), engine);
    q.w_src = memory_for(dnnl_primitive_desc_query_md(wpd, dnnl_query_src_md, 0), engine);
    q.w_diff_dst = memory_for(dnnl_primitive_desc_query_md(wpd, dnnl_query_diff_dst_md, 0), engine);
    q.w_diff_wei = memory_for(dnnl_primitive_desc_query_md(wpd, dnnl_query_diff_weights_md, 0), engine);
    q.w_diff_bias = memory_for(dnnl_primitive_desc_query_md(wpd, dnnl_query_diff_weights_md, 1), engine);
    if (dpd) {
        q.d_diff_dst = memory_for(dnnl_primitive_desc_query_md(dpd, dnnl_query_diff_dst_md, 0), engine);
        q.d_wei = memory_for(dnnl_primitive_desc_query_md(dpd, dnnl_query_weights_md, 0), engine);
        q.d_diff_src = memory_for(dnnl_primitive_desc_query_md(dpd, dnnl_query_diff_src_md, 0), engine);
    }
    /* What a graph of plain values pays: its inputs reordered in (source, weights, output gradient for both
     * backward primitives) and the results back out (output, weight gradient, input gradient). */
    q.reorder_count = 0;
    dnnl_dims_t wei_plain = {l->transposed ? l->ci : l->co, l->transposed ? l->co : l->ci, l->k, l->k};
    (void)wei_plain;
    if (plain == 2) {
        q.reorders[q.reorder_count++] = reorder_for(q.f_src, 4, src_dims, dnnl_nchw, 0, engine);
        q.reorders[q.reorder_count++] = reorder_for(q.f_wei, 4, wei_dims, dnnl_oihw, 0, engine);
        q.reorders[q.reorder_count++] = reorder_for(q.f_dst, 4, dst_dims, dnnl_nchw, 1, engine);
        q.reorders[q.reorder_count++] = reorder_for(q.w_src, 4, src_dims, dnnl_nchw, 0, engine);
        q.reorders[q.reorder_count++] = reorder_for(q.w_diff_dst, 4, dst_dims, dnnl_nchw, 0, engine);
        q.reorders[q.reorder_count++] = reorder_for(q.w_diff_wei, 4, wei_dims, dnnl_oihw, 1, engine);
        if (dpd) {
            q.reorders[q.reorder_count++] = reorder_for(q.d_diff_dst, 4, dst_dims, dnnl_nchw, 0, engine);
            q.reorders[q.reorder_count++] = reorder_for(q.d_wei, 4, wei_dims, dnnl_oihw, 0, engine);
            q.reorders[q.reorder_count++] = reorder_for(q.d_diff_src, 4, src_dims, dnnl_nchw, 1, engine);
        }
    }
    const char *impl;
    CHECK(dnnl_primitive_desc_query(fpd, dnnl_query_impl_info_str, 0, &impl));
    q.reference = strncmp(impl, "ref", 3) == 0;
    fprintf(stderr, "  %-24s %s: forward %s", l->name, plain == 1 ? "nchw" : plain == 2 ? "plain" : "any ", impl);
    CHECK(dnnl_primitive_desc_query(wpd, dnnl_query_impl_info_str, 0, &impl));
    fprintf(stderr, ", weights %s", impl);
    if (dpd) { CHECK(dnnl_primitive_desc_query(dpd, dnnl_query_impl_info_str, 0, &impl)); fprintf(stderr, ", data %s", impl); }
    fprintf(stderr, "\n");
    return q;
}

static void onednn_step(Primitives *q, dnnl_stream_t stream) {
    /* In the order a step needs them: inputs in before each primitive, results out after (counted all together). */
    for (int i = 0; i < q->reorder_count; i++) run_reorder(&q->reorders[i], stream);
    dnnl_exec_arg_t f[] = {{DNNL_ARG_SRC, q->f_src}, {DNNL_ARG_WEIGHTS, q->f_wei}, {DNNL_ARG_BIAS, q->f_bias}, {DNNL_ARG_DST, q->f_dst}};
    CHECK(dnnl_primitive_execute(q->forward, stream, 4, f));
    dnnl_exec_arg_t w[] = {{DNNL_ARG_SRC, q->w_src}, {DNNL_ARG_DIFF_DST, q->w_diff_dst}, {DNNL_ARG_DIFF_WEIGHTS, q->w_diff_wei}, {DNNL_ARG_DIFF_BIAS, q->w_diff_bias}};
    CHECK(dnnl_primitive_execute(q->weights, stream, 4, w));
    if (q->data) {
        dnnl_exec_arg_t d[] = {{DNNL_ARG_DIFF_DST, q->d_diff_dst}, {DNNL_ARG_WEIGHTS, q->d_wei}, {DNNL_ARG_DIFF_SRC, q->d_diff_src}};
        CHECK(dnnl_primitive_execute(q->data, stream, 3, d));
    }
    CHECK(dnnl_stream_wait(stream));
}

int main(int argc, char **argv) {
    int repeats = argc > 1 ? atoi(argv[1]) : 30;
    dnnl_engine_t engine;
    dnnl_stream_t stream;
    CHECK(dnnl_engine_create(&engine, dnnl_cpu, 0));
    CHECK(dnnl_stream_create(&stream, engine, dnnl_stream_default_flags));
    double total_flops = 0;
    for (int i = 0; i < LAYERS; i++) total_flops += step_flops(&layers[i]);
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("conv-64's convolutions, batch %d: %.1f MFLOP per image per step (of the model's 82.4)\n", N, total_flops / N / 1e6);
    const char *ways[] = {"onednn-any", "onednn-nchw", "onednn-plain", "im2col", "im2col-dnnl"};
    for (int way = 0; way < 5; way++) {
        use_dnnl_sgemm = way == 4;
        double best[LAYERS], mean[LAYERS];
        Primitives q[LAYERS];
        Buffers b[LAYERS];
        for (int i = 0; i < LAYERS; i++) {
            if (way < 3) q[i] = onednn_layer(&layers[i], engine, way); else b[i] = im2col_buffers(&layers[i]);
            best[i] = 1e9; mean[i] = 0;
        }
        for (int r = 0; r < repeats + 2; r++) {
            for (int i = 0; i < LAYERS; i++) {
                if (way < 3 && q[i].reference && r > 2) { mean[i] += best[i] / repeats; continue; }
                double t = now();
                if (way < 3) onednn_step(&q[i], stream); else im2col_step(&layers[i], &b[i]);
                t = now() - t;
                if (r < 2 && !(way < 3 && q[i].reference)) continue;  /* warm-up (a reference implementation is timed once) */
                if (t < best[i]) best[i] = t;
                mean[i] += t / repeats;
            }
        }
        double step_best = 0, step_mean = 0;
        printf("\n%s\n", ways[way]);
        for (int i = 0; i < LAYERS; i++) {
            printf("  %-24s best %7.3f ms  mean %7.3f ms  %6.1f GFLOP/s (best)%s\n", layers[i].name, best[i] * 1e3, mean[i] * 1e3, step_flops(&layers[i]) / best[i] / 1e9,
                   way < 3 && q[i].reference ? "  oneDNN's reference implementation, timed once" : "");
            step_best += best[i]; step_mean += mean[i];
        }
        printf("  all convolutions          best %7.3f ms  mean %7.3f ms  %6.1f GFLOP/s (best); %.0f images/s for the convolutions alone\n",
               step_best * 1e3, step_mean * 1e3, total_flops / step_best / 1e9, N / step_best);
    }
    return 0;
}
