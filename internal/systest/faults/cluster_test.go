package faults

import (
	"context"
	"fmt"
	"hash/fnv"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/kycq/kycq/api"
	"github.com/kycq/kycq/api/client"
	"github.com/kycq/kycq/internal/eval/sample"
	"github.com/kycq/kycq/internal/privacy"
	"github.com/kycq/kycq/internal/systest/harness"
	"github.com/kycq/kycq/internal/systest/testenv"
	"github.com/kycq/kycq/kyc"
	"github.com/kycq/kycq/storage"
)

// sampleFiles are the document photos and selfie video of one sample
// applicant. The applicants of a cluster share its selfie video, but each
// uploads document photos of its own that print exactly its basic info
// (see cluster.applicant): documents are read and compared with the info.
func sampleFiles(t testing.TB) map[storage.Slot]client.File {
	return harness.Applicant(t, sample.Options{Seed: 7001}).Files
}

// cluster is kycq as deployed: one `kycq serve` and any number of `kycq
// work` processes over time, all on one Redis database, PostgreSQL
// database and bucket, configured with environment variables only.
type cluster struct {
	Env          harness.Env
	API          string
	Token        string
	MetricsToken string
	Client       *client.Client
	Serve        *harness.Process
	Insp         *asynq.Inspector

	mu      sync.Mutex
	workers []*harness.Process // every worker ever started, dead or alive
	killed  int                // workers ended with SIGKILL
	docs    map[string]bool    // document numbers handed out
}

// newCluster starts kycq serve on env and waits until it is ready.
func newCluster(t *testing.T, env harness.Env) *cluster {
	t.Helper()
	if env["KYCQ_METRICS_TOKEN"] == "" {
		env["KYCQ_METRICS_TOKEN"] = "m-" + privacy.NewRandomKey()[:32]
	}
	c := &cluster{Env: env, API: "http://" + env["KYCQ_ADDR"], Token: env["KYCQ_API_TOKEN"],
		MetricsToken: env["KYCQ_METRICS_TOKEN"]}
	c.Client = client.New(c.API, c.Token)
	db, _ := strconv.Atoi(env["REDIS_DB"])
	c.Insp = asynq.NewInspector(asynq.RedisClientOpt{Addr: env["REDIS_ADDR"], DB: db})
	t.Cleanup(func() { c.Insp.Close() })
	c.Serve = harness.StartProcess(t, env, "serve")
	if os.Getenv("KYCQ_FAULTS_LOGS") != "" {
		// Every process' output, also when the test passes.
		t.Cleanup(func() {
			for i, p := range c.processes() {
				t.Logf("process %d (%v) output:\n%s", i, p.Cmd.Args[1:], p.Logs.String())
			}
		})
	}
	waitReady(t, c.Serve, c.API)
	return c
}

// startWorker starts a kycq work process with the cluster's environment
// plus overrides, on a metrics port of its own, and waits until it is
// ready.
func (c *cluster) startWorker(t *testing.T, overrides harness.Env) *harness.Process {
	t.Helper()
	p, ops := c.spawnWorker(t, overrides)
	waitReady(t, p, ops)
	return p
}

// spawnWorker starts a kycq work process without waiting for it; it
// returns the process and its ops base URL.
func (c *cluster) spawnWorker(t *testing.T, overrides harness.Env) (*harness.Process, string) {
	t.Helper()
	env := c.Env.Clone(harness.Env{"KYCQ_METRICS_ADDR": harness.FreeAddr(t)}).Clone(overrides)
	p := harness.StartProcess(t, env, "work")
	c.mu.Lock()
	c.workers = append(c.workers, p)
	c.mu.Unlock()
	return p, "http://" + env["KYCQ_METRICS_ADDR"]
}

// kill ends a worker with SIGKILL: a crash, the OOM killer, a lost node.
func (c *cluster) kill(p *harness.Process) {
	p.Kill()
	c.mu.Lock()
	c.killed++
	c.mu.Unlock()
}

// processes returns serve and every worker started so far.
func (c *cluster) processes() []*harness.Process {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]*harness.Process{c.Serve}, c.workers...)
}

func waitReady(t *testing.T, p *harness.Process, base string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	if err := p.WaitReady(ctx, base); err != nil {
		t.Fatal(err)
	}
}

// apply submits n applicants (accounts prefix-0, prefix-1, ...) with the
// sample files and documents of their own, and returns the verification
// IDs without waiting for decisions.
func (c *cluster) apply(t *testing.T, prefix string, n int) []string {
	t.Helper()
	ids := c.create(t, prefix, n)
	for _, id := range ids {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		err := c.Client.Submit(ctx, id)
		cancel()
		if err != nil {
			t.Fatalf("submit %s: %v", id, err)
		}
	}
	return ids
}

// create creates n verifications and uploads their files, without
// submitting them.
func (c *cluster) create(t *testing.T, prefix string, n int) []string {
	t.Helper()
	shared := sampleFiles(t)
	ids := make([]string, n)
	for i := range n {
		info, files := c.applicant(t, fmt.Sprintf("%s-%d", prefix, i), shared)
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		v, err := c.Client.Create(ctx, fmt.Sprintf("%s-%d", prefix, i), info, files, "")
		if err != nil {
			cancel()
			t.Fatalf("create %s-%d: %v", prefix, i, err)
		}
		for slot, f := range files {
			if err := c.Client.Upload(ctx, v.Uploads[string(slot)], f.Data); err != nil {
				cancel()
				t.Fatalf("upload %s of %s-%d: %v", slot, prefix, i, err)
			}
		}
		cancel()
		ids[i] = v.ID
	}
	return ids
}

// applicant returns the basic info and files of a truthful applicant for
// account: an ID card with a document number no other applicant of the
// cluster holds (sample.Info draws numbers at random from a seed, so two
// seeds may collide), its document photos printing exactly that info,
// and the selfie of shared.
func (c *cluster) applicant(t testing.TB, account string, shared map[storage.Slot]client.File) (kyc.Applicant, map[storage.Slot]client.File) {
	t.Helper()
	// The photos of seed 7001 (as sampleFiles) are known to pass the
	// checks; only the identity they print is the applicant's own.
	o := sample.Options{Seed: 7001, IdentitySeed: c.docSeed(account)}
	docs, err := sample.Documents(o)
	if err != nil {
		t.Fatalf("sample documents of %s: %v", account, err)
	}
	files := map[storage.Slot]client.File{storage.SlotSelfie: shared[storage.SlotSelfie]}
	for slot, f := range docs {
		files[slot] = f
	}
	return sample.InfoOf(o), files
}

// docSeed returns the sample seed of account's ID card, whose document
// number no other applicant of the cluster holds.
func (c *cluster) docSeed(account string) int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.docs == nil {
		c.docs = map[string]bool{}
	}
	h := fnv.New64a()
	h.Write([]byte(account))
	seed := int64(h.Sum64()>>2) | 1 // not 0: sample.Options.IdentitySeed 0 means Seed
	for {
		info := sample.Info(seed)
		if !c.docs[info.IDNumber] {
			c.docs[info.IDNumber] = true
			return seed
		}
		seed++
	}
}

// waitDecided waits until every verification has a decision, failing the
// test after within, and returns them by ID.
func (c *cluster) waitDecided(t *testing.T, ids []string, within time.Duration) map[string]*api.VerificationResponse {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), within)
	defer cancel()
	out := make(map[string]*api.VerificationResponse, len(ids))
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for _, id := range ids {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			v, err := c.Client.WaitDecision(ctx, id, 250*time.Millisecond)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				t.Errorf("verification %s: %v", id, err)
				return
			}
			out[id] = v
		})
	}
	wg.Wait()
	if t.Failed() {
		c.dumpQueues(t)
		t.FailNow()
	}
	return out
}

// dumpQueues logs what asynq holds, to explain a verification that did
// not decide.
func (c *cluster) dumpQueues(t *testing.T) {
	t.Helper()
	qs, err := c.Insp.Queues()
	if err != nil {
		t.Logf("asynq queues: %v", err)
		return
	}
	for _, q := range qs {
		info, err := c.Insp.GetQueueInfo(q)
		if err != nil {
			continue
		}
		t.Logf("queue %s: pending %d active %d scheduled %d retry %d archived %d completed %d",
			q, info.Pending, info.Active, info.Scheduled, info.Retry, info.Archived, info.Completed)
		for _, list := range []func(string, ...asynq.ListOption) ([]*asynq.TaskInfo, error){c.Insp.ListActiveTasks, c.Insp.ListRetryTasks, c.Insp.ListArchivedTasks} {
			tasks, _ := list(q)
			for _, ti := range tasks {
				t.Logf("  %s %s retried %d/%d last error %q next %s", ti.State, ti.ID, ti.Retried, ti.MaxRetry, ti.LastErr, ti.NextProcessAt.Format(time.TimeOnly))
			}
		}
	}
}

// slowFFmpeg returns a wrapper of the real ffmpeg that waits delay before
// each run that decodes something (not before `ffmpeg -version`): a slow
// face match, so a test can act while it is active.
func slowFFmpeg(t *testing.T, delay time.Duration) (wrapper, real string) {
	t.Helper()
	real, err := exec.LookPath("ffmpeg")
	if err != nil {
		testenv.Unavailable(t, "ffmpeg", err)
	}
	wrapper = filepath.Join(t.TempDir(), "slow-ffmpeg")
	script := fmt.Sprintf("#!/bin/sh\ncase \" $* \" in *\" -version \"*) ;; *) sleep %.1f ;; esac\nexec %s \"$@\"\n",
		delay.Seconds(), strconv.Quote(real))
	if err := os.WriteFile(wrapper, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return wrapper, real
}
