package chainwallet

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/evm"
)

// ReadDeploymentFile reads a deployments.json as package evm/devchain
// writes it (an evm.Deployment).
func ReadDeploymentFile(path string) (*evm.Deployment, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, bonfire.Errorf(bonfire.ECodeNotFound, "there is no deployment file %s", path).
			WithField("deployments").WithHint("start the chain once with `bonfire up` to deploy the contracts, deploy them elsewhere with `bonfire contracts deploy`, or pass --deployments FILE")
	}
	if err != nil {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "cannot read the deployment file %s: %v", path, err).
			WithField("deployments").WithHint("check the file's permissions")
	}
	d, err := evm.ParseDeployment(data)
	if err != nil {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "%s is not a deployment file: %v", path, err).
			WithField("deployments").WithHint("pass the deployments.json that `bonfire contracts deploy` or the dev chain wrote")
	}
	return d, nil
}

// WriteDeploymentFile writes d to path in the format ReadDeploymentFile and
// package evm/devchain use (indented JSON). It refuses to replace an
// existing file unless replace is set: the file is the only record of where
// contracts that cost gas to deploy are.
func WriteDeploymentFile(path string, d *evm.Deployment, replace bool) error {
	data, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return bonfire.Errorf(bonfire.ECodeInternal, "cannot encode the deployment: %v", err)
	}
	err = writeFileAtomic(path, append(data, '\n'), 0o644, replace)
	if errors.Is(err, fs.ErrExist) {
		return deploymentFileExists(path)
	}
	if err != nil {
		return bonfire.Errorf(bonfire.ECodeInvalid, "cannot write the deployment file %s: %v", path, err).
			WithField("out").WithHint("choose a file in an existing directory you can write")
	}
	return nil
}

// CheckDeploymentFileWritable fails, before anything costs gas, when
// WriteDeploymentFile(path, _, replace) would: the file exists and replace is
// not set, or its directory is missing.
func CheckDeploymentFileWritable(path string, replace bool) error {
	if _, err := os.Stat(path); err == nil && !replace {
		return deploymentFileExists(path)
	}
	dir := filepath.Dir(path)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return bonfire.Errorf(bonfire.ECodeInvalid, "the directory %s of the deployment file does not exist", dir).
			WithField("out").WithHint("create the directory first, or choose another --out")
	}
	return nil
}

func deploymentFileExists(path string) *bonfire.Error {
	return bonfire.Errorf(bonfire.ECodeConflict, "the deployment file %s already exists; refusing to overwrite it", path).
		WithField("out").WithHint("choose another --out, or pass --force if the deployment it names is no longer wanted")
}
