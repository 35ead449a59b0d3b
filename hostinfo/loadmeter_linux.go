package hostinfo

// NewLoadMeter returns a meter reading /proc/stat and /proc/self/stat.
func NewLoadMeter() (LoadMeter, error) {
	m, err := newCounterMeter(procCounters("/proc/stat", "/proc/self/stat"))
	if err != nil {
		return nil, err
	}
	return m, nil
}
