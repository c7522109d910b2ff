// The kernels' bodies, included once per instruction set by Kernels.c with SUFFIX naming each version and a
// target attribute applied to every function (helpers included, so vectors never cross an ABI boundary).
// No include guard: it is meant to be included several times.

static inline __attribute__((always_inline)) vf16 SUFFIX(splat)(float x) { return (vf16)(x); }
static inline __attribute__((always_inline)) vf16 SUFFIX(bits_to_float)(vi16 x) { return (vf16)x; }
static inline __attribute__((always_inline)) vi16 SUFFIX(float_to_bits)(vf16 x) { return (vi16)x; }
/// mask ? a : b, lane by lane (mask lanes are all ones or all zeros).
static inline __attribute__((always_inline)) vf16 SUFFIX(select)(vi16 mask, vf16 a, vf16 b) { return SUFFIX(bits_to_float)((SUFFIX(float_to_bits)(a) & mask) | (SUFFIX(float_to_bits)(b) & ~mask)); }
static inline __attribute__((always_inline)) vf16 SUFFIX(vabs)(vf16 x) { return SUFFIX(bits_to_float)(SUFFIX(float_to_bits)(x) & 0x7FFFFFFF); }


/// eˣ (Cephes, as VectorMath.exp): +∞ above 88.72, 0 below −103.97. Swift's clamp keeps the bound for NaN.
static inline __attribute__((always_inline)) vf16 SUFFIX(vexp)(vf16 input) {
    vf16 x0 = __builtin_elementwise_min(__builtin_elementwise_max(input, SUFFIX(splat)(F(0xc2cff0a4))), SUFFIX(splat)(F(0x42b17213)));
    vf16 shifted = x0 * F(0x3fb8aa3b) + F(0x4b400000);
    vf16 n = shifted - F(0x4b400000);
    vf16 x = x0 - n * F(0x3f318000);
    x = x + n * F(0x395e8083);
    vf16 z = x * x;
    vf16 y = SUFFIX(splat)(F(0x39506967));
    y = y * x + F(0x3ab743ce);
    y = y * x + F(0x3c088908);
    y = y * x + F(0x3d2aa9c1);
    y = y * x + F(0x3e2aaaaa);
    y = y * x + F(0x3f000000);
    y = y * z + x + 1.0f;
    vi16 integer = SUFFIX(float_to_bits)(shifted) - 0x4B400000;
    vi16 half = integer >> 1;
    vf16 scale1 = SUFFIX(bits_to_float)((half + 127) << 23);
    vf16 scale2 = SUFFIX(bits_to_float)((integer - half + 127) << 23);
    vf16 result = y * scale1 * scale2;
    return SUFFIX(select)(input < F(0xc2cff0a4), SUFFIX(splat)(0.0f), result);
}

/// Natural log for x > 0 (Cephes, as VectorMath.log).
static inline __attribute__((always_inline)) vf16 SUFFIX(vlog)(vf16 x) {
    vi16 bits = SUFFIX(float_to_bits)(x);
    vf16 exponent = __builtin_convertvector((bits >> 23) & 0xFF, vf16) - 126.0f;
    vf16 m = SUFFIX(bits_to_float)((bits & 0x007FFFFF) | 0x3F000000);
    vi16 small = m < F(0x3f3504f3);
    exponent = SUFFIX(select)(small, exponent - 1.0f, exponent);
    m = SUFFIX(select)(small, m + m - 1.0f, m - 1.0f);
    vf16 z = m * m;
    vf16 y = SUFFIX(splat)(F(0x3d9021bb));
    y = y * m - F(0x3debd1b8);
    y = y * m + F(0x3def251a);
    y = y * m - F(0x3dfe5d4f);
    y = y * m + F(0x3e11e9bf);
    y = y * m - F(0x3e2aae50);
    y = y * m + F(0x3e4cceac);
    y = y * m - F(0x3e7ffffc);
    y = y * m + F(0x3eaaaaaa);
    y = y * m * z;
    y = y + exponent * F(0xb95e8083);
    y = y - 0.5f * z;
    return m + y + exponent * F(0x3f318000);
}

/// log(1 + u) = log(w) − ((w − 1) − u)/w with w = 1 + u (as VectorMath.log1p).
static inline __attribute__((always_inline)) vf16 SUFFIX(vlog1p)(vf16 u) {
    vf16 w = 1.0f + u;
    return SUFFIX(vlog)(w) - ((w - 1.0f) - u) / w;
}

static void SUFFIX(anneal_adam)(float *value, const float *gradient, float *firstMoment, float *secondMoment, size_t count,
                 const AnnealAdamParameters *parameters) {
    const AnnealAdamParameters q = *parameters;
    size_t i = 0;
    for (; i + 16 <= count; i += 16) {
        vf16 p = LOAD(value + i);
        vf16 g = gradient ? LOAD(gradient + i) * q.gradientScale : SUFFIX(splat)(0.0f);
        if (q.weightDecayMode == 2) p = p * q.shrink;
        else if (q.weightDecayMode == 1) g = g + q.decay * p;
        vf16 m = LOAD(firstMoment + i);
        m = m + q.oneMinusBeta1 * (g - m);
        vf16 v = q.beta2 * LOAD(secondMoment + i) + q.oneMinusBeta2 * g * g;
        p = p - q.stepSize * m / (__builtin_elementwise_sqrt(v) * q.inverseCorrection2 + q.epsilon);
        STORE(firstMoment + i, m);
        STORE(secondMoment + i, v);
        STORE(value + i, p);
    }
    for (; i < count; i++) {
        float p = value[i];
        float g = gradient ? gradient[i] * q.gradientScale : 0.0f;
        if (q.weightDecayMode == 2) p = p * q.shrink;
        else if (q.weightDecayMode == 1) g = g + q.decay * p;
        float m = firstMoment[i];
        m = m + q.oneMinusBeta1 * (g - m);
        float v = q.beta2 * secondMoment[i] + q.oneMinusBeta2 * g * g;
        p = p - q.stepSize * m / (__builtin_sqrtf(v) * q.inverseCorrection2 + q.epsilon);
        firstMoment[i] = m;
        secondMoment[i] = v;
        value[i] = p;
    }
}

static double SUFFIX(anneal_sum_of_squares)(const float *x, size_t count) {
    vd16 sums = (vd16)(0.0);
    size_t i = 0;
    for (; i + 16 <= count; i += 16) {
        vd16 v = __builtin_convertvector(LOAD(x + i), vd16);
        sums = sums + v * v;
    }
    for (size_t lane = 0; i < count; i++, lane++) {
        double v = x[i];
        sums[lane] = sums[lane] + v * v;
    }
    double a[16];
    for (int lane = 0; lane < 16; lane++) a[lane] = sums[lane];
    for (int width = 8; width >= 1; width /= 2) {
        for (int lane = 0; lane < width; lane++) a[lane] = a[lane] + a[lane + width];
    }
    return a[0];
}

static void SUFFIX(anneal_scale)(float *x, float factor, size_t count) {
    size_t i = 0;
    for (; i + 16 <= count; i += 16) STORE(x + i, LOAD(x + i) * factor);
    for (; i < count; i++) x[i] = x[i] * factor;
}

static void SUFFIX(anneal_relu)(const float *x, float *y, size_t count) {
    size_t i = 0;
    for (; i + 16 <= count; i += 16) {
        vf16 v = LOAD(x + i);
        STORE(y + i, SUFFIX(select)(v < 0.0f, SUFFIX(splat)(0.0f), v));
    }
    // The tail as the Swift kernel wrote it (it differs from the vector rule only for NaN and −0).
    for (; i < count; i++) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
}

static void SUFFIX(anneal_broadcast_row)(const float *row, float *y, size_t rows, size_t columns) {
    for (size_t r = 0; r < rows; r++) {
        float *out = y + r * columns;
        size_t j = 0;
        for (; j + 16 <= columns; j += 16) STORE(out + j, LOAD(row + j));
        for (; j < columns; j++) out[j] = row[j];
    }
}

/// Column sums of `x` into `out` (added row after row, starting from `out` or 0), with dz = mask(x) written on
/// the way when `activation` is given: columns in blocks of 64 whose sums stay in registers down all the rows,
/// so no sum is stored and reloaded per row (a chain of dependent loads and stores otherwise).
static inline __attribute__((always_inline)) void SUFFIX(column_block_sums)(const float *activation, const float *x, float *dz, size_t rows,
                                                                           size_t columns, float *out, int accumulate) {
    size_t j = 0;
    for (; j + 64 <= columns; j += 64) {
        vf16 s0 = accumulate ? LOAD(out + j) : SUFFIX(splat)(0.0f), s1 = accumulate ? LOAD(out + j + 16) : SUFFIX(splat)(0.0f);
        vf16 s2 = accumulate ? LOAD(out + j + 32) : SUFFIX(splat)(0.0f), s3 = accumulate ? LOAD(out + j + 48) : SUFFIX(splat)(0.0f);
        for (size_t r = 0; r < rows; r++) {
            const float *g = x + r * columns + j;
            vf16 v0 = LOAD(g), v1 = LOAD(g + 16), v2 = LOAD(g + 32), v3 = LOAD(g + 48);
            if (activation) {
                const float *a = activation + r * columns + j;
                float *d = dz + r * columns + j;
                v0 = SUFFIX(select)(LOAD(a) > 0.0f, v0, SUFFIX(splat)(0.0f));
                v1 = SUFFIX(select)(LOAD(a + 16) > 0.0f, v1, SUFFIX(splat)(0.0f));
                v2 = SUFFIX(select)(LOAD(a + 32) > 0.0f, v2, SUFFIX(splat)(0.0f));
                v3 = SUFFIX(select)(LOAD(a + 48) > 0.0f, v3, SUFFIX(splat)(0.0f));
                STORE(d, v0); STORE(d + 16, v1); STORE(d + 32, v2); STORE(d + 48, v3);
            }
            s0 = s0 + v0; s1 = s1 + v1; s2 = s2 + v2; s3 = s3 + v3;
        }
        STORE(out + j, s0); STORE(out + j + 16, s1); STORE(out + j + 32, s2); STORE(out + j + 48, s3);
    }
    for (; j + 16 <= columns; j += 16) {
        vf16 s = accumulate ? LOAD(out + j) : SUFFIX(splat)(0.0f);
        for (size_t r = 0; r < rows; r++) {
            vf16 v = LOAD(x + r * columns + j);
            if (activation) {
                v = SUFFIX(select)(LOAD(activation + r * columns + j) > 0.0f, v, SUFFIX(splat)(0.0f));
                STORE(dz + r * columns + j, v);
            }
            s = s + v;
        }
        STORE(out + j, s);
    }
    for (; j < columns; j++) {
        float s = accumulate ? out[j] : 0.0f;
        for (size_t r = 0; r < rows; r++) {
            float v = x[r * columns + j];
            if (activation) {
                v = activation[r * columns + j] > 0.0f ? v : 0.0f;
                dz[r * columns + j] = v;
            }
            s = s + v;
        }
        out[j] = s;
    }
}

static void SUFFIX(anneal_relu_backward)(const float *activation, const float *dy, float *dz, size_t rows, size_t columns, float *biasGradient, int accumulate) {
    if (biasGradient) {
        SUFFIX(column_block_sums)(activation, dy, dz, rows, columns, biasGradient, accumulate);
        return;
    }
    for (size_t r = 0; r < rows; r++) {
        const float *a = activation + r * columns, *g = dy + r * columns;
        float *d = dz + r * columns;
        size_t j = 0;
        for (; j + 16 <= columns; j += 16) STORE(d + j, SUFFIX(select)(LOAD(a + j) > 0.0f, LOAD(g + j), SUFFIX(splat)(0.0f)));
        for (; j < columns; j++) d[j] = a[j] > 0.0f ? g[j] : 0.0f;
    }
}

static void SUFFIX(anneal_column_sums)(const float *x, size_t rows, size_t columns, float *out, int accumulate) {
    SUFFIX(column_block_sums)(NULL, x, NULL, rows, columns, out, accumulate);
}

static void SUFFIX(anneal_binary_cross_entropy)(const float *logits, const float *targets, size_t rows, size_t columns, float *out, float *sigmoid) {
    for (size_t r = 0; r < rows; r++) {
        const float *l = logits + r * columns, *t = targets + r * columns;
        float *s = sigmoid + r * columns;
        vf8 sums = (vf8)(0.0f);
        size_t j = 0;
        // Sixteen elements at a time, added to the eight partial sums as two blocks of eight, in order.
        for (; j + 16 <= columns; j += 16) {
            vf16 lv = LOAD(l + j), tv = LOAD(t + j);
            vf16 e = SUFFIX(vexp)(-SUFFIX(vabs)(lv));
            vf16 loss = SUFFIX(select)(lv < 0.0f, SUFFIX(splat)(0.0f), lv) - lv * tv + SUFFIX(vlog1p)(e);
            vf16 inverse = 1.0f / (1.0f + e);
            STORE(s + j, SUFFIX(select)(lv < 0.0f, e * inverse, inverse));
            sums = sums + loss.lo;
            sums = sums + loss.hi;
        }
        for (; j + 8 <= columns; j += 8) {
            vf16 lv = SUFFIX(splat)(0.0f), tv = SUFFIX(splat)(0.0f);
            for (int k = 0; k < 8; k++) { lv[k] = l[j + k]; tv[k] = t[j + k]; }
            vf16 e = SUFFIX(vexp)(-SUFFIX(vabs)(lv));
            vf16 loss = SUFFIX(select)(lv < 0.0f, SUFFIX(splat)(0.0f), lv) - lv * tv + SUFFIX(vlog1p)(e);
            vf16 inverse = 1.0f / (1.0f + e);
            vf16 sv = SUFFIX(select)(lv < 0.0f, e * inverse, inverse);
            for (int k = 0; k < 8; k++) s[j + k] = sv[k];
            sums = sums + loss.lo;
        }
        float sum = 0.0f;
        for (int k = 0; k < 8; k++) sum = sum + sums[k];
        for (; j < columns; j++) {
            vf16 lv = SUFFIX(splat)(l[j]), tv = SUFFIX(splat)(t[j]);
            vf16 e = SUFFIX(vexp)(-SUFFIX(vabs)(lv));
            vf16 loss = SUFFIX(select)(lv < 0.0f, SUFFIX(splat)(0.0f), lv) - lv * tv + SUFFIX(vlog1p)(e);
            sum = sum + loss[0];
            s[j] = lv[0] >= 0.0f ? 1.0f / (1.0f + e[0]) : e[0] / (1.0f + e[0]);
        }
        out[r] = sum;
    }
}

static void SUFFIX(anneal_binary_cross_entropy_backward)(const float *sigmoid, const float *targets, const float *dy, size_t rows, size_t columns,
                                          float *dlogits, int accumulate) {
    for (size_t r = 0; r < rows; r++) {
        const float *s = sigmoid + r * columns, *t = targets + r * columns;
        float *d = dlogits + r * columns;
        const float g = dy[r];
        size_t j = 0;
        if (accumulate) {
            for (; j + 16 <= columns; j += 16) STORE(d + j, LOAD(d + j) + g * (LOAD(s + j) - LOAD(t + j)));
            for (; j < columns; j++) d[j] = d[j] + g * (s[j] - t[j]);
        } else {
            for (; j + 16 <= columns; j += 16) STORE(d + j, g * (LOAD(s + j) - LOAD(t + j)));
            for (; j < columns; j++) d[j] = g * (s[j] - t[j]);
        }
    }
}

