package docread

import (
	"context"

	"github.com/kycq/kycq/imagecheck"
)

func (r *Reader) readCNID(ctx context.Context, src *source, side imagecheck.Side, res *Result) error {
	return nil
}
