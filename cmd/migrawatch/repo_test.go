package main

import (
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

// The repository's files promise the same things in several places; these
// tests keep them in step.

func readRepoFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("../../" + name)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return string(b)
}

// lastCommand returns the last non-blank, non-comment line of a script.
func lastCommand(script string) string {
	lines := strings.Split(strings.TrimSpace(script), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		l := strings.TrimSpace(lines[i])
		if l != "" && !strings.HasPrefix(l, "#") {
			return l
		}
	}
	return ""
}

func TestRepo_CIRunsTheREADMETestCommand(t *testing.T) {
	ci := readRepoFile(t, ".ci/run")
	readme := readRepoFile(t, "README.md")
	test := lastCommand(ci)
	if test != "go test -race ./..." {
		t.Errorf(".ci/run ends with %q", test)
	}
	if !strings.Contains(readme, "Run the tests:\n\n```sh\n"+test+"\n```") {
		t.Errorf("README's test command is not %q", test)
	}
	for _, step := range []string{"go mod download", "go vet ./...", "gofmt -l .", "redis-server", "apt-get install", "REDIS_URL", "set -euo pipefail"} {
		if !strings.Contains(ci, step) {
			t.Errorf(".ci/run lacks %q", step)
		}
	}
}

func TestRepo_DockerfileAndREADMEUseTheCIBuild(t *testing.T) {
	build := lastCommand(readRepoFile(t, ".ci/build"))
	if !strings.HasPrefix(build, "CGO_ENABLED=0 go build -trimpath -ldflags \"-s -w -X main.version=") || !strings.HasSuffix(build, "./cmd/migrawatch") {
		t.Fatalf(".ci/build builds with %q", build)
	}
	docker := readRepoFile(t, "Dockerfile")
	if !regexp.MustCompile(`(?m)^RUN .*OUT=/out/migrawatch \.ci/build$`).MatchString(docker) {
		t.Error("the Dockerfile does not build with .ci/build")
	}
	if !strings.Contains(docker, "#   "+build+"\n") {
		t.Error("the Dockerfile's comment does not show the build command of .ci/build")
	}
	for _, want := range []string{"FROM golang:1.26 AS build", "gcr.io/distroless/static:nonroot", "USER nonroot", `HEALTHCHECK`, `CMD ["/migrawatch", "healthcheck"]`} {
		if !strings.Contains(docker, want) {
			t.Errorf("Dockerfile lacks %q", want)
		}
	}
	if !strings.Contains(readRepoFile(t, "README.md"), "```sh\n"+build+"\n```") {
		t.Error("README does not show the build command of .ci/build")
	}
}

func TestRepo_READMEShowsTheComposeFile(t *testing.T) {
	compose := readRepoFile(t, "docker-compose.yml")
	if !strings.Contains(readRepoFile(t, "README.md"), "```yaml\n"+compose+"```") {
		t.Error("README's Docker Compose section differs from docker-compose.yml")
	}
	for _, want := range []string{"image: redis:7", `"--appendonly", "yes"`, "redis-data:/data", "env_file: .env"} {
		if !strings.Contains(compose, want) {
			t.Errorf("docker-compose.yml lacks %q", want)
		}
	}
	for _, ignore := range []string{".gitignore", ".dockerignore"} {
		if !regexp.MustCompile(`(?m)^\.env$`).MatchString(readRepoFile(t, ignore)) {
			t.Errorf("%s does not exclude .env", ignore)
		}
	}
}

func TestRepo_ImageGetsVersionAndCommitAndTimeToStop(t *testing.T) {
	docker := readRepoFile(t, "Dockerfile")
	compose := readRepoFile(t, "docker-compose.yml")
	image := readRepoFile(t, ".ci/image")
	for _, arg := range []string{"VERSION", "COMMIT"} {
		if !regexp.MustCompile(`(?m)^ARG ` + arg + `=`).MatchString(docker) {
			t.Errorf("the Dockerfile declares no build argument %s", arg)
		}
		if !regexp.MustCompile(`(?m)^\s+` + arg + `: \$\{` + arg + `:-`).MatchString(compose) {
			t.Errorf("docker-compose.yml does not pass %s as a build argument", arg)
		}
		if !strings.Contains(image, "--build-arg "+arg+"=") {
			t.Errorf(".ci/image does not pass %s as a build argument", arg)
		}
	}
	if !strings.Contains(readRepoFile(t, ".ci/run"), ".ci/image") {
		t.Error(".ci/run never builds the image")
	}
	// Parsed as Compose parses it: a key given twice is an error there.
	var file struct {
		Services map[string]struct {
			StopGracePeriod string `yaml:"stop_grace_period"`
		} `yaml:"services"`
	}
	if err := yaml.Unmarshal([]byte(compose), &file); err != nil {
		t.Fatalf("docker-compose.yml: %v", err)
	}
	period := file.Services["migrawatch"].StopGracePeriod
	if period == "" {
		t.Fatal("docker-compose.yml leaves the stop grace at Docker's 10 s")
	}
	grace, err := time.ParseDuration(period)
	if err != nil {
		t.Fatalf("stop_grace_period %q: %v", period, err)
	}
	if grace <= shutdownGrace {
		t.Errorf("stop_grace_period %s is not longer than the %s shutdown", grace, shutdownGrace)
	}
}
