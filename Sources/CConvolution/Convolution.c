/* oneDNN comes from Debian's libdnnl-dev: Linux only (Tensors depends on this target there alone; on macOS the
 * target compiles to nothing, since `swift build` builds every target of the package). */
#ifdef __linux__
#define _GNU_SOURCE
#include "AnnealConvolution.h"

#include <dlfcn.h>
#include <dnnl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>


/* An argument of one primitive: the user's plain buffer, and when the primitive wants another format, its own
 * buffer and the reorder between the two (into it for inputs, out of it for outputs). */
typedef struct {
    dnnl_memory_t user, own, scratchpad;
    dnnl_primitive_t reorder;
    int output;
} Argument;

typedef struct Entry {
    AnnealConvolutionShape shape;
    int available;
    pthread_mutex_t lock; /* one caller at a time uses the entry's buffers */
    dnnl_stream_t stream;
    dnnl_primitive_t forward, data, weights;
    /* Every primitive's scratchpad is the caller's (dnnl_scratchpad_mode_user): one buffer of the largest, made
     * once, instead of oneDNN allocating one at every execution. */
    dnnl_memory_t forward_scratchpad, data_scratchpad, weights_scratchpad;
    void *scratchpad;
    size_t scratchpad_size;
    Argument f_src, f_wei, f_bias, f_dst;
    Argument d_diff_dst, d_wei, d_diff_src;
    Argument w_src, w_diff_dst, w_diff_wei, w_diff_bias;
    float *zero_bias;
    float *scratch;       /* for an accumulated dx or dW: the larger of the two */
    float *bias_scratch;  /* for an accumulated or unwanted db */
    struct Entry *next;
} Entry;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static dnnl_engine_t engine;
static dnnl_primitive_attr_t attributes; /* user scratchpads */
static Entry *entries;

static int same(const AnnealConvolutionShape *a, const AnnealConvolutionShape *b) { return memcmp(a, b, sizeof *a) == 0; }

/* A memory for the scratchpad `pd` wants (its buffer bound once every size is known), and the entry's largest. */
static dnnl_status_t scratchpad(Entry *e, dnnl_memory_t *memory, const_dnnl_primitive_desc_t pd) {
    const dnnl_memory_desc_t *md = dnnl_primitive_desc_query_md(pd, dnnl_query_scratchpad_md, 0);
    size_t size = md ? dnnl_memory_desc_get_size(md) : 0;
    if (size > e->scratchpad_size) e->scratchpad_size = size;
    return dnnl_memory_create(memory, md, engine, DNNL_MEMORY_NONE);
}

static dnnl_status_t argument(Entry *e, Argument *a, const dnnl_memory_desc_t *wanted, const dnnl_memory_desc_t *plain, int output) {
    dnnl_status_t status;
    memset(a, 0, sizeof *a);
    a->output = output;
    if ((status = dnnl_memory_create(&a->user, plain, engine, DNNL_MEMORY_NONE)) != dnnl_success) return status;
    if (dnnl_memory_desc_equal(wanted, plain)) return dnnl_success;
    if ((status = dnnl_memory_create(&a->own, wanted, engine, DNNL_MEMORY_ALLOCATE)) != dnnl_success) return status;
    dnnl_primitive_desc_t pd;
    status = output ? dnnl_reorder_primitive_desc_create(&pd, wanted, engine, plain, engine, attributes)
                    : dnnl_reorder_primitive_desc_create(&pd, plain, engine, wanted, engine, attributes);
    if (status != dnnl_success) return status;
    status = dnnl_primitive_create(&a->reorder, pd);
    if (status == dnnl_success) status = scratchpad(e, &a->scratchpad, pd);
    dnnl_primitive_desc_destroy(pd);
    return status;
}

/* The memory the primitive reads or writes; an input is reordered into it first. */
static dnnl_status_t bind(Entry *e, Argument *a, const void *data) {
    dnnl_status_t status = dnnl_memory_set_data_handle(a->user, (void *)data);
    if (status != dnnl_success || !a->reorder || a->output) return status;
    dnnl_exec_arg_t args[] = {{DNNL_ARG_FROM, a->user}, {DNNL_ARG_TO, a->own}, {DNNL_ARG_SCRATCHPAD, a->scratchpad}};
    return dnnl_primitive_execute(a->reorder, e->stream, 3, args);
}

static dnnl_memory_t memory(const Argument *a) { return a->own ? a->own : a->user; }

/* An output written by the primitive in its own format goes back to the user's buffer. */
static dnnl_status_t finish(Entry *e, Argument *a) {
    if (!a->reorder || !a->output) return dnnl_success;
    dnnl_exec_arg_t args[] = {{DNNL_ARG_FROM, a->own}, {DNNL_ARG_TO, a->user}, {DNNL_ARG_SCRATCHPAD, a->scratchpad}};
    return dnnl_primitive_execute(a->reorder, e->stream, 3, args);
}

static int is_reference(dnnl_primitive_desc_t pd) {
    const char *implementation = NULL;
    if (dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, &implementation) != dnnl_success || !implementation) return 1;
    return strncmp(implementation, "ref", 3) == 0;
}

#define TRY(call) do { if ((call) != dnnl_success) goto failed; } while (0)

static Entry *make(const AnnealConvolutionShape *s) {
    Entry *e = calloc(1, sizeof *e);
    if (!e) return NULL;
    e->shape = *s;
    pthread_mutex_init(&e->lock, NULL);
    if (dnnl_stream_create(&e->stream, engine, dnnl_stream_default_flags) != dnnl_success) {
        free(e);
        return NULL;
    }
    dnnl_dims_t src_dims = {s->batch, s->input_channels, s->input_height, s->input_width};
    dnnl_dims_t dst_dims = {s->batch, s->output_channels, s->output_height, s->output_width};
    /* oneDNN's weights are {OC, IC, KH, KW} for both; PyTorch holds a transposed convolution's as in × out. */
    dnnl_dims_t wei_dims = {s->output_channels, s->input_channels, s->kernel_height, s->kernel_width};
    dnnl_dims_t bias_dims = {s->output_channels};
    dnnl_dims_t strides = {s->stride_height, s->stride_width};
    dnnl_dims_t padding_l = {s->padding_top, s->padding_left}, padding_r = {s->padding_bottom, s->padding_right};
    dnnl_memory_desc_t src, wei, bias, dst, plain_src, plain_wei, plain_dst;
    dnnl_primitive_desc_t fpd = NULL, dpd = NULL, wpd = NULL;
    TRY(dnnl_memory_desc_init_by_tag(&src, 4, src_dims, dnnl_f32, dnnl_format_tag_any));
    TRY(dnnl_memory_desc_init_by_tag(&dst, 4, dst_dims, dnnl_f32, dnnl_format_tag_any));
    TRY(dnnl_memory_desc_init_by_tag(&wei, 4, wei_dims, dnnl_f32, dnnl_format_tag_any));
    TRY(dnnl_memory_desc_init_by_tag(&bias, 1, bias_dims, dnnl_f32, dnnl_x));
    TRY(dnnl_memory_desc_init_by_tag(&plain_src, 4, src_dims, dnnl_f32, dnnl_nchw));
    TRY(dnnl_memory_desc_init_by_tag(&plain_dst, 4, dst_dims, dnnl_f32, dnnl_nchw));
    TRY(dnnl_memory_desc_init_by_tag(&plain_wei, 4, wei_dims, dnnl_f32, s->transposed ? dnnl_iohw : dnnl_oihw));
    if (!s->transposed) {
        dnnl_convolution_desc_t fd, dd, wd;
        TRY(dnnl_convolution_forward_desc_init(&fd, dnnl_forward_training, dnnl_convolution_direct, &src, &wei, &bias, &dst, strides, padding_l, padding_r));
        TRY(dnnl_primitive_desc_create(&fpd, &fd, attributes, engine, NULL));
        TRY(dnnl_convolution_backward_data_desc_init(&dd, dnnl_convolution_direct, &src, &wei, &dst, strides, padding_l, padding_r));
        TRY(dnnl_primitive_desc_create(&dpd, &dd, attributes, engine, fpd));
        TRY(dnnl_convolution_backward_weights_desc_init(&wd, dnnl_convolution_direct, &src, &wei, &bias, &dst, strides, padding_l, padding_r));
        TRY(dnnl_primitive_desc_create(&wpd, &wd, attributes, engine, fpd));
    } else {
        dnnl_deconvolution_desc_t fd, dd, wd;
        TRY(dnnl_deconvolution_forward_desc_init(&fd, dnnl_forward_training, dnnl_deconvolution_direct, &src, &wei, &bias, &dst, strides, padding_l, padding_r));
        TRY(dnnl_primitive_desc_create(&fpd, &fd, attributes, engine, NULL));
        TRY(dnnl_deconvolution_backward_data_desc_init(&dd, dnnl_deconvolution_direct, &src, &wei, &dst, strides, padding_l, padding_r));
        TRY(dnnl_primitive_desc_create(&dpd, &dd, attributes, engine, fpd));
        TRY(dnnl_deconvolution_backward_weights_desc_init(&wd, dnnl_deconvolution_direct, &src, &wei, &bias, &dst, strides, padding_l, padding_r));
        TRY(dnnl_primitive_desc_create(&wpd, &wd, attributes, engine, fpd));
    }
    e->available = !is_reference(fpd) && !is_reference(dpd) && !is_reference(wpd);
    if (!e->available) goto done;
    TRY(dnnl_primitive_create(&e->forward, fpd));
    TRY(dnnl_primitive_create(&e->data, dpd));
    TRY(dnnl_primitive_create(&e->weights, wpd));
    TRY(scratchpad(e, &e->forward_scratchpad, fpd));
    TRY(scratchpad(e, &e->data_scratchpad, dpd));
    TRY(scratchpad(e, &e->weights_scratchpad, wpd));
    TRY(argument(e, &e->f_src, dnnl_primitive_desc_query_md(fpd, dnnl_query_src_md, 0), &plain_src, 0));
    TRY(argument(e, &e->f_wei, dnnl_primitive_desc_query_md(fpd, dnnl_query_weights_md, 0), &plain_wei, 0));
    TRY(argument(e, &e->f_bias, dnnl_primitive_desc_query_md(fpd, dnnl_query_weights_md, 1), &bias, 0));
    TRY(argument(e, &e->f_dst, dnnl_primitive_desc_query_md(fpd, dnnl_query_dst_md, 0), &plain_dst, 1));
    TRY(argument(e, &e->d_diff_dst, dnnl_primitive_desc_query_md(dpd, dnnl_query_diff_dst_md, 0), &plain_dst, 0));
    TRY(argument(e, &e->d_wei, dnnl_primitive_desc_query_md(dpd, dnnl_query_weights_md, 0), &plain_wei, 0));
    TRY(argument(e, &e->d_diff_src, dnnl_primitive_desc_query_md(dpd, dnnl_query_diff_src_md, 0), &plain_src, 1));
    TRY(argument(e, &e->w_src, dnnl_primitive_desc_query_md(wpd, dnnl_query_src_md, 0), &plain_src, 0));
    TRY(argument(e, &e->w_diff_dst, dnnl_primitive_desc_query_md(wpd, dnnl_query_diff_dst_md, 0), &plain_dst, 0));
    TRY(argument(e, &e->w_diff_wei, dnnl_primitive_desc_query_md(wpd, dnnl_query_diff_weights_md, 0), &plain_wei, 1));
    TRY(argument(e, &e->w_diff_bias, dnnl_primitive_desc_query_md(wpd, dnnl_query_diff_weights_md, 1), &bias, 1));
    size_t inputs = (size_t)s->batch * s->input_channels * s->input_height * s->input_width;
    size_t weights = (size_t)s->output_channels * s->input_channels * s->kernel_height * s->kernel_width;
    size_t largest = inputs > weights ? inputs : weights;
    if (largest < (size_t)s->output_channels) largest = (size_t)s->output_channels;
    e->scratch = malloc(largest * sizeof(float));
    e->zero_bias = calloc((size_t)s->output_channels, sizeof(float));
    e->bias_scratch = calloc((size_t)s->output_channels, sizeof(float));
    if (!e->scratch || !e->zero_bias || !e->bias_scratch) goto failed;
    e->scratchpad = malloc(e->scratchpad_size ? e->scratchpad_size : 1);
    if (!e->scratchpad) goto failed;
    Argument *arguments[] = {&e->f_src, &e->f_wei, &e->f_bias, &e->f_dst, &e->d_diff_dst, &e->d_wei, &e->d_diff_src,
                             &e->w_src, &e->w_diff_dst, &e->w_diff_wei, &e->w_diff_bias};
    for (size_t i = 0; i < sizeof arguments / sizeof *arguments; i++)
        if (arguments[i]->scratchpad) TRY(dnnl_memory_set_data_handle(arguments[i]->scratchpad, e->scratchpad));
    TRY(dnnl_memory_set_data_handle(e->forward_scratchpad, e->scratchpad));
    TRY(dnnl_memory_set_data_handle(e->data_scratchpad, e->scratchpad));
    TRY(dnnl_memory_set_data_handle(e->weights_scratchpad, e->scratchpad));
done:
    if (fpd) dnnl_primitive_desc_destroy(fpd);
    if (dpd) dnnl_primitive_desc_destroy(dpd);
    if (wpd) dnnl_primitive_desc_destroy(wpd);
    return e;
failed:
    /* A shape oneDNN cannot take is left to the caller's own path. */
    e->available = 0;
    goto done;
}

/* The entry of `shape`, made on first use; the engine with the first. */
static Entry *entry(const AnnealConvolutionShape *shape) {
    pthread_mutex_lock(&lock);
    if (!engine) {
        if (dnnl_engine_create(&engine, dnnl_cpu, 0) != dnnl_success || dnnl_primitive_attr_create(&attributes) != dnnl_success
            || dnnl_primitive_attr_set_scratchpad_mode(attributes, dnnl_scratchpad_mode_user) != dnnl_success) {
            engine = NULL;
            pthread_mutex_unlock(&lock);
            return NULL;
        }
    }
    Entry *e = entries;
    while (e && !same(&e->shape, shape)) e = e->next;
    if (!e && (e = make(shape))) {
        e->next = entries;
        entries = e;
    }
    pthread_mutex_unlock(&lock);
    return e;
}

int anneal_convolution_available(const AnnealConvolutionShape *shape) {
    Entry *e = entry(shape);
    return e && e->available;
}

static void add(float *to, const float *from, size_t count) {
    for (size_t i = 0; i < count; i++) to[i] += from[i];
}

static int forward(Entry *e, const float *x, const float *weight, const float *bias, float *y) {
    dnnl_status_t status;
    if ((status = bind(e, &e->f_src, x)) || (status = bind(e, &e->f_wei, weight)) || (status = bind(e, &e->f_bias, bias ? bias : e->zero_bias))
        || (status = bind(e, &e->f_dst, y))) return status;
    dnnl_exec_arg_t args[] = {{DNNL_ARG_SRC, memory(&e->f_src)}, {DNNL_ARG_WEIGHTS, memory(&e->f_wei)}, {DNNL_ARG_BIAS, memory(&e->f_bias)},
                              {DNNL_ARG_DST, memory(&e->f_dst)}, {DNNL_ARG_SCRATCHPAD, e->forward_scratchpad}};
    if ((status = dnnl_primitive_execute(e->forward, e->stream, 5, args)) || (status = finish(e, &e->f_dst))) return status;
    return dnnl_stream_wait(e->stream);
}

int anneal_convolution_forward(const AnnealConvolutionShape *shape, const float *x, const float *weight, const float *bias, float *y) {
    Entry *e = entry(shape);
    if (!e || !e->available) return -1;
    pthread_mutex_lock(&e->lock);
    int status = forward(e, x, weight, bias, y);
    pthread_mutex_unlock(&e->lock);
    return status;
}

static int backward_data(Entry *e, const float *dy, const float *weight, float *dx, int accumulate) {
    const AnnealConvolutionShape *shape = &e->shape;
    dnnl_status_t status;
    float *target = accumulate ? e->scratch : dx;
    if ((status = bind(e, &e->d_diff_dst, dy)) || (status = bind(e, &e->d_wei, weight)) || (status = bind(e, &e->d_diff_src, target))) return status;
    dnnl_exec_arg_t args[] = {{DNNL_ARG_DIFF_DST, memory(&e->d_diff_dst)}, {DNNL_ARG_WEIGHTS, memory(&e->d_wei)},
                              {DNNL_ARG_DIFF_SRC, memory(&e->d_diff_src)}, {DNNL_ARG_SCRATCHPAD, e->data_scratchpad}};
    if ((status = dnnl_primitive_execute(e->data, e->stream, 4, args)) || (status = finish(e, &e->d_diff_src))
        || (status = dnnl_stream_wait(e->stream))) return status;
    if (accumulate) add(dx, target, (size_t)shape->batch * shape->input_channels * shape->input_height * shape->input_width);
    return 0;
}

int anneal_convolution_backward_data(const AnnealConvolutionShape *shape, const float *dy, const float *weight, float *dx, int accumulate) {
    Entry *e = entry(shape);
    if (!e || !e->available) return -1;
    pthread_mutex_lock(&e->lock);
    int status = backward_data(e, dy, weight, dx, accumulate);
    pthread_mutex_unlock(&e->lock);
    return status;
}

static int backward_weights(Entry *e, const float *x, const float *dy, float *weight_gradient, int accumulate_weight, float *bias_gradient,
                            int accumulate_bias) {
    const AnnealConvolutionShape *shape = &e->shape;
    size_t weights = (size_t)shape->output_channels * shape->input_channels * shape->kernel_height * shape->kernel_width;
    size_t channels = (size_t)shape->output_channels;
    /* The primitive writes both; an accumulated or unwanted one goes to scratch. */
    float *wei_target = weight_gradient && !accumulate_weight ? weight_gradient : e->scratch;
    float *bias_target = bias_gradient && !accumulate_bias ? bias_gradient : e->bias_scratch;
    dnnl_status_t status;
    if ((status = bind(e, &e->w_src, x)) || (status = bind(e, &e->w_diff_dst, dy)) || (status = bind(e, &e->w_diff_wei, wei_target))
        || (status = bind(e, &e->w_diff_bias, bias_target))) return status;
    dnnl_exec_arg_t args[] = {{DNNL_ARG_SRC, memory(&e->w_src)}, {DNNL_ARG_DIFF_DST, memory(&e->w_diff_dst)},
                              {DNNL_ARG_DIFF_WEIGHTS, memory(&e->w_diff_wei)}, {DNNL_ARG_DIFF_BIAS, memory(&e->w_diff_bias)},
                              {DNNL_ARG_SCRATCHPAD, e->weights_scratchpad}};
    if ((status = dnnl_primitive_execute(e->weights, e->stream, 5, args)) || (status = finish(e, &e->w_diff_wei))
        || (status = finish(e, &e->w_diff_bias)) || (status = dnnl_stream_wait(e->stream))) return status;
    if (weight_gradient && accumulate_weight) add(weight_gradient, e->scratch, weights);
    if (bias_gradient && accumulate_bias) add(bias_gradient, e->bias_scratch, channels);
    return 0;
}

int anneal_convolution_backward_weights(const AnnealConvolutionShape *shape, const float *x, const float *dy,
                                        float *weight_gradient, int accumulate_weight, float *bias_gradient, int accumulate_bias) {
    Entry *e = entry(shape);
    if (!e || !e->available) return -1;
    pthread_mutex_lock(&e->lock);
    int status = backward_weights(e, x, dy, weight_gradient, accumulate_weight, bias_gradient, accumulate_bias);
    pthread_mutex_unlock(&e->lock);
    return status;
}

/* Debian builds libdnnl with OpenMP (libgomp), whose thread count oneDNN reads at each execution. The function is
 * found in the process (libdnnl loaded libgomp) rather than linked, so the build needs no libgomp.so. */
void anneal_convolution_set_threads(int threads) {
    void (*set_threads)(int) = (void (*)(int))dlsym(RTLD_DEFAULT, "omp_set_num_threads");
    if (set_threads) set_threads(threads > 0 ? threads : 1);
}

#endif
