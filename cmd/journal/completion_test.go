package main

import (
	"os"
	"os/exec"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// bashCompletion is the bash-completion package's library, which cobra's
// bash script relies on.
const bashCompletion = "/usr/share/bash-completion/bash_completion"

// TestBashCompletion loads 'journal completion bash' into a real bash and
// asks it to complete, as pressing Tab would. It needs bash and the
// bash-completion package: without them it is skipped, except in CI
// (CI=true), where it fails.
func TestBashCompletion(t *testing.T) {
	_, err := exec.LookPath("bash")
	if err == nil {
		_, err = os.Stat(bashCompletion)
	}
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("bash and the bash-completion package are needed (listed in .ci/packages): %v", err)
		}
		t.Skipf("skipping: bash and the bash-completion package are needed: %v", err)
	}
	p := scriptParams("")
	p.Files = []string{"testdata/shell/bash.txt"}
	testscript.Run(t, p)
}
