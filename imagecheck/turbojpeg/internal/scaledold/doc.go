// Package scaledold is the reduced decoder of turbojpeg's scaled.h as it
// stood before the block loop's instruction cut (branch decodespeed,
// 6 December 2026; scaled_old.h is main's scaled.h at aad59a4, unchanged),
// kept for one test only: TestDecodeScaledMatchesOld compares the
// current decoder's planes with these, byte for byte. Nothing else
// imports it.
package scaledold
