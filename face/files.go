package face

import (
	"context"
	"os"
	"path/filepath"
	"strings"
)

// MatchFiles matches the selfie in the file selfiePath against the
// document photo in the file docPath, as a video when its extension names
// one (IsVideo) and as a still image otherwise.
func (e *Engine) MatchFiles(ctx context.Context, docPath, selfiePath string) (*Result, error) {
	doc, err := os.ReadFile(docPath)
	if err != nil {
		return nil, err
	}
	if IsVideo(selfiePath) {
		if err := CheckFFmpeg(e.Options().FFmpeg); err != nil {
			return nil, err
		}
		return e.MatchVideo(ctx, doc, selfiePath)
	}
	selfie, err := os.ReadFile(selfiePath)
	if err != nil {
		return nil, err
	}
	return e.MatchImage(ctx, doc, selfie)
}

// IsVideo reports whether path names a video file by its extension.
func IsVideo(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".mp4", ".mov", ".webm", ".mkv", ".m4v", ".avi", ".3gp":
		return true
	}
	return false
}
