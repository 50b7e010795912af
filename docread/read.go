package docread

import (
	"context"
	"errors"

	"github.com/kycq/kycq/imagecheck"
)

func (r *Reader) read(ctx context.Context, photo []byte, side imagecheck.Side, hint Hint) (*Result, error) {
	return nil, errors.New("docread: not implemented yet")
}
