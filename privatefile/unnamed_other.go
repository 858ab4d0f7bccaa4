//go:build !linux

package privatefile

import "os"

// openUnnamed is not available here: the named temporary file is used.
func openUnnamed(string) (*os.File, error) { return nil, errUnnamed }

func linkUnnamed(*os.File, string, bool) error { return errUnnamed }
