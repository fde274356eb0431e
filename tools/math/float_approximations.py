"""Coefficient tables for dev.apoptosis.tensor.elementwise.FloatMath (float32 exp, erf, erfc, tanh).

Run with Debian's python3 (numpy + mpmath): /usr/bin/python3 tools/math/float_approximations.py
It prints every table as Java float literals plus its approximation error measured against
mpmath at 40 digits. FloatMathTest checks the Java evaluation again against an independent
double-precision reference, so the tables are verified twice.

Tables
  exp:   e^r on |r| <= ln2/2 by its Taylor series up to r^7 (coefficients 1/k!).
  erf:   erf(z) = z + z * Q(z^2) on |z| <= 0.5 by its Taylor series, 7 terms:
         2/sqrt(pi) * (-1)^k / (k! (2k+1)); Q's constant term is 2/sqrt(pi) - 1 so the leading
         term z is exact and rounding the constant costs about 1e-8 instead of 5e-8.
  erfcx: erfcx(z) = exp(z^2) erfc(z) on 0.5 <= z <= 10.1 as a degree-11 polynomial in
         t = 1 / (1 + z). (Among t = 1/(1 + cz), c = 1 gave the smallest float32 evaluation
         error, ~2.4 ulp: the rounding of t itself dominates and matters less for larger c, while
         c > 1 makes the coefficients grow and alternate.) Fitted here: least squares at 600 Chebyshev nodes in t with
         relative weights, refined towards minimax by Lawson's iteration; then coefficients are
         rounded to float one at a time from the highest degree down, refitting the rest after
         each rounding so the rounding errors are partly absorbed.
  tanh:  tanh(x) = x + x^3 * T(x^2) on |x| <= 0.55 by its Taylor series, x^3 .. x^17:
         2^(2n) (2^(2n) - 1) B_(2n) / (2n)!.
"""
import mpmath as mp
import numpy as np

mp.mp.dps = 40


def f32(x):
    return float(np.float32(float(x)))


def java(name, coefs):
    body = ", ".join("%.9ef" % f32(c) for c in coefs)
    return "static final float[] %s = {%s};" % (name, body)


def exp_table():
    return [1 / mp.factorial(k) for k in range(8)]


def erf_table():
    c = [2 / mp.sqrt(mp.pi) * (-1) ** k / (mp.factorial(k) * (2 * k + 1)) for k in range(7)]
    c[0] -= 1
    return c


def tanh_table():
    # coefficients of x^3, x^5, ..., x^17 in tanh's Taylor series
    out = []
    for n in range(2, 10):
        out.append(2 ** (2 * n) * (2 ** (2 * n) - 1) * mp.bernoulli(2 * n) / mp.factorial(2 * n))
    return out


def erfcx(z):
    return mp.exp(z * z) * mp.erfc(z)


Z0, Z1, C, DEG = 0.5, 10.1, 1.0, 11


def erfcx_table():
    t0, t1 = 1 / (1 + C * Z0), 1 / (1 + C * Z1)
    n = 600
    k = np.arange(n)
    ts = (t0 + t1) / 2 + (t0 - t1) / 2 * np.cos(np.pi * (k + 0.5) / n)
    f = np.array([float(erfcx((1 / mp.mpf(t) - 1) / C)) for t in ts])
    powers = np.vstack([ts ** j for j in range(DEG + 1)]).T
    fixed = {}
    for last_free in range(DEG, -2, -1):
        free = [j for j in range(DEG + 1) if j not in fixed]
        rhs = f - sum(fixed[j] * ts ** j for j in fixed)
        if free:
            a = powers[:, free]
            w = np.ones(n)
            for _ in range(80):
                sw = np.sqrt(w) / f
                coef, *_ = np.linalg.lstsq(a * sw[:, None], rhs * sw, rcond=None)
                err = np.abs((a @ coef - rhs) / f)
                w = w * (err + 1e-30)
                w /= w.sum()
            sol = dict(zip(free, coef))
        if last_free >= 0:
            fixed[last_free] = f32(sol[last_free])
    return [fixed[j] for j in range(DEG + 1)]


def horner(c, x):
    acc = mp.mpf(0)
    for a in reversed(c):
        acc = acc * x + a
    return acc


def report():
    ex = exp_table()
    er = erf_table()
    th = tanh_table()
    cx = erfcx_table()
    r = mp.log(2) / 2
    e_exp = max(abs(horner([f32(c) for c in ex], s * r) / mp.exp(s * r) - 1) for s in (-1, 1))
    z = mp.mpf("0.5")
    e_erf = abs((z + z * horner([f32(c) for c in er], z * z)) / mp.erf(z) - 1)
    x = mp.mpf("0.55")
    e_tanh = abs((x + x ** 3 * horner([f32(c) for c in th], x * x)) / mp.tanh(x) - 1)
    zs = np.linspace(Z0, Z1, 4000)
    e_cx = max(abs(horner(cx, 1 / (1 + C * mp.mpf(zz))) / erfcx(mp.mpf(zz)) - 1) for zz in zs)
    print("// exp Taylor, max rel err on |r|<=ln2/2 (exact arithmetic, float coefficients): %.2e" % e_exp)
    print(java("EXP", ex))
    print("// erf Taylor, rel err at |z|=0.5: %.2e" % e_erf)
    print(java("ERF", er))
    print("// erfcx in t=1/(1+z), max rel err on [%g, %g]: %.2e" % (Z0, Z1, e_cx))
    print(java("ERFCX", cx))
    print("// tanh Taylor x^3..x^17, rel err at |x|=0.55: %.2e" % e_tanh)
    print(java("TANH", th))


if __name__ == "__main__":
    report()
