// Smoothing of a metric's curve as TensorBoard and W&B draw it: an exponential moving average, debiased so that the
// first points are not pulled towards zero. Gaps (null) stay gaps and do not reset the average.

/**
 * The smoothed values: with `weight` w in [0, 1), s_i = w * s_(i-1) + (1 - w) * v_i, divided by 1 - w^n where n
 * counts the values seen so far. Weight 0 gives the values back.
 */
export function smooth(values, weight) {
  if (!(weight > 0)) return values.slice();
  const w = Math.min(weight, 0.999);
  let average = 0;
  let seen = 0;
  return values.map((value) => {
    if (value === null) return null;
    average = w * average + (1 - w) * value;
    seen += 1;
    return average / (1 - w ** seen);
  });
}
