package jobspec

import (
	"fmt"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"text/template"
	"time"
	"unicode/utf8"

	"github.com/bonfirenet/bonfire"
)

// Limits and defaults. They are part of the spec format; docs/jobspec.md
// lists them.
const (
	MaxSpecBytes       = 1 << 20 // a YAML spec, before parsing
	MaxTasks           = 100000  // tasks per job
	MaxMatrixAxes      = 32
	MaxParamValueBytes = 1024
	MaxArgs            = 256
	MaxArgBytes        = 16 << 10 // one arg, as written and as rendered
	MaxEnv             = 256
	MaxEnvValueBytes   = 16 << 10
	MaxInputs          = 64
	MaxInputFiles      = 10000 // files across all inputs of a resolved spec
	MaxGuestPathBytes  = 1024
	MaxCPUMilli        = 1024 * 1000
	MaxWASMMemoryBytes = 4 * GiB // wasm32 cannot address more
	MinWASMMemoryBytes = 64 * KiB
	MaxGPUs            = 64
	MinTimeout         = time.Second
	MaxTimeout         = 24 * time.Hour
	MaxRetries         = 10

	DefaultExecutor    = bonfire.ExecutorWASM
	DefaultOutputs     = "/out"
	DefaultCPUMilli    = 1000
	DefaultMemoryBytes = 256 * MiB
	DefaultTimeout     = 10 * time.Minute
	DefaultRetries     = 2
	DefaultOrder       = "desc"

	maxNameLen = 63
)

// numberRE is what counts as a number in a matrix axis: decimal integers
// and floats as written in YAML or JSON. The text decides, not the YAML
// tag, so a spec re-submitted as JSON is judged the same way.
var numberRE = regexp.MustCompile(`^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$`)

// checker collects problems; every rule adds to it and none stops the others.
type checker struct{ errs bonfire.Errors }

func (c *checker) add(field, hint, format string, args ...any) {
	c.errs = append(c.errs, &bonfire.Error{
		Code: bonfire.ECodeInvalid, Field: field, Message: fmt.Sprintf(format, args...), Hint: hint,
	})
}

func (c *checker) addErr(field string, err error) {
	if e, ok := err.(*bonfire.Error); ok {
		c.errs = append(c.errs, &bonfire.Error{Code: e.Code, Field: field, Message: e.Message, Hint: e.Hint})
		return
	}
	c.add(field, "", "%v", err)
}

// validateSpec holds every rule a spec must meet whether it came from YAML
// or JSON, resolved or not. Parse runs it after decoding and filling
// defaults; CheckResolved and Expand run it on structs as they are.
func validateSpec(s *bonfire.JobSpec) bonfire.Errors {
	c := &checker{}
	if s == nil {
		c.add("", "", "the job spec is missing")
		return c.errs
	}
	c.header(s)
	c.name(s.Name)
	c.executorAndModule(s)
	matrixOK := c.tasks(s)
	argsOK := c.args(s)
	if matrixOK && argsOK {
		c.renderSample(s)
	}
	c.env(s)
	c.inputs(s)
	c.guestPath("outputs", s.Outputs, "outputs: /out")
	c.resources(s)
	c.timing(s)
	c.summary(s.Summary)
	c.verify(s)
	return c.errs
}

func (c *checker) header(s *bonfire.JobSpec) {
	switch s.APIVersion {
	case bonfire.APIVersion:
	case "":
		c.add("apiVersion", "start the spec with apiVersion: "+bonfire.APIVersion, "apiVersion is required")
	default:
		c.add("apiVersion", "use apiVersion: "+bonfire.APIVersion, "%q is not a supported apiVersion", clip(s.APIVersion))
	}
	switch s.Kind {
	case bonfire.KindJob:
	case "":
		c.add("kind", "add kind: "+bonfire.KindJob, "kind is required")
	default:
		c.add("kind", "use kind: "+bonfire.KindJob, "%q is not a supported kind", clip(s.Kind))
	}
}

const nameHint = "use lower-case letters, digits and '-', starting and ending with a letter or digit, e.g. lr-sweep"

func (c *checker) name(name string) {
	switch {
	case name == "":
		c.add("name", "add a name, e.g. name: lr-sweep", "name is required")
	case len(name) > maxNameLen:
		c.add("name", "shorten the name to 63 characters or fewer", "name is %d characters long, more than %d", len(name), maxNameLen)
	case !isJobName(name):
		c.add("name", nameHint, "%q is not a valid name", clip(name))
	}
}

func (c *checker) executorAndModule(s *bonfire.JobSpec) {
	switch s.Executor {
	case bonfire.ExecutorWASM:
		c.module(s.Module)
	case bonfire.ExecutorDocker:
		c.image(s.Module)
	case "":
		c.add("executor", "use executor: wasm", "executor is required")
	default:
		c.add("executor", didYouMean(s.Executor, []string{bonfire.ExecutorWASM, bonfire.ExecutorDocker}),
			"%q is not an executor", clip(s.Executor))
	}
}

func (c *checker) module(m string) {
	switch {
	case m == "":
		c.add("module", "name the module file, e.g. module: ./train.wasm, or its digest sha256:…", "module is required")
	case bonfire.IsDigest(m):
		if err := bonfire.Digest(m).Validate(); err != nil {
			c.addErr("module", err)
		}
	case strings.ContainsRune(m, 0):
		c.add("module", "name the module file, e.g. module: ./train.wasm", "module path contains a NUL byte")
	}
}

// image checks a docker image reference loosely; the docker executor owns
// the exact grammar. Docker specs keep the image in JobSpec.Module.
func (c *checker) image(ref string) {
	switch {
	case ref == "":
		c.add("image", "name the image, e.g. image: python:3.12@sha256:…", "image is required")
	case strings.IndexFunc(ref, func(r rune) bool { return r <= ' ' || r == 0x7f }) >= 0:
		c.add("image", "write the reference without spaces, e.g. python:3.12", "%q is not an image reference", clip(ref))
	}
}

// tasks checks count and matrix and reports whether the matrix is sound
// enough to render templates with.
func (c *checker) tasks(s *bonfire.JobSpec) bool {
	if len(s.Matrix) == 0 {
		switch {
		case s.Count < 1:
			c.add("count", "write count: 1 or more, or give a matrix", "count is %d, must be at least 1", s.Count)
		case s.Count > MaxTasks:
			c.add("count", fmt.Sprintf("split the job; at most %d tasks per job", MaxTasks), "count is %d, more than %d", s.Count, MaxTasks)
		}
		return true
	}
	before := len(c.errs)
	if s.Count != 0 {
		c.add("count", "remove count: a matrix job runs one task per combination", "count and matrix cannot both be set")
	}
	if len(s.Matrix) > MaxMatrixAxes {
		c.add("matrix", "combine or drop parameters", "matrix has %d parameters, more than %d", len(s.Matrix), MaxMatrixAxes)
	}
	names := map[string]bool{}
	envNames := map[string]string{}
	for _, p := range s.Matrix {
		c.matrixAxis(p, names, envNames)
	}
	if n := TaskCount(s); n < 0 {
		c.add("matrix", fmt.Sprintf("split the sweep; at most %d tasks per job", MaxTasks),
			"matrix expands to %s tasks, more than %d", productText(s.Matrix), MaxTasks)
	}
	return len(c.errs) == before
}

func (c *checker) matrixAxis(p bonfire.MatrixParam, names map[string]bool, envNames map[string]string) {
	field := "matrix." + p.Name
	switch {
	case !isIdentifier(p.Name):
		c.add(field, "use letters, digits and _, starting with a letter or _, e.g. learning_rate",
			"%q is not a valid parameter name", clip(p.Name))
	case p.Name == BuiltinIndex || p.Name == BuiltinSeed || p.Name == BuiltinCount:
		c.add(field, "rename the parameter; index, seed and count are built in", "%q is a reserved name", p.Name)
	case names[p.Name]:
		c.add(field, "list each parameter once", "parameter %q is given twice", p.Name)
	case strings.HasPrefix(ParamEnvName(p.Name), EnvReservedPrefix):
		c.add(field, "rename the parameter; names starting with bonfire_ are reserved", "%q is a reserved name", p.Name)
	case envNames[ParamEnvName(p.Name)] != "":
		c.add(field, "rename one of them", "parameters %q and %q both become $%s",
			envNames[ParamEnvName(p.Name)], p.Name, ParamEnvName(p.Name))
	}
	names[p.Name] = true
	if envNames[ParamEnvName(p.Name)] == "" {
		envNames[ParamEnvName(p.Name)] = p.Name
	}
	if len(p.Values) == 0 {
		c.add(field, "list at least one value, e.g. "+p.Name+": [0.1, 0.01]", "parameter %s has no values", p.Name)
		return
	}
	numbers := 0
	for _, v := range p.Values {
		if numberRE.MatchString(v) {
			numbers++
		}
	}
	numeric := numbers*2 > len(p.Values) || numbers*2 == len(p.Values) && numberRE.MatchString(p.Values[0])
	seen := make(map[string]int, len(p.Values))
	for j, v := range p.Values {
		vf := fmt.Sprintf("%s[%d]", field, j)
		switch {
		case len(v) > MaxParamValueBytes:
			c.add(vf, "pass long values as input files", "value is %d bytes, more than %d", len(v), MaxParamValueBytes)
		case strings.ContainsRune(v, 0):
			c.add(vf, "remove the NUL byte", "value contains a NUL byte")
		case numeric && !numberRE.MatchString(v):
			c.add(vf, fmt.Sprintf("the other values of %s are numbers; make every value a number, or none", p.Name),
				"%q is not a number", clip(v))
		case !numeric && numberRE.MatchString(v):
			c.add(vf, fmt.Sprintf("the other values of %s are not numbers; make every value a number, or none (e.g. v%s)", p.Name, clip(v)),
				"%s is a number", clip(v))
		}
		if k, dup := seen[v]; dup {
			c.add(vf, "remove the repeated value", "%q is also %s[%d]", clip(v), field, k)
		} else {
			seen[v] = j
		}
	}
}

// productText writes the size of a sweep too large for an int.
func productText(axes []bonfire.MatrixParam) string {
	n := uint64(1)
	for _, p := range axes {
		l := uint64(len(p.Values))
		if l != 0 && n > ^uint64(0)/l {
			return "more than 2^64"
		}
		n *= l
	}
	return strconv.FormatUint(n, 10)
}

// args compiles every arg and checks what it refers to; it reports whether
// all compiled cleanly.
func (c *checker) args(s *bonfire.JobSpec) bool {
	before := len(c.errs)
	if len(s.Args) > MaxArgs {
		c.add("args", "pass long argument lists in an input file", "%d args, more than %d", len(s.Args), MaxArgs)
		return false
	}
	known := append([]string(nil), builtinNames...)
	for _, p := range s.Matrix {
		known = append(known, p.Name)
	}
	knownSet := map[string]bool{}
	for _, k := range known {
		knownSet[k] = true
	}
	for i, a := range s.Args {
		f := argField(i)
		if len(a) > MaxArgBytes {
			c.add(f, "pass large data as an input file", "arg is %d bytes, more than %d", len(a), MaxArgBytes)
			continue
		}
		if strings.ContainsRune(a, 0) {
			c.add(f, "remove the NUL byte", "arg contains a NUL byte")
			continue
		}
		t, e := compileArg(a)
		if e != nil {
			c.errs = append(c.errs, e.WithField(f))
			continue
		}
		reported := map[string]bool{}
		for _, ref := range argReferences(t) {
			if knownSet[ref] || reported[ref] {
				continue
			}
			reported[ref] = true
			c.add(f, didYouMean(ref, known), "{{.%s}} refers to %q, which is neither a matrix parameter nor index, seed or count", ref, ref)
		}
	}
	return len(c.errs) == before
}

// renderSample renders the args of the first and last task so that a
// template that type-checks but cannot execute is reported at parse time.
func (c *checker) renderSample(s *bonfire.JobSpec) {
	total := TaskCount(s)
	if len(s.Args) == 0 || total < 1 {
		return
	}
	compiled := make([]*template.Template, len(s.Args))
	for i, a := range s.Args {
		compiled[i], _ = compileArg(a) // args already compiled cleanly
	}
	for _, index := range []int{0, total - 1} {
		params := Params(s, index)
		data := argData(params, index, total, TaskSeed(s.Determinism.Seed, index))
		for i, t := range compiled {
			if _, e := renderArg(t, data); e != nil {
				e.Message = "task " + strconv.Itoa(index) + ": " + e.Message
				c.errs = append(c.errs, e.WithField(argField(i)))
				return
			}
		}
		if total == 1 {
			return
		}
	}
}

func (c *checker) env(s *bonfire.JobSpec) {
	if len(s.Env) > MaxEnv {
		c.add("env", "pass configuration in an input file", "%d variables, more than %d", len(s.Env), MaxEnv)
		return
	}
	fromParam := map[string]string{}
	for _, p := range s.Matrix {
		fromParam[ParamEnvName(p.Name)] = p.Name
	}
	keys := make([]string, 0, len(s.Env))
	for k := range s.Env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		f := "env." + k
		v := s.Env[k]
		switch {
		case !isEnvName(k):
			c.add(f, "use letters, digits and _, not starting with a digit, e.g. LOG_LEVEL", "%q is not a valid variable name", clip(k))
		case strings.HasPrefix(k, EnvReservedPrefix):
			c.add(f, "rename the variable; Bonfire sets the BONFIRE_ variables itself", "%q is reserved", clip(k))
		case fromParam[k] != "":
			c.add(f, "rename the variable or the parameter", "%q is also set from matrix parameter %s", k, fromParam[k])
		}
		switch {
		case len(v) > MaxEnvValueBytes:
			c.add(f, "pass large data as an input file", "value is %d bytes, more than %d", len(v), MaxEnvValueBytes)
		case strings.ContainsRune(v, 0):
			c.add(f, "remove the NUL byte", "value contains a NUL byte")
		}
	}
}

func (c *checker) inputs(s *bonfire.JobSpec) {
	if len(s.Inputs) > MaxInputs {
		c.add("inputs", "put the files in fewer directories", "%d inputs, more than %d", len(s.Inputs), MaxInputs)
		return
	}
	paths := map[string]int{}
	files := 0
	for i, in := range s.Inputs {
		f := fmt.Sprintf("inputs[%d]", i)
		switch {
		case in.Source == "" && len(in.Files) == 0:
			c.add(f+".source", "name a local file or directory, e.g. source: ./data", "source is required")
		case bonfire.IsDigest(in.Source):
			if err := bonfire.Digest(in.Source).Validate(); err != nil {
				c.addErr(f+".source", err)
			}
		case strings.ContainsRune(in.Source, 0):
			c.add(f+".source", "name a local file or directory, e.g. source: ./data", "source contains a NUL byte")
		}
		if c.guestPath(f+".path", in.Path, "path: /data") {
			if k, dup := paths[in.Path]; dup {
				c.add(f+".path", "give each input its own path", "%q is also inputs[%d].path", in.Path, k)
			} else {
				paths[in.Path] = i
			}
			if overlaps(in.Path, s.Outputs) {
				c.add(f+".path", "mount inputs and outputs at separate directories, e.g. /data and /out",
					"%q overlaps outputs %q", in.Path, s.Outputs)
			}
		}
		c.files(f+".files", in.Files)
		files += len(in.Files)
	}
	if files > MaxInputFiles {
		c.add("inputs", "pack small files into an archive", "%d input files, more than %d", files, MaxInputFiles)
	}
}

// files checks the resolved form of one input: either a single file with an
// empty name, or files with distinct relative slash paths.
func (c *checker) files(field string, files []bonfire.FileRef) {
	single := len(files) == 1 && files[0].Name == ""
	names := make(map[string]bool, len(files))
	for j, fr := range files {
		f := fmt.Sprintf("%s[%d]", field, j)
		if err := fr.Digest.Validate(); err != nil {
			c.addErr(f+".digest", err)
		}
		if fr.Size < 0 {
			c.add(f+".size", "give the file's size in bytes", "size is %d, must not be negative", fr.Size)
		}
		if single {
			continue
		}
		if !isRelativeFilePath(fr.Name) {
			c.add(f+".name", "name files by their slash-separated path below the input, e.g. train/a.csv",
				"%q is not a relative file path", clip(fr.Name))
			continue
		}
		if names[fr.Name] {
			c.add(f+".name", "list each file once", "%q is listed twice", fr.Name)
		}
		names[fr.Name] = true
	}
	if single {
		return
	}
	for name := range names {
		for dir := path.Dir(name); dir != "."; dir = path.Dir(dir) {
			if names[dir] {
				c.add(field, "a name cannot be both a file and a directory", "%q is a file but %q is below it", dir, name)
				break
			}
		}
	}
}

func isRelativeFilePath(name string) bool {
	if name == "" || strings.HasPrefix(name, "/") || strings.ContainsRune(name, 0) || strings.ContainsRune(name, '\\') || !utf8.ValidString(name) {
		return false
	}
	return path.Clean(name) == name && name != "." && name != ".." && !strings.HasPrefix(name, "../")
}

// guestPath checks an absolute path inside the task's filesystem and
// reports whether it is usable.
func (c *checker) guestPath(field, p, example string) bool {
	switch {
	case p == "":
		c.add(field, "give a guest directory, e.g. "+example, "%s is required", lastPart(field))
	case len(p) > MaxGuestPathBytes:
		c.add(field, "use a shorter path", "path is %d bytes, more than %d", len(p), MaxGuestPathBytes)
	case strings.ContainsRune(p, 0):
		c.add(field, "remove the NUL byte", "path contains a NUL byte")
	case !strings.HasPrefix(p, "/"):
		c.add(field, "write guest paths from the root, e.g. "+example, "%q is not an absolute path", clip(p))
	case hasDotDot(p):
		c.add(field, "name the directory directly, e.g. "+example, "%q contains ..", clip(p))
	case path.Clean(p) != p:
		c.add(field, "write it as "+path.Clean(p), "%q is not a clean path", clip(p))
	case p == "/":
		c.add(field, "use a directory below the root, e.g. "+example, `"/" is the whole guest filesystem`)
	default:
		return true
	}
	return false
}

func hasDotDot(p string) bool {
	for _, part := range strings.Split(p, "/") {
		if part == ".." {
			return true
		}
	}
	return false
}

// overlaps reports whether one clean absolute path is, or is inside, the
// other.
func overlaps(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	return a == b || strings.HasPrefix(a, strings.TrimSuffix(b, "/")+"/") || strings.HasPrefix(b, strings.TrimSuffix(a, "/")+"/")
}

func lastPart(field string) string {
	if i := strings.LastIndexByte(field, '.'); i >= 0 {
		return field[i+1:]
	}
	return field
}

func (c *checker) resources(s *bonfire.JobSpec) {
	r := s.Resources
	switch {
	case r.CPUMilli <= 0:
		c.add("resources.cpu", cpuHint, "cpu is %s, must be more than 0", FormatCPU(r.CPUMilli))
	case r.CPUMilli > MaxCPUMilli:
		c.add("resources.cpu", "ask for at most 1024 cores", "cpu is %s cores, more than %d", FormatCPU(r.CPUMilli), MaxCPUMilli/1000)
	}
	wasm := s.Executor == bonfire.ExecutorWASM
	switch {
	case r.MemoryBytes <= 0:
		c.add("resources.memory", bytesHint, "memory is %s, must be more than 0", FormatBytes(r.MemoryBytes))
	case wasm && r.MemoryBytes > MaxWASMMemoryBytes:
		c.add("resources.memory", "wasm32 modules address at most 4Gi; ask for 4Gi or less, or use executor: docker",
			"memory is %s, more than the wasm limit of 4Gi", FormatBytes(r.MemoryBytes))
	case wasm && r.MemoryBytes < MinWASMMemoryBytes:
		c.add("resources.memory", "ask for at least 64Ki, one wasm page; 256Mi is the default",
			"memory is %s, less than one wasm page", FormatBytes(r.MemoryBytes))
	}
	if r.Network && s.Executor != bonfire.ExecutorDocker {
		c.add("network", "remove network: true, or use executor: docker", "only docker tasks can have the network")
	}
	if s.MaxGPUPrice > 0 && r.GPU == nil {
		c.add("maxGpuPrice", "remove maxGpuPrice, or ask for GPUs under resources.gpu", "maxGpuPrice is set but the job asks for no GPU")
	}
	g := r.GPU
	if g == nil {
		return
	}
	if wasm {
		c.add("resources.gpu", "remove resources.gpu, or use executor: docker", "the wasm executor cannot use GPUs")
	}
	if g.Count < 1 || g.Count > MaxGPUs {
		c.add("resources.gpu.count", "ask for 1 to 64 GPUs", "count is %d, must be 1 to %d", g.Count, MaxGPUs)
	}
	if _, err := path.Match(g.Model, ""); err != nil {
		c.add("resources.gpu.model", `write a glob pattern such as "*A100*"`, "%q is not a valid pattern", clip(g.Model))
	}
	if g.MemoryBytes < 0 {
		c.add("resources.gpu.memory", bytesHint, "memory is negative")
	}
}

func (c *checker) timing(s *bonfire.JobSpec) {
	switch d := s.Timeout.D(); {
	case d < MinTimeout:
		c.add("timeout", `give at least 1s, e.g. timeout: 10m`, "timeout is %s, less than 1s", d)
	case d > MaxTimeout:
		c.add("timeout", `give at most 24h; split longer work into tasks that checkpoint`, "timeout is %s, more than 24h", d)
	}
	if s.Retries < 0 || s.Retries > MaxRetries {
		c.add("retries", "give 0 to 10 retries", "retries is %d, must be 0 to %d", s.Retries, MaxRetries)
	}
}

func (c *checker) summary(sum *bonfire.Summary) {
	if sum == nil {
		return
	}
	switch {
	case sum.File == "":
		c.add("summary.file", "name a JSON file the task writes under outputs, e.g. file: metrics.json", "file is required")
	case !isRelativeFilePath(sum.File):
		c.add("summary.file", "give a path relative to outputs, e.g. file: metrics.json", "%q is not a relative path below outputs", clip(sum.File))
	}
	switch {
	case sum.Metric == "":
		c.add("summary.metric", "name a top-level key of the JSON file, e.g. metric: accuracy", "metric is required")
	case len(sum.Metric) > 256 || strings.ContainsRune(sum.Metric, 0):
		c.add("summary.metric", "name a top-level key of the JSON file, e.g. metric: accuracy", "%q is not a usable key", clip(sum.Metric))
	}
	if sum.Order != "desc" && sum.Order != "asc" {
		c.add("summary.order", "use order: desc (highest first) or order: asc", "%q is not an order", clip(sum.Order))
	}
}
