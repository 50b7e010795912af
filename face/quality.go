package face

// problem returns why a selfie face fails the quality gates, or "" when it
// passes. The codes double as FrameReport.Problem values.
func (e *Engine) problem(fi *faceInfo) string {
	o := &e.opts
	q := fi.Quality
	switch {
	case !fi.Found:
		return "no_face"
	case fi.tracked > 0:
		return "tracked"
	case fi.Faces > 1:
		return "several_faces"
	case q.EyeDistance < o.MinEyeDistance:
		return "too_small"
	case q.Brightness < o.MinBrightness:
		return "too_dark"
	case q.Brightness > o.MaxBrightness:
		return "overexposed"
	case q.Brightness < 80 && q.Background-q.Brightness > 60:
		return "backlit"
	case q.Sharpness < o.MinSharpness:
		return "blurry"
	case q.Misfit > o.MaxMisfit:
		return "not_frontal"
	}
	return ""
}
