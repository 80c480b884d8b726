# stagetop — two commands on a fresh Debian machine:
#   make demo   the dashboard against the built-in simulated staging
#   make test   installs what is missing, then runs every test
SHELL := /bin/bash
SWIFT ?= swift
# prometheus: the agent tests scrape two agents with a real Prometheus and check deploy/ with promtool.
APT_PACKAGES := libcurl4-openssl-dev libncursesw5-dev tmux pkg-config openssl prometheus

.PHONY: deps build test demo bench clean

deps:
	@missing=""; \
	for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" -ne 0 ]; then \
	    echo "stagetop needs these Debian packages:$$missing"; \
	    echo "run as root, or: sudo apt-get install -y$$missing"; exit 1; \
	  fi; \
	  echo "installing:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq$$missing >/dev/null; \
	fi

build: deps
	$(SWIFT) build

# One process per test target, one after another: the terminal suites raise real signals, and the
# network suites time real watchdogs against an in-process sim, so neither should share a process or the
# two cores with everything else at once. Each target gets a hard limit (a whole run takes ~2.5 min after
# the build): a hung test fails the run naming its target instead of eating CI's time budget.
TEST_TIMEOUT ?= 900
TEST_TARGETS := StageModelTests StageReportsTests StageUITests StageSimTests StageProbesTests StageTerminalTests StageAppTests stagetopTests

# CI shows only the tail of a run: each target's log is kept, and a failing target's failures are printed
# again as the last lines, so the reason is on screen and not just "failed with 1 issue".
test: deps
	$(SWIFT) build --build-tests
	@set -o pipefail; mkdir -p .build/test-logs; for t in $(TEST_TARGETS); do \
	  echo "== $$t"; log=.build/test-logs/$$t.log; \
	  timeout -k 10 $(TEST_TIMEOUT) $(SWIFT) test --skip-build --no-parallel --filter "^$$t\." 2>&1 | tee $$log; \
	  rc=$${PIPESTATUS[0]}; \
	  if [ $$rc -ne 0 ]; then \
	    [ $$rc -eq 124 ] && echo "$$t: still running after $(TEST_TIMEOUT) s, killed"; \
	    echo "== $$t failed (exit $$rc); its failures again, full log in $$log:"; \
	    grep -E -A6 '✘ Test [^r]|recorded an issue|error:|Fatal error|Crash' $$log | grep -v '^--$$' | tail -60; \
	    exit $$rc; \
	  fi; \
	done

# The demo's scenario has failing probes by design, so stagetop leaves with 1 ("a probe failed"): that is
# the demo working, not make failing. Any other status (2 usage, 3 internal, 128+N signal) still fails.
demo: deps
	$(SWIFT) build --product stagetop
	./.build/debug/stagetop demo || [ $$? -eq 1 ]

bench: deps
	$(SWIFT) build -c release --product stagetop-bench
	$(SWIFT) build -c release --product stagetop
	./Benchmarks/run-all.sh

clean:
	rm -rf .build
