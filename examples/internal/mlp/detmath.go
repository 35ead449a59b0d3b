package mlp

import "math"

// Cody-Waite split of ln 2: ln2Hi has its low bits zero, so k*ln2Hi is exact
// for the k that reach expDet, and the reduction loses no precision.
const (
	ln2Hi  = 6.93147180369123816490e-01
	ln2Lo  = 1.90821492927058770002e-10
	log2e  = 1.44269504088896338700e+00
	ln2    = 0.693147180559945309417232121458176568
	sqrtHf = 0.707106781186547524400844362104849039
)

// expTaylor holds 1/n! for n = 0..13; after reduction |r| <= ln2/2, where
// the first omitted term is below 1e-17 relative.
var expTaylor = func() [14]float64 {
	var c [14]float64
	f := 1.0
	for n := range c {
		if n > 0 {
			f *= float64(n)
		}
		c[n] = 1 / f
	}
	return c
}()

// expDet is e**x, computed the same way on every platform.
func expDet(x float64) float64 {
	switch {
	case math.IsNaN(x):
		return x
	case x > 709.78:
		return math.Inf(1)
	case x < -745.2:
		return 0
	}
	k := math.Floor(float64(x*log2e) + 0.5)
	r := float64(x-float64(k*ln2Hi)) - float64(k*ln2Lo)
	p := expTaylor[13]
	for n := 12; n >= 0; n-- {
		p = float64(p*r) + expTaylor[n]
	}
	return math.Ldexp(p, int(k))
}

// logDet is the natural logarithm, computed the same way on every platform:
// x = f * 2**e with f in [sqrt(1/2), sqrt(2)), log f = 2 atanh((f-1)/(f+1)).
func logDet(x float64) float64 {
	switch {
	case math.IsNaN(x) || x < 0:
		return math.NaN()
	case x == 0:
		return math.Inf(-1)
	case math.IsInf(x, 1):
		return x
	}
	f, e := math.Frexp(x)
	if f < sqrtHf {
		f *= 2
		e--
	}
	s := (f - 1) / (f + 1)
	s2 := float64(s * s)
	// |s| <= 0.1716, so s**23/23 is below 1e-18 and the series can stop at s**21.
	p := 1.0 / 21
	for n := 19; n >= 1; n -= 2 {
		p = float64(p*s2) + 1/float64(n)
	}
	return float64(float64(e)*ln2) + float64(2*float64(s*p))
}

// tanhDet is the hyperbolic tangent via expDet.
func tanhDet(x float64) float64 {
	a := math.Abs(x)
	if a > 22 {
		return math.Copysign(1, x)
	}
	t := 1 - 2/(expDet(2*a)+1)
	return math.Copysign(t, x)
}
