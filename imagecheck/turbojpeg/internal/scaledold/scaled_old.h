// A decoder for the common case of a reduced decode: a baseline
// (sequential, Huffman-coded, 8-bit) JPEG with all its components in one
// scan, decoded at 1/2, 1/4 or 1/8 scale straight into planes. It exists
// for speed only: at these scales most of libjpeg-turbo's time is Huffman
// decoding, which this one does with a wider lookup (the code and its
// value bits in one table entry; for the AC coefficients of a baseline
// scan, up to two coefficients per entry: see kq_pairs) and without
// storing coefficients: each
// decoded coefficient is multiplied into the block's few output pixels at
// once (the reduced IDCT is linear: each output pixel is the mean of the
// full IDCT over its f×f pixels, so coefficient k adds value × q[k] ×
// a fixed weight to it).
//
// It accepts only well-formed streams. Anything else (another process,
// arithmetic coding, several scans, 12-bit samples, unusual sampling,
// a bad Huffman code, a stream ending early, extra bytes, a missing
// restart marker or EOI) returns KYCQ_SCALED_FALLBACK and the caller
// decodes with libjpeg-turbo, which gives its own answer or error.

#include <stdint.h>
#include <string.h>
#include <math.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define KYCQ_SCALED_OK 0
#define KYCQ_SCALED_FALLBACK 1
#define KYCQ_SCALED_NEED 2 // more block memory (progressive): *need uint64s

#define KQ_FAST 10
#ifndef KQ_FAST2
#define KQ_FAST2 11 // bits of the baseline AC pair table (kq_pairs)
#endif
#define KQ_PAD 1024 // zero bytes after a segment's data: a block reads at most 64 × 4 bytes

// Entry of the fast table: bits 0-4 the bits consumed (0: code longer
// than KQ_FAST), 5-6 the kind, 8-11 the run (of an end of band: its r,
// for a progressive scan's run of blocks), 12-15 the size s, 16-31 the
// value (kind KQ_COEF).
enum { KQ_COEF = 0, KQ_CODE = 1, KQ_EOB = 2, KQ_ZRL = 3 };

typedef struct {
	uint32_t fast[1 << KQ_FAST];
	float fval[1 << KQ_FAST]; // the value of a KQ_COEF entry, as a float
	int32_t maxcode[18]; // largest code of each length, -1 if none
	int32_t valoff[17];  // index into vals of a length's first code, minus that code
	uint8_t vals[256];
	int defined;
} kq_huff;

typedef struct {
	int id, h, v, tq;
	int td, ta;        // tables of the scan
	float *w;          // weights of this component's quantisation table
	const uint32_t *pairs; // the pair table of its AC table (baseline)
	const uint16_t *dceob; // its DC and end-of-block table (kq_dceob), or NULL
	uint8_t *plane;
	int stride, pw, ph;
	int pred;
} kq_comp;

typedef struct {
	const uint8_t *p;  // next byte of the (unstuffed) segment
	const uint8_t *start, *end;
	uint64_t buf;      // bits, most significant first
	int bits;          // valid bits in buf
} kq_bits;

static const uint8_t kq_zigzag[64] = {
	0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5,
	12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
	35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51,
	58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
};

static inline __attribute__((always_inline)) uint64_t kq_be64(const uint8_t *p) {
	uint64_t v;
	memcpy(&v, p, 8);
	return __builtin_bswap64(v);
}


// kq_extend is JPEG's EXTEND of the s value bits v (v < 2^s, s ≤ 16):
// v below 2^(s-1) stands for v − (2^s − 1). The sign is taken without a
// branch (it is random from one coefficient to the next: a branch on it
// was mispredicted half the time), and the function is always inlined
// (GCC had left it a call in the decoder's block loop).
static inline __attribute__((always_inline)) int32_t kq_extend(uint32_t v, int s) {
	if (s == 0) return 0;
	int32_t neg = (int32_t)(v - (1u << (s - 1))) >> 31; // -1 if v < 2^(s-1), else 0
	return (int32_t)v + (neg & (int32_t)(1u - (1u << s)));
}

// kq_build checks a DHT table and fills its lookups. dc marks a DC table
// (size only; a zero size is the value 0, not an end of block).
static int kq_build(kq_huff *t, const uint8_t counts[16], const uint8_t *vals, int n, int dc) {
	memcpy(t->vals, vals, n);
	for (int i = 0; i < (1 << KQ_FAST); i++) t->fast[i] = KQ_CODE << 5; // longer than KQ_FAST, or no code
	int code = 0, k = 0;
	for (int l = 1; l <= 16; l++) {
		int c = counts[l - 1];
		t->valoff[l] = k - code;
		t->maxcode[l] = c ? code + c - 1 : -1;
		for (int i = 0; i < c; i++, k++, code++) {
			if (code >= (1 << l)) return -1;
			int rs = vals[k];
			int r = dc ? 0 : rs >> 4, s = dc ? rs : rs & 15;
			if (s > 15 || (dc && s > 11)) return -1;
			if (l > KQ_FAST) continue;
			int span = KQ_FAST - l;
			for (int j = 0; j < (1 << span); j++) {
				int idx = (code << span) | j;
				uint32_t e;
				if (!dc && s == 0) {
					e = (uint32_t)l | ((r == 15 ? KQ_ZRL : KQ_EOB) << 5) | ((uint32_t)r << 8);
				} else if (l + s <= KQ_FAST) {
					uint32_t raw = (uint32_t)(j >> (span - s)) & ((1u << s) - 1);
					int32_t v = kq_extend(raw, s);
					e = (uint32_t)(l + s) | (KQ_COEF << 5) | ((uint32_t)r << 8) | ((uint32_t)(uint16_t)(int16_t)v << 16);
				} else {
					e = (uint32_t)l | (KQ_CODE << 5) | ((uint32_t)r << 8) | ((uint32_t)s << 12);
				}
				t->fast[idx] = e;
				t->fval[idx] = (float)(int16_t)(e >> 16);
			}
		}
		if (code >= (1 << l)) return -1; // as libjpeg: no length may be full
		code <<= 1;
	}
	t->maxcode[17] = 0x7fffffff;
	t->defined = 1;
	return 0;
}

// kq_slow decodes a code longer than KQ_FAST bits; -1 if none matches.
static inline __attribute__((always_inline)) int kq_slow(const kq_huff *t, kq_bits *b) {
	uint32_t top = (uint32_t)(b->buf >> 48);
	for (int l = KQ_FAST + 1; l <= 16; l++) {
		int32_t c = (int32_t)(top >> (16 - l));
		if (c <= t->maxcode[l]) {
			b->buf <<= l;
			b->bits -= l;
			return t->vals[t->valoff[l] + c];
		}
	}
	return -1;
}


// kq_pairs fills the pair table of a baseline AC table t: indexed by the
// next KQ_FAST2 bits, an entry gives what the bits hold, up to two
// symbols, so that one lookup (each waits for the previous one's length)
// decodes two coefficients where both fit. Entries are 32 bits (8 KB a
// table at 11 bits: the two tables of a colour scan take half of a 32 KB
// level-1 data cache, not all of it). Bits 0-3 are the bits an entry
// consumes (its code's length, 0 for a code longer than KQ_FAST), 4-5
// its kind, and:
//   - KQ_COEF: 6 an end of block after its coefficients, 7-10 the first
//     coefficient's run, 11-15 what to add to k after the first
//     coefficient to reach the second's position (0 if there is no
//     second: its value is then 0), 16-23 and 24-31 the two values (8-bit
//     signed: a first value that does not fit makes a KQ_CODE entry, a
//     second one that does not fit is left to the next lookup);
//   - KQ_CODE (a code whose value bits are read after it, or a longer
//     code), KQ_EOB, KQ_ZRL: 7-10 the run, 11-14 the size.
// Bits 4-5 are zero in a KQ_COEF entry, so that the entry itself is the
// shift count of its bits.
#define KQ_PEOB 0x40u
// kq_pentry is a pair table entry of kind other than KQ_COEF.
static inline uint32_t kq_pentry(int l, int kind, int r, int s) {
	return (uint32_t)l | ((uint32_t)kind << 4) | ((uint32_t)r << 7) | ((uint32_t)s << 11);
}
static void kq_pairs(const kq_huff *t, uint32_t *pairs) {
	const int F = KQ_FAST2;
	const uint32_t mask = (1u << F) - 1;
	for (uint32_t x = 0; x <= mask; x++) {
		uint32_t e1 = t->fast[x >> (F - KQ_FAST)];
		int l1 = e1 & 31, kind1 = (e1 >> 5) & 3, r1 = (e1 >> 8) & 15, c1;
		int32_t v1;
		if (l1 == 0 || kind1 == KQ_EOB || kind1 == KQ_ZRL) {
			pairs[x] = kq_pentry(l1, kind1, r1, 0);
			continue;
		}
		if (kind1 == KQ_COEF) {
			c1 = l1;
			v1 = (int16_t)(e1 >> 16);
		} else { // a code whose value bits did not fit in KQ_FAST
			int s1 = (e1 >> 12) & 15;
			if (l1 + s1 > F) {
				pairs[x] = kq_pentry(l1, KQ_CODE, r1, s1);
				continue;
			}
			c1 = l1 + s1;
			v1 = kq_extend((x >> (F - c1)) & ((1u << s1) - 1), s1);
		}
		uint32_t total = (uint32_t)c1, step = 0, flags = 0;
		int32_t v2 = 0;
		int rem = F - c1;
		if (rem > 0) {
			uint32_t y = (x << c1) & mask;
			uint32_t e2 = t->fast[y >> (F - KQ_FAST)];
			int l2 = e2 & 31, kind2 = (e2 >> 5) & 3, r2 = (e2 >> 8) & 15;
			if (l2 > 0 && l2 <= rem && kind2 == KQ_COEF) {
				total += l2;
				step = 1 + r2;
				v2 = (int16_t)(e2 >> 16);
			} else if (l2 > 0 && kind2 == KQ_CODE && l2 + ((e2 >> 12) & 15) <= rem) {
				int s2 = (e2 >> 12) & 15;
				total += l2 + s2;
				step = 1 + r2;
				v2 = kq_extend((y >> (F - l2 - s2)) & ((1u << s2) - 1), s2);
			} else if (l2 > 0 && l2 <= rem && kind2 == KQ_EOB) {
				total += l2;
				flags = KQ_PEOB;
			}
		}
		if (v1 < -128 || v1 > 127) { // the first value does not fit: its code alone
			int s1 = kind1 == KQ_CODE ? (int)((e1 >> 12) & 15) : 32 - __builtin_clz((uint32_t)(v1 < 0 ? -v1 : v1));
			pairs[x] = kq_pentry(c1 - s1, KQ_CODE, r1, s1);
			continue;
		}
		if (v2 < -128 || v2 > 127) { // the second does not fit: the first alone
			total = (uint32_t)c1;
			step = 0;
			v2 = 0;
		}
		pairs[x] = total | flags | ((uint32_t)r1 << 7) | (step << 11) |
			((uint32_t)(uint8_t)(int8_t)v1 << 16) | ((uint32_t)(uint8_t)(int8_t)v2 << 24);
	}
}

// kq_dceob fills the table of the blocks that hold a DC difference and
// then end (a DC code with its value bits, then the AC table's end of
// block) within the next KQ_FAST2 bits: indexed by those bits, an entry
// is 0, or the bits the two take (bits 0-3) and the difference (bits
// 4-15, signed). Whatever else the bits hold is 0 there, and the block
// is decoded as any other.
static void kq_dceob(const kq_huff *dc, const kq_huff *ac, uint16_t *t) {
	const int F = KQ_FAST2;
	const uint32_t mask = (1u << F) - 1;
	for (uint32_t x = 0; x <= mask; x++) {
		t[x] = 0;
		uint32_t e1 = dc->fast[x >> (F - KQ_FAST)];
		int l1 = e1 & 31;
		if (l1 == 0 || ((e1 >> 5) & 3) != KQ_COEF || l1 >= F) continue;
		int32_t v = (int16_t)(e1 >> 16);
		uint32_t e2 = ac->fast[((x << l1) & mask) >> (F - KQ_FAST)];
		int l2 = e2 & 31;
		if (l2 == 0 || ((e2 >> 5) & 3) != KQ_EOB || l1 + l2 > F || v < -2048 || v > 2047) continue;
		t[x] = (uint16_t)((uint32_t)(l1 + l2) | ((uint32_t)v << 4));
	}
}

// kq_block decodes one block into its n×n outputs (N = n*n floats). The
// weights run to k = 79: a run past the block's end lands on position 63,
// as in libjpeg (its natural order is padded so), so that the run need not
// be checked.
#define KQ_WK 80
// The work area (weights): the weights of 4 quantisation tables, then the
// pair tables of the 4 AC tables (baseline only), 8-byte aligned, then
// one DC and end-of-block table (kq_dceob; a 4:2:0 scan's chroma).
#define KQ_WORK_FLOATS (4 * KQ_WK * 16 + (4 << KQ_FAST2) + (1 << KQ_FAST2) / 2)
typedef float kq_v4 __attribute__((vector_size(16)));

static inline __attribute__((always_inline)) kq_v4 kq_load4(const float *p) {
	kq_v4 v;
	memcpy(&v, p, sizeof v);
	return v;
}

static inline __attribute__((always_inline)) int kq_block(kq_bits *bs, const kq_huff *dc, const kq_huff *ac, kq_comp *c, float *out, const int N,
	const uint16_t *dceob) {
	// The outputs are summed in NV vectors of 4 (held in registers: a sum
	// kept in memory would chain every coefficient through a store and a
	// load); the weights of one coefficient are NV×4 floats.
	const int NV = (N + 3) / 4;
	kq_v4 acc[4];
	const float *w = c->w;
	const uint32_t *pairs = c->pairs;
	uint64_t buf = bs->buf;
	int bits = bs->bits;
	const uint8_t *p = bs->p;
#define KQ_REFILL()                                   \
	do {                                              \
		buf |= kq_be64(p) >> bits;                    \
		p += (63 - bits) >> 3;                        \
		bits |= 56;                                   \
	} while (0)
#define KQ_GET(s, out)                                                 \
	do {                                                               \
		int s_ = (s);                                                  \
		if (s_ == 0) {                                                 \
			out = 0;                                                   \
		} else {                                                       \
			out = kq_extend((uint32_t)(buf >> (64 - s_)), s_);         \
			buf <<= s_;                                                \
			bits -= s_;                                                \
		}                                                              \
	} while (0)
	if ((p - bs->end) * 8 - bits > 0) return -1; // past the segment's data
	KQ_REFILL();
	if (dceob) {
		// A block of its DC alone (most of a photo's chroma blocks): its
		// DC difference and end of block in one lookup (kq_dceob).
		uint32_t d = dceob[buf >> (64 - KQ_FAST2)];
		if (d) {
			buf <<= d & 15;
			bits -= d & 15;
			c->pred += (int32_t)(int16_t)d >> 4;
			float dcv = (float)c->pred;
			for (int i = 0; i < NV; i++) acc[i] = dcv * kq_load4(w + 4 * i);
			goto done;
		}
	}
	// DC
	uint32_t e = dc->fast[buf >> (64 - KQ_FAST)];
	int32_t diff;
	int l = e & 31;
	if (l) {
		buf <<= l;
		bits -= l;
		if (((e >> 5) & 3) == KQ_COEF) {
			diff = (int16_t)(e >> 16);
		} else {
			KQ_GET((e >> 12) & 15, diff);
		}
	} else {
		kq_bits t = {p, 0, 0, buf, bits};
		int s = kq_slow(dc, &t);
		buf = t.buf;
		bits = t.bits;
		if (s < 0) return -1;
		KQ_GET(s, diff);
	}
	c->pred += diff;
	float dcv = (float)c->pred;
	for (int i = 0; i < NV; i++) acc[i] = dcv * kq_load4(w + 4 * i);
	for (int k = 1; k < 64;) {
		// A pair entry takes at most KQ_FAST2 bits; anything else refills
		// below before it reads more. (The block started with at least
		// 56 bits and its DC took at most 27: most blocks never refill
		// here, so this branch is rarely taken and rarely mispredicted.)
		if (bits < KQ_FAST2) KQ_REFILL();
		e = pairs[buf >> (64 - KQ_FAST2)];
		l = e & 15;
		uint32_t kind = (e >> 4) & 3;
		if (__builtin_expect(kind == KQ_COEF, 1)) { // never a slow code (l > 0)
			k += (e >> 7) & 15;
			float v = (float)(int8_t)(e >> 16);
			if (__builtin_expect(k >= 63, 0)) {
				// The first coefficient ends the block (at position 63,
				// or a run past it, which lands there): what follows it
				// is the next block's. Its bits alone are its fast
				// entry's.
				uint32_t e1 = ac->fast[buf >> (64 - KQ_FAST)];
				int c1 = (e1 & 31) + (((e1 >> 5) & 3) == KQ_COEF ? 0 : (int)((e1 >> 12) & 15));
				buf <<= c1;
				bits -= c1;
				const float *wk = w + k * NV * 4;
				for (int i = 0; i < NV; i++) acc[i] += v * kq_load4(wk + 4 * i);
				break;
			}
			// e & 63 is l here (kind 0): a count the shift masks to 6 bits
			// itself, so no "and" lengthens the chain from one lookup to
			// the next.
			buf <<= (e & 63);
			bits -= l;
			const float *wk = w + k * NV * 4;
			for (int i = 0; i < NV; i++) acc[i] += v * kq_load4(wk + 4 * i);
			// The second coefficient (value 0 and k unchanged if none: an
			// exact no-op).
			k += (e >> 11) & 31;
			float v2 = (float)((int32_t)e >> 24);
			wk = w + k * NV * 4;
			for (int i = 0; i < NV; i++) acc[i] += v2 * kq_load4(wk + 4 * i);
			k++;
			if (e & KQ_PEOB) break;
			continue;
		}
		int r, sz;
		// A code of up to 16 bits and up to 15 value bits: refilling
		// leaves the bits the entry was read from in place.
		if (bits < 31) KQ_REFILL();
		if (l) {
			buf <<= l;
			bits -= l;
			if (kind == KQ_EOB) break;
			if (kind == KQ_ZRL) {
				k += 16;
				continue;
			}
			r = (e >> 7) & 15;
			sz = (e >> 11) & 15;
		} else {
			kq_bits t = {p, 0, 0, buf, bits};
			int rs = kq_slow(ac, &t);
			buf = t.buf;
			bits = t.bits;
			if (rs < 0) return -1;
			r = rs >> 4;
			sz = rs & 15;
			if (sz == 0) {
				if (r == 15) {
					k += 16;
					continue;
				}
				break;
			}
		}
		k += r;
		int32_t iv;
		KQ_GET(sz, iv);
		float v = (float)iv;
		const float *wk = w + k * NV * 4;
		for (int i = 0; i < NV; i++) acc[i] += v * kq_load4(wk + 4 * i);
		k++;
	}
#undef KQ_REFILL
#undef KQ_GET
done:
	bs->buf = buf;
	bs->bits = bits;
	bs->p = p;
	memcpy(out, acc, NV * sizeof(kq_v4));
	return 0;
}

// kq_put stores a block's n×n outputs (rounded, clamped) in its
// component's plane, the parts inside it. For a ¼-scale block wholly
// inside (n = 2) it returns the four bytes stored, packed little-endian
// in the order row 0 left, right, row 1 left, right; else 0.
static inline __attribute__((always_inline)) uint32_t kq_put(kq_comp *c, int bx, int by, const float *out, int n) {
	int x0 = bx * n, y0 = by * n;
	if (n == 2 && x0 + 2 <= c->pw && y0 + 2 <= c->ph) {
		// A ¼-scale block inside the plane (nearly all): its four
		// outputs rounded and clamped together, as the loop below does
		// one by one (a float below 0 gives 0, from 256 on 255, else its
		// integer part; the sums are finite).
		uint8_t *row = c->plane + (size_t)y0 * c->stride + x0;
#if defined(__SSE2__)
		// Truncated to integers together (in [0, 255], cvttps2dq is the
		// cast's truncation), then packed to bytes (no saturation can
		// occur) and stored two by two.
		__m128 x = _mm_add_ps(_mm_loadu_ps(out), _mm_set1_ps(128.5f));
		__m128i iv = _mm_cvttps_epi32(_mm_min_ps(_mm_max_ps(x, _mm_setzero_ps()), _mm_set1_ps(255)));
		iv = _mm_packs_epi32(iv, iv);
		uint32_t four = (uint32_t)_mm_cvtsi128_si32(_mm_packus_epi16(iv, iv));
		memcpy(row, &four, 2);
		memcpy(row + c->stride, (const uint8_t *)&four + 2, 2);
		return four;
#else
		float v[4];
		for (int i = 0; i < 4; i++) {
			v[i] = out[i] + 128.5f;
			v[i] = v[i] < 0 ? 0 : v[i];
			v[i] = v[i] > 255 ? 255 : v[i];
		}
		row[0] = (uint8_t)(int)v[0];
		row[1] = (uint8_t)(int)v[1];
		row[c->stride] = (uint8_t)(int)v[2];
		row[c->stride + 1] = (uint8_t)(int)v[3];
		return (uint32_t)row[0] | (uint32_t)row[1] << 8 | (uint32_t)row[c->stride] << 16 | (uint32_t)row[c->stride + 1] << 24;
#endif
	}
	if (x0 >= c->pw || y0 >= c->ph) return 0;
	for (int j = 0; j < n; j++) {
		int y = y0 + j;
		if (y >= c->ph) break;
		uint8_t *row = c->plane + (size_t)y * c->stride;
		for (int i = 0; i < n; i++) {
			int x = x0 + i;
			if (x >= c->pw) break;
			float v = out[j * n + i] + 128.5f;
			int iv = v < 0 ? 0 : (int)v;
			row[x] = iv > 255 ? 255 : (uint8_t)iv;
		}
	}
	return 0;
}

// kq_run decodes the MCUs from *done up to upto of one segment.
static inline __attribute__((always_inline)) int kq_run(kq_bits *b, kq_comp **order, int ns, const kq_huff *huff,
	long *done, long upto, int mcux, const int n) {
	float out[16];
	for (long d = *done; d < upto; d++) {
		int mx = (int)(d % mcux), my = (int)(d / mcux);
		for (int i = 0; i < ns; i++) {
			kq_comp *c = order[i];
			for (int v = 0; v < c->v; v++)
				for (int h = 0; h < c->h; h++) {
					if (kq_block(b, &huff[c->td], &huff[4 + c->ta], c, out, n * n, NULL) < 0) return -1;
					kq_put(c, mx * c->h + h, my * c->v + v, out, n);
				}
		}
		*done = d + 1;
	}
	return 0;
}

// kq_sum4 is the sum of the four bytes of q (at most 1020).
static inline __attribute__((always_inline)) uint32_t kq_sum4(uint32_t q) {
	uint32_t t = (q & 0x00FF00FFu) + ((q >> 8) & 0x00FF00FFu);
	return (t & 0xFFFFu) + (t >> 16);
}

// kq_run420 is kq_run for the common 4:2:0 scan at ¼ (order: luma 2×2,
// then two 1×1 chroma components), its MCU's six blocks written out.
//
// With small (not NULL) it also writes the planes reduced once more, by 4
// for the luma and by 2 for the chroma: one byte per MCU in each of
// small[0..2] (row stride ss), the rounded mean of the MCU's 16 luma
// (or 4 chroma) output bytes, (sum + 8) >> 4 and (sum + 2) >> 2: an
// image's mean over a 4×4 or 2×2 block, from the bytes just stored,
// which the caller would otherwise read back from the planes. An MCU
// not wholly inside the planes gets an unspecified byte (the caller
// uses small only when every MCU is whole).
static inline __attribute__((always_inline)) int kq_run420(kq_bits *b, kq_comp **order, const kq_huff *huff,
	long *done, long upto, int mcux, uint8_t *const small[3], int ss) {
	float out[4];
	kq_comp *y = order[0], *cb = order[1], *cr = order[2];
	const kq_huff *ydc = &huff[y->td], *yac = &huff[4 + y->ta];
	const kq_huff *bdc = &huff[cb->td], *bac = &huff[4 + cb->ta];
	const kq_huff *rdc = &huff[cr->td], *rac = &huff[4 + cr->ta];
	const uint16_t *bde = cb->dceob, *rde = cr->dceob;
	long d = *done;
	int mx = (int)(d % mcux), my = (int)(d / mcux);
	for (; d < upto; d++) {
		uint32_t q0, q1, q2, q3, qb, qr;
		if (kq_block(b, ydc, yac, y, out, 4, NULL) < 0) return -1;
		q0 = kq_put(y, 2 * mx, 2 * my, out, 2);
		if (kq_block(b, ydc, yac, y, out, 4, NULL) < 0) return -1;
		q1 = kq_put(y, 2 * mx + 1, 2 * my, out, 2);
		if (kq_block(b, ydc, yac, y, out, 4, NULL) < 0) return -1;
		q2 = kq_put(y, 2 * mx, 2 * my + 1, out, 2);
		if (kq_block(b, ydc, yac, y, out, 4, NULL) < 0) return -1;
		q3 = kq_put(y, 2 * mx + 1, 2 * my + 1, out, 2);
		if (kq_block(b, bdc, bac, cb, out, 4, bde) < 0) return -1;
		qb = kq_put(cb, mx, my, out, 2);
		if (kq_block(b, rdc, rac, cr, out, 4, rde) < 0) return -1;
		qr = kq_put(cr, mx, my, out, 2);
		if (small) {
			size_t o = (size_t)my * ss + mx;
			small[0][o] = (uint8_t)((kq_sum4(q0) + kq_sum4(q1) + kq_sum4(q2) + kq_sum4(q3) + 8) >> 4);
			small[1][o] = (uint8_t)((kq_sum4(qb) + 2) >> 2);
			small[2][o] = (uint8_t)((kq_sum4(qr) + 2) >> 2);
		}
		*done = d + 1;
		if (++mx == mcux) {
			mx = 0;
			my++;
		}
	}
	return 0;
}

static inline int kq_u16(const uint8_t *p) { return (p[0] << 8) | p[1]; }

// kq_segment unstuffs the entropy-coded bytes from src (up to the next
// marker other than a restart) into dst, which has room for n + KQ_PAD
// bytes, and zero-pads it. It returns the bytes written; *next is the
// 0xFF of the marker that ended it (fill bytes skipped).
//
// With SSE2 the bytes are copied 32 at a time up to the next 0xFF (the
// 32 stored whole: dst + o never runs ahead of p, so the store
// stays inside the n bytes), instead of a memchr and a memcpy call for
// each of the stream's 0xFF bytes (one in about 256); the last 31
// bytes, and every byte without SSE2, take those calls.
static size_t kq_segment(const uint8_t *src, const uint8_t *lim, uint8_t *dst, const uint8_t **next) {
	size_t o = 0;
	const uint8_t *p = src;
	for (;;) {
		const uint8_t *ff = NULL;
#if defined(__SSE2__)
		const __m128i all = _mm_set1_epi8((char)0xFF);
		while (lim - p >= 32) {
			__m128i a = _mm_loadu_si128((const __m128i *)p), b = _mm_loadu_si128((const __m128i *)(p + 16));
			_mm_storeu_si128((__m128i *)(dst + o), a);
			_mm_storeu_si128((__m128i *)(dst + o + 16), b);
			unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(a, all)) |
				(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(b, all)) << 16;
			if (__builtin_expect(m != 0, 0)) {
				int t = __builtin_ctz(m);
				p += t;
				o += (size_t)t;
				ff = p;
				break;
			}
			p += 32;
			o += 32;
		}
#endif
		if (!ff) {
			ff = memchr(p, 0xFF, (size_t)(lim - p));
			if (!ff) {
				memcpy(dst + o, p, (size_t)(lim - p));
				o += (size_t)(lim - p);
				*next = lim;
				break;
			}
			memcpy(dst + o, p, (size_t)(ff - p));
			o += (size_t)(ff - p);
			p = ff;
		}
		if (p + 1 < lim && p[1] == 0x00) {
			dst[o++] = 0xFF;
			p += 2;
			continue;
		}
		*next = p;
		break;
	}
	memset(dst + o, 0, KQ_PAD);
	return o;
}

// kq_marker reads the marker at *pp (0xFF, fill bytes, code); -1 if the
// bytes there are not a marker.
static int kq_marker(const uint8_t **pp, const uint8_t *lim) {
	const uint8_t *p = *pp;
	if (p >= lim || *p != 0xFF) return -1;
	while (p < lim && *p == 0xFF) p++;
	if (p >= lim || *p == 0x00) return -1;
	*pp = p + 1;
	return *p;
}

// kq_weights fills each component's weights (comp[ci].w): coefficient k
// (zigzag) of component c adds value × w[k*NV*4 + j*n + i] to output
// (i, j): q[k] × ¼ C(u)C(v) × mean of cos((2x+1)uπ/16) over the output's
// f columns × the same over its f rows. *used (if not NULL) gets the
// coefficients (bit k, zigzag) whose weights are not all zero.
static int kq_weights(kq_comp *comp, int ncomp, uint16_t qt[4][64], const int qdef[4], int f, float *weights, uint64_t *used) {
	const int n = 8 / f, N = n * n;
	float mean[8][8]; // [frequency][output index]
	for (int u = 0; u < 8; u++)
		for (int i = 0; i < n; i++) {
			double a = 0;
			for (int x = i * f; x < (i + 1) * f; x++) a += cos((2 * x + 1) * u * M_PI / 16);
			a /= f;
			if (fabs(a) < 1e-9) a = 0;
			mean[u][i] = (float)(a * (u == 0 ? M_SQRT1_2 : 1.0));
		}
	if (used) {
		*used = 0;
		for (int k = 0; k < 64; k++) {
			int nat = kq_zigzag[k], u = nat & 7, v = nat >> 3, any = 0;
			for (int i = 0; i < n; i++)
				if (mean[u][i] != 0) any |= 1;
			for (int j = 0; j < n; j++)
				if (mean[v][j] != 0) any |= 2;
			if (any == 3) *used |= (uint64_t)1 << k;
		}
	}
	int wdone[4] = {0, 0, 0, 0};
	for (int ci = 0; ci < ncomp; ci++) {
		int tq = comp[ci].tq;
		if (!qdef[tq]) return -1;
		comp[ci].w = weights + tq * KQ_WK * 16;
		if (wdone[tq]) continue;
		wdone[tq] = 1;
		memset(comp[ci].w, 0, KQ_WK * 16 * sizeof(float));
		for (int k = 0; k < KQ_WK; k++) {
			int kk = k < 64 ? k : 63, nat = kq_zigzag[kk], u = nat & 7, v = nat >> 3;
			for (int j = 0; j < n; j++)
				for (int i = 0; i < n; i++)
					comp[ci].w[k * ((N + 3) / 4 * 4) + j * n + i] = 0.25f * qt[tq][kk] * mean[u][i] * mean[v][j];
		}
	}
	return 0;
}

// Progressive JPEGs (SOF2) at ¼ and ⅛. Every scan is Huffman-decoded, as
// it must be (a refinement scan's bits depend on which coefficients are
// already nonzero), but a block keeps only what the reduced output reads:
// a mask of its nonzero coefficients (bit k, zigzag order, for the
// refinement scans) and the values of the coefficients whose weights are
// not all zero at this scale (25 of 64 at ¼, the DC alone at ⅛), in 64
// bytes. The outputs are computed once every scan is in. The checks on
// the order of the scans are libjpeg's (its "bogus progression" warnings,
// errors under TJFLAG_STOPONWARNING): anything it would warn about falls
// back to it. libjpeg-turbo's block smoothing (which guesses the low
// frequencies of a block whose refinement scans are missing) is not done.

#define KQ_SLOTS 28
#define KQ_JUNK (KQ_SLOTS - 1)
#define KQ_MAXSCANS 100 // libjpeg-turbo refuses over 500 (TJFLAG_LIMITSCANS)
typedef struct {
	uint64_t nz;           // coefficient k (zigzag) is nonzero
	int16_t v[KQ_SLOTS];   // the values of the used coefficients, by slot
} kq_pblock;

typedef struct {
	kq_pblock *b;
	int bw, bh; // blocks of the plane, padded to whole MCUs
	int rw, rh; // blocks holding image samples (a non-interleaved scan's)
	int bits[64]; // libjpeg's coef_bits: the last Al of each coefficient, -1 before any
	int init;     // a DC first scan has set every block's slots
} kq_pplane;

typedef struct {
	uint64_t used;     // the coefficients kept (bit k, zigzag)
	int8_t slot[64];   // their slots, KQ_JUNK for the others
	int Ss, Se, Ah, Al;
	long eobrun;
} kq_pscan;

#define KQ_PREFILL()                                  \
	do {                                              \
		buf |= kq_be64(p) >> bits;                    \
		p += (63 - bits) >> 3;                        \
		bits |= 56;                                   \
	} while (0)
// KQ_PBITS takes s (1..16) bits, unsigned, with at least s bits in buf.
#define KQ_PBITS(s, out)                              \
	do {                                              \
		int s_ = (s);                                 \
		out = (uint32_t)(buf >> (64 - s_));           \
		buf <<= s_;                                   \
		bits -= s_;                                   \
	} while (0)

// kq_psym decodes one Huffman symbol with at least 31 bits in buf: its
// run r and size s, and, when the fast entry holds the value bits too,
// the extended value (*have = 1). -1 for a bad code.
#define KQ_PSYM(t, r, s, val, have)                                     \
	do {                                                                \
		uint32_t e_ = (t)->fast[buf >> (64 - KQ_FAST)];                 \
		int l_ = e_ & 31;                                               \
		have = 0;                                                       \
		if (l_) {                                                       \
			buf <<= l_;                                                 \
			bits -= l_;                                                 \
			int kind_ = (e_ >> 5) & 3;                                  \
			r = (e_ >> 8) & 15;                                         \
			if (kind_ == KQ_COEF) {                                     \
				val = (int16_t)(e_ >> 16);                              \
				s = 1;                                                  \
				have = 1;                                               \
			} else if (kind_ == KQ_CODE) {                              \
				s = (e_ >> 12) & 15;                                    \
			} else {                                                    \
				s = 0;                                                  \
				r = kind_ == KQ_ZRL ? 15 : r;                           \
			}                                                           \
		} else {                                                        \
			kq_bits t_ = {p, 0, 0, buf, bits};                          \
			int rs_ = kq_slow((t), &t_);                                \
			buf = t_.buf;                                               \
			bits = t_.bits;                                             \
			if (rs_ < 0) return -1;                                     \
			r = rs_ >> 4;                                               \
			s = rs_ & 15;                                               \
		}                                                               \
	} while (0)

// A coefficient not kept has the last slot (KQ_JUNK), written to and
// never read, so that setting or refining one needs no branch.
static inline __attribute__((always_inline)) void kq_pset(kq_pblock *b, const kq_pscan *sc, int k, int32_t v) {
	int16_t c = (int16_t)(uint16_t)(uint32_t)v;
	uint64_t bit = (uint64_t)1 << k;
	b->nz = (b->nz & ~bit) | (c ? bit : 0);
	b->v[sc->slot[k]] = c;
}

// kq_prefine applies correction bit raw (0 or 1) to coefficient k
// (nonzero): libjpeg adds p1 away from zero when the bit is set and the
// coefficient's bit Al is not, without a branch on the (random) bit.
static inline __attribute__((always_inline)) void kq_prefine(kq_pblock *b, const kq_pscan *sc, int k, uint32_t raw) {
	int sl = sc->slot[k];
	int c = b->v[sl], p1 = 1 << sc->Al;
	int add = (c >= 0 ? p1 : -p1) & -(int)(raw & ((c & p1) == 0));
	b->v[sl] = (int16_t)(uint16_t)(unsigned)(c + add);
}

// KQ_PCORRECT reads one correction bit for each set bit of mask (the
// nonzero coefficients k0 + j, in order) and refines the kept ones.
#define KQ_PCORRECT(mask, k0)                                                 \
	do {                                                                      \
		uint64_t m_ = (mask);                                                 \
		while (m_) {                                                          \
			int j_ = __builtin_ctzll(m_);                                     \
			m_ &= m_ - 1;                                                     \
			if (bits < 1) KQ_PREFILL();                                       \
			KQ_PBITS(1, raw);                                                 \
			kq_prefine(b, sc, (k0) + j_, raw);                                \
		}                                                                     \
	} while (0)

// kq_pdecode decodes one block of a scan of the given kind (0 DC first,
// 1 DC refinement, 2 AC first, 3 AC refinement); pred is its component's
// DC predictor, fresh marks the component's first DC scan (which sets the
// whole block). 0 on success, -1 for bad data (libjpeg's call).
static inline __attribute__((always_inline)) int kq_pdecode(kq_bits *bs, const kq_huff *dct, const kq_huff *act, kq_pblock *b, kq_pscan *sc, int *pred, int fresh, const int kind) {
	uint64_t buf = bs->buf;
	int bits = bs->bits;
	const uint8_t *p = bs->p;
	if ((p - bs->end) * 8 - bits > 0) return -1; // past the segment's data
	KQ_PREFILL();
	int r, s, have;
	int32_t val = 0;
	uint32_t raw;
	if (kind <= 1) {
		if (kind == 0) { // DC first
			if (fresh) memset(b, 0, sizeof *b);
			KQ_PSYM(dct, r, s, val, have);
			(void)r;
			if (!have) {
				val = 0;
				if (s) {
					KQ_PBITS(s, raw);
					val = kq_extend(raw, s);
				}
			}
			*pred += val;
			if (*pred > (1 << 24) || *pred < -(1 << 24)) return -1;
			b->v[0] = (int16_t)(uint16_t)((uint32_t)*pred << sc->Al);
		} else { // DC refinement: one bit
			KQ_PBITS(1, raw);
			b->v[0] = (int16_t)(uint16_t)((uint16_t)b->v[0] | (raw << sc->Al));
		}
	} else if (kind == 2) { // AC first
		if (sc->eobrun > 0) {
			sc->eobrun--;
		} else {
			for (int k = sc->Ss; k <= sc->Se; k++) {
				if (bits < 32) KQ_PREFILL();
				KQ_PSYM(act, r, s, val, have);
				if (s) {
					k += r;
					if (k > sc->Se) return -1;
					if (!have) {
						KQ_PBITS(s, raw);
						val = kq_extend(raw, s);
					}
					kq_pset(b, sc, k, (int32_t)((uint32_t)val << sc->Al));
				} else if (r == 15) {
					k += 15;
				} else {
					long run = 1L << r;
					if (r) {
						KQ_PBITS(r, raw);
						run += raw;
					}
					sc->eobrun = run - 1;
					break;
				}
			}
		}
	} else { // AC refinement
		int k = sc->Ss;
		if (sc->eobrun == 0) {
			for (; k <= sc->Se; k++) {
				if (bits < 32) KQ_PREFILL();
				KQ_PSYM(act, r, s, val, have);
				int nv = 0;
				if (s) {
					if (!have) {
						if (s != 1) return -1;
						KQ_PBITS(1, raw);
						nv = raw ? 1 : -1;
					} else {
						if (val != 1 && val != -1) return -1; // a size other than 1
						nv = val;
					}
				} else if (r != 15) {
					long run = 1L << r;
					if (r) {
						KQ_PBITS(r, raw);
						run += raw;
					}
					sc->eobrun = run;
					break;
				}
				// Correction bits of the nonzero coefficients up to the
				// r+1-th zero one (where a new value goes), or to Se.
				int lim = sc->Se - k + 1; // positions k..Se
				uint64_t low = lim >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << lim) - 1;
				uint64_t z = ~b->nz >> k & low;
				for (int i = 0; i < r && z; i++) z &= z - 1;
				int span = z ? __builtin_ctzll(z) : lim;
				uint64_t cm = span >= 64 ? b->nz >> k : (b->nz >> k) & (((uint64_t)1 << span) - 1);
				KQ_PCORRECT(cm, k);
				k += span;
				if (nv) {
					if (k > sc->Se) return -1;
					kq_pset(b, sc, k, nv * (1 << sc->Al));
				}
			}
		}
		if (sc->eobrun > 0) {
			uint64_t m = b->nz >> k;
			if (sc->Se - k < 63) m &= ((uint64_t)2 << (sc->Se - k)) - 1;
			KQ_PCORRECT(m, k);
			sc->eobrun--;
		}
	}
	bs->buf = buf;
	bs->bits = bits;
	bs->p = p;
	return 0;
}

// kq_pseg decodes the units from..upto of a scan's segment.
static inline __attribute__((always_inline)) int kq_pseg(kq_bits *b, kq_huff huff[8], kq_comp *comp, kq_pplane *pl,
	const int *order, int ns, kq_pscan *sc, const int *fresh, long from, long upto, long ux, const int kind) {
	int pred[3] = {0, 0, 0};
	if (ns == 1) {
		kq_pplane *q = &pl[order[0]];
		const kq_huff *dct = &huff[comp[order[0]].td], *act = &huff[4 + comp[order[0]].ta];
		for (long d = from; d < upto; d++) {
			if (kind == 2 && sc->eobrun > 0) { // blocks with nothing in this band
				long skip = upto - d < sc->eobrun ? upto - d : sc->eobrun;
				sc->eobrun -= skip;
				d += skip - 1;
				continue;
			}
			long my = d / ux, mx = d % ux;
			if (kq_pdecode(b, dct, act, &q->b[(size_t)my * q->bw + mx], sc, &pred[0], fresh[0], kind) < 0) return -1;
		}
		return 0;
	}
	for (long d = from; d < upto; d++) {
		long my = d / ux, mx = d % ux;
		for (int i = 0; i < ns; i++) {
			kq_comp *c = &comp[order[i]];
			kq_pplane *q = &pl[order[i]];
			for (int v = 0; v < c->v; v++)
				for (int h = 0; h < c->h; h++) {
					size_t bi = (size_t)(my * c->v + v) * q->bw + (size_t)(mx * c->h + h);
					if (kq_pdecode(b, &huff[c->td], &huff[4 + c->ta], &q->b[bi], sc, &pred[i], fresh[i], kind) < 0) return -1;
				}
		}
	}
	return 0;
}

// kq_progressive decodes the scans of a progressive JPEG from p (the
// length of its first SOS) and writes the reduced planes.
static int kq_progressive(const uint8_t *p, const uint8_t *lim, kq_huff huff[8], uint16_t qt[4][64], const int qdef[4],
	kq_comp *comp, int ncomp, int width, int height, int hmax, int vmax, int ri, int f,
	float *weights, uint8_t *scratch, uint64_t *blocks, size_t nblocks64, size_t *need) {
	if (f != 4 && f != 8) return KYCQ_SCALED_FALLBACK;
	const int n = 8 / f;
	kq_pscan sc;
	if (kq_weights(comp, ncomp, qt, qdef, f, weights, &sc.used) < 0) return KYCQ_SCALED_FALLBACK;
	int ns_used = 0;
	for (int k = 0; k < 64; k++) sc.slot[k] = (sc.used >> k & 1) ? (int8_t)ns_used++ : KQ_JUNK;
	if (ns_used > KQ_JUNK || !(sc.used & 1)) return KYCQ_SCALED_FALLBACK;
	int mcux = (width + 8 * hmax - 1) / (8 * hmax), mcuy = (height + 8 * vmax - 1) / (8 * vmax);
	kq_pplane pl[3];
	size_t total = 0;
	for (int ci = 0; ci < ncomp; ci++) {
		long cw = ((long)width * comp[ci].h + hmax - 1) / hmax, ch = ((long)height * comp[ci].v + vmax - 1) / vmax;
		pl[ci].rw = (int)((cw + 7) / 8);
		pl[ci].rh = (int)((ch + 7) / 8);
		pl[ci].bw = ncomp == 1 ? pl[ci].rw : mcux * comp[ci].h;
		pl[ci].bh = ncomp == 1 ? pl[ci].rh : mcuy * comp[ci].v;
		total += (size_t)pl[ci].bw * pl[ci].bh;
		for (int k = 0; k < 64; k++) pl[ci].bits[k] = -1;
		pl[ci].init = 0;
	}
	if (total * (sizeof(kq_pblock) / 8) > nblocks64) {
		*need = total * (sizeof(kq_pblock) / 8);
		return KYCQ_SCALED_NEED;
	}
	kq_pblock *next_b = (kq_pblock *)blocks;
	for (int ci = 0; ci < ncomp; ci++) {
		pl[ci].b = next_b;
		next_b += (size_t)pl[ci].bw * pl[ci].bh;
		// The padding blocks a non-interleaved scan never reaches.
		for (int by = 0; by < pl[ci].bh; by++)
			for (int bx = 0; bx < pl[ci].bw; bx++)
				if (bx >= pl[ci].rw || by >= pl[ci].rh) memset(&pl[ci].b[(size_t)by * pl[ci].bw + bx], 0, sizeof(kq_pblock));
	}
	int nscans = 0;
	for (;;) {
		// The scan header at p (after the SOS marker).
		if (lim - p < 2) return KYCQ_SCALED_FALLBACK;
		int sl = kq_u16(p);
		if (sl < 3 || lim - p < sl) return KYCQ_SCALED_FALLBACK;
		const uint8_t *s = p + 2;
		int ns = s[0];
		if (ns < 1 || ns > ncomp || sl != 6 + 2 * ns) return KYCQ_SCALED_FALLBACK;
		int order[3];
		for (int i = 0; i < ns; i++) {
			int id = s[1 + 2 * i], t = s[2 + 2 * i], ci = -1;
			for (int j = 0; j < ncomp; j++)
				if (comp[j].id == id) ci = j;
			if (ci < 0) return KYCQ_SCALED_FALLBACK;
			for (int j = 0; j < i; j++)
				if (order[j] == ci) return KYCQ_SCALED_FALLBACK;
			order[i] = ci;
			comp[ci].td = t >> 4;
			comp[ci].ta = t & 15;
			if (comp[ci].td > 3 || comp[ci].ta > 3) return KYCQ_SCALED_FALLBACK;
		}
		const uint8_t *ss = s + 1 + 2 * ns;
		sc.Ss = ss[0];
		sc.Se = ss[1];
		sc.Ah = ss[2] >> 4;
		sc.Al = ss[2] & 15;
		p += sl;
		if (sc.Ss == 0) {
			if (sc.Se != 0) return KYCQ_SCALED_FALLBACK;
		} else if (sc.Se < sc.Ss || sc.Se > 63 || ns != 1) {
			return KYCQ_SCALED_FALLBACK;
		}
		if ((sc.Ah != 0 && sc.Al != sc.Ah - 1) || sc.Al > 13) return KYCQ_SCALED_FALLBACK;
		int fresh[3];
		if (++nscans > KQ_MAXSCANS) return KYCQ_SCALED_FALLBACK;
		for (int i = 0; i < ns; i++) {
			kq_pplane *q = &pl[order[i]];
			if (sc.Ss == 0 && sc.Ah == 0 && !huff[comp[order[i]].td].defined) return KYCQ_SCALED_FALLBACK;
			if (sc.Ss != 0 && !huff[4 + comp[order[i]].ta].defined) return KYCQ_SCALED_FALLBACK;
			if (sc.Ss != 0 && q->bits[0] < 0) return KYCQ_SCALED_FALLBACK; // AC before DC
			for (int k = sc.Ss; k <= sc.Se; k++) {
				int expected = q->bits[k] < 0 ? 0 : q->bits[k];
				if (sc.Ah != expected) return KYCQ_SCALED_FALLBACK;
				q->bits[k] = sc.Al;
			}
			fresh[i] = sc.Ss == 0 && sc.Ah == 0 && !q->init;
			if (fresh[i]) q->init = 1;
		}
		// The MCUs: a non-interleaved scan's are the component's blocks.
		long units, ux;
		if (ns == 1) {
			ux = pl[order[0]].rw;
			units = ux * pl[order[0]].rh;
		} else {
			ux = mcux;
			units = (long)mcux * mcuy;
		}
		long done = 0;
		int rst = 0;
		const int kind = sc.Ss == 0 ? (sc.Ah == 0 ? 0 : 1) : (sc.Ah == 0 ? 2 : 3);
		while (done < units) {
			const uint8_t *next;
			size_t sn = kq_segment(p, lim, scratch, &next);
			kq_bits b = {scratch, scratch, scratch + sn, 0, 0};
			long upto = ri ? done + ri : units;
			if (upto > units) upto = units;
			sc.eobrun = 0;
			int r;
			switch (kind) { // constant inside, for the compiler
			case 0: r = kq_pseg(&b, huff, comp, pl, order, ns, &sc, fresh, done, upto, ux, 0); break;
			case 1: r = kq_pseg(&b, huff, comp, pl, order, ns, &sc, fresh, done, upto, ux, 1); break;
			case 2: r = kq_pseg(&b, huff, comp, pl, order, ns, &sc, fresh, done, upto, ux, 2); break;
			default: r = kq_pseg(&b, huff, comp, pl, order, ns, &sc, fresh, done, upto, ux, 3); break;
			}
			if (r < 0) return KYCQ_SCALED_FALLBACK;
			done = upto;
			long used = (long)(b.p - b.start) * 8 - b.bits;
			if (used > (long)sn * 8 || (long)sn * 8 - used >= 8) return KYCQ_SCALED_FALLBACK;
			p = next;
			if (done < units) {
				const uint8_t *q = p;
				int rm = kq_marker(&q, lim);
				if (rm != 0xD0 + rst) return KYCQ_SCALED_FALLBACK;
				rst = (rst + 1) & 7;
				p = q;
			}
		}
		// Markers up to the next scan or the end.
		int m;
		for (;;) {
			m = kq_marker(&p, lim);
			if (m == 0xDA || m == 0xD9) break;
			if (m < 0 || (m >= 0xD0 && m <= 0xD7) || m == 0x01 || m == 0xD8) return KYCQ_SCALED_FALLBACK;
			if (lim - p < 2) return KYCQ_SCALED_FALLBACK;
			int ml = kq_u16(p);
			if (ml < 2 || lim - p < ml) return KYCQ_SCALED_FALLBACK;
			const uint8_t *ms = p + 2, *me = p + ml;
			p = me;
			if ((m >= 0xE0 && m <= 0xEF) || m == 0xFE) continue;
			if (m == 0xC4) {
				while (ms < me) {
					if (me - ms < 17) return KYCQ_SCALED_FALLBACK;
					int tc = ms[0] >> 4, th = ms[0] & 15;
					if (tc > 1 || th > 3) return KYCQ_SCALED_FALLBACK;
					int cnt = 0;
					for (int i = 0; i < 16; i++) cnt += ms[1 + i];
					if (cnt > 256 || me - ms < 17 + cnt) return KYCQ_SCALED_FALLBACK;
					if (kq_build(&huff[tc * 4 + th], ms + 1, ms + 17, cnt, tc == 0) < 0) return KYCQ_SCALED_FALLBACK;
					ms += 17 + cnt;
				}
				continue;
			}
			if (m == 0xDD) {
				if (me - ms != 2) return KYCQ_SCALED_FALLBACK;
				ri = kq_u16(ms);
				continue;
			}
			return KYCQ_SCALED_FALLBACK; // DQT after a scan (libjpeg has latched the tables), or anything else
		}
		if (m == 0xD9) break;
	}
	// The outputs, from the coefficients kept.
	for (int ci = 0; ci < ncomp; ci++) {
		kq_pplane *q = &pl[ci];
		if (q->bits[0] < 0) return KYCQ_SCALED_FALLBACK; // a component with no DC scan
		const float *w = comp[ci].w;
		for (int by = 0; by < q->bh; by++)
			for (int bx = 0; bx < q->bw; bx++) {
				const kq_pblock *b = &q->b[(size_t)by * q->bw + bx];
				kq_v4 acc = (float)b->v[0] * kq_load4(w);
				uint64_t m = b->nz & sc.used & ~(uint64_t)1;
				while (m) {
					int k = __builtin_ctzll(m);
					m &= m - 1;
					acc += (float)b->v[(int)sc.slot[k]] * kq_load4(w + 4 * k);
				}
				float out[4];
				memcpy(out, &acc, sizeof out);
				kq_put(&comp[ci], bx, by, out, n);
			}
	}
	return KYCQ_SCALED_OK;
}
#undef KQ_PREFILL
#undef KQ_PBITS
#undef KQ_PSYM
#undef KQ_PCORRECT

// kycq_scaled_decode decodes data at 1/f (f = 2, 4 or 8) into the planes
// (plane i of the component i of the frame, pw[i]×ph[i] pixels, stride
// st[i]). weights has room for KQ_WORK_FLOATS floats (8-byte aligned), scratch for len + KQ_PAD
// bytes. A progressive JPEG (¼ and ⅛ only) keeps its coefficients in
// blocks (nblocks64 uint64s); KYCQ_SCALED_NEED asks for *need of them.
//
// kycq_scaled_decode_small does the same and, with small not NULL, for a
// 4:2:0 baseline JPEG at ¼ whose MCUs (sw × sh of them) all lie wholly
// inside the planes, also writes the planes reduced by 4 (luma) and 2
// (chroma) into small[0..2], sw × sh bytes each, one per MCU (see
// kq_run420), and sets *small_done to 1; otherwise *small_done is 0 and
// small holds garbage or is left as it was.
static inline __attribute__((always_inline)) int kq_decode(const uint8_t *data, size_t len, int f,
	uint8_t *planes[3], const int st[3], const int pw[3], const int ph[3],
	float *weights, uint8_t *scratch, uint64_t *blocks, size_t nblocks64, size_t *need,
	uint8_t *const small[3], int sw, int sh, int *small_done) {
	*small_done = 0;
	if (f != 2 && f != 4 && f != 8) return KYCQ_SCALED_FALLBACK;
	const int n = 8 / f;
	const uint8_t *p = data, *lim = data + len;
	kq_huff huff[8]; // 0-3 DC, 4-7 AC
	for (int i = 0; i < 8; i++) huff[i].defined = 0;
	uint16_t qt[4][64];
	int qdef[4] = {0, 0, 0, 0};
	kq_comp comp[3];
	int ncomp = 0, width = 0, height = 0, hmax = 1, vmax = 1, ri = 0, sof = 0, prog = 0;
	if (len < 4 || p[0] != 0xFF || p[1] != 0xD8) return KYCQ_SCALED_FALLBACK;
	p += 2;
	int m;
	for (;;) {
		m = kq_marker(&p, lim);
		if (m < 0) return KYCQ_SCALED_FALLBACK;
		if (m == 0xDA) break;
		if (m == 0xD9 || (m >= 0xD0 && m <= 0xD7) || m == 0x01) return KYCQ_SCALED_FALLBACK;
		if (lim - p < 2) return KYCQ_SCALED_FALLBACK;
		int sl = kq_u16(p);
		if (sl < 2 || lim - p < sl) return KYCQ_SCALED_FALLBACK;
		const uint8_t *s = p + 2, *se = p + sl;
		p = se;
		if ((m >= 0xE0 && m <= 0xEF) || m == 0xFE) continue;
		switch (m) {
		case 0xC0:
		case 0xC1:
		case 0xC2:
			prog = m == 0xC2;
			if (sof || se - s < 6 || s[0] != 8) return KYCQ_SCALED_FALLBACK;
			height = kq_u16(s + 1);
			width = kq_u16(s + 3);
			ncomp = s[5];
			if ((ncomp != 1 && ncomp != 3) || se - s != 6 + 3 * ncomp || width == 0 || height == 0) return KYCQ_SCALED_FALLBACK;
			for (int i = 0; i < ncomp; i++) {
				const uint8_t *c = s + 6 + 3 * i;
				comp[i].id = c[0];
				comp[i].h = c[1] >> 4;
				comp[i].v = c[1] & 15;
				comp[i].tq = c[2];
				if (comp[i].h < 1 || comp[i].h > 2 || comp[i].v < 1 || comp[i].v > 2 || comp[i].tq > 3) return KYCQ_SCALED_FALLBACK;
				if (i > 0 && (comp[i].h != 1 || comp[i].v != 1)) return KYCQ_SCALED_FALLBACK;
				for (int j = 0; j < i; j++)
					if (comp[j].id == comp[i].id) return KYCQ_SCALED_FALLBACK;
				if (comp[i].h > hmax) hmax = comp[i].h;
				if (comp[i].v > vmax) vmax = comp[i].v;
			}
			if (ncomp == 1) comp[0].h = comp[0].v = hmax = vmax = 1;
			sof = 1;
			break;
		case 0xC4:
			while (s < se) {
				if (se - s < 17) return KYCQ_SCALED_FALLBACK;
				int tc = s[0] >> 4, th = s[0] & 15;
				if (tc > 1 || th > 3) return KYCQ_SCALED_FALLBACK;
				int cnt = 0;
				for (int i = 0; i < 16; i++) cnt += s[1 + i];
				if (cnt > 256 || se - s < 17 + cnt) return KYCQ_SCALED_FALLBACK;
				if (kq_build(&huff[tc * 4 + th], s + 1, s + 17, cnt, tc == 0) < 0) return KYCQ_SCALED_FALLBACK;
				s += 17 + cnt;
			}
			break;
		case 0xDB:
			while (s < se) {
				int pq = s[0] >> 4, tq = s[0] & 15;
				if (pq > 1 || tq > 3 || se - s < 1 + 64 * (pq + 1)) return KYCQ_SCALED_FALLBACK;
				for (int k = 0; k < 64; k++) qt[tq][k] = pq ? kq_u16(s + 1 + 2 * k) : s[1 + k];
				qdef[tq] = 1;
				s += 1 + 64 * (pq + 1);
			}
			break;
		case 0xDD:
			if (se - s != 2) return KYCQ_SCALED_FALLBACK;
			ri = kq_u16(s);
			break;
		default: // other processes, DNL, DHP, EXP, JPG extensions
			return KYCQ_SCALED_FALLBACK;
		}
	}
	if (!sof || lim - p < 2) return KYCQ_SCALED_FALLBACK;
	if (prog) {
		for (int ci = 0; ci < ncomp; ci++) {
			comp[ci].plane = planes[ci];
			comp[ci].stride = st[ci];
			comp[ci].pw = pw[ci];
			comp[ci].ph = ph[ci];
		}
		return kq_progressive(p, lim, huff, qt, qdef, comp, ncomp, width, height, hmax, vmax, ri, f, weights, scratch, blocks, nblocks64, need);
	}
	int sl = kq_u16(p);
	if (lim - p < sl) return KYCQ_SCALED_FALLBACK;
	const uint8_t *s = p + 2;
	int ns = s[0];
	if (ns != ncomp || sl != 6 + 2 * ns) return KYCQ_SCALED_FALLBACK;
	kq_comp *order[3];
	for (int i = 0; i < ns; i++) {
		int id = s[1 + 2 * i], t = s[2 + 2 * i];
		int ci = -1;
		for (int j = 0; j < ncomp; j++)
			if (comp[j].id == id) ci = j;
		if (ci < 0) return KYCQ_SCALED_FALLBACK;
		for (int j = 0; j < i; j++)
			if (order[j] == &comp[ci]) return KYCQ_SCALED_FALLBACK;
		order[i] = &comp[ci];
		comp[ci].td = t >> 4;
		comp[ci].ta = t & 15;
		if (comp[ci].td > 3 || comp[ci].ta > 3 || !huff[comp[ci].td].defined || !huff[4 + comp[ci].ta].defined) return KYCQ_SCALED_FALLBACK;
	}
	const uint8_t *ss = s + 1 + 2 * ns;
	if (ss[0] != 0 || ss[1] != 63 || ss[2] != 0) return KYCQ_SCALED_FALLBACK;
	p += sl;

	if (kq_weights(comp, ncomp, qt, qdef, f, weights, NULL) < 0) return KYCQ_SCALED_FALLBACK;
	uint32_t *pairs = (uint32_t *)(weights + 4 * KQ_WK * 16);
	int pdone[4] = {0, 0, 0, 0};
	for (int i = 0; i < ns; i++) {
		order[i]->pairs = pairs + ((size_t)order[i]->ta << KQ_FAST2);
		if (!pdone[order[i]->ta]) {
			pdone[order[i]->ta] = 1;
			kq_pairs(&huff[4 + order[i]->ta], pairs + ((size_t)order[i]->ta << KQ_FAST2));
		}
	}
	for (int i = 0; i < ns; i++) order[i]->dceob = NULL;
	if (ns == 3) {
		// The chroma components' blocks (kq_run420): one table for the
		// two when they share their tables.
		uint16_t *de = (uint16_t *)(pairs + ((size_t)4 << KQ_FAST2));
		kq_dceob(&huff[order[1]->td], &huff[4 + order[1]->ta], de);
		order[1]->dceob = de;
		if (order[2]->td == order[1]->td && order[2]->ta == order[1]->ta) order[2]->dceob = de;
	}
	int mcux = (width + 8 * hmax - 1) / (8 * hmax), mcuy = (height + 8 * vmax - 1) / (8 * vmax);
	if (ncomp == 1) {
		mcux = (width + 7) / 8;
		mcuy = (height + 7) / 8;
	}
	for (int ci = 0; ci < ncomp; ci++) {
		comp[ci].plane = planes[ci];
		comp[ci].stride = st[ci];
		comp[ci].pw = pw[ci];
		comp[ci].ph = ph[ci];
		comp[ci].pred = 0;
	}

	long total = (long)mcux * mcuy, done = 0;
	int rst = 0, by420 = 0;
	uint8_t *const *small4 = small;
	if (small && (sw != mcux || sh != mcuy || 4 * mcux > pw[0] || 4 * mcuy > ph[0] || ncomp != 3 ||
			2 * mcux > pw[1] || 2 * mcuy > ph[1] || 2 * mcux > pw[2] || 2 * mcuy > ph[2]))
		small4 = NULL;
	while (done < total) {
		const uint8_t *next;
		size_t sn = kq_segment(p, lim, scratch, &next);
		kq_bits b = {scratch, scratch, scratch + sn, 0, 0};
		long upto = ri ? done + ri : total;
		if (upto > total) upto = total;
		for (int ci = 0; ci < ncomp; ci++) comp[ci].pred = 0;
		int r;
		switch (n) { // constant n and N inside, for the compiler
		case 1: r = kq_run(&b, order, ns, huff, &done, upto, mcux, 1); break;
		case 2:
			if (ns == 3 && order[0]->h == 2 && order[0]->v == 2 && order[1]->h == 1 && order[1]->v == 1 && order[2]->h == 1 && order[2]->v == 1) {
				by420 = 1;
				r = kq_run420(&b, order, huff, &done, upto, mcux, small4, mcux);
			} else {
				r = kq_run(&b, order, ns, huff, &done, upto, mcux, 2);
			}
			break;
		default: r = kq_run(&b, order, ns, huff, &done, upto, mcux, 4); break;
		}
		if (r < 0) return KYCQ_SCALED_FALLBACK;
		// The segment must have held exactly the bits decoded (up to 7 padding bits).
		long used = (long)(b.p - b.start) * 8 - b.bits;
		if (used > (long)sn * 8 || (long)sn * 8 - used >= 8) return KYCQ_SCALED_FALLBACK;
		p = next;
		if (done < total) {
			const uint8_t *q = p;
			int rm = kq_marker(&q, lim);
			if (rm != 0xD0 + rst) return KYCQ_SCALED_FALLBACK;
			rst = (rst + 1) & 7;
			p = q;
		}
	}
	if (kq_marker(&p, lim) != 0xD9) return KYCQ_SCALED_FALLBACK;
	*small_done = by420 && small4 != NULL;
	return KYCQ_SCALED_OK;
}

#define KQ_ARGS const uint8_t *data, size_t len, int f, uint8_t *planes[3], const int st[3], const int pw[3], \
	const int ph[3], float *weights, uint8_t *scratch, uint64_t *blocks, size_t nblocks64, size_t *need, \
	uint8_t *const small[3], int sw, int sh, int *small_done
#define KQ_PASS data, len, f, planes, st, pw, ph, weights, scratch, blocks, nblocks64, need, small, sw, sh, small_done
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
// The same decoder compiled a second time for CPUs with AVX2 and BMI2
// (shifts by a register without the flags, three-operand vector
// instructions), taken where the CPU has them: 4-6 % less time for a
// 12 MP photo's ¼-scale decode, and the same planes byte for byte (FMA
// is left out of the target on purpose: the compiler would fuse a
// product with its sum, one rounding instead of two).
__attribute__((target("avx2,bmi,bmi2"))) static int kq_decode_avx2(KQ_ARGS) { return kq_decode(KQ_PASS); }
static int kq_decode_base(KQ_ARGS) { return kq_decode(KQ_PASS); }

static int kycq_scaled_decode_small(KQ_ARGS) {
	__builtin_cpu_init();
	if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi2")) return kq_decode_avx2(KQ_PASS);
	return kq_decode_base(KQ_PASS);
}
#else
static int kycq_scaled_decode_small(KQ_ARGS) { return kq_decode(KQ_PASS); }
#endif
#undef KQ_ARGS
#undef KQ_PASS

static inline int kycq_scaled_decode(const uint8_t *data, size_t len, int f, uint8_t *planes[3], const int st[3],
	const int pw[3], const int ph[3], float *weights, uint8_t *scratch, uint64_t *blocks, size_t nblocks64, size_t *need) {
	int small_done;
	return kycq_scaled_decode_small(data, len, f, planes, st, pw, ph, weights, scratch, blocks, nblocks64, need,
		NULL, 0, 0, &small_done);
}
