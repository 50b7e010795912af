package face

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os/exec"
	"strconv"
	"time"
)

// CheckFFmpeg returns nil when the ffmpeg binary at path (a name looked up
// on PATH, or a file) runs, and otherwise an error saying how to install it.
func CheckFFmpeg(path string) error {
	if path == "" {
		path = "ffmpeg"
	}
	p, err := exec.LookPath(path)
	if err != nil {
		return fmt.Errorf("face: ffmpeg not found (%v): install it with `apt-get install ffmpeg` (Debian/Ubuntu) or set its path (KYCQ_FFMPEG)", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if out, err := exec.CommandContext(ctx, p, "-nostdin", "-hide_banner", "-version").CombinedOutput(); err != nil {
		return fmt.Errorf("face: %s -version failed (%v: %.200s): reinstall it with `apt-get install ffmpeg`", p, err, out)
	}
	return nil
}

// errVideoTimeout marks an extraction that ran past FFmpegTimeout: the
// video is unusable (a Result), not a failure to run.
var errVideoTimeout = errors.New("face: video decoding took too long")

// errNoVideo marks a file ffmpeg could not read as a video.
var errNoVideo = errors.New("face: not a readable video")

// ffmpegArgs builds the extraction command line. The input is restricted
// to local files and the usual selfie containers and codecs, decoding is
// bounded in duration, threads and picture size, and frames come out at
// SampleFPS, scaled so their long side is at most FrameSide, as a stream
// of binary PPM images on stdout.
func (e *Engine) ffmpegArgs(path string) []string {
	return e.ffmpegArgsAt(path, e.opts.SampleFPS)
}

// ffmpegArgsAt is ffmpegArgs sampling at fps frames per second.
func (e *Engine) ffmpegArgsAt(path string, fps float64) []string {
	o := &e.opts
	side := strconv.Itoa(o.FrameSide)
	scale := "scale=w='if(gte(iw,ih),min(" + side + ",iw),-2)':h='if(gte(iw,ih),-2,min(" + side + ",ih))'"
	return []string{
		"-nostdin", "-hide_banner", "-loglevel", "error",
		"-threads", strconv.Itoa(o.FFmpegThreads),
		"-protocol_whitelist", "file",
		"-format_whitelist", "mov,matroska,webm,avi",
		"-codec_whitelist", "h264,hevc,vp8,vp9,av1,libdav1d,mpeg4,mjpeg",
		"-max_pixels", "35389440", // 8K
		"-max_streams", "16",
		"-t", strconv.FormatFloat(o.MaxSeconds, 'f', 3, 64),
		"-i", "file:" + path,
		"-map", "0:v:0", "-an", "-sn", "-dn",
		"-vf", "fps=" + strconv.FormatFloat(fps, 'f', 3, 64) + "," + scale,
		"-frames:v", strconv.Itoa(e.maxFramesAt(fps)),
		"-f", "image2pipe", "-c:v", "ppm", "-",
	}
}

// maxFrames is the most frames an extraction returns.
func (e *Engine) maxFrames() int { return e.maxFramesAt(e.opts.SampleFPS) }

// maxFramesAt is the most frames an extraction at fps returns.
func (e *Engine) maxFramesAt(fps float64) int {
	return int(math.Ceil(fps*e.opts.MaxSeconds)) + 1
}

// extractFrames runs ffmpeg on the video at path and returns its sampled
// frames. It returns ctx's error when the caller gave up, errVideoTimeout
// when decoding ran past the limit and errNoVideo when ffmpeg produced no
// frame.
func (e *Engine) extractFrames(ctx context.Context, path string) ([]rgbImage, error) {
	return e.extractFramesAt(ctx, path, e.opts.SampleFPS)
}

// extractFramesAt is extractFrames sampling at fps frames per second.
func (e *Engine) extractFramesAt(ctx context.Context, path string, fps float64) ([]rgbImage, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	runCtx, cancel := context.WithTimeout(ctx, e.opts.FFmpegTimeout)
	defer cancel()
	cmd := exec.CommandContext(runCtx, e.opts.FFmpeg, e.ffmpegArgsAt(path, fps)...)
	var stderr bytes.Buffer
	cmd.Stderr = &limitedWriter{w: &stderr, n: 4096}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		if cerr := CheckFFmpeg(e.opts.FFmpeg); cerr != nil {
			return nil, cerr
		}
		return nil, fmt.Errorf("face: starting ffmpeg: %w", err)
	}
	frames, perr := readPPMStream(bufio.NewReaderSize(out, 1<<16), e.maxFramesAt(fps), e.opts.FrameSide)
	if perr != nil {
		// Drain so ffmpeg is not blocked writing, then let Wait reap it.
		_, _ = io.Copy(io.Discard, out)
	}
	werr := cmd.Wait()
	switch {
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case runCtx.Err() != nil:
		return nil, errVideoTimeout
	case perr != nil:
		return nil, fmt.Errorf("%w: %v", errNoVideo, perr)
	case len(frames) == 0:
		return nil, fmt.Errorf("%w: %v: %s", errNoVideo, werr, bytes.TrimSpace(stderr.Bytes()))
	}
	return frames, nil
}

// readPPMStream reads up to maxFrames binary PPM (P6, maxval 255) images,
// refusing any with a side over maxSide.
func readPPMStream(r *bufio.Reader, maxFrames, maxSide int) ([]rgbImage, error) {
	var frames []rgbImage
	for len(frames) < maxFrames {
		if _, err := r.Peek(1); err == io.EOF {
			break
		}
		var img rgbImage
		if err := readPPM(r, maxSide, &img); err != nil {
			return frames, err
		}
		frames = append(frames, img)
	}
	return frames, nil
}

// readPPM reads one P6 image.
func readPPM(r *bufio.Reader, maxSide int, img *rgbImage) error {
	var magic [2]byte
	if _, err := io.ReadFull(r, magic[:]); err != nil || magic != [2]byte{'P', '6'} {
		return errors.New("not a P6 frame")
	}
	var vals [3]int
	for i := range vals {
		v, err := ppmInt(r)
		if err != nil {
			return err
		}
		vals[i] = v
	}
	w, h, maxval := vals[0], vals[1], vals[2]
	if w <= 0 || h <= 0 || w > maxSide || h > maxSide || maxval != 255 {
		return fmt.Errorf("frame %d×%d maxval %d out of bounds", w, h, maxval)
	}
	// A single whitespace byte separates the header from the pixels; ppmInt
	// consumed it.
	img.W, img.H = w, h
	img.Pix = make([]uint8, w*h*3)
	_, err := io.ReadFull(r, img.Pix)
	return err
}

// ppmInt skips whitespace and comments, reads a decimal number and
// consumes the one whitespace byte after it.
func ppmInt(r *bufio.Reader) (int, error) {
	c, err := r.ReadByte()
	for err == nil && (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '#') {
		if c == '#' {
			_, err = r.ReadBytes('\n')
			if err != nil {
				break
			}
		}
		c, err = r.ReadByte()
	}
	if err != nil {
		return 0, err
	}
	n, digits := 0, 0
	for err == nil && c >= '0' && c <= '9' {
		n = n*10 + int(c-'0')
		digits++
		if digits > 6 {
			return 0, errors.New("PPM header number too long")
		}
		c, err = r.ReadByte()
	}
	if digits == 0 {
		return 0, errors.New("bad PPM header")
	}
	if err != nil {
		return 0, err
	}
	if c != ' ' && c != '\n' && c != '\r' && c != '\t' {
		return 0, errors.New("bad PPM header separator")
	}
	return n, nil
}

// limitedWriter keeps the first n bytes written to it.
type limitedWriter struct {
	w io.Writer
	n int
}

func (l *limitedWriter) Write(p []byte) (int, error) {
	if l.n > 0 {
		k := min(len(p), l.n)
		l.w.Write(p[:k])
		l.n -= k
	}
	return len(p), nil
}
