package mrz

import (
	"errors"
	"reflect"
	"testing"
)

func TestParseVisa(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		want *MRZ
		err  error
	}{
		{"mrv-a", "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL8988901C4XXX4009078F96121096ZE184226B<<<<<<",
			&MRZ{Format: MRVA, DocumentCode: "V", IssuingState: "UTO", Primary: []string{"ERIKSSON"}, Secondary: []string{"ANNA", "MARIA"},
				DocumentNumber: "L8988901C", Nationality: "XXX", BirthDate: "400907", Sex: 'F', ExpiryDate: "961210", OptionalData: "6ZE184226B"}, nil},
		{"mrv-b", "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nL8988901C4XXX4009078F9612109<<<<<<<<",
			&MRZ{Format: MRVB, DocumentCode: "V", IssuingState: "UTO", Primary: []string{"ERIKSSON"}, Secondary: []string{"ANNA", "MARIA"},
				DocumentNumber: "L8988901C", Nationality: "XXX", BirthDate: "400907", Sex: 'F', ExpiryDate: "961210"}, nil},
		{"bad number check", "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nL8988901C5XXX4009078F9612109<<<<<<<<", nil, &CheckError{FieldDocumentNumber}},
		{"not a visa", "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nL8988901C4XXX4009078F9612109<<<<<<<<", nil, &FieldError{FieldDocumentCode, "is not a visa"}},
		{"td1 shape", "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<", nil, ErrFormat},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseVisa(tc.in)
			if !reflect.DeepEqual(err, tc.err) && !errors.Is(err, tc.err) {
				t.Fatalf("error %v, want %v", err, tc.err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}
