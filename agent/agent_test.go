//go:build unix

// The agent runs only where the kernel tells it who is at the other end of
// its socket; on other systems Listen refuses (peercred_other.go).

package agent

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"filippo.io/age"

	"github.com/journal-dev/journal/crypto"
	"github.com/journal-dev/journal/internal/hometest"
	"github.com/journal-dev/journal/internal/testwait"
)

// TestMain lets the test binary be an agent process (to be killed) or a
// client run as another user.
func TestMain(m *testing.M) {
	if path := os.Getenv("JOURNAL_AGENT_TEST_SERVE"); path != "" {
		serveForTest(path)
		return
	}
	if path := os.Getenv("JOURNAL_AGENT_TEST_CLIENT"); path != "" {
		fmt.Println(helloAs(path))
		return
	}
	// The tests run in a home of their own: none meets the user's agent.
	remove := hometest.Isolate()
	code := m.Run()
	remove()
	os.Exit(code)
}

func serveForTest(path string) {
	id, err := crypto.ParseIdentity(os.Getenv("JOURNAL_AGENT_TEST_KEY"))
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	ln, err := Listen(path)
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	fmt.Println("ready")
	Serve(ln, id, Limits{Until: time.Now().Add(time.Minute)})
}

// helloAs says what a client saw: an answer, a refusal (the connection
// closed without one), or no connection at all.
func helloAs(path string) string {
	c, err := net.Dial("unix", path)
	if err != nil {
		return "cannot connect: " + err.Error()
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	if err := writeFrame(c, []byte{opHello}); err != nil {
		return "refused: " + err.Error()
	}
	answer, err := readFrame(c)
	if err != nil {
		return "refused: " + err.Error()
	}
	return "answered: " + string(answer[:1])
}

// startAgent runs an agent in this process for a new key.
func startAgent(t *testing.T, limits Limits) (*crypto.Identity, chan error) {
	t.Helper()
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
	id, err := crypto.Generate(true)
	if err != nil {
		t.Fatal(err)
	}
	path, err := SocketPath(id.Recipient())
	if err != nil {
		t.Fatal(err)
	}
	ln, err := Listen(path)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- Serve(ln, id, limits) }()
	return id, done
}

// sealed returns a file sealed to id's recipient, and its header stanzas.
func sealed(t *testing.T, id *crypto.Identity) ([]byte, []*crypto.Stanza) {
	t.Helper()
	s, err := crypto.NewSealer([]string{id.Recipient()})
	if err != nil {
		t.Fatal(err)
	}
	ct, err := s.Seal([]byte("Waited by my car after surgery"))
	if err != nil {
		t.Fatal(err)
	}
	var stanzas []*crypto.Stanza
	spy := spyIdentity(func(ss []*crypto.Stanza) ([]byte, error) { stanzas = ss; return nil, age.ErrIncorrectIdentity })
	age.Decrypt(bytes.NewReader(ct), spy)
	return ct, stanzas
}

type spyIdentity func([]*crypto.Stanza) ([]byte, error)

func (f spyIdentity) Unwrap(s []*age.Stanza) ([]byte, error) { return f(s) }

func TestAgentOpensWhatIsSealedToItsKey(t *testing.T) {
	id, _ := startAgent(t, Limits{Until: time.Now().Add(time.Minute)})
	c, err := Dial(id.Recipient())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	remote, err := c.Identity()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(remote.CacheSecret(), id.CacheSecret()) {
		t.Error("the agent's cache secret differs from the key's")
	}
	ct, _ := sealed(t, id)
	s, _ := crypto.NewSealer([]string{id.Recipient()}, remote)
	plain, err := s.Open(ct)
	if err != nil || string(plain) != "Waited by my car after surgery" {
		t.Fatalf("opened through the agent: %q, %v", plain, err)
	}
	// Something sealed to another key is not the agent's to open.
	other, _ := crypto.Generate(true)
	ct2, _ := sealed(t, other)
	if _, err := s.Open(ct2); err == nil || errors.Is(err, crypto.ErrRemote) {
		t.Fatalf("opened another key's file, or blamed the agent: %v", err)
	}
	if remote.Remote() != true || remote.String() != "" {
		t.Error("the client holds the key's secret")
	}
	// The owner key is derived from the secret: the client has none, and
	// never one derived from an empty secret.
	if remote.OwnerKey() != nil || s.OwnerKey() != nil {
		t.Error("the client has an owner key")
	}
}

// fakeClock is a time the test moves on by hand, so that no test depends
// on how fast a loaded machine runs it. It counts how often it is read.
type fakeClock struct {
	mu    sync.Mutex
	t     time.Time
	reads int
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.reads++
	return c.t
}

func (c *fakeClock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// checked waits until the agent has read the clock twice since now: the
// first read was of the time as it is now, and the agent has acted on it
// by the second.
func (c *fakeClock) checked(t *testing.T, what string) {
	t.Helper()
	c.mu.Lock()
	from := c.reads
	c.mu.Unlock()
	testwait.Until(t, "the agent to check its limits "+what, func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		return c.reads >= from+2
	})
}

// running reports whether the agent still listens: its socket is there.
func running(t *testing.T, id *crypto.Identity) bool {
	path, _ := SocketPath(id.Recipient())
	_, err := os.Lstat(path)
	return err == nil
}

// ended waits for Serve to return, failing the test if it does not.
func ended(t *testing.T, done chan error, what string) {
	t.Helper()
	testwait.Recv(t, done, "the agent to end after "+what)
}

func TestAgentEndsWhenItsTimeIsUp(t *testing.T) {
	clock := &fakeClock{t: time.Now()}
	id, done := startAgent(t, Limits{Until: clock.now().Add(15 * time.Minute), clock: clock.now})
	if c, err := Dial(id.Recipient()); err != nil {
		t.Fatal(err)
	} else {
		c.Close()
	}
	clock.add(14 * time.Minute)
	clock.checked(t, "14 minutes on")
	if !running(t, id) {
		t.Fatal("the agent ended before its time was up")
	}
	clock.add(time.Minute)
	ended(t, done, "its time was up")
	if _, err := Dial(id.Recipient()); !errors.Is(err, ErrNoAgent) {
		t.Fatalf("after its time, Dial = %v, want ErrNoAgent", err)
	}
	if running(t, id) {
		t.Error("the socket is still there")
	}
}

func TestAgentEndsWhenIdle(t *testing.T) {
	clock := &fakeClock{t: time.Now()}
	id, done := startAgent(t, Limits{Until: clock.now().Add(time.Hour), Idle: 10 * time.Minute, clock: clock.now})
	// Used every 8 minutes, it stays well past its idle time.
	for range 3 {
		clock.add(8 * time.Minute)
		c, err := Dial(id.Recipient())
		if err != nil {
			t.Fatalf("ended while in use: %v", err)
		}
		c.Close()
	}
	clock.add(9 * time.Minute)
	clock.checked(t, "9 minutes after its last use")
	if !running(t, id) {
		t.Fatal("the agent ended 9 minutes after its last use, with an idle time of 10")
	}
	clock.add(time.Minute)
	ended(t, done, "10 minutes unused")
}

func TestLockEndsTheAgentAtOnce(t *testing.T) {
	id, done := startAgent(t, Limits{Until: time.Now().Add(time.Hour)})
	c, err := Dial(id.Recipient())
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Lock(); err != nil {
		t.Fatal(err)
	}
	c.Close()
	ended(t, done, "lock")
	if _, err := Dial(id.Recipient()); !errors.Is(err, ErrNoAgent) {
		t.Fatalf("after lock, Dial = %v, want ErrNoAgent", err)
	}
}

func TestStaleSocketIsNoAgentAndIsReplaced(t *testing.T) {
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
	id, _ := crypto.Generate(true)
	path, err := SocketPath(id.Recipient())
	if err != nil {
		t.Fatal(err)
	}
	// A crash leaves the socket file behind with nothing listening.
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	ln.SetUnlinkOnClose(false)
	ln.Close()
	if _, err := os.Lstat(path); err != nil {
		t.Fatalf("the test left no stale socket: %v", err)
	}
	if _, err := Dial(id.Recipient()); !errors.Is(err, ErrNoAgent) {
		t.Fatalf("stale socket: Dial = %v, want ErrNoAgent", err)
	}
	ln, err = Listen(path)
	if err != nil {
		t.Fatalf("a new agent cannot replace the stale socket: %v", err)
	}
	defer ln.Close()
	// A second agent is refused while the first answers.
	if _, err := Listen(path); !errors.Is(err, ErrRunning) {
		t.Fatalf("second agent: %v, want ErrRunning", err)
	}
}

func TestTheSocketAndItsFolderArePrivate(t *testing.T) {
	id, _ := startAgent(t, Limits{Until: time.Now().Add(time.Minute)})
	path, _ := SocketPath(id.Recipient())
	for p, want := range map[string]os.FileMode{path: 0o600, filepath.Dir(path): 0o700} {
		info, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if got := info.Mode().Perm(); got != want {
			t.Errorf("%s: mode %o, want %o", p, got, want)
		}
	}
	// A folder others can enter is refused, not used.
	os.Chmod(filepath.Dir(path), 0o755)
	defer os.Chmod(filepath.Dir(path), 0o700)
	if _, err := SocketPath(id.Recipient()); err == nil {
		t.Error("a folder others can enter was accepted")
	}
}

func TestAgentKilledMidRequest(t *testing.T) {
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
	id, _ := crypto.Generate(true)
	path, _ := SocketPath(id.Recipient())
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "JOURNAL_AGENT_TEST_SERVE="+path, "JOURNAL_AGENT_TEST_KEY="+id.String())
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	if line := testwait.Line(t, out, "the agent in a child process to start"); strings.TrimSpace(line) != "ready" {
		t.Fatalf("the agent did not start: %q", line)
	}
	c, err := Dial(id.Recipient())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, stanzas := sealed(t, id)
	if _, err := c.Unwrap(stanzas); err != nil {
		t.Fatalf("before the kill: %v", err)
	}
	// Stopped, the agent takes the request and does not answer; killed,
	// it never will.
	cmd.Process.Signal(syscall.SIGSTOP)
	waitStopped(t, cmd.Process.Pid)
	result := make(chan error, 1)
	// The request will go on the connection the first one used.
	var conn *net.UnixConn
	select {
	case conn = <-c.pool:
		c.pool <- conn
	default:
		t.Fatal("the client kept no connection after its first request")
	}
	go func() {
		_, err := c.Unwrap(stanzas)
		result <- err
	}()
	waitSent(t, conn)
	cmd.Process.Kill()
	cmd.Wait()
	// The client gives up on its own after requestTimeout; the kill must
	// end the request before that.
	start := time.Now()
	err = testwait.Recv(t, result, "the request to a killed agent to end")
	if !errors.Is(err, crypto.ErrRemote) {
		t.Fatalf("killed mid-request: %v, want an error wrapping ErrRemote", err)
	}
	if waited := time.Since(start); waited >= requestTimeout {
		t.Fatalf("the client waited %v for a killed agent, as long as for one that does not answer", waited)
	}
	// Its socket is left behind, dead: no agent, and a new one can start.
	if _, err := Dial(id.Recipient()); !errors.Is(err, ErrNoAgent) {
		t.Fatalf("after the kill, Dial = %v, want ErrNoAgent", err)
	}
	ln, err := Listen(path)
	if err != nil {
		t.Fatalf("a new agent cannot start after the kill: %v", err)
	}
	ln.Close()
}

// TestAnotherUserIsRefused runs a client as another user (nobody): with
// the folder as the agent makes it, that user cannot even reach the
// socket; with the folder and socket opened to everyone, the agent still
// answers only its own user.
func TestAnotherUserIsRefused(t *testing.T) {
	if os.Getuid() != 0 {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI must run this test as root, to run a client as another user")
		}
		t.Skip("running a client as another user needs root")
	}
	base, err := os.MkdirTemp("", "agent-users-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(base)
	os.Chmod(base, 0o755)
	// The test binary, where the other user can run it.
	exe := filepath.Join(base, "agent.test")
	if err := copyFile(os.Args[0], exe); err != nil {
		t.Fatal(err)
	}
	run := filepath.Join(base, "run")
	os.Mkdir(run, 0o755)
	t.Setenv("XDG_RUNTIME_DIR", run)
	id, _ := crypto.Generate(true)
	path, _ := SocketPath(id.Recipient())
	ln, err := Listen(path)
	if err != nil {
		t.Fatal(err)
	}
	go Serve(ln, id, Limits{Until: time.Now().Add(time.Minute)})
	defer func() {
		c, err := Dial(id.Recipient())
		if err == nil {
			c.Lock()
			c.Close()
		}
	}()

	as := func(uid uint32) string {
		cmd := exec.Command(exe)
		cmd.Env = []string{"JOURNAL_AGENT_TEST_CLIENT=" + path}
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uid, Gid: uid}}
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("client as uid %d: %v", uid, err)
		}
		return strings.TrimSpace(string(out))
	}
	const nobody = 65534
	if got := as(0); !strings.HasPrefix(got, "answered: K") {
		t.Fatalf("the agent's own user: %s", got)
	}
	if got := as(nobody); !strings.HasPrefix(got, "cannot connect") {
		t.Fatalf("another user reached the socket in its private folder: %s", got)
	}
	os.Chmod(filepath.Dir(path), 0o755)
	os.Chmod(path, 0o666)
	if got := as(nobody); !strings.HasPrefix(got, "refused") {
		t.Fatalf("the agent answered another user: %s", got)
	}
}

// waitStopped waits until the kernel shows the process as stopped, so
// that a request sent afterwards cannot be answered.
func waitStopped(t *testing.T, pid int) {
	t.Helper()
	stat := fmt.Sprintf("/proc/%d/stat", pid)
	if _, err := os.Stat(stat); err != nil {
		time.Sleep(500 * time.Millisecond) // no /proc: give the signal time
		return
	}
	testwait.Until(t, "the agent to stop (SIGSTOP)", func() bool {
		b, _ := os.ReadFile(stat)
		// The state follows the command name, which is in parentheses.
		i := bytes.LastIndexByte(b, ')')
		return i > 0 && i+2 < len(b) && b[i+2] == 'T'
	})
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func TestAgentEndsWhenItsSocketIsRemoved(t *testing.T) {
	id, done := startAgent(t, Limits{Until: time.Now().Add(time.Hour)})
	path, _ := SocketPath(id.Recipient())
	os.RemoveAll(filepath.Dir(path))
	ended(t, done, "its folder was removed")
}
