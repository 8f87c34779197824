package probe

import (
	"bytes"
	"context"
	"encoding/binary"
	"io"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"
)

const canary = "canary-31c8-users-own-secret"

// plantClientCanaries gives the process what MySQL's, Redis's, MongoDB's and RabbitMQ's
// own tools read for credentials: variables and files in a fake home, each the canary.
func plantClientCanaries(t *testing.T) {
	home := t.TempDir()
	for p, data := range map[string]string{
		".my.cnf":             "[client]\nuser=" + canary + "\npassword=" + canary + "\n",
		".mylogin.cnf":        canary,
		".redisclirc":         "AUTH " + canary + "\n",
		".mongoshrc.js":       "db.auth('" + canary + "', '" + canary + "')\n",
		".rabbitmqadmin.conf": "[default]\nusername = " + canary + "\npassword = " + canary + "\n",
	} {
		if err := os.WriteFile(filepath.Join(home, p), []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("HOME", home)
	for _, k := range []string{"MYSQL_PWD", "MYSQL_USER", "MYSQL_HOST", "REDISCLI_AUTH", "REDIS_PASSWORD", "MONGODB_URI",
		"AMQP_URL", "RABBITMQ_DEFAULT_PASS", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"} {
		t.Setenv(k, canary)
	}
}

// Rule 3 of issue 18: a MySQL probe without a password sends an empty one, under the
// plan's user, whatever MYSQL_PWD or ~/.my.cnf say: the fake server reads the login.
func TestMySQLProbeSendsOnlyThePlan(t *testing.T) {
	plantClientCanaries(t)
	got := make(chan [2]string, 1)
	port := listen(t, func(c net.Conn) {
		_ = c.SetDeadline(time.Now().Add(5 * time.Second))
		scramble := []byte("abcdefghijklmnopqrst")
		// HandshakeV10: protocol 10, version, thread id, scramble part 1, filler,
		// capabilities (low), charset, status, capabilities (high), scramble length,
		// reserved, scramble part 2, plugin name.
		var h bytes.Buffer
		h.WriteByte(10)
		h.WriteString("8.0.0-fake\x00")
		h.Write([]byte{1, 0, 0, 0})
		h.Write(scramble[:8])
		h.WriteByte(0)
		caps := uint32(0x00000200 | 0x00008000 | 0x00080000 | 0x00000008) // protocol 41, secure conn, plugin auth, connect with db
		h.Write(binary.LittleEndian.AppendUint16(nil, uint16(caps)))
		h.WriteByte(33)
		h.Write([]byte{2, 0})
		h.Write(binary.LittleEndian.AppendUint16(nil, uint16(caps>>16)))
		h.WriteByte(21)
		h.Write(make([]byte, 10))
		h.Write(append(scramble[8:], 0))
		h.WriteString("mysql_native_password\x00")
		writePacket(c, 0, h.Bytes())
		body, err := readPacket(c)
		if err != nil || len(body) < 33 {
			got <- [2]string{"", "no login"}
			return
		}
		rest := body[32:]
		user, rest, _ := bytes.Cut(rest, []byte{0})
		var auth []byte
		if len(rest) > 0 && int(rest[0]) < len(rest) {
			auth = rest[1 : 1+int(rest[0])]
		}
		got <- [2]string{string(user), string(auth)}
		writePacket(c, 2, append([]byte{0xff, 0x15, 0x04}, "#28000Access denied"...))
	})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := (MySQL{User: "app", Database: "appdb"}).Check(ctx, fake{port: port}); err == nil {
		t.Fatal("the probe passed against a server that refused it")
	}
	select {
	case login := <-got:
		if login[0] != "app" || login[1] != "" {
			t.Fatalf("the server received user %q and a %d-byte password proof; want the plan's user and no password", login[0], len(login[1]))
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the fake server heard no login")
	}
}

// The other drivers speak first: what they send carries nothing of the user's.
func TestProbesSendNoCanary(t *testing.T) {
	plantClientCanaries(t)
	for name, s := range map[string]Strategy{
		"redis": Redis{},
		"mongo": Mongo{},
		"amqp":  AMQP{User: "guest", Password: "plan"},
	} {
		t.Run(name, func(t *testing.T) {
			heard := make(chan []byte, 4)
			port := listen(t, func(c net.Conn) {
				_ = c.SetDeadline(time.Now().Add(time.Second))
				data, _ := io.ReadAll(io.LimitReader(c, 64<<10))
				heard <- data
			})
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			_ = s.Check(ctx, fake{port: port})
			select {
			case data := <-heard:
				if len(data) == 0 {
					t.Fatal("the driver sent nothing: the test sees nothing")
				}
				if bytes.Contains(data, []byte(canary)) {
					t.Fatalf("%s sent the user's canary: %q", name, data)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("the fake server heard nothing")
			}
		})
	}
}

func writePacket(c net.Conn, seq byte, body []byte) {
	n := len(body)
	_, _ = c.Write(append([]byte{byte(n), byte(n >> 8), byte(n >> 16), seq}, body...))
}

func readPacket(c net.Conn) ([]byte, error) {
	var hdr [4]byte
	if _, err := io.ReadFull(c, hdr[:]); err != nil {
		return nil, err
	}
	body := make([]byte, int(hdr[0])|int(hdr[1])<<8|int(hdr[2])<<16)
	_, err := io.ReadFull(c, body)
	return body, err
}
