//go:build unix

package ollamatest

import (
	"os/exec"
	"syscall"
)

// setProcessGroup runs cmd in a process group of its own, so that kill also
// reaches the model runners that `ollama serve` starts.
func setProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

// terminate asks the server to shut down.
func terminate(cmd *exec.Cmd) {
	_ = cmd.Process.Signal(syscall.SIGTERM)
}

// kill ends the server's whole process group.
func kill(cmd *exec.Cmd) {
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
}
