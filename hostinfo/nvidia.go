package hostinfo

import (
	"bytes"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/bonfirenet/bonfire"
)

// nvidiaQueryArgs asks nvidia-smi for exactly the columns ParseNvidiaSMI
// expects, in this order. memory.total is in MiB because of nounits.
var nvidiaQueryArgs = []string{
	"--query-gpu=name,memory.total,driver_version",
	"--format=csv,noheader,nounits",
}

const nvidiaSMIHint = "run `nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader,nounits` " +
	"to see what it prints; reinstalling or updating the NVIDIA driver usually fixes unreadable output"

// ParseNvidiaSMI parses the output of
//
//	nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader,nounits
//
// one GPU per non-blank line. Memory is converted from MiB to bytes; the
// values nvidia-smi prints for an unknown quantity ("[N/A]",
// "[Not Supported]") become 0 rather than an error, because some boards
// (integrated and embedded GPUs) never report their memory. Anything else
// that is not a whole number of MiB is an error naming the line.
func ParseNvidiaSMI(csv []byte) ([]bonfire.GPU, error) {
	var gpus []bonfire.GPU
	for i, line := range bytes.Split(csv, []byte("\n")) {
		text := strings.TrimSpace(strings.TrimSuffix(string(line), "\r"))
		if text == "" {
			continue
		}
		gpu, err := parseNvidiaLine(text)
		if err != nil {
			err.Field = "nvidia-smi line " + strconv.Itoa(i+1)
			return nil, err.WithHint(nvidiaSMIHint)
		}
		gpus = append(gpus, gpu)
	}
	return gpus, nil
}

func parseNvidiaLine(line string) (bonfire.GPU, *bonfire.Error) {
	fields := strings.Split(line, ",")
	if len(fields) < 3 {
		return bonfire.GPU{}, bonfire.Errorf(bonfire.ECodeInternal,
			"expected 3 comma-separated columns (name, memory.total, driver_version), got %d in %q", len(fields), line)
	}
	// Take memory and driver from the right so that a model name containing
	// a comma still parses; nvidia-smi does not quote CSV fields.
	n := len(fields)
	name := strings.TrimSpace(strings.Join(fields[:n-2], ","))
	memText := strings.TrimSpace(fields[n-2])
	driver := strings.TrimSpace(fields[n-1])
	if name == "" {
		return bonfire.GPU{}, bonfire.Errorf(bonfire.ECodeInternal, "GPU name is empty in %q", line)
	}
	mem, err := parseMiB(memText)
	if err != nil {
		return bonfire.GPU{}, err
	}
	if isNvidiaUnknown(driver) {
		driver = ""
	}
	return bonfire.GPU{Vendor: "NVIDIA", Model: name, MemoryBytes: mem, Driver: driver}, nil
}

func parseMiB(s string) (int64, *bonfire.Error) {
	if isNvidiaUnknown(s) {
		return 0, nil
	}
	mib, err := strconv.ParseInt(s, 10, 64)
	if err != nil || mib < 0 {
		return 0, bonfire.Errorf(bonfire.ECodeInternal, "memory.total %q is not a whole number of MiB", s)
	}
	if mib > math.MaxInt64>>20 {
		return 0, bonfire.Errorf(bonfire.ECodeInternal, "memory.total %q MiB is too large to be real", s)
	}
	return mib << 20, nil
}

func isNvidiaUnknown(s string) bool {
	return s == "[N/A]" || s == "[Not Supported]" || s == "N/A"
}

var cudaVersionPattern = regexp.MustCompile(`CUDA Version:\s*([0-9]+(?:\.[0-9]+)*)`)

// ParseCUDAVersion extracts the CUDA version from the banner that plain
// `nvidia-smi` prints ("... CUDA Version: 12.4 |"). It returns "" when the
// banner has none, which older drivers do not print.
func ParseCUDAVersion(banner []byte) string {
	m := cudaVersionPattern.FindSubmatch(banner)
	if m == nil {
		return ""
	}
	return string(m[1])
}
