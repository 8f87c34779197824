package engine

import (
	"errors"
	"strings"
	"testing"
)

func TestPullTrackerSumsLayers(t *testing.T) {
	var tr pullTracker
	msgs := []pullMessage{
		{ID: "17", Status: "Pulling from library/postgres"},
		{ID: "a", Status: "Already exists"},
		{ID: "b", Status: "Pulling fs layer"},
		{ID: "c", Status: "Waiting"},
		{ID: "b", Status: "Downloading"},
		{ID: "c", Status: "Downloading"},
		{Status: "Digest: sha256:abc"},
	}
	msgs[4].ProgressDetail.Current, msgs[4].ProgressDetail.Total = 50, 200
	msgs[5].ProgressDetail.Current, msgs[5].ProgressDetail.Total = 10, 100
	for _, m := range msgs {
		tr.apply(m)
	}
	if got := tr.progress(); got != (PullProgress{Layers: 3, LayersDone: 1, Current: 60, Total: 300}) {
		t.Fatalf("progress %+v", got)
	}
	tr.apply(pullMessage{ID: "b", Status: "Download complete"})
	tr.apply(pullMessage{ID: "b", Status: "Pull complete"})
	if got := tr.progress(); got != (PullProgress{Layers: 3, LayersDone: 2, Current: 210, Total: 300}) {
		t.Fatalf("progress %+v", got)
	}
}

func TestRegistryAnswers(t *testing.T) {
	c := &Client{host: "unix:///var/run/docker.sock"}
	tests := []struct {
		msg  string
		want string
	}{
		{`Error response from daemon: manifest for postgres:99 not found: manifest unknown: manifest unknown`, AnswerNotFound},
		{`pull access denied for minio/minio, repository does not exist or may require 'docker login': denied: requested access to the resource is denied`, AnswerDenied},
		{`Error response from daemon: errors: denied: requested access to the resource is denied unauthorized: authentication required`, AnswerDenied},
		{`Get "https://quay.io/v2/": dial tcp: lookup quay.io on 10.255.255.53:53: no such host`, AnswerUnreachable},
		{`Get "https://registry-1.docker.io/v2/": net/http: TLS handshake timeout`, AnswerUnreachable},
		{`something else entirely`, AnswerError},
	}
	for _, tt := range tests {
		var re *RegistryError
		if err := c.registryError("img", errors.New(tt.msg)); !errors.As(err, &re) || re.Answer != tt.want {
			t.Errorf("%q: %v, want %s", tt.msg, err, tt.want)
		}
	}
}

func TestAPIVersionRefusal(t *testing.T) {
	c := &Client{host: "unix:///var/run/docker.sock"}
	err := c.wrap(errors.New("Error response from daemon: client version 1.41 is too old. Minimum supported API version is 1.44, please upgrade your client to a newer version"))
	var ve *APIVersionError
	if !errors.As(err, &ve) || ve.Client != "1.41" || ve.Limit != "1.44" || !ve.TooOld {
		t.Fatalf("err = %#v", err)
	}
	if h := ve.Hint(); h == "" || !strings.Contains(h, "DOCKER_API_VERSION") || !strings.Contains(h, "DOCKER_MIN_API_VERSION=1.41") {
		t.Fatalf("hint %q", h)
	}
	if c.wrap(errors.New("No such image: redis:7")) == nil {
		t.Fatal("wrap lost an error")
	}
}
