package engine

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
)

// The docker CLI keeps contexts under contexts/meta/<sha256 of the name>/meta.json.
func writeContext(t *testing.T, dir, name, host string) {
	t.Helper()
	sum := sha256.Sum256([]byte(name))
	meta := filepath.Join(dir, "contexts", "meta", hex.EncodeToString(sum[:]))
	if err := os.MkdirAll(meta, 0o755); err != nil {
		t.Fatal(err)
	}
	body := `{"Name":"` + name + `","Metadata":{},"Endpoints":{"docker":{"Host":"` + host + `","SkipTLSVerify":false}}}`
	if err := os.WriteFile(filepath.Join(meta, "meta.json"), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestContextHost(t *testing.T) {
	dir := t.TempDir()
	writeContext(t, dir, "desktop-linux", "unix:///home/me/.docker/desktop/docker.sock")
	writeContext(t, dir, "remote", "tcp://10.0.0.5:2376")
	if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte(`{"currentContext": "desktop-linux"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		env     map[string]string
		want    string
		wantErr bool
	}{
		{env: map[string]string{"DOCKER_CONFIG": dir}, want: "unix:///home/me/.docker/desktop/docker.sock"},
		{env: map[string]string{"DOCKER_CONFIG": dir, "DOCKER_CONTEXT": "remote"}, want: "tcp://10.0.0.5:2376"},
		{env: map[string]string{"DOCKER_CONFIG": dir, "DOCKER_CONTEXT": "default"}, want: ""},
		{env: map[string]string{"DOCKER_CONFIG": dir, "DOCKER_CONTEXT": "gone"}, wantErr: true},
		{env: map[string]string{"DOCKER_CONFIG": t.TempDir()}, want: ""},
	}
	for _, tt := range tests {
		got, err := contextHost(func(k string) string { return tt.env[k] })
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("%v: got %q, %v; want %q (error %v)", tt.env, got, err, tt.want, tt.wantErr)
		}
	}
	// DOCKER_HOST wins over any context.
	c, err := Connect(func(k string) string {
		return map[string]string{"DOCKER_CONFIG": dir, "DOCKER_HOST": "unix:///tmp/other.sock"}[k]
	})
	if err != nil || c.Host() != "unix:///tmp/other.sock" {
		t.Fatalf("host %v %v", c, err)
	}
}
