package setupscripts

import (
	"bufio"
	"crypto/sha256"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kycq/kycq/internal/systest/testenv"
)

// hbaSums returns the sha256 of every system PostgreSQL cluster's
// pg_hba.conf, by path.
func hbaSums(t *testing.T) map[string][32]byte {
	t.Helper()
	files, _ := filepath.Glob("/etc/postgresql/*/*/pg_hba.conf")
	sums := map[string][32]byte{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sums[f] = sha256.Sum256(b)
	}
	return sums
}

// TestPrivatePostgres sources scripts/test-services.sh the way make test
// does, with no database named, and checks that the PostgreSQL it starts
// is its own (not port 5432, data in a temporary directory, trust
// authentication for the test user, a database named test), that the
// system's pg_hba.conf files are unchanged, and that the cluster is gone,
// port closed and data removed, once the shell exits.
func TestPrivatePostgres(t *testing.T) {
	if _, err := exec.LookPath("psql"); err != nil {
		testenv.Unavailable(t, "psql", err)
	}
	if m, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb"); len(m) == 0 {
		testenv.Unavailable(t, "PostgreSQL server binaries", os.ErrNotExist)
	}
	// Redis and S3 are named so that the script starts only PostgreSQL.
	redis := testenv.Redis(t)
	s3 := testenv.S3(t)
	before := hbaSums(t)

	root := repoRoot(t)
	script := `source scripts/test-services.sh || exit 1
echo "url=$KYCQ_TEST_DATABASE_URL"
psql "$KYCQ_TEST_DATABASE_URL" -Atc 'show data_directory' | sed 's/^/data=/'
psql "$KYCQ_TEST_DATABASE_URL" -Atc "select 'hba=' || setting from pg_settings where name = 'hba_file'"
psql "$(echo "$KYCQ_TEST_DATABASE_URL" | sed 's#/postgres?#/test?#')" -Atc 'select current_database()' | sed 's/^/db=/'`
	cmd := exec.Command("bash", "-c", script)
	cmd.Dir = root
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "KYCQ_TEST_DATABASE_URL=") && !strings.HasPrefix(kv, "KYCQ_TEST_REDIS=") &&
			!strings.HasPrefix(kv, "KYCQ_TEST_S3_ENDPOINT=") {
			env = append(env, kv)
		}
	}
	cmd.Env = append(env,
		"KYCQ_TEST_REDIS="+redis,
		"KYCQ_TEST_S3_ENDPOINT="+s3.Endpoint,
		"KYCQ_CACHE="+cacheDir(root),
	)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("test-services.sh: %v\n%s", err, out)
	}
	t.Logf("start, four queries and stop took %v", time.Since(start).Round(time.Millisecond))
	got := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), "="); ok && (k == "url" || k == "data" || k == "hba" || k == "db") {
			got[k] = v
		}
	}
	u, err := url.Parse(got["url"])
	if err != nil || u.Hostname() != "127.0.0.1" || u.Port() == "" {
		t.Fatalf("KYCQ_TEST_DATABASE_URL = %q; want postgres://…@127.0.0.1:PORT/…\n%s", got["url"], out)
	}
	if u.Port() == "5432" {
		t.Errorf("the test PostgreSQL listens on 5432, the system's port")
	}
	tmp := os.TempDir()
	if d := got["data"]; !strings.HasPrefix(d, filepath.Join(tmp, "kycq-pg.")) {
		t.Errorf("data_directory = %q; want a private directory under %s", d, tmp)
	}
	if h := got["hba"]; !strings.HasPrefix(h, filepath.Join(tmp, "kycq-pg.")) {
		t.Errorf("hba_file = %q; want the private cluster's own", h)
	}
	if got["db"] != "test" {
		t.Errorf("database test: got %q\n%s", got["db"], out)
	}
	if d := got["data"]; d != "" {
		if _, err := os.Stat(filepath.Dir(d)); !os.IsNotExist(err) {
			t.Errorf("%s still exists after the shell exited (%v)", filepath.Dir(d), err)
		}
	}
	if c, err := net.DialTimeout("tcp", u.Host, time.Second); err == nil {
		c.Close()
		t.Errorf("%s still accepts connections after the shell exited", u.Host)
	}
	after := hbaSums(t)
	for f, sum := range before {
		if after[f] != sum {
			t.Errorf("%s changed", f)
		}
	}
}

// cacheDir is the cache the set-up uses: KYCQ_CACHE, else .cache in the
// repository.
func cacheDir(root string) string {
	if c := os.Getenv("KYCQ_CACHE"); c != "" {
		return c
	}
	return filepath.Join(root, ".cache")
}
