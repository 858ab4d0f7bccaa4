// Package synctest runs real sync engines for tests: two Syncthing
// instances on 127.0.0.1 sharing a folder, a git remote with clones, and
// plain folder copies in random order and in parts. Tests use it to carry a
// journal's sync folder between devices the way users do.
//
// A test that needs an engine missing from the machine is skipped with the
// reason, except when CI=true, where it fails.
package synctest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/journal-dev/journal/internal/testwait"
)

// TB is what the helpers need of a test: a *testing.T, or an adapter for
// a testscript.
type TB interface {
	Helper()
	Fatalf(format string, args ...any)
	Skipf(format string, args ...any)
	TempDir() string
	Cleanup(func())
}

// Need skips the test when the program is not installed, or fails it
// under CI=true.
func Need(t TB, program, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(program)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not installed (Debian package %s); CI must have it", program, pkg)
		}
		t.Skipf("%s is not installed (Debian package %s)", program, pkg)
	}
	return p
}

// Syncthing is one running Syncthing instance.
type Syncthing struct {
	Home   string
	Folder string
	ID     string
	apiKey string
	gui    string
	listen string
	cmd    *exec.Cmd
	ended  chan struct{} // closed once cmd has ended
	log    *bytes.Buffer
}

const folderID = "journal-sync"

// SyncthingPair starts two Syncthing instances on 127.0.0.1, each with its
// own home under the test's temporary folder, sharing dirA and dirB as one
// folder. Each knows the other by its fixed device ID and address; global
// discovery, local discovery, relays, NAT traversal, usage reporting and
// upgrades are off, so nothing leaves the machine. They are stopped when
// the test ends.
func SyncthingPair(t TB, dirA, dirB string) (a, b *Syncthing) {
	t.Helper()
	bin := Need(t, "syncthing", "syncthing")
	a = newSyncthing(t, bin, "a", dirA)
	b = newSyncthing(t, bin, "b", dirB)
	// Their ports are found free, then given to Syncthing: another
	// program can take one in between, and a Syncthing that cannot
	// listen on its GUI's port ends at once. Both then start again on
	// new ports, three times at most.
	for attempt := 1; ; attempt++ {
		err := startPair(t, bin, a, b)
		if err == nil {
			return a, b
		}
		if attempt == 3 {
			t.Fatalf("%v", err)
		}
		a.gui, a.listen, b.gui, b.listen = freeAddr(t), freeAddr(t), freeAddr(t), freeAddr(t)
	}
}

// startPair writes the configuration of a and b and starts them; if one
// ends before it answers, it stops the other and says why.
func startPair(t TB, bin string, a, b *Syncthing) error {
	for _, s := range []*Syncthing{a, b} {
		peer := b
		if s == b {
			peer = a
		}
		if err := os.WriteFile(filepath.Join(s.Home, "config.xml"), []byte(s.config(peer)), 0o600); err != nil {
			t.Fatalf("%v", err)
		}
	}
	if err := a.start(t, bin); err != nil {
		return err
	}
	if err := b.start(t, bin); err != nil {
		a.stop()
		return err
	}
	return nil
}

func newSyncthing(t TB, bin, name, dir string) *Syncthing {
	home := filepath.Join(t.TempDir(), "syncthing-"+name)
	out, err := exec.Command(bin, "generate", "--home="+home, "--no-default-folder").CombinedOutput()
	if err != nil {
		t.Fatalf("syncthing generate: %v\n%s", err, out)
	}
	id, err := exec.Command(bin, "serve", "--home="+home, "--device-id").Output()
	if err != nil {
		t.Fatalf("syncthing --device-id: %v", err)
	}
	// Syncthing wants its marker in a shared folder; a user's folder has
	// it too, which is what `journal sync init` must accept.
	if err := os.MkdirAll(filepath.Join(dir, ".stfolder"), 0o700); err != nil {
		t.Fatalf("%v", err)
	}
	return &Syncthing{
		Home: home, Folder: dir, ID: strings.TrimSpace(string(id)),
		apiKey: fmt.Sprintf("journal-test-%s-%d", name, time.Now().UnixNano()),
		gui:    freeAddr(t), listen: freeAddr(t), log: &bytes.Buffer{},
	}
}

func freeAddr(t TB) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("%v", err)
	}
	defer l.Close()
	return l.Addr().String()
}

// config is the whole configuration: one folder shared with the peer, the
// two devices with fixed addresses, and every outside service off.
func (s *Syncthing) config(peer *Syncthing) string {
	return fmt.Sprintf(`<configuration version="36">
  <folder id="%[1]s" label="journal" path="%[2]s" type="sendreceive" rescanIntervalS="2" fsWatcherEnabled="false" ignorePerms="false" autoNormalize="true">
    <filesystemType>basic</filesystemType>
    <device id="%[3]s"></device>
    <device id="%[4]s"></device>
    <minDiskFree unit="%%">0</minDiskFree>
    <maxConflicts>10</maxConflicts>
    <markerName>.stfolder</markerName>
  </folder>
  <device id="%[3]s" name="self" compression="metadata"><address>tcp://%[5]s</address></device>
  <device id="%[4]s" name="peer" compression="metadata"><address>tcp://%[6]s</address></device>
  <gui enabled="true" tls="false"><address>%[7]s</address><apikey>%[8]s</apikey></gui>
  <options>
    <listenAddress>tcp://%[5]s</listenAddress>
    <globalAnnounceEnabled>false</globalAnnounceEnabled>
    <localAnnounceEnabled>false</localAnnounceEnabled>
    <relaysEnabled>false</relaysEnabled>
    <natEnabled>false</natEnabled>
    <urAccepted>-1</urAccepted>
    <startBrowser>false</startBrowser>
    <autoUpgradeIntervalH>0</autoUpgradeIntervalH>
    <crashReportingEnabled>false</crashReportingEnabled>
    <reconnectionIntervalS>1</reconnectionIntervalS>
    <minHomeDiskFree unit="%%">0</minHomeDiskFree>
    <setLowPriority>false</setLowPriority>
  </options>
</configuration>
`, folderID, s.Folder, s.ID, peer.ID, s.listen, peer.listen, s.gui, s.apiKey)
}

// start starts s and waits until it answers. If it ends first (a port
// it was given is taken), it returns why.
func (s *Syncthing) start(t TB, bin string) error {
	s.log = &bytes.Buffer{}
	cmd := exec.Command(bin, "serve", "--home="+s.Home, "--no-browser", "--no-restart", "--no-upgrade")
	cmd.Env = append(os.Environ(), "HOME="+s.Home, "STNOUPGRADE=1", "STNORESTART=1", "STNODEFAULTFOLDER=1")
	cmd.Stdout, cmd.Stderr = s.log, s.log
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting syncthing: %v", err)
	}
	s.cmd = cmd
	s.ended = make(chan struct{})
	go func() {
		cmd.Wait()
		close(s.ended)
	}()
	t.Cleanup(s.stop)
	deadline := time.Now().Add(testwait.Limit)
	for {
		if _, err := s.rest("GET", "/rest/system/ping"); err == nil {
			return nil
		}
		select {
		case <-s.ended:
			return fmt.Errorf("syncthing ended as it started:\n%s", s.log)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("syncthing did not answer within %v of its start:\n%s", testwait.Limit, s.log)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// stop ends s and waits until it has.
func (s *Syncthing) stop() {
	s.cmd.Process.Kill()
	<-s.ended
}

// restClient gives up on a request after 10 s: something else that took
// Syncthing's port may take the request and never answer.
var restClient = &http.Client{Timeout: 10 * time.Second}

// rest calls Syncthing's REST API.
func (s *Syncthing) rest(method, path string) ([]byte, error) {
	req, err := http.NewRequest(method, "http://"+s.gui+path, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("X-API-Key", s.apiKey)
	resp, err := restClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s %s: %s: %s", method, path, resp.Status, buf.String())
	}
	return buf.Bytes(), nil
}

// Scan asks Syncthing to look at the folder now rather than at its next
// rescan.
func (s *Syncthing) Scan() error {
	_, err := s.rest("POST", "/rest/db/scan?folder="+folderID)
	return err
}

// connected says whether s is connected to the device id.
func (s *Syncthing) connected(id string) bool {
	b, err := s.rest("GET", "/rest/system/connections")
	if err != nil {
		return false
	}
	var c struct {
		Connections map[string]struct{ Connected bool }
	}
	return json.Unmarshal(b, &c) == nil && c.Connections[id].Connected
}

// WaitInSync scans both folders and waits until they hold the same files
// with the same content (Syncthing's own markers and temporary files
// aside), or fails the test after timeout. It returns how long it took.
func WaitInSync(t TB, a, b *Syncthing, timeout time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	deadline := start.Add(timeout)
	for !a.connected(b.ID) {
		if time.Now().After(deadline) {
			t.Fatalf("the two Syncthing instances did not connect\n--- a:\n%s\n--- b:\n%s", a.log, b.log)
		}
		time.Sleep(100 * time.Millisecond)
	}
	lastScan := time.Time{}
	for {
		if time.Since(lastScan) > time.Second {
			a.Scan()
			b.Scan()
			lastScan = time.Now()
		}
		da, ea := Snapshot(a.Folder)
		db, eb := Snapshot(b.Folder)
		if ea == nil && eb == nil && da == db {
			return time.Since(start)
		}
		if time.Now().After(deadline) {
			t.Fatalf("the folders did not come into sync in %v\n--- a:\n%s\n--- b:\n%s", timeout, da, db)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
