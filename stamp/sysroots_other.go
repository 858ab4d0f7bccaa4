//go:build !linux

package stamp

// SystemRootsID names the system's root certificates as they are now.
// Outside Linux the system keeps them in its own store (the macOS
// keychain, the Windows certificate store), which no file says the state
// of: it returns "", and a token's result kept by a reader stands until it
// is checked again (journal verify always does).
func SystemRootsID() string { return "" }
