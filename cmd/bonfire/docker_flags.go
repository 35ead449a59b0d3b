package main

import (
	"context"
	"log/slog"
	"path/filepath"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/dockerexec"
	"github.com/bonfirenet/bonfire/jobspec"
	"github.com/spf13/pflag"
)

// dockerFlags shape the docker executor of `bonfire provider` and the
// local providers of `bonfire up`.
type dockerFlags struct {
	noDocker     bool
	dockerHost   string
	allowNetwork bool
	imageCache   string
	gpuPrice     uint64
}

func (f *dockerFlags) register(fl *pflag.FlagSet) {
	fl.BoolVar(&f.noDocker, "no-docker", false, "do not offer the docker executor even when a Docker engine answers")
	fl.StringVar(&f.dockerHost, "docker-host", "", "Docker engine address (default: DOCKER_HOST or the local socket)")
	fl.BoolVar(&f.allowNetwork, "allow-network", false, "let docker tasks whose job says network: true reach the network")
	fl.StringVar(&f.imageCache, "image-cache", "", "most disk for images the docker executor pulled or loaded, e.g. 20Gi; least recently used go first (default: no cap)")
	fl.Uint64Var(&f.gpuPrice, "gpu-price", 0, "price per GPU-second in the token's smallest unit")
}

func (f *dockerFlags) cacheBytes() (int64, error) {
	if f.imageCache == "" {
		return 0, nil
	}
	n, err := jobspec.ParseBytes(f.imageCache)
	if err != nil {
		return 0, bonfire.Errorf(bonfire.ECodeInvalid, "%v", err).WithField("--image-cache").WithHint("write it like 20Gi")
	}
	return n, nil
}

// open returns the docker executor, or nil when it is turned off or no
// engine answers: the provider then simply does not advertise it.
func (f *dockerFlags) open(ctx context.Context, stateDir string, gpus int, log *slog.Logger) (*dockerexec.Executor, error) {
	if f.noDocker {
		return nil, nil
	}
	capBytes, err := f.cacheBytes()
	if err != nil {
		return nil, err
	}
	x, err := dockerexec.New(ctx, dockerexec.Options{Host: f.dockerHost, AllowNetwork: f.allowNetwork, GPUs: gpus,
		ImageCacheBytes: capBytes, StateDir: filepath.Clean(stateDir), Log: log})
	if err != nil {
		log.Info("docker executor off: no Docker engine answers", "err", err)
		return nil, nil
	}
	log.Info("docker executor on", "api", x.APIVersion(), "network", f.allowNetwork, "gpus", gpus)
	return x, nil
}
