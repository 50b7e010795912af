package workers

import (
	"bytes"
	"fmt"
	"slices"
	"testing"

	"github.com/kycq/kycq/internal/privacy"
	"github.com/kycq/kycq/kyc"
	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/storage"
	"github.com/kycq/kycq/tasks"
)

func TestReadCheckResultIsPublicOnly(t *testing.T) {
	for _, tc := range []struct {
		name    string
		read    kyc.DocumentRead
		ok      bool
		reasons []reason.Code
		scores  map[string]float64
		outcome string
	}{
		{"MRZ read", kyc.DocumentRead{Kind: kyc.ReadTD3, Expected: true, Readable: true, ChecksValid: true,
			MRZ: []string{"P<D<<MUELLER<<JOERG"}, DocumentNumber: "C01X00T47", Surname: "MUELLER", BirthDate: "1983-08-12"},
			true, nil, map[string]float64{"expected": 1, "readable": 1, "checks_valid": 1, "kind:td3": 1}, ReadOutcomeReadable},
		{"MRZ found, check digits failing", kyc.DocumentRead{Kind: kyc.ReadTD1, Expected: true, DocumentNumber: "L01X00T47"},
			false, []reason.Code{reason.DocTextUnreadable}, map[string]float64{"expected": 1, "readable": 0, "checks_valid": 0, "kind:td1": 1}, ReadOutcomeUnreadable},
		{"mainland front", kyc.DocumentRead{Kind: kyc.ReadCNIDFront, Expected: true, Readable: true, ChecksValid: true, Name: "王小明"},
			true, nil, map[string]float64{"expected": 1, "readable": 1, "checks_valid": 1, "kind:cn_id_front": 1}, ReadOutcomeReadable},
		{"visual zone", kyc.DocumentRead{Kind: kyc.ReadVisual, Readable: true, Found: map[string]bool{"name": true}},
			true, nil, map[string]float64{"expected": 0, "readable": 1, "checks_valid": 0, "kind:visual": 1}, ReadOutcomeVisual},
		{"visual zone, typed number not found", kyc.DocumentRead{Kind: kyc.ReadVisual, Expected: true, Found: map[string]bool{"document_number": false}},
			true, nil, map[string]float64{"expected": 1, "readable": 0, "checks_valid": 0, "kind:visual": 1}, ReadOutcomeVisual},
		{"nothing", kyc.DocumentRead{},
			true, nil, map[string]float64{"expected": 0, "readable": 0, "checks_valid": 0}, ReadOutcomeNone},
		{"unknown kind never becomes a label", kyc.DocumentRead{Kind: "C01X00T47"},
			true, nil, map[string]float64{"expected": 0, "readable": 0, "checks_valid": 0}, ReadOutcomeNone},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := readCheckResult(tc.read)
			if r.OK != tc.ok || !slices.Equal(r.Reasons, tc.reasons) {
				t.Errorf("ok=%v %v, want ok=%v %v", r.OK, r.Reasons, tc.ok, tc.reasons)
			}
			if fmt.Sprint(r.Scores) != fmt.Sprint(tc.scores) {
				t.Errorf("scores %v, want %v", r.Scores, tc.scores)
			}
			if r.Sealed != nil {
				t.Error("the public part carries a sealed artefact")
			}
			if got := readOutcome(tc.read); got != tc.outcome {
				t.Errorf("outcome %s, want %s", got, tc.outcome)
			}
		})
	}
}

func TestClaimKeyIsTheNumberRead(t *testing.T) {
	keys, err := privacy.NewKeys(bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, 32))
	if err != nil {
		t.Fatal(err)
	}
	h := &Handlers{d: Deps{Keys: keys}}
	key := func(number string) string {
		c, err := kyc.NormaliseDocument("DE", "id_card", number)
		if err != nil {
			t.Fatal(err)
		}
		return keys.Hash(kyc.DocumentHashDomain, c)
	}
	withReads := []string{tasks.DocQualityCheck("doc_front"), tasks.DocReadCheck("doc_front"), tasks.DocReadCheck("doc_back"), tasks.CheckDocData}
	for _, tc := range []struct {
		name   string
		checks []string
		typed  string
		read   string
		ok     bool
		want   string
	}{
		{"read agrees with typed", withReads, "L01X00T47", "L01X00T47", true, key("L01X00T47")},
		{"read normalises like typed", withReads, "l01x 00t47", "L01X00T47", true, key("L01X00T47")},
		{"read differs", withReads, "L01X00T48", "L01X00T47", false, key("L01X00T47")},
		{"nothing read", withReads, "L01X00T47", "", false, ""},
		{"submitted before reading existed", []string{tasks.CheckDocData}, "L01X00T47", "", true, key("L01X00T47")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := &storage.Verification{ID: "v_1", Country: "DE", DocType: "id_card", DocKey: key(tc.typed), Checks: tc.checks}
			got, ok := h.claimKey(v, tc.read)
			if ok != tc.ok || got != tc.want {
				t.Errorf("claimKey = %.8s…, %v; want %.8s…, %v", got, ok, tc.want, tc.ok)
			}
		})
	}
}
