package knownfaces

// dotsGo is the portable kernel: eight independent accumulators per row,
// which the compiler keeps in registers.
func dotsGo(codes []int8, q *[Dim]int16, out []int32) {
	for i := range out {
		row := codes[i*Dim : (i+1)*Dim : (i+1)*Dim]
		var s0, s1, s2, s3, s4, s5, s6, s7 int32
		for j := 0; j < Dim; j += 8 {
			s0 += int32(row[j]) * int32(q[j])
			s1 += int32(row[j+1]) * int32(q[j+1])
			s2 += int32(row[j+2]) * int32(q[j+2])
			s3 += int32(row[j+3]) * int32(q[j+3])
			s4 += int32(row[j+4]) * int32(q[j+4])
			s5 += int32(row[j+5]) * int32(q[j+5])
			s6 += int32(row[j+6]) * int32(q[j+6])
			s7 += int32(row[j+7]) * int32(q[j+7])
		}
		out[i] = s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7
	}
}
