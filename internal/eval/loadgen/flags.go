package loadgen

import "flag"

// Flags declares the run's flags (as "kycq loadgen" has them) on fs, with
// c's current values as their defaults.
func (c *Config) Flags(fs *flag.FlagSet) {
	fs.StringVar(&c.BaseURL, "url", c.BaseURL, "kycq API base URL (loopback only)")
	fs.IntVar(&c.N, "n", c.N, "applicants in all")
	fs.IntVar(&c.Concurrency, "c", c.Concurrency, "applicants in flight at once")
	fs.DurationVar(&c.Duration, "duration", c.Duration, "start no applicant after this")
	fs.DurationVar(&c.Wait, "wait", c.Wait, "how long each applicant waits for its decision")
}

// Flags declares the pool's flags (as "kycq loadgen" has them) on fs, with
// o's current values as their defaults.
func (o *PoolOptions) Flags(fs *flag.FlagSet) {
	fs.IntVar(&o.Pool, "pool", o.Pool, "distinct ID card photo + selfie video sets to generate (about 1 s of ffmpeg each)")
	fs.Int64Var(&o.Seed, "seed", o.Seed, "seed for accounts, document numbers and generated files (vary it between runs on one database)")
	fs.StringVar(&o.FFmpeg, "ffmpeg", o.FFmpeg, "ffmpeg binary for the generated selfie videos")
}
