package faceeval

import "flag"

// Flags declares the configuration's flags (as "kycq eval face" has them)
// on fs, with c's current values as their defaults.
func (c *Config) Flags(fs *flag.FlagSet) {
	fs.StringVar(&c.Photos, "photos", c.Photos, "directory of the face photos (scripts/setup.d/40-face-photos.sh fetches them)")
	fs.Float64Var(&c.Threshold, "threshold", c.Threshold, "similarity threshold to report at (0 = the calibrated default)")
	fs.Int64Var(&c.Seed, "seed", c.Seed, "seed of the generated cards and videos")
	fs.IntVar(&c.Limit, "limit", c.Limit, "use only the first N labelled faces (0 = all 26)")
	fs.StringVar(&c.Keep, "keep", c.Keep, "keep the generated cards and videos in this directory")
	fs.StringVar(&c.FFmpeg, "ffmpeg", c.FFmpeg, "ffmpeg binary")
}
