package reason

import "testing"

func TestEveryCodeHasARemedy(t *testing.T) {
	for _, c := range All() {
		if Remedy(c) == "" {
			t.Errorf("%s has no remedy", c)
		}
	}
	if len(All()) < 30 {
		t.Fatalf("catalogue has %d codes, want the full rules.md set", len(All()))
	}
}

func TestDetailsDedupesInOrder(t *testing.T) {
	got := Details([]Code{DocGlare, DocBlurry, DocGlare})
	if len(got) != 2 || got[0].Code != DocGlare || got[1].Code != DocBlurry {
		t.Fatalf("Details = %+v", got)
	}
	if got[0].Remedy != Remedy(DocGlare) {
		t.Fatalf("remedy not filled: %+v", got[0])
	}
	if Known("nope") || Remedy("nope") != "" {
		t.Fatal("unknown code reported as known")
	}
}
