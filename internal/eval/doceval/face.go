package doceval

import (
	"fmt"

	"github.com/kycq/kycq/face"
	"github.com/kycq/kycq/internal/eval/faceeval"
	"github.com/kycq/kycq/workers"
)

// NeedsFace reports whether the evaluation needs a face engine (UseFace):
// to check doc_no_face or to cut the portraits of a generated dataset.
func (c *Config) NeedsFace() bool { return c.Face || c.Generate }

// UseFace hands the face engine eng to the evaluation: as the detector
// behind doc_no_face (through the adapter production uses) when c.Face is
// set, and, when c generates its dataset, as the cutter of the portraits
// the generated fronts carry: the bundled two and the faces of the photos
// in c.PortraitDir. It returns how many portraits the fronts carry.
func (c *Config) UseFace(eng *face.Engine) (int, error) {
	if c.Face {
		c.FaceDetector = workers.FaceDetector{Engine: eng}
	}
	if !c.Generate {
		return 0, nil
	}
	p, err := faceeval.Portraits(eng, c.PortraitDir)
	if err != nil {
		return 0, fmt.Errorf("portraits: %w", err)
	}
	c.Spec.Portraits = p
	return len(p), nil
}
