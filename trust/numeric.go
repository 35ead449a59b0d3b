package trust

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/bonfirenet/bonfire"
)

// MaxNumericFileBytes bounds each JSON file CompareNumeric reads.
const MaxNumericFileBytes = 1 << 20

// CompareNumeric compares two replicas' copies of check.File (a and b, as
// JSON) metric by metric and returns nil when every metric agrees within
// the tolerance: |x-y| <= AbsTol or |x-y| <= RelTol × max(|x|, |y|). It is
// how the market accepts work whose honest runs differ in the last bits
// (GPU training, threaded reductions). The error is an *bonfire.Error
// (ECodeConflict when the numbers disagree, ECodeInvalid when a file or
// metric is unusable) naming the metric and the difference.
func CompareNumeric(check bonfire.NumericCheck, a, b []byte) error {
	if len(check.Metrics) == 0 {
		return bonfire.Errorf(bonfire.ECodeInvalid, "the numeric check names no metric").WithField("verify.numeric.metrics")
	}
	if !(check.RelTol >= 0) || !(check.AbsTol >= 0) {
		return bonfire.Errorf(bonfire.ECodeInvalid, "tolerances must be 0 or more").WithField("verify.numeric")
	}
	va, err := decodeMetrics(a, "first")
	if err != nil {
		return err
	}
	vb, err := decodeMetrics(b, "second")
	if err != nil {
		return err
	}
	for i, m := range check.Metrics {
		field := fmt.Sprintf("verify.numeric.metrics[%d]", i)
		x, err := lookupNumber(va, m, "first", check.File)
		if err != nil {
			return err.WithField(field)
		}
		y, err := lookupNumber(vb, m, "second", check.File)
		if err != nil {
			return err.WithField(field)
		}
		diff := math.Abs(x - y)
		allowed := max(check.AbsTol, check.RelTol*max(math.Abs(x), math.Abs(y)))
		if !(diff <= allowed) { // also catches an infinite difference
			return bonfire.Errorf(bonfire.ECodeConflict, "metric %s differs: %s vs %s (difference %s, allowed %s)",
				m, fmtNum(x), fmtNum(y), fmtNum(diff), fmtNum(allowed)).WithField(field).
				WithHint("the replicas disagree beyond the tolerance; if honest runs differ this much, widen relTol or absTol")
		}
	}
	return nil
}

func decodeMetrics(data []byte, which string) (any, error) {
	if len(data) > MaxNumericFileBytes {
		return nil, bonfire.Errorf(bonfire.ECodeTooLarge, "the %s replica's metrics file is %d bytes, more than %d", which, len(data), MaxNumericFileBytes).
			WithHint("write only the metrics to compare into the file the numeric check reads")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "the %s replica's metrics file is not JSON: %v", which, err).
			WithHint("write the metrics as a JSON object, e.g. {\"accuracy\": 0.93}")
	}
	return v, nil
}

// lookupNumber follows a dotted path ("eval.accuracy", "losses.3") through
// objects and arrays to a number.
func lookupNumber(v any, metric, which, file string) (float64, *bonfire.Error) {
	cur := v
	for _, step := range strings.Split(metric, ".") {
		switch c := cur.(type) {
		case map[string]any:
			next, ok := c[step]
			if !ok {
				return 0, missing(metric, which, file)
			}
			cur = next
		case []any:
			i, err := strconv.Atoi(step)
			if err != nil || i < 0 || i >= len(c) {
				return 0, missing(metric, which, file)
			}
			cur = c[i]
		default:
			return 0, missing(metric, which, file)
		}
	}
	n, ok := cur.(json.Number)
	if !ok {
		return 0, bonfire.Errorf(bonfire.ECodeInvalid, "metric %s in the %s replica's %s is not a number", metric, which, file).
			WithHint("compare only numeric metrics")
	}
	f, err := strconv.ParseFloat(string(n), 64)
	if err != nil || math.IsInf(f, 0) {
		return 0, bonfire.Errorf(bonfire.ECodeInvalid, "metric %s in the %s replica's %s is %s, out of range", metric, which, file, clipNum(string(n))).
			WithHint("write metrics that fit a 64-bit float")
	}
	return f, nil
}

func missing(metric, which, file string) *bonfire.Error {
	return bonfire.Errorf(bonfire.ECodeInvalid, "the %s replica's %s has no metric %s", which, file, metric).
		WithHint("name metrics as dotted paths into the JSON file, e.g. eval.accuracy or losses.0")
}

func clipNum(s string) string {
	if len(s) > 32 {
		return s[:32] + "…"
	}
	return s
}

func fmtNum(f float64) string { return strconv.FormatFloat(f, 'g', 6, 64) }

// HomogeneityKey names the class of machine whose numerical results are
// expected to agree closely: OS, architecture, and the distinct GPU
// vendor, model and driver (case and spacing folded). With
// verify.homogeneous the market gives a task's replicas only to providers
// with the same key, as BOINC's homogeneous redundancy does. A machine
// without GPUs has the key of its OS and architecture.
func HomogeneityKey(hw bonfire.Hardware) string {
	norm := func(s string) string { return strings.Join(strings.Fields(strings.ToLower(s)), " ") }
	var gpus []string
	for _, g := range hw.GPUs {
		k := norm(g.Vendor) + "|" + norm(g.Model) + "|" + norm(g.Driver)
		if !slices.Contains(gpus, k) {
			gpus = append(gpus, k)
		}
	}
	slices.Sort(gpus)
	key := norm(hw.OS) + "/" + norm(hw.Arch)
	if len(gpus) == 0 {
		return key + ";cpu"
	}
	return key + ";" + strings.Join(gpus, ";")
}
