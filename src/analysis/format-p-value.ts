/** A p-value as reasons and reports print it: three decimals, scientific below 0.001, "< 1e-12" beyond double-precision meaning. */
export const formatPValue = (p: number): string => (p < 1e-12 ? '< 1e-12' : p < 1e-3 ? p.toExponential(1) : p.toFixed(3));
