package faceeval

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"text/tabwriter"
)

// Print writes the report as a readable summary.
func (r *Report) Print(w io.Writer) {
	fmt.Fprintf(w, "Face match evaluation: %d faces of %d people from %d photos\n", r.Faces, r.Identities, r.Photos)
	fmt.Fprintf(w, "  pairs: %d genuine (%d across two different photos, the rest card and selfie made from one photo), %d impostor\n", r.Genuine, r.CrossPhoto, r.Impostor)
	fmt.Fprintf(w, "  portrait found on %d/%d cards\n\n", r.DocFaceFound, r.Faces)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "threshold\tFMR\tFNMR\t\n")
	for _, p := range r.ROC {
		mark := ""
		if p.Threshold == r.Threshold {
			mark = "  <- decision threshold"
		}
		fmt.Fprintf(tw, "%.2f\t%.4f\t%.4f\t%s\n", p.Threshold, p.FMR, p.FNMR, mark)
	}
	tw.Flush()
	fmt.Fprintf(w, "\nAt the threshold %.2f (similarity = 1 - distance/1.2):\n", r.Threshold)
	fmt.Fprintf(w, "  FMR  %.4f (%d of %d impostor pairs match)\n", r.FMR, r.FalseMatches, r.Impostor)
	fmt.Fprintf(w, "  FNMR %.4f (%d of %d genuine pairs below the threshold)\n", r.FNMR, r.FalseNonMatches, r.Genuine)
	fmt.Fprintf(w, "  genuine refused end to end (any reason): %.4f\n", r.RejectedGenuine)
	if len(r.ReasonCount) > 0 {
		fmt.Fprint(w, "   reasons on genuine pairs:")
		for _, c := range slices.Sorted(maps.Keys(r.ReasonCount)) {
			fmt.Fprintf(w, " %s=%d", c, r.ReasonCount[c])
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "  with the borderline band (manual review within ±%.2f): impostors accepted without review %d, sent to review %d; genuine accepted without review %d, sent to review %d\n",
		r.Margin, r.ImpostorAutoAccepted, r.ImpostorReview, r.GenuineAutoAccepted, r.GenuineReview)
	fmt.Fprintf(w, "  EER %.4f at similarity %.3f\n", r.EER, r.EERThreshold)
	fmt.Fprintf(w, "  similarity: genuine min %.3f median %.3f; impostor median %.3f max %.3f\n", r.GenuineMin, r.GenuineMedian, r.ImpostorMedian, r.ImpostorMax)
	fmt.Fprintf(w, "Liveness: %d/%d moving genuine selfies live; %d/%d motionless (still picture) selfies refused\n", r.LiveMoving, r.Moving, r.RefusedStill, r.Still)
	fmt.Fprintf(w, "  frame change (gray levels) moving %.2f..%.2f, motionless %.2f..%.2f; motion (eye distances) moving %.3f..%.3f, motionless %.3f..%.3f\n",
		r.MovingChange[0], r.MovingChange[1], r.StillChange[0], r.StillChange[1], r.MovingMotion[0], r.MovingMotion[1], r.StillMotion[0], r.StillMotion[1])
	fmt.Fprintf(w, "  moving: parallax %.4f..%.4f, texture %.4f..%.4f; refused by %v\n",
		r.MovingParallax[0], r.MovingParallax[1], r.MovingTexture[0], r.MovingTexture[1], r.MovingFailed)
	fmt.Fprintf(w, "Mean time of one match (card + video, ffmpeg included): %.0f ms\n", r.MeanMatchMS)
	fmt.Fprintln(w, "\nThe set is small: with this many impostor pairs an FMR of 0 only says the true rate is")
	fmt.Fprintf(w, "probably below ~%.1f%% (rule of three); genuine pairs mostly share their source photo.\n", 300/float64(max(r.Impostor, 1)))
}
