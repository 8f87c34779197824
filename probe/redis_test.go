package probe

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"
)

// respServer answers RESP commands the way a Redis server does: AUTH against password
// (none set: every AUTH is an error, as Redis answers), PING with ping when authenticated.
// It records the commands it was sent.
func respServer(t *testing.T, password, ping string, got chan<- string) int {
	return listen(t, func(c net.Conn) {
		defer c.Close()
		r := bufio.NewReader(c)
		authed := password == ""
		for {
			args, err := readCommand(r)
			if err != nil {
				return
			}
			got <- strings.Join(args, " ")
			switch strings.ToUpper(args[0]) {
			case "AUTH":
				switch {
				case password == "":
					fmt.Fprint(c, "-ERR AUTH <password> called without any password configured for the default user\r\n")
				case args[len(args)-1] != password:
					fmt.Fprint(c, "-WRONGPASS invalid username-password pair or user is disabled.\r\n")
				default:
					authed = true
					fmt.Fprint(c, "+OK\r\n")
				}
			case "PING":
				if !authed {
					fmt.Fprint(c, "-NOAUTH Authentication required.\r\n")
					continue
				}
				fmt.Fprint(c, ping)
			default:
				fmt.Fprint(c, "-ERR unknown command\r\n")
			}
		}
	})
}

// readCommand reads one RESP array of bulk strings, as clients send commands.
func readCommand(r *bufio.Reader) ([]string, error) {
	var n int
	if _, err := fmt.Fscanf(r, "*%d\r\n", &n); err != nil {
		return nil, err
	}
	args := make([]string, n)
	for i := range args {
		var size int
		if _, err := fmt.Fscanf(r, "$%d\r\n", &size); err != nil {
			return nil, err
		}
		buf := make([]byte, size+2)
		if _, err := r.Read(buf); err != nil {
			return nil, err
		}
		args[i] = string(buf[:size])
	}
	return args, nil
}

func TestRedisProbe(t *testing.T) {
	for _, tc := range []struct {
		name, serverPassword, probePassword, ping string
		wantErr                                   string // "" ready
		wantAuth                                  bool
		wantSent                                  []string
	}{
		{name: "no password", ping: "+PONG\r\n", wantSent: []string{"PING"}},
		{name: "password", serverPassword: "s3cret", probePassword: "s3cret", ping: "+PONG\r\n",
			wantSent: []string{"AUTH s3cret", "PING"}},
		{name: "wrong password", serverPassword: "s3cret", probePassword: "other",
			wantErr: "WRONGPASS", wantAuth: true, wantSent: []string{"AUTH other"}},
		{name: "password required", serverPassword: "s3cret", ping: "+PONG\r\n",
			wantErr: "NOAUTH", wantAuth: true, wantSent: []string{"PING"}},
		{name: "still loading", ping: "-LOADING Redis is loading the dataset in memory\r\n",
			wantErr: "LOADING", wantSent: []string{"PING"}},
		{name: "odd answer", ping: "+PANG\r\n", wantErr: `PING answered "PANG"`, wantSent: []string{"PING"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := make(chan string, 10)
			port := respServer(t, tc.serverPassword, tc.ping, got)
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			err := Redis{Password: "{env:PASS}"}.Check(ctx, fake{port: port, env: map[string]string{"PASS": tc.probePassword}})
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("not ready: %v", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("error %v, want one saying %q", err, tc.wantErr)
			case errors.Is(err, ErrAuth) != tc.wantAuth:
				t.Fatalf("error %v: is ErrAuth %v, want %v", err, errors.Is(err, ErrAuth), tc.wantAuth)
			}
			var sent []string
			for len(sent) < len(tc.wantSent) {
				select {
				case c := <-got:
					sent = append(sent, c)
				case <-ctx.Done():
					t.Fatalf("sent %q, want %q", sent, tc.wantSent)
				}
			}
			if strings.Join(sent, "|") != strings.Join(tc.wantSent, "|") {
				t.Fatalf("sent %q, want %q", sent, tc.wantSent)
			}
		})
	}
}
