package jobspec

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/bonfirenet/bonfire"
	"gopkg.in/yaml.v3"
)

// Parse reads a YAML job spec, fills its defaults and checks it. On failure
// the error is bonfire.Errors listing every problem, each with the field
// path (such as "matrix.lr[2]"), the line and a hint. The returned spec is
// not resolved: module and input sources may still be local paths.
func Parse(data []byte) (*bonfire.JobSpec, error) {
	if len(data) > MaxSpecBytes {
		return nil, bonfire.Errors{{Code: bonfire.ECodeTooLarge,
			Message: fmt.Sprintf("the spec is %d bytes, more than %d", len(data), MaxSpecBytes),
			Hint:    "move large data into input files"}}
	}
	root, err := decodeYAML(data)
	if err != nil {
		return nil, err
	}
	d := &decoder{lines: map[string]int{}, bad: map[string]bool{}, errLine: map[*bonfire.Error]int{}}
	d.root(root)
	if deref(root).Kind != yaml.MappingNode {
		return nil, d.errs // nothing else can be said
	}
	for _, e := range validateSpec(&d.spec) {
		if d.isBad(e.Field) {
			continue // already reported in its YAML form; the default it left would only confuse
		}
		if line := d.lineOf(e.Field); line > 0 {
			e.Message = fmt.Sprintf("line %d: %s", line, e.Message)
			d.errLine[e] = line
		}
		d.errs = append(d.errs, e)
	}
	if len(d.errs) > 0 {
		sort.SliceStable(d.errs, func(i, j int) bool { return d.errLine[d.errs[i]] < d.errLine[d.errs[j]] })
		return nil, d.errs
	}
	return &d.spec, nil
}

// decodeYAML returns the root node of the single document in data.
func decodeYAML(data []byte) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, emptySpec()
		}
		return nil, yamlError(err)
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case errors.Is(err, io.EOF):
	case err != nil:
		return nil, yamlError(err)
	default:
		return nil, bonfire.Errors{{Code: bonfire.ECodeInvalid,
			Message: fmt.Sprintf("line %d: a second YAML document starts here", next.Line),
			Hint:    "put one job in each file"}}
	}
	root := &doc
	if root.Kind == yaml.DocumentNode {
		if len(root.Content) == 0 {
			return nil, emptySpec()
		}
		root = root.Content[0]
	}
	if isNull(root) {
		return nil, emptySpec()
	}
	return root, nil
}

func emptySpec() error {
	return bonfire.Errors{{Code: bonfire.ECodeInvalid, Message: "the spec is empty",
		Hint: "start with apiVersion: bonfire/v1, kind: Job, name and module"}}
}

func yamlError(err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	return bonfire.Errors{{Code: bonfire.ECodeInvalid, Message: "not valid YAML: " + msg,
		Hint: "fix the YAML syntax; indent with spaces, and quote values that start with { or *"}}
}

var rootFields = []string{"apiVersion", "kind", "name", "executor", "module", "image", "args", "env", "inputs",
	"outputs", "resources", "count", "matrix", "timeout", "retries", "maxPrice", "maxGpuPrice", "network", "determinism", "summary", "verify"}

// movedFields are names people put at the top level that belong elsewhere.
var movedFields = map[string]string{
	"cpu": "resources.cpu", "memory": "resources.memory", "gpu": "resources.gpu",
	"seed": "determinism.seed", "deterministic": "determinism.deterministic",
	"clock": "determinism.clock", "random": "determinism.random",
	"source": "inputs[].source", "path": "inputs[].path",
	"file": "summary.file", "metric": "summary.metric", "order": "summary.order",
	"params": "matrix", "parameters": "matrix", "sweep": "matrix",
	"replicas": "count", "replicate": "verify.replicate", "gpuPrice": "maxGpuPrice", "maxGPUPrice": "maxGpuPrice",
	"numeric": "verify.numeric", "homogeneous": "verify.homogeneous", "minReputation": "verify.minReputation", "policy": "verify.policy", "price": "maxPrice", "environment": "env", "command": "args",
}

// sandboxFields are what container tools accept to widen a container. A
// job has no such fields: a task sees only its inputs, read-only, and its
// output directory, unprivileged and with no capabilities.
var sandboxFields = map[string]bool{
	"privileged": true, "capAdd": true, "cap_add": true, "capabilities": true, "volumes": true, "mounts": true,
	"binds": true, "devices": true, "hostPath": true, "hostNetwork": true, "securityOpt": true, "security_opt": true,
	"user": true, "pid": true, "ipc": true, "runtime": true,
}

const sandboxHint = "jobs cannot widen the container: it runs unprivileged with no capabilities, sees only its inputs (read-only) and outputs, and has the network only with network: true"

// decoder turns YAML nodes into a JobSpec, reporting shape problems (wrong
// type, unknown field, unparsable quantity) with their lines. Value rules
// are left to validateSpec so JSON submissions meet the same ones.
type decoder struct {
	spec    bonfire.JobSpec
	errs    bonfire.Errors
	errLine map[*bonfire.Error]int
	lines   map[string]int  // field path → line, to place validateSpec's errors
	bad     map[string]bool // field paths already reported
}

func (d *decoder) fail(n *yaml.Node, field, hint, format string, args ...any) {
	e := &bonfire.Error{Code: bonfire.ECodeInvalid, Field: field, Message: fmt.Sprintf(format, args...), Hint: hint}
	if n != nil && n.Line > 0 {
		e.Message = fmt.Sprintf("line %d: %s", n.Line, e.Message)
		d.errLine[e] = n.Line
	}
	d.errs = append(d.errs, e)
	d.bad[field] = true
}

// isBad reports whether field or a field containing it failed to decode.
func (d *decoder) isBad(field string) bool {
	for p := field; p != ""; p = parentPath(p) {
		if d.bad[p] {
			return true
		}
	}
	return false
}

func (d *decoder) lineOf(field string) int {
	for p := field; p != ""; p = parentPath(p) {
		if l, ok := d.lines[p]; ok {
			return l
		}
	}
	return 0
}

// parentPath cuts the last step off a field path: "inputs[0].path" →
// "inputs[0]" → "inputs".
func parentPath(p string) string {
	if strings.HasSuffix(p, "]") {
		if i := strings.LastIndexByte(p, '['); i >= 0 {
			return p[:i]
		}
	}
	if i := strings.LastIndexByte(p, '.'); i >= 0 {
		return p[:i]
	}
	return ""
}

func joinPath(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}

// deref follows aliases; a chain that does not end is left as an alias,
// which every caller rejects as the wrong kind of node.
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && n.Alias != nil && i < 32; i++ {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool {
	n = deref(n)
	return n == nil || n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

func kindName(n *yaml.Node) string {
	switch deref(n).Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return "a single value"
	}
	return "an alias"
}

type field struct {
	key  string
	path string
	val  *yaml.Node
}

// mapping lists the fields of a mapping node, reporting duplicate and, when
// known is not nil, unknown keys.
func (d *decoder) mapping(n *yaml.Node, path string, known []string, moved map[string]string) []field {
	n = deref(n)
	if n.Kind != yaml.MappingNode {
		what := path
		if what == "" {
			what = "the spec"
		}
		d.fail(n, path, "write fields as key: value lines", "%s must be a mapping of fields, not %s", what, kindName(n))
		return nil
	}
	var out []field
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := deref(n.Content[i]), n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			d.fail(k, path, "use plain names as keys", "a key is %s", kindName(k))
			continue
		}
		p := joinPath(path, k.Value)
		if first, dup := seen[k.Value]; dup {
			d.fail(k, p, "remove one of them", "%s is given twice (first at line %d)", clip(k.Value), first)
			continue
		}
		seen[k.Value] = k.Line
		if known != nil && !contains(known, k.Value) {
			hint := didYouMean(k.Value, known)
			if to, ok := moved[k.Value]; ok {
				hint = "did you mean " + to + "?"
			}
			if sandboxFields[k.Value] {
				hint = sandboxHint
			}
			if k.Value == "<<" {
				hint = "merge keys are not supported; write the fields out, or use an alias for a whole value"
			}
			d.fail(k, p, hint, "unknown field %q", clip(k.Value))
			continue
		}
		d.lines[p] = k.Line
		out = append(out, field{key: k.Value, path: p, val: v})
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// root decodes the top-level mapping and fills the defaults of every field
// that was left out (or written with no value).
func (d *decoder) root(n *yaml.Node) {
	s := &d.spec
	given := map[string]*yaml.Node{}
	var module, image string
	var network bool
	for _, f := range d.mapping(n, "", rootFields, movedFields) {
		if isNull(f.val) {
			continue
		}
		given[f.key] = f.val
		switch f.key {
		case "apiVersion":
			s.APIVersion, _ = d.text(f.val, f.path)
		case "kind":
			s.Kind, _ = d.text(f.val, f.path)
		case "name":
			s.Name, _ = d.text(f.val, f.path)
		case "executor":
			s.Executor, _ = d.text(f.val, f.path)
		case "module":
			module, _ = d.text(f.val, f.path)
		case "image":
			image, _ = d.text(f.val, f.path)
		case "args":
			d.args(f)
		case "env":
			d.env(f)
		case "inputs":
			d.inputs(f)
		case "outputs":
			s.Outputs, _ = d.text(f.val, f.path)
		case "resources":
			d.resources(f)
		case "count":
			if v, ok := d.integer(f.val, f.path); ok {
				s.Count = clampInt(v)
			}
		case "matrix":
			d.matrix(f)
		case "timeout":
			d.timeout(f)
		case "retries":
			if v, ok := d.integer(f.val, f.path); ok {
				s.Retries = clampInt(v)
			}
		case "maxPrice":
			s.MaxPrice, _ = d.unsigned(f.val, f.path)
		case "maxGpuPrice":
			s.MaxGPUPrice, _ = d.unsigned(f.val, f.path)
		case "network":
			network, _ = d.boolean(f.val, f.path)
		case "determinism":
			d.determinism(f)
		case "summary":
			d.summary(f)
		case "verify":
			d.verify(f)
		}
	}

	if given["executor"] == nil {
		s.Executor = DefaultExecutor
	}
	s.Module = module
	switch s.Executor {
	case bonfire.ExecutorDocker:
		s.Module = image
		if given["module"] != nil {
			d.fail(given["module"], "module", "write image: instead of module: for executor: docker",
				"executor docker runs an image, not a module")
		}
	case bonfire.ExecutorWASM:
		if given["image"] != nil {
			d.fail(given["image"], "image", "write module: ./x.wasm, or set executor: docker",
				"image is only for executor: docker")
		}
	default:
		if s.Module == "" {
			s.Module = image
		}
	}
	if given["outputs"] == nil {
		s.Outputs = DefaultOutputs
	}
	if given["count"] == nil && len(s.Matrix) == 0 {
		s.Count = 1
	}
	if given["timeout"] == nil {
		s.Timeout = bonfire.Duration(DefaultTimeout)
	}
	if given["retries"] == nil {
		s.Retries = DefaultRetries
	}
	if given["resources"] == nil {
		s.Resources = bonfire.Resources{CPUMilli: DefaultCPUMilli, MemoryBytes: DefaultMemoryBytes}
	}
	if given["determinism"] == nil {
		s.Determinism = bonfire.Determinism{Deterministic: true}
	}
	s.Resources.Network = network
}

// clampInt keeps a YAML integer inside int without wrapping, so a huge
// count is reported as too large rather than as some other number.
func clampInt(v int64) int {
	const maxInt = int64(^uint(0) >> 1)
	if v > maxInt {
		return int(maxInt)
	}
	if v < -maxInt {
		return int(-maxInt)
	}
	return int(v)
}

func (d *decoder) text(n *yaml.Node, path string) (string, bool) {
	n = deref(n)
	if n.Kind != yaml.ScalarNode {
		d.fail(n, path, "write "+lastPart(path)+" as a single value", "%s must be a single value, not %s", lastPart(path), kindName(n))
		return "", false
	}
	return n.Value, true
}

func (d *decoder) integer(n *yaml.Node, path string) (int64, bool) {
	n = deref(n)
	v, ok := d.text(n, path)
	if !ok {
		return 0, false
	}
	var i int64
	if n.ShortTag() == "!!int" && n.Decode(&i) == nil {
		return i, true
	}
	d.fail(n, path, d.numberHint(n), "%q is not a whole number", clip(v))
	return 0, false
}

func (d *decoder) unsigned(n *yaml.Node, path string) (uint64, bool) {
	n = deref(n)
	v, ok := d.text(n, path)
	if !ok {
		return 0, false
	}
	var u uint64
	if n.ShortTag() == "!!int" && n.Decode(&u) == nil {
		return u, true
	}
	if n.ShortTag() == "!!int" && strings.HasPrefix(v, "-") {
		d.fail(n, path, "give 0 or more", "%s is negative", clip(v))
		return 0, false
	}
	d.fail(n, path, d.numberHint(n), "%q is not a whole number from 0 to 18446744073709551615", clip(v))
	return 0, false
}

func (d *decoder) numberHint(n *yaml.Node) string {
	if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
		return "write the number without quotes"
	}
	return "write a whole number such as 3"
}

func (d *decoder) boolean(n *yaml.Node, path string) (bool, bool) {
	n = deref(n)
	v, ok := d.text(n, path)
	if !ok {
		return false, false
	}
	var b bool
	if n.ShortTag() == "!!bool" && n.Decode(&b) == nil {
		return b, true
	}
	d.fail(n, path, "write true or false, without quotes", "%q is not true or false", clip(v))
	return false, false
}

func (d *decoder) sequence(f field, example string) []*yaml.Node {
	n := deref(f.val)
	if n.Kind != yaml.SequenceNode {
		d.fail(n, f.path, "write "+f.key+" as a list, e.g. "+example, "%s must be a list, not %s", f.key, kindName(n))
		return nil
	}
	return n.Content
}

func (d *decoder) args(f field) {
	items := d.sequence(f, `args: ["--lr", "{{.lr}}"]`)
	args := make([]string, len(items))
	for i, item := range items {
		p := fmt.Sprintf("%s[%d]", f.path, i)
		d.lines[p] = item.Line
		item = deref(item)
		switch {
		case isNull(item):
			d.fail(item, p, `write "" for an empty argument`, "arg has no value")
		case item.Kind != yaml.ScalarNode:
			d.fail(item, p, `quote args that start with { or [, e.g. "{{.lr}}"`, "arg must be text, not %s", kindName(item))
		default:
			args[i] = item.Value
		}
	}
	d.spec.Args = args
}

func (d *decoder) env(f field) {
	env := map[string]string{}
	for _, e := range d.mapping(f.val, f.path, nil, nil) {
		v := deref(e.val)
		switch {
		case isNull(v):
			env[e.key] = ""
		case v.Kind != yaml.ScalarNode:
			d.fail(v, e.path, "write the value as text, quoting it if needed", "value must be text, not %s", kindName(v))
		default:
			env[e.key] = v.Value
		}
	}
	d.spec.Env = env
}

func (d *decoder) inputs(f field) {
	items := d.sequence(f, "inputs: [{source: ./data, path: /data}]")
	inputs := make([]bonfire.Input, len(items))
	for i, item := range items {
		p := fmt.Sprintf("%s[%d]", f.path, i)
		d.lines[p] = item.Line
		if isNull(item) {
			d.fail(item, p, "give source and path, e.g. {source: ./data, path: /data}", "input has no value")
			continue
		}
		for _, g := range d.mapping(item, p, []string{"source", "path"}, nil) {
			if isNull(g.val) {
				continue
			}
			switch g.key {
			case "source":
				inputs[i].Source, _ = d.text(g.val, g.path)
			case "path":
				inputs[i].Path, _ = d.text(g.val, g.path)
			}
		}
	}
	d.spec.Inputs = inputs
}

func (d *decoder) resources(f field) {
	r := bonfire.Resources{CPUMilli: DefaultCPUMilli, MemoryBytes: DefaultMemoryBytes}
	for _, g := range d.mapping(f.val, f.path, []string{"cpu", "memory", "gpu"}, nil) {
		if isNull(g.val) {
			continue
		}
		switch g.key {
		case "cpu":
			if v, ok := d.quantity(g, ParseQuantityCPU); ok {
				r.CPUMilli = v
			}
		case "memory":
			if v, ok := d.quantity(g, ParseBytes); ok {
				r.MemoryBytes = v
			}
		case "gpu":
			r.GPU = d.gpu(g)
		}
	}
	d.spec.Resources = r
}

func (d *decoder) quantity(f field, parse func(string) (int64, error)) (int64, bool) {
	s, ok := d.text(f.val, f.path)
	if !ok {
		return 0, false
	}
	v, err := parse(s)
	if err != nil {
		var e *bonfire.Error
		if errors.As(err, &e) {
			d.fail(deref(f.val), f.path, e.Hint, "%s", e.Message)
		} else {
			d.fail(deref(f.val), f.path, "", "%v", err)
		}
		return 0, false
	}
	return v, true
}

func (d *decoder) gpu(f field) *bonfire.GPURequest {
	g := &bonfire.GPURequest{Count: 1}
	for _, h := range d.mapping(f.val, f.path, []string{"count", "model", "memory"}, nil) {
		if isNull(h.val) {
			continue
		}
		switch h.key {
		case "count":
			if v, ok := d.integer(h.val, h.path); ok {
				g.Count = clampInt(v)
			}
		case "model":
			g.Model, _ = d.text(h.val, h.path)
		case "memory":
			if v, ok := d.quantity(h, ParseBytes); ok {
				g.MemoryBytes = v
			}
		}
	}
	return g
}

// matrix keeps the axes in the order written: that order decides how tasks
// are numbered.
func (d *decoder) matrix(f field) {
	fields := d.mapping(f.val, f.path, nil, nil)
	if len(fields) == 0 && deref(f.val).Kind == yaml.MappingNode {
		d.fail(deref(f.val), f.path, "list parameters, e.g. matrix: {lr: [0.1, 0.01]}, or use count", "matrix has no parameters")
	}
	params := make([]bonfire.MatrixParam, 0, len(fields))
	for _, a := range fields {
		p := bonfire.MatrixParam{Name: a.key}
		v := deref(a.val)
		switch {
		case isNull(v):
		case v.Kind != yaml.SequenceNode:
			d.fail(v, a.path, "write the values as a list, e.g. "+clip(a.key)+": [0.1, 0.01]", "parameter values must be a list, not %s", kindName(v))
		default:
			p.Values = make([]string, len(v.Content))
			for j, item := range v.Content {
				vp := fmt.Sprintf("%s[%d]", a.path, j)
				d.lines[vp] = item.Line
				item = deref(item)
				switch {
				case isNull(item):
					d.fail(item, vp, `write "" for an empty value`, "value is missing")
					d.bad[a.path] = true
				case item.Kind != yaml.ScalarNode:
					d.fail(item, vp, "list plain values such as numbers or words", "value must be a single value, not %s", kindName(item))
					d.bad[a.path] = true
				default:
					p.Values[j] = item.Value
				}
			}
		}
		params = append(params, p)
	}
	d.spec.Matrix = params
}

func (d *decoder) timeout(f field) {
	n := deref(f.val)
	s, ok := d.text(n, f.path)
	if !ok {
		return
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		hint := `write durations like "90s", "10m" or "2h"`
		if n.ShortTag() == "!!int" {
			hint = "add a unit, e.g. " + s + "s or " + s + "m"
		}
		d.fail(n, f.path, hint, "%q is not a duration", clip(s))
		return
	}
	d.spec.Timeout = bonfire.Duration(v)
}

func (d *decoder) determinism(f field) {
	det := bonfire.Determinism{Deterministic: true}
	for _, g := range d.mapping(f.val, f.path, []string{"deterministic", "clock", "random", "seed"}, nil) {
		if isNull(g.val) {
			continue
		}
		switch g.key {
		case "deterministic":
			if v, ok := d.boolean(g.val, g.path); ok {
				det.Deterministic = v
			}
		case "clock":
			det.Clock, _ = d.boolean(g.val, g.path)
		case "random":
			det.Random, _ = d.boolean(g.val, g.path)
		case "seed":
			det.Seed, _ = d.unsigned(g.val, g.path)
		}
	}
	d.spec.Determinism = det
}

func (d *decoder) summary(f field) {
	sum := &bonfire.Summary{Order: DefaultOrder}
	for _, g := range d.mapping(f.val, f.path, []string{"file", "metric", "order"}, nil) {
		if isNull(g.val) {
			continue
		}
		switch g.key {
		case "file":
			sum.File, _ = d.text(g.val, g.path)
		case "metric":
			sum.Metric, _ = d.text(g.val, g.path)
		case "order":
			sum.Order, _ = d.text(g.val, g.path)
		}
	}
	d.spec.Summary = sum
}
