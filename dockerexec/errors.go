package dockerexec

import (
	"fmt"

	"github.com/bonfirenet/bonfire"
)

// NoExitCode is the exit code reported when the container never exited by
// itself (it was not created, timed out, was cancelled or killed).
const NoExitCode = -1

func errUnavailable(err error) *bonfire.Error {
	return bonfire.Errorf(bonfire.ECodeUnavailable, "no Docker engine answers: %v", err).
		WithHint("start dockerd (or set DOCKER_HOST), or run the provider without the docker executor")
}

func imageNotFound(ref string, err error) *bonfire.Error {
	return bonfire.Errorf(bonfire.ECodeBadModule, "image %s was not found: %v", ref, err).WithField("image").
		WithHint("check the image name and digest, and that the registry serves it")
}

func pullFailed(ref string, err error) *bonfire.Error {
	return bonfire.Errorf(bonfire.ECodeBadModule, "pulling image %s failed: %v", ref, err).WithField("image").
		WithHint("the provider could not reach the registry; retry elsewhere, or upload the image as a docker save archive")
}

func digestMismatch(ref, want, got string) *bonfire.Error {
	return bonfire.Errorf(bonfire.ECodeBadModule, "image %s is %s, not the pinned %s", ref, got, want).WithField("image").
		WithHint("pin the digest the registry serves for this image (docker inspect --format '{{.RepoDigests}}'), or its image ID")
}

func badArchive(err error) *bonfire.Error {
	return bonfire.Errorf(bonfire.ECodeBadModule, "the image archive cannot be loaded: %v", err).WithField("image").
		WithHint("upload the output of docker save (one image)")
}

func exitError(code int, network bool) *bonfire.Error {
	e := bonfire.Errorf(bonfire.ECodeTaskFailed, "exited with code %d", code).WithHint("read the task's stderr for why")
	if !network {
		e.Message += "; the task ran with the network off"
		e.Hint = "if it needs the network, set network: true in the job and pick a provider that allows it; otherwise read its stderr"
	}
	return e
}

func timedOut(limitText string) *bonfire.Error {
	return bonfire.Errorf(bonfire.ECodeTimeout, "the container ran past its timeout of %s and was killed", limitText).
		WithHint("raise timeout: in the job, or make each task do less")
}

func cancelled() *bonfire.Error {
	return bonfire.Errorf(bonfire.ECodeCancelled, "the task was cancelled and its container killed").
		WithHint("the market or the provider stopped it; nothing is owed for it")
}

func outOfMemory(limit int64) *bonfire.Error {
	return bonfire.Errorf(bonfire.ECodeOutOfMemory, "the container used more than its memory limit of %s and was killed", formatBytes(limit)).
		WithHint("raise resources.memory in the job")
}

func outputQuota(limit int64) *bonfire.Error {
	return bonfire.Errorf(bonfire.ECodeQuota, "the task wrote more than its output quota of %s", formatBytes(limit)).
		WithHint("write less output, or ask the provider for a larger output quota")
}

func logQuota(stream string, limit int64) *bonfire.Error {
	return bonfire.Errorf(bonfire.ECodeQuota, "the task wrote more than %s to %s; the rest was dropped", formatBytes(limit), stream).
		WithHint("log less, or write large results to the output directory")
}

func formatBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
