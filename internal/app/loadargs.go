package app

import (
	"flag"
	"fmt"
	"io"
)

// LoadArgs is Load with a flag set of its own for the service command
// "kycq name": its messages go to w, and -h writes the command's usage
// and the settings table (PrintSettings) there.
func LoadArgs(name string, args []string, getenv func(string) string, w io.Writer) (Config, error) {
	fs := flag.NewFlagSet("kycq "+name, flag.ContinueOnError)
	fs.SetOutput(w)
	fs.Usage = func() {
		fmt.Fprintf(w, "Usage: kycq %s [flags]\n\n", name)
		PrintSettings(w)
	}
	return Load(fs, args, getenv)
}
