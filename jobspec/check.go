package jobspec

import (
	"fmt"
	"strings"

	"github.com/bonfirenet/bonfire"
)

// CheckResolved is the market's check of a submitted spec: every rule Parse
// applies, on the struct as it arrived (a submission is JSON, so nothing is
// defaulted here), plus what only a resolved spec has: a wasm module named by
// digest, a docker image whose pin (if any) is a valid digest, and files with
// valid digests for every input. A docker image named by a tag only is
// accepted: the provider resolves it and signs the image ID that ran, which
// the result's output digest covers. It returns bonfire.Errors listing every
// problem, or nil.
func CheckResolved(spec *bonfire.JobSpec) error {
	errs := validateSpec(spec)
	if spec != nil {
		errs = append(errs, resolvedProblems(spec)...)
	}
	return errs.Err()
}

func resolvedProblems(s *bonfire.JobSpec) bonfire.Errors {
	c := &checker{}
	switch s.Executor {
	case bonfire.ExecutorWASM:
		if s.Module != "" && !bonfire.IsDigest(s.Module) {
			c.add("module", "resolve the spec first (bonfire submit uploads the module and writes its digest)",
				"%q is a local path, not a digest", clip(s.Module))
		}
	case bonfire.ExecutorDocker:
		if s.Module != "" && !bonfire.IsDigest(s.Module) {
			if i := strings.LastIndex(s.Module, "@"); i >= 0 {
				if err := bonfire.Digest(s.Module[i+1:]).Validate(); err != nil {
					c.addErr("image", err)
				}
			} else if localImagePath(s.Module) {
				c.add("image", "resolve the spec first (bonfire submit uploads the docker save archive and writes its digest)",
					"%q is a local archive, not an image", clip(s.Module))
			}
		}
	}
	for i, in := range s.Inputs {
		f := fmt.Sprintf("inputs[%d]", i)
		if len(in.Files) == 0 {
			c.add(f+".files", "resolve the spec first (bonfire submit uploads inputs and lists their files)", "input %s is not resolved: it lists no files", in.Path)
			continue
		}
		if bonfire.IsDigest(in.Source) && (len(in.Files) != 1 || string(in.Files[0].Digest) != in.Source || in.Files[0].Name != "") {
			c.add(f+".files", "a digest source is one file with that digest and an empty name", "files do not match source %s", clip(in.Source))
		}
	}
	return c.errs
}
