package drivers

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/devstack-dev/devstack/services"
)

const canary = "CANARYAKIDUSERCREDENTIAL"

// Rule 3 of issue 18: the MinIO client signs with the service's root credentials alone,
// whatever the user's environment and home hold for AWS and MinIO's own client.
func TestMinIOClientUsesOnlyThePlan(t *testing.T) {
	home := t.TempDir()
	for p, data := range map[string]string{
		".aws/credentials":   "[default]\naws_access_key_id = " + canary + "\naws_secret_access_key = " + canary + "\n",
		".aws/config":        "[default]\nregion = eu-canary-1\n",
		".mc/config.json":    `{"version":"10","aliases":{"s3":{"url":"http://127.0.0.1","accessKey":"` + canary + `","secretKey":"` + canary + `"}}}`,
		".minio/config.json": `{"accessKey":"` + canary + `","secretKey":"` + canary + `"}`,
	} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(home, p)), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(home, p), []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "MINIO_ACCESS_KEY",
		"MINIO_SECRET_KEY", "MINIO_ROOT_USER", "MINIO_ROOT_PASSWORD"} {
		t.Setenv(k, canary)
	}
	t.Setenv("HOME", home)
	t.Setenv("AWS_REGION", "eu-canary-1")

	var mu sync.Mutex
	var auth []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		auth = append(auth, r.Header.Get("Authorization")+" "+r.Header.Get("X-Amz-Security-Token"))
		mu.Unlock()
		if _, ok := r.URL.Query()["location"]; ok {
			_, _ = w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/"></LocationConstraint>`))
		}
	}))
	defer srv.Close()
	host, port, _ := net.SplitHostPort(strings.TrimPrefix(srv.URL, "http://"))
	p, _ := strconv.Atoi(port)
	ep := services.Endpoint{Host: host, Ports: map[string]int{"api": p},
		Env: map[string]string{"MINIO_ROOT_USER": "devstack", "MINIO_ROOT_PASSWORD": "plan-secret"}}
	c, err := MinIOClient(ep)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, _ = c.BucketExists(ctx, "fixtures")

	mu.Lock()
	defer mu.Unlock()
	if len(auth) == 0 {
		t.Fatal("the client sent nothing")
	}
	for _, a := range auth {
		if !strings.Contains(a, "Credential=devstack/") {
			t.Errorf("a request was not signed with the plan's access key: %q", a)
		}
		if strings.Contains(a, canary) || strings.Contains(a, "eu-canary-1") {
			t.Errorf("a request carries the user's credentials or region: %q", a)
		}
	}
}
