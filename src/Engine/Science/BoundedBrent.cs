namespace Scanflow.Engine.Science;

/// <summary>
/// Brent's minimisation on a closed interval: golden-section steps with parabolic interpolation when it is
/// safe (Brent 1973, ch. 5; the structure of scipy's <c>fminbound</c>). Terminates when the bracket around
/// the best point is within ±2·tol, with tol an absolute tolerance (calibration.md §2.5, §7.5).
/// </summary>
internal static class BoundedBrent
{
    private const int MaximumIterations = 500;

    // (3 − √5)/2: the golden-section fraction.
    private static readonly double Golden = 0.5 * (3.0 - Math.Sqrt(5.0));

    public static double Minimize(Func<double, double> f, double lower, double upper, double absoluteTolerance)
    {
        double a = lower;
        double b = upper;
        double x = a + (Golden * (b - a));
        double w = x;
        double v = x;
        double fx = f(x);
        double fw = fx;
        double fv = fx;
        double d = 0.0;
        double e = 0.0;

        for (int iteration = 0; iteration < MaximumIterations; iteration++)
        {
            double xm = 0.5 * (a + b);
            // Two ulps of x keep the step resolvable in floating point when the tolerance is tiny.
            double tol1 = (absoluteTolerance / 3.0) + (2.0 * (Math.BitIncrement(Math.Abs(x)) - Math.Abs(x)));
            double tol2 = 2.0 * tol1;
            if (Math.Abs(x - xm) <= tol2 - (0.5 * (b - a)))
            {
                break;
            }

            bool golden = true;
            if (Math.Abs(e) > tol1)
            {
                // Parabola through (v, fv), (w, fw), (x, fx).
                double r = (x - w) * (fx - fv);
                double q = (x - v) * (fx - fw);
                double p = ((x - v) * q) - ((x - w) * r);
                q = 2.0 * (q - r);
                if (q > 0.0)
                {
                    p = -p;
                }

                q = Math.Abs(q);
                double previousStep = e;
                e = d;
                if (Math.Abs(p) < Math.Abs(0.5 * q * previousStep) && p > q * (a - x) && p < q * (b - x))
                {
                    d = p / q;
                    double trial = x + d;
                    if (trial - a < tol2 || b - trial < tol2)
                    {
                        d = xm >= x ? tol1 : -tol1;
                    }

                    golden = false;
                }
            }

            if (golden)
            {
                e = x >= xm ? a - x : b - x;
                d = Golden * e;
            }

            double u = Math.Abs(d) >= tol1 ? x + d : x + (d >= 0.0 ? tol1 : -tol1);
            double fu = f(u);
            if (fu <= fx)
            {
                if (u >= x)
                {
                    a = x;
                }
                else
                {
                    b = x;
                }

                (v, fv, w, fw, x, fx) = (w, fw, x, fx, u, fu);
            }
            else
            {
                if (u < x)
                {
                    a = u;
                }
                else
                {
                    b = u;
                }

                if (fu <= fw || w == x)
                {
                    (v, fv, w, fw) = (w, fw, u, fu);
                }
                else if (fu <= fv || v == x || v == w)
                {
                    (v, fv) = (u, fu);
                }
            }
        }

        return x;
    }
}
