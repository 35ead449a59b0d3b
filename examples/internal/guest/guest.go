package guest

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
)

// Environment variables Bonfire sets for every task.
const (
	EnvTaskIndex = "BONFIRE_TASK_INDEX"
	EnvTaskCount = "BONFIRE_TASK_COUNT"
	EnvSeed      = "BONFIRE_SEED"
)

// Env reads typed values from the environment, remembering the first
// variable that failed to parse so a program can report it once.
type Env struct {
	Lookup func(string) (string, bool)
	Err    error
}

// OSEnv reads the process environment.
func OSEnv() *Env { return &Env{Lookup: os.LookupEnv} }

func (e *Env) parse(name string, parse func(string) error, want string) {
	v, ok := e.Lookup(name)
	if !ok || v == "" || e.Err != nil {
		return
	}
	if err := parse(v); err != nil {
		e.Err = fmt.Errorf("environment %s=%q is not %s", name, v, want)
	}
}

// Int returns $name as an int, or def when unset.
func (e *Env) Int(name string, def int) int {
	e.parse(name, func(s string) error {
		v, err := strconv.Atoi(s)
		if err == nil {
			def = v
		}
		return err
	}, "an integer")
	return def
}

// Uint64 returns $name as a uint64, or def when unset.
func (e *Env) Uint64(name string, def uint64) uint64 {
	e.parse(name, func(s string) error {
		v, err := strconv.ParseUint(s, 10, 64)
		if err == nil {
			def = v
		}
		return err
	}, "an unsigned integer")
	return def
}

// Float returns $name as a float64, or def when unset.
func (e *Env) Float(name string, def float64) float64 {
	e.parse(name, func(s string) error {
		v, err := strconv.ParseFloat(s, 64)
		if err == nil {
			def = v
		}
		return err
	}, "a number")
	return def
}

// String returns $name, or def when unset or empty.
func (e *Env) String(name, def string) string {
	if v, ok := e.Lookup(name); ok && v != "" {
		return v
	}
	return def
}

// WriteFile writes data to dir/name, creating dir.
func WriteFile(dir, name string, data []byte) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("outputs: %w (is the outputs directory writable?)", err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
		return fmt.Errorf("outputs: %w", err)
	}
	return nil
}

// WriteJSON writes v as indented JSON to dir/name.
func WriteJSON(dir, name string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return WriteFile(dir, name, append(b, '\n'))
}

// Exit ends the program: status 0 if err is nil, else the message on
// stderr and status 1.
func Exit(stderr io.Writer, prog string, err error) {
	if err == nil {
		os.Exit(0)
	}
	fmt.Fprintf(stderr, "%s: %v\n", prog, err)
	os.Exit(1)
}
