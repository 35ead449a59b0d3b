package jobspec

import (
	"fmt"
	"math"
	"path"
	"strconv"
	"strings"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/trust"
	"gopkg.in/yaml.v3"
)

// verifyFields are the keys of a verify: mapping. The short forms
// "verify: none" and "verify: {replicate: 3}" are read too.
var verifyFields = []string{"policy", "replicate", "minReputation", "numeric", "homogeneous"}

// numericFields are the keys of verify.numeric.
var numericFields = []string{"file", "metrics", "relTol", "absTol"}

// verify reads the verify: setting: a policy as text ("adaptive", "none",
// "replicate: 3"), or a mapping with policy or replicate, and
// minReputation. The policy is kept in the form trust.ParsePolicy reads;
// its value rules are checked by checker.verify.
func (d *decoder) verify(f field) {
	n := deref(f.val)
	v := &d.spec.Verify
	if n.Kind == yaml.ScalarNode {
		v.Policy = n.Value
		return
	}
	for _, g := range d.mapping(n, f.path, verifyFields, nil) {
		if isNull(g.val) {
			continue
		}
		switch g.key {
		case "policy":
			v.Policy, _ = d.text(g.val, g.path)
		case "replicate":
			if r, ok := d.integer(g.val, g.path); ok {
				v.Policy = "replicate: " + strconv.FormatInt(r, 10)
			}
		case "minReputation":
			v.MinReputation, _ = d.fraction(g.val, g.path)
		case "homogeneous":
			v.Homogeneous, _ = d.boolean(g.val, g.path)
		case "numeric":
			v.Numeric = d.numeric(g)
		}
	}
}

// numeric reads verify.numeric: the JSON file, the metrics to compare and
// the tolerances.
func (d *decoder) numeric(f field) *bonfire.NumericCheck {
	nc := &bonfire.NumericCheck{}
	for _, g := range d.mapping(f.val, f.path, numericFields, nil) {
		if isNull(g.val) {
			continue
		}
		switch g.key {
		case "file":
			nc.File, _ = d.text(g.val, g.path)
		case "metrics":
			n := deref(g.val)
			if n.Kind == yaml.ScalarNode {
				nc.Metrics = []string{n.Value}
				continue
			}
			for i, item := range d.sequence(g, "metrics: [accuracy, loss]") {
				m, _ := d.text(item, fmt.Sprintf("%s[%d]", g.path, i))
				nc.Metrics = append(nc.Metrics, m)
			}
		case "relTol":
			nc.RelTol, _ = d.number(g.val, g.path)
		case "absTol":
			nc.AbsTol, _ = d.number(g.val, g.path)
		}
	}
	return nc
}

// number reads any number.
func (d *decoder) number(n *yaml.Node, path string) (float64, bool) {
	return d.float(n, path, "write a number without quotes, e.g. 0.01")
}

// fraction reads a number meant to be from 0 to 1 (validation checks the
// range, so JSON submissions meet the same rule).
func (d *decoder) fraction(n *yaml.Node, path string) (float64, bool) {
	return d.float(n, path, "write a number from 0 to 1 without quotes, e.g. 0.8")
}

func (d *decoder) float(n *yaml.Node, path, hint string) (float64, bool) {
	n = deref(n)
	s, ok := d.text(n, path)
	if !ok {
		return 0, false
	}
	var x float64
	if (n.ShortTag() == "!!float" || n.ShortTag() == "!!int") && n.Decode(&x) == nil {
		return x, true
	}
	d.fail(n, path, hint, "%q is not a number", clip(s))
	return 0, false
}

// Policy is the verification policy the market applies to s: the one it
// names, or when it names none, adaptive for a deterministic job and none
// for a nondeterministic one (whose honest runs may differ, so comparing
// them proves nothing). s must have passed validation.
func Policy(s *bonfire.JobSpec) trust.Policy {
	if s.Verify.Policy == "" && !s.Determinism.Deterministic && s.Verify.Numeric == nil {
		return trust.None()
	}
	p, err := trust.ParsePolicy(s.Verify.Policy)
	if err != nil {
		return trust.Adaptive()
	}
	return p
}

// verify checks the verification settings. Comparing replicas' digests only
// makes sense when two honest runs give the same output, so a checking
// policy asked for by name needs a deterministic job, unless the replicas
// are compared numerically within a tolerance (verify.numeric).
func (c *checker) verify(s *bonfire.JobSpec) {
	p, err := trust.ParsePolicy(s.Verify.Policy)
	if err != nil {
		field := "verify"
		if e, ok := err.(*bonfire.Error); ok && e.Field != "" {
			field = e.Field
		}
		c.addErr(field, err)
	} else if s.Verify.Policy != "" && p.Mode != trust.ModeNone && !s.Determinism.Deterministic && s.Verify.Numeric == nil {
		c.add("verify", "turn determinism on, compare numbers within a tolerance with verify.numeric, or write verify: none to rely on reputation alone",
			"verify: %s compares the outputs of several runs, but determinism is off so honest runs may differ", p)
	} else if p.Mode == trust.ModeNone && s.Verify.Policy != "" && (s.Verify.Numeric != nil || s.Verify.Homogeneous) {
		c.add("verify", "remove verify.numeric and verify.homogeneous, or pick a checking policy such as replicate: 2",
			"verify: none runs no replicas, so there is nothing to compare or place alike")
	}
	if nc := s.Verify.Numeric; nc != nil {
		c.numeric(nc)
	}
	if r := s.Verify.MinReputation; !(r >= 0 && r <= 1) {
		c.add("verify.minReputation", "write a score from 0 (anyone) to 1 (only flawless providers), e.g. 0.6",
			"%v is not between 0 and 1", r)
	}
}

func (c *checker) numeric(nc *bonfire.NumericCheck) {
	const f = "verify.numeric"
	if nc.File == "" || path.IsAbs(nc.File) || path.Clean(nc.File) != nc.File || strings.HasPrefix(nc.File, "../") || nc.File == ".." {
		c.add(f+".file", "name a JSON file below the outputs directory, e.g. file: metrics.json", "%q is not a relative output file", clip(nc.File))
	}
	if len(nc.Metrics) == 0 {
		c.add(f+".metrics", "list the numbers to compare, e.g. metrics: [accuracy, loss]", "no metrics to compare")
	}
	for i, m := range nc.Metrics {
		if m == "" || strings.HasPrefix(m, ".") || strings.HasSuffix(m, ".") || strings.Contains(m, "..") {
			c.add(fmt.Sprintf("%s.metrics[%d]", f, i), "write a key of the JSON file, dotted for nested ones, e.g. eval.accuracy", "%q is not a metric path", clip(m))
		}
	}
	for _, t := range []struct {
		name string
		v    float64
	}{{"relTol", nc.RelTol}, {"absTol", nc.AbsTol}} {
		if !(t.v >= 0) || math.IsInf(t.v, 0) {
			c.add(f+"."+t.name, "give a tolerance of 0 or more, e.g. relTol: 0.01", "%v is not a tolerance", t.v)
		}
	}
	if nc.RelTol == 0 && nc.AbsTol == 0 {
		c.add(f, "give relTol (e.g. 0.01 for 1%) or absTol (e.g. 0.001); equal outputs need no numeric check", "no tolerance given")
	}
}
