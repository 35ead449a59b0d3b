// Package guest holds what the example WASI programs share: reading their
// settings from flags with environment fallbacks (Bonfire passes a task's
// parameters both ways), and writing result files.
package guest
