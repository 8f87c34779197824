package config

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

func TestAcknowledge(t *testing.T) {
	cfg, err := Load(Options{Path: filepath.Join("testdata", "acknowledge", "ok.yaml"), Dir: t.TempDir(), Getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatal(err)
	}
	minio, _ := cfg.Service("minio")
	if where := minio.Acknowledges("CVE-2025-62506"); !strings.HasSuffix(where, "ok.yaml:3:19") {
		t.Fatalf("acknowledged at %q; %+v", where, minio.Acknowledged)
	}
	tests := []struct {
		file      string
		line, col int
		key, msg  string
	}{
		{"unknown.yaml", 5, 9, "services.minio.acknowledge[1]", `"CVE-2024-99999" is not a vulnerability devstack knows of`},
		{"not-cve.yaml", 3, 19, "services.minio.acknowledge[0]", `"GHSA-xxxx-yyyy-zzzz" is not a CVE id`},
		{"not-list.yaml", 3, 18, "services.minio.acknowledge", "must be a list of CVE ids"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			_, err := Load(Options{Path: filepath.Join("testdata", "acknowledge", tt.file), Dir: t.TempDir(), Getenv: func(string) string { return "" }})
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v; want *config.Error", err)
			}
			if ce.Line != tt.line || ce.Col != tt.col || ce.Key != tt.key || !strings.Contains(ce.Msg, tt.msg) || !strings.Contains(ce.Fix, "CVE-2025-62506") {
				t.Fatalf("got %d:%d %q %q (fix %q); want %d:%d %q %q", ce.Line, ce.Col, ce.Key, ce.Msg, ce.Fix, tt.line, tt.col, tt.key, tt.msg)
			}
		})
	}
}
