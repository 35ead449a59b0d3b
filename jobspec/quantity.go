package jobspec

import (
	"math/big"
	"strconv"
	"strings"

	"github.com/bonfirenet/bonfire"
)

// Binary and decimal byte units as accepted by ParseBytes.
const (
	KiB int64 = 1 << 10
	MiB int64 = 1 << 20
	GiB int64 = 1 << 30
	TiB int64 = 1 << 40
)

// byteUnits lists every accepted suffix. Both "Mi" and "MiB" are accepted
// because people write both; "M" and "MB" are powers of ten as in
// Kubernetes, so "512M" is not "512Mi".
var byteUnits = map[string]int64{
	"": 1, "B": 1,
	"k": 1e3, "K": 1e3, "kB": 1e3, "KB": 1e3,
	"M": 1e6, "MB": 1e6,
	"G": 1e9, "GB": 1e9,
	"T": 1e12, "TB": 1e12,
	"Ki": KiB, "KiB": KiB,
	"Mi": MiB, "MiB": MiB,
	"Gi": GiB, "GiB": GiB,
	"Ti": TiB, "TiB": TiB,
}

const bytesHint = `write a whole number of bytes with an optional unit: 268435456, 256Mi, 1Gi, 512M (Ki/Mi/Gi/Ti are powers of 1024, k/M/G/T of 1000)`

const cpuHint = `write cores as a number ("1", "0.5", "2") or millicores ("500m")`

// ParseBytes reads a byte quantity such as "256Mi", "1Gi", "512M", "1.5Gi"
// or a plain number of bytes. The result must be a whole number of bytes
// that fits in an int64. Errors are *bonfire.Error with ECodeInvalid and no
// field; the caller adds it.
func ParseBytes(s string) (int64, error) {
	s = strings.TrimSpace(s)
	num, unit := splitNumber(s)
	mult, ok := byteUnits[unit]
	if !ok || num == "" {
		return 0, bonfire.Errorf(bonfire.ECodeInvalid, "%q is not a byte quantity", clip(s)).WithHint(bytesHint)
	}
	if strings.HasPrefix(num, "-") {
		return 0, bonfire.Errorf(bonfire.ECodeInvalid, "%q is negative", clip(s)).WithHint(bytesHint)
	}
	r, ok := parseDecimal(num)
	if !ok {
		return 0, bonfire.Errorf(bonfire.ECodeInvalid, "%q is not a byte quantity", clip(s)).WithHint(bytesHint)
	}
	r.Mul(r, new(big.Rat).SetInt64(mult))
	if !r.IsInt() {
		return 0, bonfire.Errorf(bonfire.ECodeInvalid, "%q is not a whole number of bytes", clip(s)).WithHint(bytesHint)
	}
	if !r.Num().IsInt64() {
		return 0, bonfire.Errorf(bonfire.ECodeInvalid, "%q is too large", clip(s)).WithHint(bytesHint)
	}
	return r.Num().Int64(), nil
}

// ParseQuantityCPU reads a CPU quantity in cores ("1", "0.5", "2") or
// millicores ("500m") and returns millicores. Finer than one millicore is
// an error rather than silently rounded.
func ParseQuantityCPU(s string) (int64, error) {
	s = strings.TrimSpace(s)
	num, unit := splitNumber(s)
	if num == "" || (unit != "" && unit != "m") {
		return 0, bonfire.Errorf(bonfire.ECodeInvalid, "%q is not a cpu quantity", clip(s)).WithHint(cpuHint)
	}
	if strings.HasPrefix(num, "-") {
		return 0, bonfire.Errorf(bonfire.ECodeInvalid, "%q is negative", clip(s)).WithHint(cpuHint)
	}
	r, ok := parseDecimal(num)
	if !ok {
		return 0, bonfire.Errorf(bonfire.ECodeInvalid, "%q is not a cpu quantity", clip(s)).WithHint(cpuHint)
	}
	if unit == "" {
		r.Mul(r, big.NewRat(1000, 1))
	}
	if !r.IsInt() {
		return 0, bonfire.Errorf(bonfire.ECodeInvalid, "%q is finer than one millicore", clip(s)).WithHint(cpuHint)
	}
	if !r.Num().IsInt64() {
		return 0, bonfire.Errorf(bonfire.ECodeInvalid, "%q is too large", clip(s)).WithHint(cpuHint)
	}
	return r.Num().Int64(), nil
}

// FormatBytes writes n in the shortest exact form ParseBytes reads back,
// binary units winning ties: "256Mi", "4Gi", "512M", "1536".
func FormatBytes(n int64) string {
	best := strconv.FormatInt(n, 10)
	if n == 0 {
		return best
	}
	for _, u := range []struct {
		suffix string
		size   int64
	}{{"Ti", TiB}, {"Gi", GiB}, {"Mi", MiB}, {"Ki", KiB}, {"T", 1e12}, {"G", 1e9}, {"M", 1e6}, {"k", 1e3}} {
		if n%u.size == 0 {
			if s := strconv.FormatInt(n/u.size, 10) + u.suffix; len(s) < len(best) {
				best = s
			}
		}
	}
	return best
}

// FormatCPU writes millicores the way ParseQuantityCPU reads them: whole
// cores as "2", anything else as "1500m".
func FormatCPU(milli int64) string {
	if milli%1000 == 0 {
		return strconv.FormatInt(milli/1000, 10)
	}
	return strconv.FormatInt(milli, 10) + "m"
}

// splitNumber splits "1.5Gi" into "1.5" and "Gi".
func splitNumber(s string) (num, unit string) {
	i := 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		i++
	}
	for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.') {
		i++
	}
	return s[:i], s[i:]
}

// parseDecimal accepts only plain decimals ("12", "0.5", ".5", "+3"), not
// the fractions and exponents big.Rat would also take, and bounds the length
// so a hostile spec cannot make us do big arithmetic.
func parseDecimal(s string) (*big.Rat, bool) {
	s = strings.TrimPrefix(s, "+")
	if s == "" || s == "." || len(s) > 40 || strings.Count(s, ".") > 1 {
		return nil, false
	}
	r, ok := new(big.Rat).SetString(s)
	return r, ok
}

// clip keeps quoted user input short in messages.
func clip(s string) string {
	const n = 60
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
