package jobspec

import (
	"strconv"
	"text/template"

	"github.com/bonfirenet/bonfire"
)

// Environment variables every task sees besides the spec's env and its
// parameters.
const (
	EnvTaskIndex   = "BONFIRE_TASK_INDEX"
	EnvTaskCount   = "BONFIRE_TASK_COUNT"
	EnvSeed        = "BONFIRE_SEED"
	EnvParamPrefix = "BONFIRE_PARAM_"
	// EnvReservedPrefix is refused in a spec's env so a consumer cannot
	// shadow what Bonfire sets.
	EnvReservedPrefix = "BONFIRE_"
)

// TaskSeed derives task index's seed from the job's base seed: the
// (index+1)-th output of SplitMix64 started at base. SplitMix64's finaliser
// is a bijection, so the seeds of one job are all distinct, and anyone (a
// provider, a verifier) can recompute them from the spec alone.
func TaskSeed(base uint64, index int) uint64 {
	z := base + (uint64(index)+1)*0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// TaskCount returns how many tasks spec expands to: Count, or the product
// of the matrix axis lengths. It returns -1 when that exceeds MaxTasks, so
// callers never overflow.
func TaskCount(spec *bonfire.JobSpec) int {
	if len(spec.Matrix) == 0 {
		if spec.Count > MaxTasks {
			return -1
		}
		return spec.Count
	}
	n := 1
	for _, p := range spec.Matrix {
		if len(p.Values) == 0 {
			return 0
		}
		if len(p.Values) > MaxTasks || n > MaxTasks/len(p.Values) {
			return -1
		}
		n *= len(p.Values)
	}
	return n
}

// Params returns the matrix parameters of task index: the cartesian product
// of the axes in the order written, the last axis varying fastest. It
// returns nil for a count job. index must be in [0, TaskCount(spec)).
func Params(spec *bonfire.JobSpec, index int) map[string]string {
	if len(spec.Matrix) == 0 {
		return nil
	}
	params := make(map[string]string, len(spec.Matrix))
	rest := index
	for i := len(spec.Matrix) - 1; i >= 0; i-- {
		axis := spec.Matrix[i]
		params[axis.Name] = axis.Values[rest%len(axis.Values)]
		rest /= len(axis.Values)
	}
	return params
}

// Expand turns a valid spec into its tasks, each queued at attempt 0 with
// ID jobID + "." + index, its parameters, rendered args, environment and
// seed. It checks spec with the same rules as Parse first, because it
// renders consumer templates and must never run on a spec nobody checked.
// QueuedAt is left for the caller, which owns the clock.
func Expand(spec *bonfire.JobSpec, jobID string) ([]*bonfire.Task, error) {
	if jobID == "" {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "job ID is empty").WithHint("pass the job's ID")
	}
	if errs := validateSpec(spec); len(errs) > 0 {
		return nil, errs
	}
	total := TaskCount(spec)
	compiled := make([]*template.Template, len(spec.Args))
	for i, a := range spec.Args {
		t, e := compileArg(a)
		if e != nil {
			return nil, bonfire.Errors{e.WithField(argField(i))}
		}
		compiled[i] = t
	}
	countText := strconv.Itoa(total)
	tasks := make([]*bonfire.Task, total)
	for index := range total {
		params := Params(spec, index)
		seed := TaskSeed(spec.Determinism.Seed, index)
		args, err := renderArgs(compiled, params, index, total, seed)
		if err != nil {
			return nil, err
		}
		env := make(map[string]string, len(spec.Env)+3+2*len(params))
		for k, v := range spec.Env {
			env[k] = v
		}
		env[EnvTaskIndex] = strconv.Itoa(index)
		env[EnvTaskCount] = countText
		env[EnvSeed] = strconv.FormatUint(seed, 10)
		for name, v := range params {
			env[ParamEnvName(name)] = v
			env[EnvParamPrefix+ParamEnvName(name)] = v
		}
		tasks[index] = &bonfire.Task{
			ID:      bonfire.TaskID(jobID, index),
			JobID:   jobID,
			Index:   index,
			Params:  params,
			Args:    args,
			Env:     env,
			Seed:    seed,
			State:   bonfire.TaskQueued,
			Attempt: 0,
		}
	}
	return tasks, nil
}

func renderArgs(compiled []*template.Template, params map[string]string, index, total int, seed uint64) ([]string, error) {
	if len(compiled) == 0 {
		return nil, nil
	}
	data := argData(params, index, total, seed)
	args := make([]string, len(compiled))
	for i, t := range compiled {
		s, e := renderArg(t, data)
		if e != nil {
			e.Message = "task " + strconv.Itoa(index) + ": " + e.Message
			return nil, bonfire.Errors{e.WithField(argField(i))}
		}
		args[i] = s
	}
	return args, nil
}

func argField(i int) string { return "args[" + strconv.Itoa(i) + "]" }
