import Tensors

/// Where the FactorVAE and β-VAE scores get their codes: batches of examples that share one factor's value,
/// and random examples. An implementation encodes examples (e.g. dSprites images drawn by a renderer, through
/// a model's encoder, taking each code as the posterior mean) or looks them up in a table of given codes and
/// factors (`FactorTableSampler`). Every draw takes its randomness from `generator`, so a seed fixes the score.
public protocol FixedFactorSampler {
    /// The factors' names, K of them; factor indices below are positions in this list.
    var factorNames: [String] { get }
    /// D, the values in each code.
    var codeDimensions: Int { get }

    /// A value of factor `factor` to fix for a batch of `count`, drawn as the metric definitions draw it: the
    /// factor's value in a random example (for a full factor grid such as dSprites, uniform over the factor's
    /// values). Nil when no value of the factor can fill a batch of `count` (a table with too few rows of
    /// each value); the metrics then leave the factor out and say so.
    mutating func fixedValue(factor: Int, count: Int, generator: inout RandomGenerator) throws(EvaluationError) -> Int?

    /// The codes, row-major `count` × D, of `count` examples whose factor `factor` is `value` and whose other
    /// factors are random.
    mutating func codes(count: Int, factor: Int, value: Int, generator: inout RandomGenerator) throws(EvaluationError) -> [Double]

    /// The codes, row-major `count` × D, of `count` random examples.
    mutating func randomCodes(count: Int, generator: inout RandomGenerator) throws(EvaluationError) -> [Double]
}
