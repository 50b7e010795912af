package blob

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/kycq/kycq/storage"
)

// A server sending more than it declared is cut at the limit.
func TestLimitedBody(t *testing.T) {
	for _, tc := range []struct {
		size, max int64
		tooLarge  bool
	}{
		{0, 0, false},
		{10, 10, false},
		{10, 11, false},
		{11, 10, true},
		{1 << 20, 1000, true},
	} {
		data := bytes.Repeat([]byte{7}, int(tc.size))
		b := &limitedBody{rc: io.NopCloser(bytes.NewReader(data)), left: tc.max, key: "k"}
		got, err := io.ReadAll(b)
		if tc.tooLarge {
			if !errors.Is(err, storage.ErrTooLarge) || int64(len(got)) != tc.max {
				t.Errorf("size %d max %d: read %d, %v; want %d bytes and ErrTooLarge", tc.size, tc.max, len(got), err, tc.max)
			}
			if _, err := b.Read(make([]byte, 1)); !errors.Is(err, storage.ErrTooLarge) {
				t.Errorf("read after the limit: %v", err)
			}
			continue
		}
		if err != nil || !bytes.Equal(got, data) {
			t.Errorf("size %d max %d: read %d, %v", tc.size, tc.max, len(got), err)
		}
	}
}
