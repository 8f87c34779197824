package engine

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"net"
	"path/filepath"
	"testing"
)

// fakeFS is a docker CLI configuration directory in memory.
type fakeFS map[string]string

func (f fakeFS) read(path string) ([]byte, error) {
	if s, ok := f[path]; ok {
		return []byte(s), nil
	}
	return nil, fs.ErrNotExist
}

// addContext stores a context as the docker CLI does: contexts/meta/<sha256 of the
// name>/meta.json.
func (f fakeFS) addContext(dir, name, host string) {
	sum := sha256.Sum256([]byte(name))
	f[filepath.Join(dir, "contexts", "meta", hex.EncodeToString(sum[:]), "meta.json")] =
		`{"Name":"` + name + `","Metadata":{},"Endpoints":{"docker":{"Host":"` + host + `","SkipTLSVerify":false}}}`
}

func TestDiscoveryOrder(t *testing.T) {
	const dir = "/home/me/.docker"
	withCurrent := fakeFS{filepath.Join(dir, "config.json"): `{"currentContext": "desktop-linux"}`}
	withCurrent.addContext(dir, "desktop-linux", "unix:///home/me/.docker/desktop/docker.sock")
	withCurrent.addContext(dir, "remote", "ssh://me@build-box")
	defaultCurrent := fakeFS{filepath.Join(dir, "config.json"): `{"currentContext": "default"}`}
	broken := fakeFS{filepath.Join(dir, "config.json"): `{"currentContext": `}
	rootless := "unix:///run/user/1000/podman/podman.sock"

	tests := []struct {
		name    string
		env     map[string]string
		files   fakeFS
		answers []string // sockets that accept connections
		want    Endpoint
		wantErr bool
	}{
		{name: "DOCKER_HOST wins over the context",
			env: map[string]string{"DOCKER_HOST": "tcp://10.0.0.5:2376", "DOCKER_CONTEXT": "remote"}, files: withCurrent,
			want: Endpoint{Host: "tcp://10.0.0.5:2376", FoundBy: FoundByEnv}},
		{name: "DOCKER_CONTEXT wins over the current context",
			env: map[string]string{"DOCKER_CONTEXT": "remote"}, files: withCurrent, answers: []string{DefaultHost},
			want: Endpoint{Host: "ssh://me@build-box", FoundBy: "context remote"}},
		{name: "the current context from config.json",
			files: withCurrent, answers: []string{DefaultHost, PodmanRootful},
			want: Endpoint{Host: "unix:///home/me/.docker/desktop/docker.sock", FoundBy: "context desktop-linux"}},
		{name: "DOCKER_CONFIG moves the CLI configuration",
			env: map[string]string{"DOCKER_CONFIG": "/elsewhere"}, files: withCurrent, answers: []string{DefaultHost},
			want: Endpoint{Host: DefaultHost, FoundBy: FoundByDefault}},
		{name: "the default context is the default socket",
			files: defaultCurrent, answers: []string{DefaultHost, PodmanRootful},
			want: Endpoint{Host: DefaultHost, FoundBy: FoundByDefault}},
		{name: "Docker's socket answers: Podman's is not looked at",
			answers: []string{DefaultHost, PodmanRootful},
			want:    Endpoint{Host: DefaultHost, FoundBy: FoundByDefault}},
		{name: "no Docker socket: Podman's rootful socket",
			env: map[string]string{"XDG_RUNTIME_DIR": "/run/user/1000"}, answers: []string{PodmanRootful, rootless},
			want: Endpoint{Host: PodmanRootful, FoundBy: FoundByPodman}},
		{name: "no Docker socket, no rootful Podman: the rootless one",
			env: map[string]string{"XDG_RUNTIME_DIR": "/run/user/1000"}, answers: []string{rootless},
			want: Endpoint{Host: rootless, FoundBy: FoundByPodman}},
		{name: "no XDG_RUNTIME_DIR: no rootless socket to look for",
			answers: []string{rootless},
			want:    Endpoint{Host: DefaultHost, FoundBy: FoundByDefault}},
		{name: "nothing answers: Docker's default, for the error to name",
			env:  map[string]string{"XDG_RUNTIME_DIR": "/run/user/1000"},
			want: Endpoint{Host: DefaultHost, FoundBy: FoundByDefault}},
		{name: "a context that does not exist is an error",
			env: map[string]string{"DOCKER_CONTEXT": "gone"}, files: withCurrent, wantErr: true},
		{name: "an unreadable config.json is an error",
			files: broken, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := tt.files
			if files == nil {
				files = fakeFS{}
			}
			d := Discovery{
				Getenv:   func(k string) string { return tt.env[k] },
				ReadFile: files.read,
				HomeDir:  func() (string, error) { return "/home/me", nil },
				Answers: func(host string) bool {
					for _, a := range tt.answers {
						if a == host {
							return true
						}
					}
					return false
				},
			}
			got, err := d.Find()
			if (err != nil) != tt.wantErr {
				t.Fatalf("error %v, want error %v", err, tt.wantErr)
			}
			if !tt.wantErr && got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestSocketAnswers(t *testing.T) {
	dir := t.TempDir()
	l, err := net.Listen("unix", filepath.Join(dir, "live.sock"))
	if err != nil {
		t.Fatal(err)
	}
	if !socketAnswers("unix://" + filepath.Join(dir, "live.sock")) {
		t.Error("a listening socket does not answer")
	}
	l.Close() // Go removes the file; a stopped engine may leave it, which refuses too
	if socketAnswers("unix://" + filepath.Join(dir, "live.sock")) {
		t.Error("a closed socket answers")
	}
	if socketAnswers("tcp://127.0.0.1:1") {
		t.Error("a tcp address is taken for a socket")
	}
}

func TestConnectUsesDiscovery(t *testing.T) {
	c, err := Connect(func(k string) string {
		return map[string]string{"DOCKER_CONFIG": t.TempDir(), "DOCKER_HOST": "unix:///tmp/other.sock"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if c.Host() != "unix:///tmp/other.sock" || c.Endpoint().FoundBy != FoundByEnv {
		t.Fatalf("host %q found by %q", c.Host(), c.Endpoint().FoundBy)
	}
}
