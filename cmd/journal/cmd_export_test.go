package main

import (
	"bytes"
	"fmt"
	"golang.org/x/image/font/gofont/gomono"
	"image"
	"image/color"
	"image/png"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"

	"filippo.io/age"
	"github.com/rogpeppe/go-internal/testscript"
)

// condition answers the script conditions of this package:
//
//	[tool:PROGRAM]
//
// is true when PROGRAM is installed. In CI (CI=true) a missing program is
// an error, so that a test that needs it fails instead of skipping.
func condition(cond string) (bool, error) {
	name, ok := strings.CutPrefix(cond, "tool:")
	if !ok {
		return false, fmt.Errorf("unknown condition %q", cond)
	}
	if _, err := exec.LookPath(name); err != nil {
		if os.Getenv("CI") == "true" {
			return false, fmt.Errorf("%s is not installed: .ci/packages must list its Debian package", name)
		}
		return false, nil
	}
	return true, nil
}

// cmdAgeDecrypt decrypts an age file with the identities in a file, as the
// recipient of an encrypted report would:
//
//	agedecrypt IDENTITY-FILE IN OUT
func cmdAgeDecrypt(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 3 {
		ts.Fatalf("usage: agedecrypt IDENTITY-FILE IN OUT")
	}
	ids, err := age.ParseIdentities(bytes.NewReader([]byte(ts.ReadFile(args[0]))))
	ts.Check(err)
	in, err := os.Open(ts.MkAbs(args[1]))
	ts.Check(err)
	defer in.Close()
	r, err := age.Decrypt(in, ids...)
	if err == nil {
		var plain []byte
		if plain, err = io.ReadAll(r); err == nil {
			ts.Check(os.WriteFile(ts.MkAbs(args[2]), plain, 0o600))
		}
	}
	if (err != nil) != neg {
		if neg {
			ts.Fatalf("%s decrypted with %s", args[1], args[0])
		}
		ts.Fatalf("decrypting %s: %v", args[1], err)
	}
}

// cmdMkImage writes a PNG picture of W by H pixels, as a screenshot taken
// as evidence would be:
//
//	mkimage FILE W H
func cmdMkImage(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: mkimage FILE W H")
	}
	w, err := strconv.Atoi(args[1])
	ts.Check(err)
	h, err := strconv.Atoi(args[2])
	ts.Check(err)
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.NRGBA{uint8(x), uint8(y), 160, 255})
		}
	}
	var buf bytes.Buffer
	ts.Check(png.Encode(&buf, img))
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), buf.Bytes(), 0o600))
}

// cmdMkFont writes a TrueType font (Go Mono) for --font:
//
//	mkfont FILE
func cmdMkFont(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: mkfont FILE")
	}
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), gomono.TTF, 0o600))
}
