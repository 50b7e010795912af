package docread

import (
	"context"
	"testing"
	"time"
)

// Specimen zones of ICAO 9303 (fictional data of Utopia).
var (
	td3Specimen = []string{
		"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
		"L898902C36UTO7408122F1204159ZE184226B<<<<<10",
	}
	td1Specimen = []string{
		"I<UTOD231458907<<<<<<<<<<<<<<<",
		"7408122F1204159UTO<<<<<<<<<<<6",
		"ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
	}
	td2Specimen = []string{
		"I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
		"D231458907UTO7408122F1204159<<<<<<<6",
	}
)

var testNow = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func TestReadRenderedMRZ(t *testing.T) {
	for _, tc := range []struct {
		name  string
		lines []string
		kind  string
		pitch float64
	}{
		{"td3", td3Specimen, "td3", 20},
		{"td1", td1Specimen, "td1", 24},
		{"td2", td2Specimen, "td2", 14},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := planeOf(renderMRZ(t, tc.lines, tc.pitch))
			h, ok := bestMRZ(context.Background(), p, testNow, timings{})
			if !ok {
				t.Fatal("no MRZ found")
			}
			if h.kind != tc.kind {
				t.Errorf("kind %q, want %q", h.kind, tc.kind)
			}
			for i := range tc.lines {
				if h.lines[i] != tc.lines[i] {
					t.Errorf("line %d\n got %s\nwant %s", i, h.lines[i], tc.lines[i])
				}
			}
			if !h.data.ChecksValid {
				t.Error("checks do not hold")
			}
		})
	}
}
