package journal

import (
	"bytes"
	"io"
	"os"
	"sync"
	"sync/atomic"
)

// The pin is read when a command opens the journal, again when a read
// brings it forward, again when a record is added (another process may
// have moved it meanwhile), and compared before it is saved. Each of
// those would read pin.json from the disk; pinMemo keeps what this process
// last read or wrote of it, with the file's identity, size, time and mode,
// and gives it again while the file is that same file. A pin saved by
// another process is a new file (written beside it and renamed into
// place, [writeConfigFile]), which the memo never takes for the old one.
var pinMemo struct {
	sync.Mutex
	path string
	info os.FileInfo
	data []byte
}

// pinFileReads counts the reads of a pin file from the disk, for tests.
var pinFileReads atomic.Int64

// sameFileState reports whether a and b are the same file, unchanged
// between them as far as its size, modification time and mode tell.
func sameFileState(a, b os.FileInfo) bool {
	return a != nil && b != nil && os.SameFile(a, b) && a.Size() == b.Size() &&
		a.ModTime().Equal(b.ModTime()) && a.Mode() == b.Mode()
}

// memoedPin returns what the memo holds of path, if info is the file the
// memo read or wrote, unchanged.
func memoedPin(path string, info os.FileInfo) ([]byte, bool) {
	pinMemo.Lock()
	defer pinMemo.Unlock()
	if pinMemo.path != path || !sameFileState(pinMemo.info, info) {
		return nil, false
	}
	return pinMemo.data, true
}

// rememberPin keeps data as what path holds while it is the file info
// describes; a nil info forgets it.
func rememberPin(path string, info os.FileInfo, data []byte) {
	pinMemo.Lock()
	defer pinMemo.Unlock()
	pinMemo.path, pinMemo.info, pinMemo.data = path, info, data
	if info == nil {
		pinMemo.path, pinMemo.data = "", nil
	}
}

// readPinFile reads the pin file at path, or gives what this process last
// read or wrote of it if it is still that file.
func readPinFile(path string) ([]byte, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if data, ok := memoedPin(path, info); ok {
		return data, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	pinFileReads.Add(1)
	before, err := f.Stat()
	if err != nil {
		return nil, err
	}
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, err
	}
	if after, err := f.Stat(); err == nil && sameFileState(before, after) {
		rememberPin(path, after, data)
	}
	return data, nil
}

// pinUnchanged reports whether the pin file at path holds exactly data,
// 0600: from what this process last read or wrote of it while it is still
// that file, or else by reading it ([unchanged]).
func pinUnchanged(path string, data []byte) bool {
	info, err := os.Lstat(path)
	if err != nil || !info.Mode().IsRegular() || info.Mode().Perm() != 0o600 {
		return false
	}
	if held, ok := memoedPin(path, info); ok {
		return bytes.Equal(held, data)
	}
	return unchanged(path, data)
}

// savedPin notes that this process wrote data to the pin file at path.
func savedPin(path string, data []byte) {
	info, err := os.Stat(path)
	if err != nil {
		info = nil
	}
	rememberPin(path, info, data)
}
