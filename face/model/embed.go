package model

import (
	"embed"
	"fmt"
	"path"
	"sync"
)

// The weights of @vladmandic/face-api 1.7.15 (see weights/NOTICE.md).
//
//go:embed weights/*.bin weights/*.json
var weightFiles embed.FS

// Names of the three models, as face-api names their files.
const (
	DetectorName   = "tiny_face_detector_model"
	LandmarksName  = "face_landmark_68_model"
	RecognizerName = "face_recognition_model"
)

// loadEmbedded parses one embedded model's manifest and shards.
func loadEmbedded(name string) (map[string]*Tensor, error) {
	manifest, err := weightFiles.ReadFile(path.Join("weights", name+"-weights_manifest.json"))
	if err != nil {
		return nil, fmt.Errorf("model: %s: %w", name, err)
	}
	bin, err := weightFiles.ReadFile(path.Join("weights", name+".bin"))
	if err != nil {
		return nil, fmt.Errorf("model: %s: %w", name, err)
	}
	return ParseManifest(manifest, map[string][]byte{name + ".bin": bin})
}

// Nets holds the three networks. They are immutable once built and safe
// for concurrent use; each forward pass takes its own nn.Arena.
type Nets struct {
	Detector   *Detector
	Landmarks  *Landmarks
	Recognizer *Recognizer
}

// Load builds the three networks from the embedded weights, once per
// process; later calls return the same Nets.
var Load = sync.OnceValues(func() (*Nets, error) {
	var n Nets
	var err error
	w, err := loadEmbedded(DetectorName)
	if err != nil {
		return nil, err
	}
	if n.Detector, err = NewDetector(w); err != nil {
		return nil, err
	}
	if w, err = loadEmbedded(LandmarksName); err != nil {
		return nil, err
	}
	if n.Landmarks, err = NewLandmarks(w); err != nil {
		return nil, err
	}
	if w, err = loadEmbedded(RecognizerName); err != nil {
		return nil, err
	}
	if n.Recognizer, err = NewRecognizer(w); err != nil {
		return nil, err
	}
	return &n, nil
})
