package gitrepo

import (
	"bufio"
	"bytes"
	"testing"
)

// FuzzReadIndex: whatever the index holds, reading it ends, with names or an error,
// and never panics.
func FuzzReadIndex(f *testing.F) {
	f.Add([]byte("DIRC\x00\x00\x00\x02\x00\x00\x00\x00"), 20)
	f.Add([]byte("DIRC\x00\x00\x00\x04\x00\x00\x00\x02"+string(make([]byte, 62))+"\x00\x04.env\x00"), 20)
	f.Fuzz(func(t *testing.T, data []byte, hashLen int) {
		if hashLen != 32 {
			hashLen = 20
		}
		_ = readIndex(bufio.NewReader(bytes.NewReader(data)), hashLen, func(string) bool { return true })
	})
}
