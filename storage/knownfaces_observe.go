package storage

import (
	"context"
	"time"
)

func (o observedState) PutKnownFace(ctx context.Context, f KnownFace) (err error) {
	err = o.State.PutKnownFace(ctx, f)
	o.observe("put_known_face", err)
	return err
}

func (o observedState) KnownFacesAfter(ctx context.Context, after string, limit int) (r0 []KnownFace, err error) {
	r0, err = o.State.KnownFacesAfter(ctx, after, limit)
	o.observe("known_faces_after", err)
	return r0, err
}

func (o observedState) DeleteKnownFace(ctx context.Context, accountID string) (err error) {
	err = o.State.DeleteKnownFace(ctx, accountID)
	o.observe("delete_known_face", err)
	return err
}

func (o observedState) DeleteKnownFacesBefore(ctx context.Context, t time.Time) (r0 []string, err error) {
	r0, err = o.State.DeleteKnownFacesBefore(ctx, t)
	o.observe("delete_known_faces_before", err)
	return r0, err
}
