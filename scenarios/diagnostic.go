package scenarios

import (
	"fmt"
	"strings"
)

// Diagnostic is one problem found in a scenario file (or an agent script), at a line
// counted from 1 (the opening ---).
type Diagnostic struct {
	File  string
	Line  int
	Field string
	// Message says what is wrong and what was expected.
	Message string
	// Warning marks a problem that does not stop the file from being used.
	Warning bool
}

// String formats the diagnostic as "file:line: field: what is wrong, what was expected",
// with "warning: " before the field for a warning.
func (d Diagnostic) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s:%d: ", d.File, d.Line)
	if d.Warning {
		b.WriteString("warning: ")
	}
	if d.Field != "" {
		b.WriteString(d.Field)
		b.WriteString(": ")
	}
	b.WriteString(d.Message)
	return b.String()
}

// Diagnostics is the list of problems of one or more files, in the order found.
type Diagnostics []Diagnostic

// HasErrors reports whether any diagnostic is an error rather than a warning.
func (ds Diagnostics) HasErrors() bool {
	for _, d := range ds {
		if !d.Warning {
			return true
		}
	}
	return false
}

// Errors returns the diagnostics that are errors.
func (ds Diagnostics) Errors() Diagnostics {
	var out Diagnostics
	for _, d := range ds {
		if !d.Warning {
			out = append(out, d)
		}
	}
	return out
}

// Warnings returns the diagnostics that are warnings.
func (ds Diagnostics) Warnings() Diagnostics {
	var out Diagnostics
	for _, d := range ds {
		if d.Warning {
			out = append(out, d)
		}
	}
	return out
}

// Err returns an EINVALID *Error listing every error, or nil when there is none.
func (ds Diagnostics) Err() error {
	errs := ds.Errors()
	if len(errs) == 0 {
		return nil
	}
	lines := make([]string, len(errs))
	for i, d := range errs {
		lines[i] = d.String()
	}
	return &Error{Code: EINVALID, Message: strings.Join(lines, "\n")}
}
