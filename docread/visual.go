package docread

import (
	"context"

	"github.com/kycq/kycq/imagecheck"
)

func (r *Reader) readVisual(ctx context.Context, src *source, side imagecheck.Side, hint Hint, res *Result) error {
	return nil
}
