package config

import (
	"fmt"
	"net"
	"strconv"

	"github.com/devstack-dev/devstack/grammar"
)

// Origin says where a setting came from, for precedence and for blame in messages.
type Origin string

// The origins, from strongest to weakest: flag > environment > remembered > file >
// default. Remembered is where the project's last up placed it (.devstack/project.json).
const (
	FromFlag    Origin = "flag"
	FromEnv     Origin = "environment"
	FromState   Origin = "remembered"
	FromFile    Origin = "file"
	FromDefault Origin = "default"
)

// StateFile is where the remembered bind and offset are kept, for messages.
const StateFile = ".devstack/project.json"

// CommandLine is the File of an Error about a flag the user typed.
const CommandLine = "command line"

// BindFix is the fix for a bind address that is not one devstack can use.
const BindFix = "use an IP address of this machine: 127.0.0.1 (the default), ::1, or 0.0.0.0 to open the ports to the network"

// ValidateBind checks a bind address: an IP literal, not a host name, and an address a
// listener can be bound to, not a group or a link.
func ValidateBind(s string) error {
	ip := net.ParseIP(s)
	switch {
	case ip == nil:
		return fmt.Errorf("bind address %s is not an IP address", quote("bind", s))
	case ip.IsMulticast():
		return fmt.Errorf("bind address %s is a multicast group, not an address of this machine", s)
	case ip.Equal(net.IPv4bcast):
		return fmt.Errorf("bind address %s is the broadcast address, not an address of this machine", s)
	case ip.IsLinkLocalUnicast():
		return fmt.Errorf("bind address %s is link-local: it exists on one link only and cannot publish a port reliably", s)
	}
	return nil
}

// Loopback reports whether the bind address keeps every port on this machine.
func (c *Config) Loopback() bool {
	ip := net.ParseIP(c.Bind)
	return ip != nil && ip.IsLoopback()
}

// ConfirmBind refuses a non-loopback bind address that the repository (devstack.yaml)
// or the environment chose: publishing a project's databases on the network is the
// user's decision, made by typing --bind.
func (c *Config) ConfirmBind() error {
	if c.Loopback() || c.BindFrom == FromFlag {
		return nil
	}
	e := c.blame(c.BindFrom, c.bindLine, "bind", "DEVSTACK_BIND", "--bind")
	e.Msg = fmt.Sprintf("%s would publish every service on the network: ports Docker publishes on a non-loopback address bypass the host firewall, "+
		"and a repository's devstack.yaml or the environment cannot decide that for you", c.Bind)
	e.Fix = fmt.Sprintf("to mean it, type it on the command line: --bind %s (such as devstack up --bind %s); "+
		"otherwise remove it, and devstack binds %s", c.Bind, c.Bind, DefaultBind)
	return e
}

// BindWarning is what the ports plan and doctor say about a non-loopback bind address:
// "" on loopback.
func (c *Config) BindWarning() string {
	if c.Loopback() {
		return ""
	}
	w := fmt.Sprintf("binding on %s opens every service to the network, past the host firewall", c.Bind)
	if c.BindFrom != FromFlag {
		w += fmt.Sprintf("; it comes from %s, so up and bootstrap refuse it unless you type --bind %s", c.describe(c.BindFrom, c.bindLine, "bind", "DEVSTACK_BIND"), c.Bind)
	}
	return w
}

// MaxOffset is the largest offset at which every planned host port stays a port.
func (c *Config) MaxOffset() int {
	highest := 0
	for _, s := range c.Services {
		for _, p := range s.Ports {
			host := p.Host
			if o, ok := s.PortOverrides[p.Name]; ok {
				host = o
			}
			highest = max(highest, host)
		}
	}
	return 65535 - highest
}

// ValidateOffset keeps an offset where every planned host port stays a valid port.
func (c *Config) ValidateOffset(n int) error {
	if n < 0 || n > c.MaxOffset() {
		return fmt.Errorf("offset %d is out of range 0..%d", n, c.MaxOffset())
	}
	return nil
}

// OffsetFix says the real range, which depends on the planned ports.
func (c *Config) OffsetFix() string {
	return fmt.Sprintf("use a whole number from 0 to %d (every planned host port plus the offset must stay at most 65535), "+
		"such as 100 for a second stack beside the first", c.MaxOffset())
}

// checkOffset validates the offset that won, blaming whoever gave it.
func (c *Config) checkOffset() error {
	if err := c.ValidateOffset(c.Offset); err != nil {
		e := c.blame(c.OffsetFrom, c.offsetLine, "offset", "DEVSTACK_OFFSET", "--offset")
		e.Msg, e.Fix = err.Error(), c.OffsetFix()
		return e
	}
	return nil
}

// blame is an Error located where a setting came from.
func (c *Config) blame(o Origin, line int, key, envKey, flag string) *Error {
	switch o {
	case FromFlag:
		return &Error{File: CommandLine, Key: flag}
	case FromEnv:
		return &Error{File: "environment", Key: envKey}
	case FromState:
		return &Error{File: StateFile, Key: key}
	}
	return &Error{File: c.File, Line: line, Key: key}
}

func (c *Config) describe(o Origin, line int, key, envKey string) string {
	switch o {
	case FromEnv:
		return envKey
	case FromState:
		return StateFile + " (where the last devstack up put the project)"
	case FromFile:
		return fmt.Sprintf("%s:%d (%s:)", relative(c.File), line, key)
	}
	return "the default"
}

func applyEnv(cfg *Config, getenv func(string) string) error {
	if v := getenv("DEVSTACK_BIND"); v != "" {
		if err := ValidateBind(v); err != nil {
			return &Error{File: "environment", Key: "DEVSTACK_BIND", Msg: err.Error(), Fix: BindFix}
		}
		cfg.Bind, cfg.BindFrom = v, FromEnv
	}
	if v := getenv("DEVSTACK_OFFSET"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return &Error{File: "environment", Key: "DEVSTACK_OFFSET", Msg: fmt.Sprintf("%s is not a whole number", quote("offset", v)), Fix: cfg.OffsetFix()}
		}
		cfg.Offset, cfg.OffsetFrom = n, FromEnv
	}
	for i := range cfg.Services {
		key := cfg.Services[i].ImageEnv()
		if v := getenv(key); v != "" {
			if err := grammar.ImageRef(v); err != nil {
				return &Error{File: "environment", Key: key,
					Msg: fmt.Sprintf("%s %v", quote(key, v), err),
					Fix: fmt.Sprintf("give NAME[:TAG][@sha256:DIGEST] in lower case, such as %s; or unset %s for devstack's default", cfg.Services[i].Image, key)}
			}
			cfg.Services[i].Image = v
		}
	}
	return nil
}

func applyFlags(cfg *Config, opts Options) error {
	if opts.Bind != nil {
		if err := ValidateBind(*opts.Bind); err != nil {
			return &Error{File: CommandLine, Key: "--bind", Msg: err.Error(), Fix: BindFix}
		}
		cfg.Bind, cfg.BindFrom = *opts.Bind, FromFlag
	}
	if opts.Offset != nil {
		cfg.Offset, cfg.OffsetFrom = *opts.Offset, FromFlag
	}
	return nil
}
