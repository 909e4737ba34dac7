//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package service

import (
	"errors"
	"os"
	"syscall"
)

// errLocked is tryLock's error when another open file holds the lock.
var errLocked = errors.New("locked")

// tryLock takes an exclusive flock on f without waiting. The lock belongs
// to the open file: a second open of the same file, even in this process,
// does not get it.
func tryLock(f *os.File) error {
	err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return errLocked
	}
	return err
}
