package docread

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kycq/kycq/imagecheck"
)

func TestNewWithoutLanguageData(t *testing.T) {
	_, err := New(Options{TessdataDir: t.TempDir()})
	if err == nil {
		t.Fatal("New succeeded without language data")
	}
	for _, want := range []string{"tesseract-ocr-eng", "tesseract-ocr-chi-sim"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %s", err, want)
		}
	}
}

func TestReadBudget(t *testing.T) {
	r, err := New(Options{NoTesseract: true, Budget: time.Nanosecond})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	photo := photograph(t, renderCard(t, "td3", td3Specimen, cardOpts{}), sceneOpts{w: 800, h: 600, fill: 0.8, seed: 1})
	if _, err := r.Read(context.Background(), photo, imagecheck.AnySide, Hint{}); !errors.Is(err, ErrBudget) {
		t.Errorf("err %v, want ErrBudget", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r2 := mrzReader(t)
	if _, err := r2.Read(ctx, photo, imagecheck.AnySide, Hint{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: err %v, want context.Canceled", err)
	}
}

// TestConcurrentReads reads MRZ and mainland ID photos from several
// goroutines through one Reader (its Tesseract pool).
func TestConcurrentReads(t *testing.T) {
	r := fullReader(t)
	mrzPhoto := photograph(t, renderCard(t, "td1", td1Specimen, cardOpts{}), sceneOpts{w: 1000, h: 750, fill: 0.8, seed: 2, angle: 3})
	front := cnFront{"李娜", "女", "汉", "1985", "12", "1", []string{"上海市浦东新区人民路", "8号院3号楼"}, ""}
	front.number = "310115198512010024"
	cnPhoto := photograph(t, renderCNFront(t, front, false), sceneOpts{w: 1000, h: 750, fill: 0.8, seed: 3})
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if i%2 == 0 {
				res, err := r.Read(context.Background(), mrzPhoto, imagecheck.Back, Hint{IDType: "id_card"})
				if err != nil || !slices.Equal(res.Data.MRZ, td1Specimen) {
					errs <- "mrz read failed"
				}
				return
			}
			res, err := r.Read(context.Background(), cnPhoto, imagecheck.Front, cnHint)
			if err != nil || res.Data.DocumentNumber != front.number || res.Data.Name != front.name {
				errs <- "mainland read failed"
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
