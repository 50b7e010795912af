package fraudeval

import (
	"flag"
	"strings"

	"github.com/kycq/kycq/internal/eval/headmotion"
)

// Flags declares the configuration's flags (as "kycq eval fraud" has
// them) on fs, with c's current values as their defaults.
func (c *Config) Flags(fs *flag.FlagSet) {
	fs.StringVar(&c.Photos, "photos", c.Photos, "directory of the face photos (scripts/setup.d/40-face-photos.sh fetches them)")
	fs.Int64Var(&c.Seed, "seed", c.Seed, "seed of the generated photos and videos (the default is held out: thresholds were set on others)")
	fs.IntVar(&c.Docs, "docs", c.Docs, "document photos per attack and genuine controls")
	fs.IntVar(&c.Faces, "faces", c.Faces, "use only the first N portraits for videos and known faces (0 = all)")
	fs.IntVar(&c.Skip, "skip", c.Skip, "leave out the first N portraits (their seeds and file names unchanged: -faces N and -skip N split a run in two)")
	fs.StringVar(&c.Keep, "keep", c.Keep, "keep the generated photos and videos in this directory")
	fs.StringVar(&c.FFmpeg, "ffmpeg", c.FFmpeg, "ffmpeg binary")
	fs.BoolVar(&c.OtherTools, "other-tools", c.OtherTools, "also score the held-out document set made by other tools (ImageMagick, GraphicsMagick, PIL, cjpeg, ffmpeg)")
	fs.BoolVar(&c.DocsOnly, "docs-only", c.DocsOnly, "document photos only: skip the selfie videos and known faces")
	fs.BoolVar(&c.SelfiesOnly, "selfies-only", c.SelfiesOnly, "selfie videos and known faces only: skip the document photos")
	fs.Func("videos", "comma-separated selfie video cases to render and judge (rows of the video table, e.g. genuine_selfie; default all)", func(v string) error {
		c.Videos = splitList(v)
		return nil
	})
	fs.Func("rows", "comma-separated document photo rows to generate and score (e.g. genuine_lowq,painted_lowq; a name shared by both sets keeps it in both; default all)", func(v string) error {
		c.Rows = splitList(v)
		return nil
	})
	fs.StringVar(&c.Scores, "scores", c.Scores, "write one JSON line per document photo (set, attack, seed, authenticity verdict, findings, scores, regions) to this file, to compare two builds photo by photo")
	fs.StringVar(&c.Head, "head", c.Head, "genuine heads' variation: sampled (default: head shape, motion, expression, camera, light, blur, noise, bitrate, frame rate, glasses drawn per video), plain (the mean head), or a comma-separated list of "+strings.Join(headmotion.VariationNames, ", ")+" (each on)")
	fs.StringVar(&c.TurnFrames, "turn-frames", c.TurnFrames, "write one JSON line per video judged under a turn challenge: the challenge's reading of each frame (landmarks, turn, relief) and, for a generated head, the generator's yaw and landmarks at that frame")
	fs.BoolVar(&c.Reuse, "reuse", c.Reuse, "judge the videos already kept in the -keep directory instead of rendering them again")
}
