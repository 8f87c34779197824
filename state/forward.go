package state

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"github.com/devstack-dev/devstack/userfile"
)

var forwardFile = filepath.Join(Dir, "forward.json")

// Forward is the record devstack forward keeps while it runs: which process holds the
// project's forwarded ports, to which cluster. env and status read it to say plainly
// whether the ports they print are forwarded.
type Forward struct {
	PID       int    `json:"pid"`
	Context   string `json:"context"`
	Namespace string `json:"namespace"`
}

// SaveForward records the running forward. Its process removes it when it ends.
func SaveForward(root string, f Forward) error {
	if err := EnsureDir(root); err != nil {
		return err
	}
	data, err := json.Marshal(f)
	if err != nil {
		return err
	}
	return userfile.Write(root, forwardFile, append(data, '\n'), userfile.Options{Mode: 0o600})
}

// ClearForward removes the record, when it is the process pid's.
func ClearForward(root string, pid int) {
	if f, _ := LoadForward(root); f != nil && f.PID == pid {
		if path, err := userfile.Writable(root, forwardFile); err == nil {
			_ = os.Remove(path)
		}
	}
}

// LoadForward is the running forward, or nil when none runs: a record whose process is
// gone (killed) counts as none.
func LoadForward(root string) (*Forward, error) {
	data, err := userfile.Read(root, forwardFile)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var f Forward
	if json.Unmarshal(data, &f) != nil || f.PID <= 0 {
		return nil, nil
	}
	if p, err := os.FindProcess(f.PID); err != nil || p.Signal(syscall.Signal(0)) != nil {
		return nil, nil
	}
	return &f, nil
}
