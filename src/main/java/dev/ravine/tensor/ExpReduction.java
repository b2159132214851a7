package dev.ravine.tensor;

/**
 * The constants of e^{-y} = 2^k e^r, -y = k ln 2 + r with |r| &lt;= ln 2 / 2, that the kernels computing in double share
 * ({@link Logistic64}, {@link Elu}, {@link Gelu64}, {@link Softplus}, {@link Mish}, {@link GeluTanh64}, and {@link
 * Gelu32} and {@link GeluTanh32} with the shorter series {@link #taylor9}): k is -y log2(e) rounded by adding and
 * subtracting {@link #ROUND}, r = -y - k LN2_HI - k LN2_LO
 * (Cody and Waite's two-part ln 2), and e^r = 1 + r + r^2 Q(r), Q the polynomial E of degree 12 (relative error 4.5e-19,
 * {@code tools/fit-logistic64.py}) without its last two terms, 1 and 1.
 */
final class ExpReduction {
    // E of degree 12, highest first, down to E3; E2 = 1/2, E1 = E0 = 1
    static final double E12 = 2.09215799649503e-09, E11 = 2.5114869528657765e-08, E10 = 2.7557251904174915e-07,
            E9 = 2.7557224958392624e-06, E8 = 2.4801587350110797e-05, E7 = 0.000198412699092171, E6 = 0.001388888888887189,
            E5 = 0.008333333333309528, E4 = 0.04166666666666669, E3 = 0.16666666666666702;
    /** ln 2 in two parts, the first with 32 bits, so that k LN2_HI is exact for any |k| under 2^20. */
    static final double LOG2E = 1.4426950408889634, LN2_HI = 6.93147180369123816490e-01, LN2_LO = 1.90821492927058770002e-10;
    /** 1.5 * 2^52: t + ROUND - ROUND is t rounded to an integer k (|t| &lt; 2^51), and k + ROUND's bits are ROUND's plus k. */
    static final double ROUND = 0x1.8p52;
    static final long ROUND_BITS = Double.doubleToRawLongBits(ROUND), BIAS = 1023;
    static final int MANTISSA = 52;

    private ExpReduction() {
    }

    /** e^r's Taylor series to r^9 (7e-12 relative for |r| &lt;= ln 2 / 2), enough for the float32 kernels' shorter series. */
    static final double T2 = 1.0 / 2, T3 = 1.0 / 6, T4 = 1.0 / 24, T5 = 1.0 / 120, T6 = 1.0 / 720, T7 = 1.0 / 5040,
            T8 = 1.0 / 40320, T9 = 1.0 / 362880;

    /** e^r by the series to r^9, the same bits as a lane of the float32 kernels' vector form of it. */
    static double taylor9(double r) {
        return Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(
                T9, r, T8), r, T7), r, T6), r, T5), r, T4), r, T3), r, T2), r, 1), r, 1);
    }

    /** Q(rh) = (e^rh - 1 - rh) / rh^2, the same bits as a lane of the kernels' vector form of it. */
    static double q(double rh) {
        return Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(
                E12, rh, E11), rh, E10), rh, E9), rh, E8), rh, E7), rh, E6), rh, E5), rh, E4), rh, E3), rh, 0.5);
    }
}
