package docgen

import "testing"

func BenchmarkGenerate2MP(b *testing.B) {
	for i := 0; i < b.N; i++ {
		Generate(Spec{Seed: int64(i), Size: Size2MP})
	}
}
