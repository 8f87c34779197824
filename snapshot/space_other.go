//go:build !unix

package snapshot

import "errors"

func freeBytes(string) (int64, error) { return 0, errors.New("free space is not read on this system") }
