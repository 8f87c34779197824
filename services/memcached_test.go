package services

import "testing"

func TestMemcachedSettings(t *testing.T) {
	s, _ := Lookup("memcached")
	got := settings(s, endpoint(s, "127.0.0.1", s.Env(Params{Project: "p", Secret: secret})))
	if got["MEMCACHED_URL"] != "memcached://127.0.0.1:11411" || got["MEMCACHE_SERVERS"] != "127.0.0.1:11411" {
		t.Errorf("settings %v", got)
	}
}
