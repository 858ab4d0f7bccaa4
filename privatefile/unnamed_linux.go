package privatefile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"golang.org/x/sys/unix"
)

// openUnnamed opens a file with no name in dir (O_TMPFILE): it vanishes
// with the process unless linkUnnamed names it.
func openUnnamed(dir string) (*os.File, error) {
	fd, err := unix.Open(dir, unix.O_TMPFILE|unix.O_RDWR|unix.O_CLOEXEC, 0o600)
	if err != nil {
		return nil, errUnnamed
	}
	f := os.NewFile(uintptr(fd), filepath.Join(dir, "(unnamed)"))
	// Naming it goes through /proc; without /proc it cannot be named.
	if _, err := os.Stat(procPath(f)); err != nil {
		f.Close()
		return nil, errUnnamed
	}
	return f, nil
}

func procPath(f *os.File) string {
	return "/proc/self/fd/" + strconv.Itoa(int(f.Fd()))
}

// linkUnnamed gives the unnamed file f the name path. Without force a
// taken name is [ErrExists]; with force the file replaces it, through a
// hidden name in the same folder that is renamed at once.
func linkUnnamed(f *os.File, path string, force bool) error {
	link := func(to string) error {
		return unix.Linkat(unix.AT_FDCWD, procPath(f), unix.AT_FDCWD, to, unix.AT_SYMLINK_FOLLOW)
	}
	if !force {
		err := link(path)
		if errors.Is(err, unix.EEXIST) {
			return ErrExists
		}
		if err != nil {
			return &fs.PathError{Op: "link", Path: path, Err: err}
		}
		return nil
	}
	for i := 0; ; i++ {
		tmp := filepath.Join(filepath.Dir(path), fmt.Sprintf(".%s.tmp-%d-%d", filepath.Base(path), os.Getpid(), i))
		err := link(tmp)
		if errors.Is(err, unix.EEXIST) {
			continue
		}
		if err != nil {
			return &fs.PathError{Op: "link", Path: path, Err: err}
		}
		track(tmp)
		defer untrack(tmp)
		if err := os.Rename(tmp, path); err != nil {
			os.Remove(tmp)
			return err
		}
		return nil
	}
}
