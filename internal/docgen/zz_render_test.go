package docgen

import (
	"os"
	"testing"
)

func TestZZRender(t *testing.T) {
	dir := os.Getenv("DOCGEN_RENDER_DIR")
	if dir == "" {
		t.Skip()
	}
	for _, k := range Kinds {
		for _, sd := range k.Sides() {
			for _, c := range []Condition{Scan, Phone} {
				img, lab, err := GenerateDocument(Spec{Seed: 3, Kind: k, Side: sd, Condition: c, Size: Size2MP})
				if err != nil {
					t.Fatal(err)
				}
				b, _ := Encode(img, Encoding{Quality: 88})
				os.WriteFile(dir+"/"+string(k)+"_"+string(sd)+"_"+string(c)+".jpg", b, 0o644)
				t.Log(k, sd, c, lab.MRZ, lab.Identity.Number)
			}
		}
	}
}
