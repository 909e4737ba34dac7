package service

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ErrDataDirInUse means another process (or another service in this
// one) runs the embedded NATS server on the same data directory: two
// servers on one store would corrupt it.
var ErrDataDirInUse = errors.New("in use by another dateline process")

// lockName is the file in the data directory whose lock marks the
// embedded NATS store as open.
const lockName = "nats.lock"

// lockDataDir takes the lock on dir's embedded NATS store, creating the
// lock file if need be; it fails at once, with ErrDataDirInUse, if the
// lock is held. Closing the returned file releases the lock, as does the
// process's death.
func lockDataDir(dir string) (*os.File, error) {
	path := filepath.Join(dir, lockName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock data_dir: %w", err)
	}
	if err := tryLock(f); err != nil {
		f.Close()
		if errors.Is(err, errLocked) {
			return nil, fmt.Errorf("data_dir %s: %w (its embedded NATS store is locked: %s)", dir, ErrDataDirInUse, path)
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return f, nil
}
