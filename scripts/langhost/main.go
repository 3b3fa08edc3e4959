// Command pulumi-language-python starts the Python language host the engine bundles (built
// from sdk/v3 v3.79.0, the last release the Go module proxy serves) with the project's own
// virtual environment.
//
// Engines since 3.80 pass a project's runtime options (`virtualenv`, `toolchain`) in each
// request rather than as flags, and the v3.79 host reads them only as flags: without this shim
// it never sees `runtime.options.virtualenv`, and a project's program runs on whatever Python
// PULUMI_PYTHON_CMD or PATH names. The engine starts a language host in the project's folder,
// so the project is loaded from there, with the engine's own loader.
package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
)

// The real host, installed beside this shim.
const realHost = "pulumi-language-python-v3.79"

func main() {
	self, err := os.Executable()
	if err != nil {
		fail("cannot find itself: %v", err)
	}
	host := filepath.Join(filepath.Dir(self), realHost)
	args := []string{host}
	if root, venv, err := virtualenv(); err != nil {
		fail("%v", err)
	} else if venv != "" {
		// The host would take PULUMI_PYTHON_CMD as the name of the Python inside the
		// environment; the clone's wrapper sets it to a path outside it.
		os.Unsetenv("PULUMI_PYTHON_CMD")
		args = append(args, "-root="+root, "-virtualenv="+venv)
	}
	args = append(args, os.Args[1:]...)
	if err := syscall.Exec(host, args, os.Environ()); err != nil {
		fail("cannot start %s: %v", host, err)
	}
}

// virtualenv answers the project's folder and the virtual environment its runtime options name
// (`virtualenv`, or the one `toolchain: uv` or `toolchain: poetry` manages), or "".
func virtualenv() (string, string, error) {
	cwd, err := os.Getwd()
	if err != nil {
		return "", "", err
	}
	path, err := workspace.DetectProjectPathFrom(cwd)
	if err != nil || path == "" {
		return "", "", nil // no project here: the host's own defaults
	}
	project, err := workspace.LoadProject(path)
	if err != nil {
		return "", "", err
	}
	root := filepath.Dir(path)
	options := project.Runtime.Options()
	if venv, ok := options["virtualenv"].(string); ok && venv != "" {
		return root, venv, nil
	}
	switch options["toolchain"] {
	case "uv":
		return root, ".venv", nil
	case "poetry":
		cmd := exec.Command("poetry", "env", "info", "--path")
		cmd.Dir = root
		out, err := cmd.Output()
		if err != nil {
			return "", "", fmt.Errorf("toolchain poetry: `poetry env info --path` failed: %w", err)
		}
		return root, strings.TrimSpace(string(out)), nil
	}
	return root, "", nil
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "pulumi-language-python: "+format+"\n", args...)
	os.Exit(1)
}
