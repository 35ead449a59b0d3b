package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/httpapi"
	"github.com/bonfirenet/bonfire/localnet"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"gopkg.in/yaml.v3"
)

// globals are the flags every command shares.
type globals struct {
	home      string
	json      bool
	logFormat string
	logLevel  string
	market    string // API URL of a market; default: the one running on home
	token     string
}

func newRootCmd() *cobra.Command {
	g := &globals{}
	root := &cobra.Command{
		Use:           "bonfire",
		Short:         "Run AI jobs on providers' idle machines, verified and paid per task",
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			return g.applyConfig(cmd)
		},
	}
	pf := root.PersistentFlags()
	pf.StringVar(&g.home, "home", defaultHome(), "Bonfire home directory (env BONFIRE_HOME)")
	pf.BoolVar(&g.json, "json", false, "print JSON instead of text")
	pf.StringVar(&g.logFormat, "log-format", "text", "log format: text or json")
	pf.StringVar(&g.logLevel, "log-level", "warn", "log level: debug, info, warn or error")
	pf.StringVar(&g.market, "market", "", "market API URL (default: the market running on --home)")
	pf.StringVar(&g.token, "token", "", "API token (default: the home's token, valid on the market's machine)")
	root.AddCommand(newUpCmd(g), newMarketCmd(g), newProviderCmd(g), newJobCmd(g), newDemoCmd(g), newBenchCmd(g), newWalletCmd(g))
	root.AddCommand(newContractsCmd(g))
	return root
}

func defaultHome() string {
	if h := os.Getenv("BONFIRE_HOME"); h != "" {
		return h
	}
	dir, err := os.UserHomeDir()
	if err != nil {
		return ".bonfire"
	}
	return filepath.Join(dir, ".bonfire")
}

// applyConfig fills every flag the user did not set from the environment
// (BONFIRE_<FLAG>, dashes as underscores) and then from <home>/config.yaml,
// so precedence is flag > env > config file > default.
func (g *globals) applyConfig(cmd *cobra.Command) error {
	flags := cmd.Flags()
	if !flags.Changed("home") {
		if v := os.Getenv("BONFIRE_HOME"); v != "" {
			g.home = v
		}
	}
	cfg, err := readConfig(filepath.Join(g.home, "config.yaml"))
	if err != nil {
		return err
	}
	var errs bonfire.Errors
	flags.VisitAll(func(f *pflag.Flag) {
		if f.Changed || f.Name == "home" || f.Name == "help" {
			return
		}
		env := "BONFIRE_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		v, ok := os.LookupEnv(env)
		source := env
		if !ok {
			v, ok = cfg[f.Name]
			source = "config.yaml " + f.Name
		}
		if ok {
			if err := f.Value.Set(v); err != nil {
				errs = append(errs, bonfire.Errorf(bonfire.ECodeInvalid, "%q is not a valid value: %v", v, err).WithField(source))
			}
		}
	})
	return errs.Err()
}

// readConfig reads a flat YAML map of flag names to values.
func readConfig(path string) (map[string]string, error) {
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var raw map[string]any
	if err := yaml.Unmarshal(b, &raw); err != nil {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "%s: %v", path, err).WithHint("write config.yaml as `flag-name: value` lines")
	}
	out := map[string]string{}
	for k, v := range raw {
		out[k] = fmt.Sprint(v)
	}
	return out, nil
}

func (g *globals) logger(w io.Writer) *slog.Logger {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(g.logLevel)); err != nil {
		lvl = slog.LevelWarn
	}
	opts := &slog.HandlerOptions{Level: lvl}
	if g.logFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// client connects to --market, or to the market running on --home.
func (g *globals) client() (*httpapi.Client, error) {
	home := localnet.Home(g.home)
	url := g.market
	if url == "" {
		ep, err := home.ReadEndpoints()
		if err != nil {
			return nil, err
		}
		url = ep.API
	}
	opts := []httpapi.ClientOption{}
	switch {
	case g.token != "":
		opts = append(opts, httpapi.WithToken(g.token))
	default:
		if tok, err := os.ReadFile(home.TokenFile()); err == nil {
			opts = append(opts, httpapi.WithToken(strings.TrimSpace(string(tok))))
		} else if key, err := localnet.Key(home.WalletKey()); err == nil {
			opts = append(opts, httpapi.WithKey(key))
		}
	}
	return httpapi.NewClient(url, opts...)
}
