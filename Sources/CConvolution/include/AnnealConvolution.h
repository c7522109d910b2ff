#ifndef ANNEAL_CONVOLUTION_H
#define ANNEAL_CONVOLUTION_H

/* Float convolutions and transposed convolutions of NCHW batches through oneDNN's primitives (Debian's libdnnl,
 * the library PyTorch uses for CPU convolutions). Activations stay NCHW and weights in PyTorch's layouts (OIHW for a
 * convolution, IOHW for a transposed one); each primitive runs in the memory formats oneDNN chooses, with reorders
 * in and out. Primitives, their formats' buffers and the reorders are made once per shape and batch size and kept. */

/* The shape of one layer: see Tensors.ConvolutionGeometry. */
typedef struct {
    int transposed;
    int batch;
    int input_channels, input_height, input_width;
    int output_channels, output_height, output_width;
    int kernel_height, kernel_width, stride_height, stride_width;
    int padding_top, padding_bottom, padding_left, padding_right;
} AnnealConvolutionShape;

/* 1 when oneDNN can run this shape with an optimised implementation (not its slow reference one); 0 otherwise,
 * and the caller uses its own (im2col) path. */
int anneal_convolution_available(const AnnealConvolutionShape *shape);

/* y = conv(x, W) + b (b may be NULL). Returns 0, or a oneDNN status. */
int anneal_convolution_forward(const AnnealConvolutionShape *shape, const float *x, const float *weight, const float *bias, float *y);

/* dx (+)= the input gradient of dy. */
int anneal_convolution_backward_data(const AnnealConvolutionShape *shape, const float *dy, const float *weight, float *dx, int accumulate);

/* dW (+)= and db (+)= (either may be NULL) the weight and bias gradients of x and dy. */
int anneal_convolution_backward_weights(const AnnealConvolutionShape *shape, const float *x, const float *dy,
                                        float *weight_gradient, int accumulate_weight, float *bias_gradient, int accumulate_bias);

/* The threads oneDNN's OpenMP runtime uses (as many as BLAS). */
void anneal_convolution_set_threads(int threads);

#endif
