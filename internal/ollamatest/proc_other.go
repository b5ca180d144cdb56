//go:build !unix

package ollamatest

import (
	"os"
	"os/exec"
)

// setProcessGroup does nothing where there are no process groups.
func setProcessGroup(cmd *exec.Cmd) {}

// terminate asks the server to shut down.
func terminate(cmd *exec.Cmd) {
	_ = cmd.Process.Signal(os.Interrupt)
}

// kill ends the server.
func kill(cmd *exec.Cmd) {
	_ = cmd.Process.Kill()
}
