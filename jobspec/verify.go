package jobspec

import (
	"strconv"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/trust"
	"gopkg.in/yaml.v3"
)

// verifyFields are the keys of a verify: mapping. The short forms
// "verify: none" and "verify: {replicate: 3}" are read too.
var verifyFields = []string{"policy", "replicate", "minReputation"}

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
		}
	}
}

// fraction reads a number from 0 to 1.
func (d *decoder) fraction(n *yaml.Node, path string) (float64, bool) {
	n = deref(n)
	s, ok := d.text(n, path)
	if !ok {
		return 0, false
	}
	var x float64
	if (n.ShortTag() == "!!float" || n.ShortTag() == "!!int") && n.Decode(&x) == nil {
		return x, true
	}
	d.fail(n, path, "write a number from 0 to 1 without quotes, e.g. 0.8", "%q is not a number", clip(s))
	return 0, false
}

// Policy is the verification policy the market applies to s: the one it
// names, or when it names none, adaptive for a deterministic job and none
// for a nondeterministic one (whose honest runs may differ, so comparing
// them proves nothing). s must have passed validation.
func Policy(s *bonfire.JobSpec) trust.Policy {
	if s.Verify.Policy == "" && !s.Determinism.Deterministic {
		return trust.None()
	}
	p, err := trust.ParsePolicy(s.Verify.Policy)
	if err != nil {
		return trust.Adaptive()
	}
	return p
}

// verify checks the verification settings. Comparing replicas only makes
// sense when two honest runs give the same output, so a checking policy
// asked for by name needs a deterministic job.
func (c *checker) verify(s *bonfire.JobSpec) {
	p, err := trust.ParsePolicy(s.Verify.Policy)
	if err != nil {
		field := "verify"
		if e, ok := err.(*bonfire.Error); ok && e.Field != "" {
			field = e.Field
		}
		c.addErr(field, err)
	} else if s.Verify.Policy != "" && p.Mode != trust.ModeNone && !s.Determinism.Deterministic {
		c.add("verify", "turn determinism on, or write verify: none to rely on reputation alone",
			"verify: %s compares the outputs of several runs, but determinism is off so honest runs may differ", p)
	}
	if r := s.Verify.MinReputation; !(r >= 0 && r <= 1) {
		c.add("verify.minReputation", "write a score from 0 (anyone) to 1 (only flawless providers), e.g. 0.6",
			"%v is not between 0 and 1", r)
	}
}
