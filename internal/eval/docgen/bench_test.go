package docgen

import "testing"

func BenchmarkGenerate(b *testing.B) {
	for _, s := range []Size{Size2MP, Size12MP} {
		b.Run(string(s), func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				Generate(Spec{Seed: int64(i), Size: s})
			}
		})
	}
}
