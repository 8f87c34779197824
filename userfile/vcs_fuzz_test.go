package userfile

import (
	"strings"
	"testing"
)

// isVCSName reads a name as a case-insensitive file system would: any spelling of a
// metadata name with case changes, Windows' trailing dots and spaces, or HFS+'s ignorable
// code points is metadata too.
func FuzzIsVCSName(f *testing.F) {
	for _, s := range []string{".git", ".GIT", ".hg", ".svn", ".g\u200cit", ".git. ", "git", ".gitignore"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		got := isVCSName(name)
		for _, v := range []string{strings.ToUpper(name), name + ".", name + " ", "\u200c" + name} {
			if isVCSName(v) != got && !strings.ContainsRune(name, '\u0130') && !strings.ContainsRune(name, '\u212a') {
				t.Fatalf("isVCSName(%q) = %v but isVCSName(%q) = %v", name, got, v, !got)
			}
		}
	})
}
