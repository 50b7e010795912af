package api

import (
	"sync"
	"testing"
)

// TestKeyedMutex: holders of one key run one at a time, other keys do not
// wait, and a key is forgotten once nobody holds or waits for it.
func TestKeyedMutex(t *testing.T) {
	var k keyedMutex
	var mu sync.Mutex
	inside := map[string]int{}
	var wg sync.WaitGroup
	for i := range 40 {
		key := []string{"a", "b"}[i%2]
		wg.Add(1)
		go func() {
			defer wg.Done()
			unlock := k.lock(key)
			mu.Lock()
			inside[key]++
			if inside[key] > 1 {
				t.Errorf("two holders of %s at once", key)
			}
			mu.Unlock()
			mu.Lock()
			inside[key]--
			mu.Unlock()
			unlock()
		}()
	}
	wg.Wait()
	if n := k.size(); n != 0 {
		t.Errorf("%d keys remembered after every unlock", n)
	}
	// Another key does not wait for a held one.
	unlockA := k.lock("a")
	k.lock("b")()
	unlockA()
}
